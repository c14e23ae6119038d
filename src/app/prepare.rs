//! What every round command does first: load, check, pick the round and "now", and choose where
//! received times come from (the git ledger, or the declared dates), saying so when it falls back.

use std::collections::BTreeMap;
use std::io::Write;
use std::mem::ManuallyDrop;
use std::path::Path;

use anyhow::Result;
use chrono::{DateTime, FixedOffset, TimeZone};

use super::basis::Basis;
use super::valid::Valid;
use super::{Context, in_calendar};
use crate::assess::corrections::{Correction, Publication, Record};
use crate::assess::{self, Detail, Received, ReceivedTimes, ReportIndex, RoundStatus, SubmissionJudge};
use crate::ledger;
use crate::model::{DataVersion, Plan, ReceivedFrom, Round, Workspace};

/// Each report file's received time, from the source chosen for this run.
pub(crate) type Times = BTreeMap<String, Received>;

pub(crate) struct Prepared {
    /// Never freed: the process ends after the command, and handing back hundreds of thousands of
    /// small allocations one by one costs more than the system reclaiming the pages at exit.
    pub valid: ManuallyDrop<Valid>,
    pub as_of: DateTime<FixedOffset>,
    pub round: Round,
    pub times: Times,
    pub version: DataVersion,
    /// The publication the outputs show, and what changed since it (or since the deadline).
    pub record: Record,
    /// The git ledger read for the received times, when it was: what else needs the history
    /// (the commit each deduction comes from) reads it here rather than running git again.
    pub ledger: Option<ledger::Ledger>,
}

impl Prepared {
    pub(crate) fn workspace(&self) -> Workspace<'_> {
        self.valid.workspace()
    }

    pub(crate) fn consolidate(&self, round: Round, detail: Detail) -> RoundStatus {
        assess::consolidate(&self.workspace(), round, self.as_of, &self.times, detail)
    }

    /// The calendar's rounds up to and including the chosen one.
    pub(crate) fn rounds_so_far(&self) -> Vec<Round> {
        self.workspace()
            .plan
            .rounds()
            .into_iter()
            .filter(|r| *r <= self.round)
            .collect()
    }
}

/// Which reports a command reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Every round's reports in full: for commands that look across rounds.
    AllRounds,
    /// The chosen round's reports (and later ones), each unit's latest before it, and of older
    /// ones what judging reads (see [`super::by_round`]): memory stays near two rounds'
    /// worth however long the year. `TRACKER_ALL_ROUNDS=1` reads every round instead, so that the
    /// tests can compare the two.
    OneRound,
}

/// `TRACKER_ALL_ROUNDS=1`: commands that read round by round (`check` too) read every round at
/// once instead, so that the tests can compare the two.
pub(crate) fn reads_every_round() -> bool {
    std::env::var_os("TRACKER_ALL_ROUNDS").is_some_and(|v| v == "1")
}

/// How a command picks its round from the one asked for (if any) and "now".
pub(crate) type Choose = fn(&Plan, Option<Round>, DateTime<FixedOffset>) -> Round;

/// Prepares a command that reads every round, for the round asked or the latest due.
pub(crate) fn prepare(ctx: &Context, round: Option<Round>) -> Result<Prepared> {
    prepare_for(ctx, round, Reach::AllRounds, assess::pick_round)
}

pub(crate) fn prepare_for(ctx: &Context, round: Option<Round>, reach: Reach, choose: Choose) -> Result<Prepared> {
    let root = ctx.root()?;
    let wants_ledger = plan_wants_git(&root);
    // git runs while the files load: on a province its log takes as long as the loading.
    let git = Git::start(&root, wants_ledger);
    let mut loaded = crate::load::load_plan(&root)?;
    let (as_of, round) = {
        let ws = super::workspace(&loaded)?;
        let as_of = ctx.as_of(ws.plan)?;
        let asked = round.map(|r| in_calendar(ws.plan, r)).transpose()?;
        (as_of, choose(ws.plan, asked, as_of))
    };
    super::schedules::settle(&mut loaded, as_of);
    let (git, basis) = pin_reports(ctx, &root, (wants_ledger, git), &mut loaded, (round, as_of));
    read_reports(&mut loaded, reach, as_of, round)?;
    let mut stderr_lock = std::io::stderr().lock();
    let mut stderr = notices_to(&mut stderr_lock);
    let flawed = loaded.reports.iter().filter(|r| r.has_errors()).count() + loaded.carried.flawed;
    if flawed > 0 {
        writeln!(
            stderr,
            "注意：{flawed} 个报送文件有错误，有错误的行不计入研判，其单位计为“有错误”；运行 tracker check 查看。"
        )?;
    }
    let (read_ahead, version) = git.finish();
    let ledger = wants_ledger.then(|| read_ahead.unwrap_or_else(|| ledger::history::read(&root)));
    let valid = Valid::new(loaded)?;
    let (times, notices) = choose_times(&valid.workspace(), as_of, || match &ledger {
        Some(l) => l.as_ref().map_err(Clone::clone),
        None => Err(ledger::Unavailable::NotARepository),
    });
    for n in basis.notices.iter().chain(&notices) {
        writeln!(stderr, "注意：{n}")?;
    }
    let read = ledger.as_ref().and_then(|l| l.as_ref().ok());
    let record = record(&root, &valid, basis, read, (round, as_of));
    Ok(Prepared {
        valid: ManuallyDrop::new(valid),
        as_of,
        round,
        times,
        version,
        record,
        ledger: ledger.and_then(Result::ok),
    })
}

