//! The `codeflash-discover-worker` binary: one Jedi worker of the pool, embedding CPython
//! (`jedi::embedded`). Arguments: `--python PATH` (the interpreter it starts as), or
//! `--describe` (print the interpreter build it embeds, as JSON). Exit code 0, or 1 on error.

use std::path::PathBuf;
use std::process::ExitCode;

use codeflash_discover::jedi::embedded;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["--describe"] => {
            println!("{}", embedded::describe());
            ExitCode::SUCCESS
        }
        ["--python", python] => match embedded::run(&PathBuf::from(python)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("codeflash-discover-worker: error: {error:#}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: codeflash-discover-worker --python PATH | --describe (started by codeflash-discover)");
            ExitCode::from(2)
        }
    }
}
