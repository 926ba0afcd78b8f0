mod filter_cmd;
mod import_filter;

use std::path::PathBuf;
use std::process::ExitCode;

/// Temporary, clap-free entry point:
/// `filter [--detail | --trace] --target NAME... [--] FILE...`.
/// (`--target` may repeat; each takes one name.) The real CLI replaces this.
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) != Some("filter") {
        eprintln!("usage: codeflash-discover filter [--detail | --trace] --target NAME... [--] FILE...");
        return ExitCode::from(2);
    }
    let mut targets = Vec::new();
    let mut files = Vec::new();
    let mut detail = false;
    let mut trace = false;
    let mut rest = args[1..].iter();
    let mut only_files = false;
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--target" if !only_files => {
                let Some(name) = rest.next() else {
                    eprintln!("--target needs a value");
                    return ExitCode::from(2);
                };
                targets.push(name.clone());
            }
            "--detail" if !only_files => detail = true,
            "--trace" if !only_files => trace = true,
            "--" if !only_files => only_files = true,
            _ => files.push(PathBuf::from(arg)),
        }
    }
    let result = if trace {
        filter_cmd::run_filter_trace(&targets, &files)
    } else if detail {
        filter_cmd::run_filter_detail(&targets, &files)
    } else {
        filter_cmd::run_filter(&targets, &files)
    };
    match result {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("codeflash-discover filter: {err:#}");
            ExitCode::FAILURE
        }
    }
}