/// The round as published, or as received by `--as-of`: then the reports are read as of a commit,
/// which the ledger names, so git's answer is waited for before they load. Published rounds up to
/// this one are shown as published, this one and the history alike.
fn pin_reports(
    ctx: &Context,
    root: &Path,
    (wants_ledger, git): (bool, Git),
    loaded: &mut crate::load::Loaded,
    (round, as_of): (Round, DateTime<FixedOffset>),
) -> (Git, Basis) {
    let replay = wants_ledger && ctx.as_of.is_some() && ledger::pins::head_after(root, as_of.timestamp());
    let mut publications = if ctx.latest {
        BTreeMap::new()
    } else {
        ledger::published::all(root)
    };
    publications.retain(|r, _| *r <= round);
    if !replay && publications.is_empty() {
        return (git, Basis::default());
    }
    let (ledger, version) = git.finish();
    let mut ledger = ledger.unwrap_or_else(|| ledger::history::read(root));
    let mut basis = Basis::default();
    if let Ok(l) = &mut ledger {
        basis = super::basis::choose(root, l, publications, (round, as_of), replay).unwrap_or_else(|e| Basis {
            notices: vec![ledger::Unavailable::Failed(e).warning()],
            ..Basis::default()
        });
        loaded.pinned = basis.pinned.clone();
    }
    let version = basis.version.clone().unwrap_or(version);
    (Git::Read(Some(ledger), version), basis)
}

/// What the outputs say of the round's record: the publication shown, and the changes since it
/// (or since the deadline).
fn record(
    root: &Path,
    valid: &Valid,
    basis: Basis,
    ledger: Option<&ledger::Ledger>,
    (round, as_of): (Round, DateTime<FixedOffset>),
) -> Record {
    let tz = valid.workspace().plan.timezone;
    Record {
        corrections: corrections(root, valid, &basis, ledger, (round, as_of)),
        published: basis.published.and_then(|(commit, at)| {
            let at = tz.timestamp_opt(at, 0).single()?;
            Some(Publication { commit, at })
        }),
    }
}

/// Standard error for notices: wrapped to the terminal's width when it is one, like the tables.
fn notices_to<'a>(stderr: &'a mut std::io::StderrLock<'static>) -> Box<dyn Write + 'a> {
    use std::io::IsTerminal;
    let width = std::io::stderr()
        .is_terminal()
        .then(|| comfy_table::Table::new().width())
        .flatten();
    match width {
        Some(w) => Box::new(crate::render::terminal::fit::LineWrap::new(stderr, w)),
        None => Box::new(stderr),
    }
}

type GitAnswer = (Option<Result<ledger::Ledger, ledger::Unavailable>>, DataVersion);

/// git's answer: still being read beside the files, or read.
enum Git {
    Running(std::thread::JoinHandle<GitAnswer>),
    Read(Option<Result<ledger::Ledger, ledger::Unavailable>>, DataVersion),
}

impl Git {
    /// The ledger (when the plan takes times from git) and the data version, read on a thread.
    fn start(root: &Path, wants_ledger: bool) -> Git {
        let root = root.to_path_buf();
        Git::Running(std::thread::spawn(move || {
            if wants_ledger {
                let (ledger, version) = ledger::history::read_with_version(&root);
                (Some(ledger), version)
            } else {
                (None, ledger::data_version(&root))
            }
        }))
    }

