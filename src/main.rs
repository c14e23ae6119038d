//! The `tracker` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    match tracker::run(std::env::args_os(), chrono::Utc::now()) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            if tracker::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("tracker: 错误: {err:#}");
            ExitCode::from(2)
        }
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
