//! The forked child's own heap: a deterministic allocator for CPython's object domain.
//!
//! Jedi iterates sets of identity-hashed values, so at some sites its answer depends on object
//! addresses. A child forked from the warm session inherits that session's heap, whose free space
//! depends on everything the warm-up parsed: with the inherited heap, adding an unrelated module to
//! a project changed the answer for a test file that never reads it (measured: `dynamic_imports`
//! with one extra module of random functions, 6 variants, 4 different answers; README, "Parity").
//!
//! Installed in the child right after the fork (after `gc.freeze()` and a `gc.collect()` of the
//! then empty generations, so that the collector's schedule too depends only on the child's own
//! allocations: see `session::own_heap`), as a hook on the object domain (as
//! tracemalloc hooks it): every block of up to 512 bytes comes from a fresh region at a fixed
//! address, one span per size class of 16 bytes, bump-allocated and reused last-freed-first; larger
//! blocks (up to 64 MiB) the same way, one span per power of two. The child's object addresses are
//! then a function of its own sequence of allocations alone, not of the warm state, of the state of
//! the C allocator in the process it was forked from, of the address-space layout or of the run.
//! Blocks over 64 MiB, and blocks allocated before the fork, stay with the previous allocator. The
//! child is short-lived: nothing is returned to the system before it exits.
//!
//! Input: none (called once per child). Output: whether the hook is in place.

use std::ffi::c_void;

use pyo3::ffi;

const BASE: usize = 0x5a00_0000_0000;
const CLASS_BYTES: usize = 16;
const CLASSES: usize = 32; // up to 512 bytes, as pymalloc
/// Larger blocks: one class per power of two, 1 KiB (class 33) to 64 MiB (class 49).
const LARGE_FIRST_SHIFT: u32 = 10;
const LARGE_CLASSES: usize = 17;
const ALL_CLASSES: usize = CLASSES + 1 + LARGE_CLASSES;
const LARGEST: usize = 1 << (LARGE_FIRST_SHIFT as usize + LARGE_CLASSES - 1);
const SPAN: usize = 1 << 30; // 1 GiB of address space per size class

struct State {
    next: [usize; ALL_CLASSES],
    free: [usize; ALL_CLASSES],
    previous: ffi::PyMemAllocatorEx,
}

static mut STATE: Option<State> = None;

fn in_region(p: usize) -> bool {
    (BASE..BASE + ALL_CLASSES * SPAN).contains(&p)
}

fn class_of(p: usize) -> usize {
    (p - BASE) / SPAN
}

/// The class a block of `size` bytes (1 to [`LARGEST`]) comes from.
fn class_for(size: usize) -> usize {
    if size <= CLASSES * CLASS_BYTES {
        size.div_ceil(CLASS_BYTES)
    } else {
        let shift = size.next_power_of_two().trailing_zeros().max(LARGE_FIRST_SHIFT);
        CLASSES + 1 + (shift - LARGE_FIRST_SHIFT) as usize
    }
}

/// The bytes every block of `class` holds.
fn capacity(class: usize) -> usize {
    if class <= CLASSES {
        class * CLASS_BYTES
    } else {
        1 << (LARGE_FIRST_SHIFT as usize + class - CLASSES - 1)
    }
}

#[allow(static_mut_refs)]
unsafe fn state() -> &'static mut State {
    STATE.as_mut().expect("installed")
}

extern "C" fn malloc(_: *mut c_void, size: usize) -> *mut c_void {
    unsafe {
        let size = size.max(1);
        let s = state();
        if size > LARGEST {
            return (s.previous.malloc.expect("malloc"))(s.previous.ctx, size);
        }
        let class = class_for(size);
        let head = s.free[class];
        if head != 0 {
            s.free[class] = *(head as *const usize);
            return head as *mut c_void;
        }
        let p = s.next[class];
        if p + capacity(class) > BASE + class * SPAN + SPAN {
            return (s.previous.malloc.expect("malloc"))(s.previous.ctx, size);
        }
        s.next[class] = p + capacity(class);
        p as *mut c_void
    }
}

extern "C" fn calloc(ctx: *mut c_void, count: usize, size: usize) -> *mut c_void {
    unsafe {
        let Some(total) = count.checked_mul(size) else {
            return std::ptr::null_mut();
        };
        let p = malloc(ctx, total);
        if !p.is_null() {
            std::ptr::write_bytes(p.cast::<u8>(), 0, total.max(1));
        }
        p
    }
}

extern "C" fn free(_: *mut c_void, p: *mut c_void) {
    unsafe {
        if p.is_null() {
            return;
        }
        let s = state();
        let address = p as usize;
        if in_region(address) {
            let class = class_of(address);
            *(address as *mut usize) = s.free[class];
            s.free[class] = address;
        } else {
            (s.previous.free.expect("free"))(s.previous.ctx, p);
        }
    }
}

extern "C" fn realloc(ctx: *mut c_void, p: *mut c_void, size: usize) -> *mut c_void {
    unsafe {
        if p.is_null() {
            return malloc(ctx, size);
        }
        let address = p as usize;
        if !in_region(address) {
            let s = state();
            return (s.previous.realloc.expect("realloc"))(s.previous.ctx, p, size);
        }
        let capacity = capacity(class_of(address));
        if size <= capacity && size > 0 {
            return p;
        }
        let q = malloc(ctx, size);
        if !q.is_null() {
            std::ptr::copy_nonoverlapping(p.cast::<u8>(), q.cast::<u8>(), capacity.min(size));
            free(ctx, p);
        }
        q
    }
}

/// Reserve the region and hook the object domain. Call once, in the child, with the GIL held.
///
/// # Safety
/// Only in a single-threaded forked child holding the GIL, before it allocates anything it keeps.
pub unsafe fn install() -> bool {
    let length = ALL_CLASSES * SPAN;
    let got = libc::mmap(
        BASE as *mut c_void,
        length,
        libc::PROT_READ | libc::PROT_WRITE,
        libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE | libc::MAP_FIXED_NOREPLACE,
        -1,
        0,
    );
    if got as usize != BASE {
        // The address is taken (or the kernel treated it as a hint): keep the inherited heap.
        if got != libc::MAP_FAILED {
            libc::munmap(got, length);
        }
        return false;
    }
    let mut previous = ffi::PyMemAllocatorEx { ctx: std::ptr::null_mut(), malloc: None, calloc: None, realloc: None, free: None };
    ffi::PyMem_GetAllocator(ffi::PyMemAllocatorDomain::PYMEM_DOMAIN_OBJ, &raw mut previous);
    let mut next = [0; ALL_CLASSES];
    for (class, slot) in next.iter_mut().enumerate() {
        // Class 0 is never used; the first block of each class sits past a 64-byte guard.
        *slot = BASE + class * SPAN + 64;
    }
    STATE = Some(State { next, free: [0; ALL_CLASSES], previous });
    let mut hook = ffi::PyMemAllocatorEx {
        ctx: std::ptr::null_mut(),
        malloc: Some(malloc),
        calloc: Some(calloc),
        realloc: Some(realloc),
        free: Some(free),
    };
    ffi::PyMem_SetAllocator(ffi::PyMemAllocatorDomain::PYMEM_DOMAIN_OBJ, &raw mut hook);
    true
}