    fn finish(self) -> GitAnswer {
        match self {
            Git::Running(thread) => crate::par::joined(thread.join()),
            Git::Read(ledger, version) => (ledger, version),
        }
    }
}

/// Reads the reports a command needs (see [`Reach`]), with their flaws.
fn read_reports(
    loaded: &mut crate::load::Loaded,
    reach: Reach,
    as_of: DateTime<FixedOffset>,
    round: Round,
) -> Result<()> {
    // The files' text is kept only to quote it in diagnostics, which round commands do not print:
    // freed as soon as nothing reads it, its memory serves the reports and the judging instead of
    // fresh pages. The task rules of a full check read which task files there are.
    if reach == Reach::AllRounds || reads_every_round() {
        crate::load::load_reports(loaded)?;
        crate::check::flaw_reports(loaded, as_of);
        loaded.sources.clear();
    } else {
        // A province's task files are 6.5 MB of text, held through the reading of every round.
        loaded.sources.clear();
        super::by_round::load(loaded, as_of, round)?;
    }
    Ok(())
}

/// What changed in the round since it was published, or (not published) since its deadline.
fn corrections(
    root: &Path,
    valid: &Valid,
    basis: &Basis,
    ledger: Option<&ledger::Ledger>,
    (round, as_of): (Round, DateTime<FixedOffset>),
) -> Vec<Correction> {
    let ws = valid.workspace();
    if basis.published.is_some() {
        return super::basis::since_publication(root, ws.plan, basis, ws.reports, round);
    }
    match ledger {
        Some(l) if as_of > ws.plan.due(round) => super::basis::since_deadline(root, ws.plan, l, ws.reports, round),
        _ => Vec::new(),
    }
}

/// Whether the plan takes received times from git: the plan file read ahead of the full load, so
/// that git can start at once. A plan that does not parse says no (the load reports why).
fn plan_wants_git(root: &Path) -> bool {
    let Ok(Ok(src)) = crate::load::read_text(root, crate::load::PLAN_FILE) else {
        return false;
    };
    crate::load::parse_plan(&src).is_ok_and(|plan| plan.calendar.received_from != ReceivedFrom::Declared)
}

/// The git ledger when the plan asks for it and it can be read; otherwise the declared dates.
/// `ws`'s reports have been through `check::run`, so they carry their flaws; `read_ledger` reads
/// (or has read) the repository's history.
pub(crate) fn choose_times<L: std::borrow::Borrow<ledger::Ledger>>(
    ws: &Workspace,
    as_of: DateTime<FixedOffset>,
    read_ledger: impl FnOnce() -> Result<L, ledger::Unavailable>,
) -> (Times, Vec<String>) {
    let index = ReportIndex::new(ws.reports);
    let declared = || {
        SubmissionJudge {
            plan: ws.plan,
            assignments: ws.assignments,
            index: &index,
        }
        .declared(ws.reports, as_of)
    };
    if ws.plan.calendar.received_from == ReceivedFrom::Declared {
        return (declared(), Vec::new());
    }
    // Every report file found, retired ones included.
    let files = || ws.report_files().map(|(file, _, _)| file);
    let no_reports = files().next().is_none();
    let held = read_ledger();
    let ledger: &ledger::Ledger = match &held {
        Ok(l) => l.borrow(),
        Err(why) => {
            let notices = if no_reports { Vec::new() } else { vec![why.warning()] };
            return (declared(), notices);
        }
    };
    let mut notices = Vec::new();
    if ledger.shallow && !no_reports {
        notices.push(ledger::SHALLOW_WARNING.to_string());
    }
    let uncommitted = files().filter(|f| ledger.dirty.contains(*f)).count();
    if uncommitted > 0 {
        notices.push(format!(
            "{uncommitted} 个报送文件尚未提交或有未提交的修改，提交前不计为按时（时间来源显示为“未提交”）"
        ));
    }
    let versions = crate::check::VersionCheck::new(ws);
    let times = ledger::received_times(ws.root, ledger, ws.plan, ws.reports, as_of, &|r, bytes, at| {
        versions.accept(r, bytes, at)
    });
    match times {
        Ok(times) => (times.into_map(), notices),
        Err(said) => (declared(), vec![ledger::Unavailable::Failed(said).warning()]),
    }
}

impl ReceivedTimes for Prepared {
    fn received(&self, report: &crate::model::Report) -> Received {
        self.times.received(report)
    }
}
