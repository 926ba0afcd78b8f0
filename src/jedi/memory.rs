//! Available memory, as the pool sizes and watches itself: `MemAvailable` of `/proc/meminfo`.
//!
//! The default worker count allows one worker per [`WORKER_BUDGET_BYTES`] available at the start;
//! during the run, a driver about to hand its worker another file first checks [`is_low`], and
//! when less than one worker's budget is left it retires its worker (the pool goes on with the
//! others, and with one under sustained pressure) instead of letting the kernel's OOM killer choose.
//!
//! `CODEFLASH_DISCOVER_MEMINFO=FILE` (tests only) reads FILE, in `/proc/meminfo`'s format, instead:
//! simulated pressure, which a test may change during a run.

/// Peak RSS of one worker on a large real suite (333 MiB measured on networkx), with headroom.
pub const WORKER_BUDGET_BYTES: u64 = 512 * 1024 * 1024;

pub const MEMINFO_ENV: &str = "CODEFLASH_DISCOVER_MEMINFO";

/// `MemAvailable` in bytes, or `None` where the kernel does not say.
#[must_use]
pub fn available_bytes() -> Option<u64> {
    let path = std::env::var_os(MEMINFO_ENV).unwrap_or_else(|| "/proc/meminfo".into());
    parse_available(&std::fs::read_to_string(path).ok()?)
}

/// Less than one worker's budget is available.
#[must_use]
pub fn is_low() -> bool {
    available_bytes().is_some_and(|bytes| bytes < WORKER_BUDGET_BYTES)
}

fn parse_available(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mem_available_is_read_in_kib() {
        let text = "MemTotal:       24576000 kB\nMemFree:          100000 kB\nMemAvailable:    2048000 kB\n";
        assert_eq!(parse_available(text), Some(2_048_000 * 1024));
        assert_eq!(parse_available("MemTotal: 1 kB\n"), None, "an old kernel without MemAvailable");
    }
}
