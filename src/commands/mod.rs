//! One thin file per subcommand: load -> check/assess -> render.

mod check;
mod circular;
mod digest;
mod docs;
mod escalations;
mod hook;
mod hook_files;
mod import;
mod remind;
mod report;
mod report_import;
mod server_hook;
mod show;
mod status;
mod submit;
mod units;
mod year;

use std::io::IsTerminal;

use anyhow::Result;
use chrono::{DateTime, Utc};

pub use docs::version_text;

use crate::Outcome;
pub(crate) use crate::app::Context;
use crate::app::{parse_round, resolve_unit, workspace};
use crate::cli::{Cli, Command};

pub fn dispatch(cli: Cli, now: DateTime<Utc>) -> Result<Outcome> {
    let terminal = std::io::stdout().is_terminal();
    // auto: anstream's reading of the terminal and of NO_COLOR, CLICOLOR and CLICOLOR_FORCE.
    let color = match cli.color {
        crate::cli::ColorArg::Always => true,
        crate::cli::ColorArg::Never => false,
        crate::cli::ColorArg::Auto => anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never,
    };
    let ctx = Context {
        root: cli.root,
        as_of: cli.as_of,
        now,
        color,
        terminal,
    };
    match cli.command {
        Command::Check(args) => check::run(&ctx, &args),
        Command::Import(args) => import::run(&ctx, &args),
        Command::Report(crate::cli::ReportCommand::New(args)) => report::new(&ctx, &args),
        Command::Report(crate::cli::ReportCommand::Import(args)) => report_import::run(&ctx, &args).map(|(o, _)| o),
        Command::Status(args) => status::run(&ctx, &args),
        Command::Remind(args) => remind::run(&ctx, &args),
        Command::Escalations(args) => escalations::run(&ctx, &args),
        Command::Year(args) => year::run(&ctx, &args),
        Command::Submit(args) => submit::run(&ctx, &args),
        Command::Hook(cmd) => hook::run(&ctx, &cmd),
        Command::Digest(args) => digest::run(&ctx, &args),
        Command::Circular(args) => circular::run(&ctx, &args),
        Command::Show(args) => show::run(&ctx, &args),
        Command::Units(args) => units::run(&ctx, &args),
        Command::Completions(args) => docs::completions(&ctx, &args),
        Command::Man => docs::man(),
        Command::Help { command } => docs::help(&command),
    }
}

impl Context {
    pub fn table_opts(&self, output: &crate::cli::TableArgs) -> crate::render::table::TableOpts {
        crate::render::table::TableOpts {
            // A pipe gets the full width; a terminal its own.
            width: output
                .width
                .or_else(|| self.terminal.then(|| comfy_table::Table::new().width()).flatten()),
            ascii: output.style == crate::cli::TableStyleArg::Ascii,
            color: self.color,
        }
    }
}

/// Standard output for a table: lines wider than the table width are wrapped (a pipe without
/// `--width` gets everything as it is).
/// Standard output, buffered: it is line-buffered on its own, and a province's JSON has hundreds
/// of thousands of lines. Callers flush it before they return, so a write error is not lost.
pub fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock())
}

pub fn fitted<'a>(out: &'a mut dyn std::io::Write, width: Option<u16>) -> Box<dyn std::io::Write + 'a> {
    match width {
        Some(w) => Box::new(crate::render::fit::LineWrap::new(out, w)),
        None => Box::new(out),
    }
}
