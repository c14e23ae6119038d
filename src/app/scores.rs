//! The 督查考评 scores of a prepared repository: every round up to the last one counted judged as
//! every output judges it, each deduction traced to the commit of the file it comes from.

use std::path::Path;

use chrono::{DateTime, FixedOffset};

use crate::assess::score::{self, Scores};
use crate::assess::{Detail, ReceivedTimes};
use crate::diagnostic::{Diagnostic, Rule};
use crate::ledger::history::{self, Ledger};
use crate::model::scoring::Appeal;
use crate::model::{Round, Workspace};

use super::Prepared;

/// The scores over `counted` (rounds in calendar order), or None without `[scoring]`.
pub(crate) fn compute(p: &Prepared, counted: &[Round]) -> Option<Scores> {
    let ws = p.workspace();
    let read;
    let ledger = match &p.ledger {
        Some(l) => Some(l),
        None => {
            read = history::read(ws.root).ok();
            read.as_ref()
        }
    };
    compute_in(&ws, (p.as_of, &p.times), (&p.valid.loaded.appeals, ledger), counted)
}

fn compute_in(
    ws: &Workspace,
    (as_of, times): (DateTime<FixedOffset>, &dyn ReceivedTimes),
    (appeals, ledger): (&[Appeal], Option<&Ledger>),
    counted: &[Round],
) -> Option<Scores> {
    let scoring = ws.plan.scoring.as_ref()?;
    let last = counted.iter().max().copied()?;
    let judged: Vec<_> = ws
        .plan
        .rounds()
        .into_iter()
        .filter(|r| *r <= last)
        .map(|r| crate::assess::consolidate(ws, r, as_of, times, Detail::Rows))
        .collect();
    let now = as_of.timestamp();
    let commit_of = |file: &str, at: Option<i64>| commit_of(ledger?, file, at.unwrap_or(now));
    Some(score::scores(ws, (scoring, appeals), &judged, counted, &commit_of))
}

/// The short commit of the version of `file` read at `at`: the last to arrive by then.
fn commit_of(ledger: &Ledger, file: &str, at: i64) -> Option<String> {
    let versions = ledger.files.get(file)?;
    let v = versions.iter().rev().find(|v| v.stamp() <= at).or(versions.first())?;
    Some(v.commit.chars().take(8).collect())
}

/// The rounds a year's score adds up: every round due by "now" (at least the one shown).
pub(crate) fn year_rounds(p: &Prepared) -> Vec<Round> {
    due_rounds(p.workspace().plan, p.as_of, p.round)
}

fn due_rounds(plan: &crate::model::Plan, as_of: DateTime<FixedOffset>, fallback: Round) -> Vec<Round> {
    let mut rounds: Vec<Round> = plan.rounds().into_iter().filter(|r| plan.due(*r) <= as_of).collect();
    if rounds.is_empty() {
        rounds.push(fallback);
    }
    rounds
}

/// For `check`: each appeal in `appeals.toml` that matches no deduction of the year so far, read
/// in full (every round, the checks applied) apart from what `check` itself loaded.
pub(crate) fn unmatched_appeals(root: &Path, as_of: DateTime<FixedOffset>) -> Vec<Diagnostic> {
    let Ok(mut loaded) = crate::load::load(root) else {
        return Vec::new();
    };
    if loaded.appeals.is_empty() || loaded.plan.as_ref().is_none_or(|p| p.scoring.is_none()) {
        return Vec::new();
    }
    crate::check::flaw_reports(&mut loaded, as_of);
    super::schedules::settle(&mut loaded, as_of);
    let Ok(valid) = super::valid::Valid::new(loaded) else {
        return Vec::new();
    };
    let ws = valid.workspace();
    let ledger = history::read(root);
    let (times, _) = super::choose_times(&ws, as_of, || ledger.as_ref().map_err(Clone::clone));
    let rounds = due_rounds(ws.plan, as_of, ws.plan.calendar.first);
    let appeals = (&valid.loaded.appeals[..], ledger.as_ref().ok());
    let Some(scores) = compute_in(&ws, (as_of, &times), appeals, &rounds) else {
        return Vec::new();
    };
    scores
        .unmatched_appeals
        .iter()
        .map(|line| {
            Diagnostic::new(Rule::Appeal, crate::load::APPEALS_FILE, "这条申诉对不上任何一项扣分")
                .at(*line, 1)
                .hint("单位、轮次、事项（event）、任务编号须与 tracker score 列出的扣分一致；单位事项（迟报、漏报等）不写 task")
        })
        .collect()
}
