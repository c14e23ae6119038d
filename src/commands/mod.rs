//! One thin file per subcommand: load -> check/assess -> render.

mod check;
mod circular;
mod digest;
mod docs;
mod escalations;
mod hook;
mod hook_files;
mod import;
mod output;
mod plan;
mod post_receive;
mod pre_receive;
mod publish;
mod remind;
mod report;
mod report_import;
mod score;
mod server_hook;
mod show;
mod status;
mod submit;
mod units;
mod year;

use std::io::IsTerminal;

use anyhow::Result;
use chrono::{DateTime, Utc};

pub(crate) use docs::version_text;
use output::stdout;

pub(crate) use crate::app::Context;
use crate::app::{in_calendar, resolve_unit, workspace};
use crate::cli::{Cli, Command};
use crate::outcome::Outcome;

pub(crate) fn dispatch(cli: Cli, now: DateTime<Utc>) -> Result<Outcome> {
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
        latest: cli.latest,
        now,
        color,
        terminal,
    };
    match cli.command {
        Command::Check(args) => check::run(&ctx, &args),
        Command::Import(args) => import::run(&ctx, &args),
        Command::Report(crate::cli::ReportCommand::New(args)) => report::new(&ctx, &args),
        Command::Report(crate::cli::ReportCommand::Import(args)) => report_import::run(&ctx, &args).map(|(o, _)| o),
        Command::Plan(crate::cli::PlanCommand::New(args)) => plan::new(&ctx, &args),
        Command::Plan(crate::cli::PlanCommand::Import(args)) => plan::import(&ctx, &args),
        Command::Score(args) => score::run(&ctx, &args),
        Command::Status(args) => status::run(&ctx, &args),
        Command::Remind(args) => remind::run(&ctx, &args),
        Command::Escalations(args) => escalations::run(&ctx, &args),
        Command::Year(args) => year::run(&ctx, &args),
        Command::Submit(args) => submit::run(&ctx, &args),
        Command::Publish(args) => publish::run(&ctx, &args),
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
