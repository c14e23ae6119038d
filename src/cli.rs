//! The command tree. The `///` comments are the `--help` text.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// tracker — 重点任务清单的台账工具：导入清单、下发模板、校验报送、汇总研判、导出通报。
#[derive(Parser, Debug)]
#[command(name = "tracker", version, about, long_about = None)]
pub struct Cli {
    /// The repository root (the folder holding tracker.toml); default: found upward from here.
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// "Now", for reproducible output: 2024-08-05T18:00:00+08:00 or 2024-08-05 (end of that day).
    #[arg(long, global = true, env = "TRACKER_AS_OF", value_name = "TIME")]
    pub as_of: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check every file in the repository and report all problems at once.
    Check(CheckArgs),
    /// Import a task list (the text of the source document) into task files.
    Import(ImportArgs),
    /// The round at a glance: who reported, which tasks lag behind 序时进度.
    Status(StatusArgs),
    /// Everything about one task: targets, each unit's row, history across rounds.
    Show(ShowArgs),
    /// The unit × round compliance matrix: on time, late, missing, incomplete, invalid.
    Units(UnitsArgs),
    /// The monthly digest for leadership: every task and every unit's submission, CSV or XLSX.
    Digest(DigestArgs),
    /// A Markdown draft of the circular (通报) for the round.
    Circular(CircularArgs),
    /// Commit one unit's report for a round (checked first), for people who do not use git.
    Submit(SubmitArgs),
    /// Install or remove the pre-commit hook that refuses commits failing `tracker check`.
    #[command(subcommand)]
    Hook(HookCommand),
    /// Monthly progress reports: give a unit its template.
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Write reports/<round>/<unit-id>.csv: the unit's template for the round, last round's values filled in.
    New(ReportNewArgs),
}

#[derive(clap::Args, Debug)]
pub struct ReportNewArgs {
    /// The unit: its id (jtj), name (市交通运输局) or any alias.
    #[arg(long)]
    pub unit: String,
    /// The round, YYYY-MM; default: the next one due after --as-of.
    #[arg(long)]
    pub round: Option<String>,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Treat warnings as errors (exit 1 when there are any).
    #[arg(long)]
    pub strict: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
    pub format: DiagFormat,
    /// List the rules and exit.
    #[arg(long)]
    pub list: bool,
    /// Only these rules (names as shown by --list).
    #[arg(value_name = "RULE")]
    pub rules: Vec<String>,
    /// Check what is staged for the next commit (the index), not the working tree.
    #[arg(long)]
    pub staged: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiagFormat {
    Text,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The source document as text (tab-separated table rows, as extracted from the PDF).
    pub seed: PathBuf,
    /// Where to write tasks/ (and tracker.toml when absent); default: the repository root.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The corrections file; default: the seed's name with `.corrections.toml`.
    #[arg(long, value_name = "FILE")]
    pub corrections: Option<PathBuf>,
    /// The unit registry used to resolve names; default: units.toml in the output folder.
    #[arg(long, value_name = "FILE")]
    pub units: Option<PathBuf>,
    /// Replace existing task files.
    #[arg(long)]
    pub force: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Csv,
    Json,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum TableStyleArg {
    Utf8,
    Ascii,
}

#[derive(clap::Args, Debug)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Table width in columns (default: the terminal's; no wrapping when piped).
    #[arg(long)]
    pub width: Option<u16>,
    /// Box-drawing characters, or ASCII for terminals that draw them double-width.
    #[arg(long, value_enum, default_value_t = TableStyleArg::Utf8)]
    pub style: TableStyleArg,
}

#[derive(clap::Args, Debug)]
pub struct StatusArgs {
    /// The round, YYYY-MM; default: the latest due at --as-of.
    #[arg(long)]
    pub round: Option<String>,
    /// Only the tasks this unit leads or cooperates on (id, name or alias).
    #[arg(long)]
    pub unit: Option<String>,
    /// Only this chapter (1–8).
    #[arg(long)]
    pub chapter: Option<u32>,
    /// Only tasks with this assessment: done, ahead, on_pace, behind_yellow, behind_red, blocked, not_started, missing.
    #[arg(long)]
    pub assessment: Option<String>,
    /// List every task, not only those needing attention.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// The task number (序号).
    pub task: u32,
    /// The round, YYYY-MM; default: the latest due at --as-of.
    #[arg(long)]
    pub round: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(clap::Args, Debug)]
pub struct UnitsArgs {
    /// The last round of the matrix, YYYY-MM; default: the latest due at --as-of.
    #[arg(long)]
    pub round: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum DigestFormat {
    Csv,
    Xlsx,
}

#[derive(clap::Args, Debug)]
pub struct DigestArgs {
    /// The round, YYYY-MM; default: the latest due at --as-of.
    #[arg(long)]
    pub round: Option<String>,
    /// CSV (two files: <round>.csv and <round>-units.csv) or one XLSX workbook with two sheets.
    #[arg(long, value_enum, default_value_t = DigestFormat::Csv)]
    pub format: DigestFormat,
    /// Where to write; `-` for standard output. Default: reports/digests/<round>.csv (or .xlsx).
    #[arg(long, short)]
    pub output: Option<std::path::PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct CircularArgs {
    /// The round, YYYY-MM; default: the latest due at --as-of.
    #[arg(long)]
    pub round: Option<String>,
    /// Where to write; `-` (the default) for standard output.
    #[arg(long, short)]
    pub output: Option<std::path::PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct SubmitArgs {
    /// The unit: its id, name or any alias.
    #[arg(long)]
    pub unit: String,
    /// The round, YYYY-MM; default: the latest round whose file for this unit is not yet committed.
    #[arg(long)]
    pub round: Option<String>,
    /// Also push to the configured remote.
    #[arg(long)]
    pub push: bool,
}

#[derive(Subcommand, Debug)]
pub enum HookCommand {
    /// Install the pre-commit hook (never replaces another hook; --chain runs it first).
    Install {
        /// Keep an existing pre-commit hook and run it before tracker's.
        #[arg(long)]
        chain: bool,
    },
    /// Remove the hook tracker installed (restoring a chained one).
    Uninstall,
}
