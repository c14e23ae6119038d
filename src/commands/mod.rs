//! One thin file per subcommand: load -> check/assess -> render.

mod check;
mod circular;
mod digest;
mod docs;
mod escalations;
mod hook;
mod hook_files;
mod import;
mod prepare;
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
use std::path::PathBuf;

use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

pub use docs::version_text;

use crate::Outcome;
use crate::cli::{Cli, Command};
use crate::load::Loaded;
use crate::model::Workspace;
use crate::model::{Plan, Round, Unit, UnitRef, Units};

/// What every command may need from the command line and the environment, read once here.
pub struct Context {
    pub terminal: bool,
    pub root: Option<PathBuf>,
    pub as_of: Option<String>,
    pub now: DateTime<Utc>,
    pub color: bool,
}

impl Context {
    pub fn root(&self) -> Result<PathBuf> {
        crate::load::root_from(self.root.as_deref())
    }
}

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
    /// "Now" in the plan's zone: `--as-of` (RFC 3339, a local date-time, or a date meaning the end
    /// of that day) or the clock reading `main` passed in.
    pub fn as_of(&self, plan: &Plan) -> Result<DateTime<FixedOffset>> {
        let Some(text) = self.as_of.as_deref() else {
            return Ok(self.now.with_timezone(&plan.timezone));
        };
        let local = |naive: NaiveDateTime| plan.timezone.from_local_datetime(&naive).single();
        DateTime::parse_from_rfc3339(text)
            .ok()
            .or_else(|| {
                NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
                    .ok()
                    .and_then(local)
            })
            .or_else(|| {
                NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
                    .ok()
                    .and_then(local)
            })
            .or_else(|| {
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| local(d.and_hms_opt(23, 59, 59)?))
            })
            .ok_or_else(|| anyhow!("--as-of「{text}」无法识别；写成 2024-08-05T18:00:00+08:00 或 2024-08-05"))
    }
}

/// The loaded repository, when its plan, units and tasks are usable; otherwise the advice to run check.
pub fn workspace(loaded: &Loaded) -> Result<Workspace<'_>> {
    let broken: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && !d.file.starts_with("reports/"))
        .map(|d| d.file.as_str())
        .collect();
    match loaded.workspace() {
        Some(ws) if broken.is_empty() => Ok(ws),
        _ => bail!(
            "计划、单位名录或任务文件有错误（{}）；先运行 tracker check 查看并修正",
            broken.join("、")
        ),
    }
}

/// A round given on the command line, which must be in the plan's calendar.
pub fn parse_round(plan: &Plan, text: &str) -> Result<Round> {
    let round: Round = text.parse().map_err(|e: String| anyhow!(e))?;
    if !plan.has_round(round) {
        bail!(
            "轮次 {round} 不在报送日历内（{} 至 {}）",
            plan.calendar.first,
            plan.calendar.last
        );
    }
    Ok(round)
}

/// `--unit`: an id, a name or an alias of one unit. A group or an unknown name is a usage error.
pub fn resolve_unit<'a>(units: &'a Units, wanted: &str) -> Result<&'a Unit> {
    match units.resolve(wanted) {
        Some(UnitRef::Unit(u)) => Ok(u),
        Some(UnitRef::Group(g)) => {
            let members: Vec<String> = g
                .members
                .iter()
                .filter_map(|m| units.unit_by_id(m))
                .map(|u| format!("{}（{}）", u.name, u.id))
                .collect();
            bail!(
                "「{}」是单位组，不是一个单位；请分别为成员单位操作：{}",
                g.name,
                members.join("、")
            )
        }
        None => {
            let close = crate::text::suggest(wanted, units.all_names(), 4);
            bail!(
                "找不到单位「{wanted}」{}；可用单位 id、全称或别名，见 units.toml",
                if close.is_empty() {
                    String::new()
                } else {
                    format!("（是否为 {}？）", close.join("、"))
                }
            )
        }
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
