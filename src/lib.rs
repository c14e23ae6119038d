//! `tracker`: a key-task list (重点任务清单) tracked over plain files in git.

// Data problems travel as `Result<_, Diagnostic>` values on cold paths (one per bad file); boxing
// them would only add noise.
#![allow(clippy::result_large_err)]

// Public: the engine the integration tests and the fuzzer drive (loading, checks, judgement,
// renderers, the model). Everything else, and every item not named by them, is pub(crate).
mod app;
pub mod assess;
pub mod check;
mod cli;
mod cli_zh;
mod commands;
pub mod diagnostic;
mod import;
mod labels;
mod ledger;
pub mod load;
pub mod model;
mod outcome;
mod par;
pub mod render;
pub mod text;
mod write;

use std::ffi::OsString;

use anyhow::Result;
use chrono::{DateTime, Utc};
use clap::{CommandFactory, FromArgMatches};

pub use outcome::Outcome;

/// Runs the command line. `now` is the only clock reading; `--as-of` overrides it.
pub fn run(args: impl IntoIterator<Item = OsString>, now: DateTime<Utc>) -> Result<Outcome> {
    let matches = match cli_zh::localize(cli::Cli::command()).try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => return Ok(usage_error(&e)),
    };
    if matches.get_flag("version") {
        let cli = cli::Cli::from_arg_matches(&matches).ok();
        println!(
            "{}",
            commands::version_text(cli.as_ref().and_then(|c| c.root.as_deref()))
        );
        return Ok(Outcome::Clean);
    }
    let cli = match cli::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return Ok(usage_error(&e)),
    };
    par::within(|| commands::dispatch(cli, now))
}

/// Help goes to standard output (exit 0); a usage error, in Chinese, to standard error (exit 2).
fn usage_error(e: &clap::Error) -> Outcome {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp => {
            print!("{}", cli_zh::help_text(&e.render().to_string()));
            Outcome::Clean
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprint!("{}", cli_zh::help_text(&e.render().to_string()));
            Outcome::Usage
        }
        _ => {
            eprint!("{}", cli_zh::error_text(e));
            Outcome::Usage
        }
    }
}

/// True when the error is a closed pipe (`tracker status | head`): not a failure. serde_json and
/// csv wrap the io error in their own types, so those are looked into too.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || e.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(BrokenPipe))
            || e.downcast_ref::<csv::Error>()
                .is_some_and(|c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe))
    })
}
