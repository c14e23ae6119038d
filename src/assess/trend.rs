//! Every round so far, judged: the history behind trends, escalations and the year-end account.

use chrono::{DateTime, FixedOffset};

use super::received::ReceivedTimes;
use super::round_status::{RoundStatus, consolidate_indexed};
use super::submissions::UnitSubmission;
use super::{Assessment, Detail, ReportIndex};
use crate::model::Round;
use crate::model::Workspace;

/// Rounds judged one after another: the last in full, and of every round (the last included) what
/// trends, 历次进度, escalations and the year-end account read. A province's 20,000 tasks judged
/// in full for each of twelve rounds held hundreds of megabytes that nothing read again.
pub(crate) struct History {
    pub rounds: Vec<PastRound>,
    pub last: RoundStatus,
}

/// What a history keeps of a round.
pub(crate) struct PastRound {
    pub round: Round,
    pub units: Vec<UnitSubmission>,
    /// In id order ([`PastRound::task`] relies on it).
    tasks: Vec<PastTask>,
}

/// What a history keeps of a task's judgement in a round.
pub(crate) struct PastTask {
    pub id: u32,
    pub assessment: Assessment,
    pub progress: Option<f64>,
    pub expected: f64,
    pub basis: super::Basis,
}

impl PastRound {
    fn of(s: &RoundStatus) -> PastRound {
        let tasks = s.tasks.iter().map(|t| PastTask {
            id: t.id,
            assessment: t.assessment,
            progress: t.progress,
            expected: t.expected,
            basis: t.basis,
        });
        PastRound {
            round: s.round,
            units: s.units.clone(),
            tasks: tasks.collect(),
        }
    }

    pub(crate) fn task(&self, id: u32) -> Option<&PastTask> {
        self.tasks
            .binary_search_by_key(&id, |t| t.id)
            .ok()
            .map(|i| &self.tasks[i])
    }
}

/// The calendar's rounds up to `last` that are due by `as_of` (at least the first), judged.
pub(crate) fn history(ws: &Workspace, last: Round, as_of: DateTime<FixedOffset>, times: &dyn ReceivedTimes) -> History {
    judge_rounds(ws, &due_through(ws, last, as_of), as_of, times)
}

/// The rounds due by `as_of` before `shown`, then `shown` itself even if it is not yet due: what a
/// trend or a digest of `shown` covers. Its last round is `shown`.
pub(crate) fn history_through(
    ws: &Workspace,
    shown: Round,
    as_of: DateTime<FixedOffset>,
    times: &dyn ReceivedTimes,
) -> History {
    let mut rounds = due_through(ws, shown, as_of);
    rounds.retain(|r| *r < shown);
    rounds.push(shown);
    judge_rounds(ws, &rounds, as_of, times)
}

/// The calendar's rounds up to `last` that are due by `as_of`, or the first round when none is.
fn due_through(ws: &Workspace, last: Round, as_of: DateTime<FixedOffset>) -> Vec<Round> {
    let mut rounds = due_rounds(ws, as_of, |r| r <= last);
    if rounds.is_empty() {
        rounds.push(ws.plan.calendar.first);
    }
    rounds
}

/// The calendar's rounds due by `as_of` that `keep` accepts.
fn due_rounds(ws: &Workspace, as_of: DateTime<FixedOffset>, keep: impl Fn(Round) -> bool) -> Vec<Round> {
    let plan = ws.plan;
    plan.rounds()
        .into_iter()
        .filter(|r| keep(*r) && plan.due(*r) <= as_of)
        .collect()
}

/// Each round judged (at least one), with the report index built once; each but the last is
/// kept only as its [`PastRound`].
fn judge_rounds(ws: &Workspace, rounds: &[Round], as_of: DateTime<FixedOffset>, times: &dyn ReceivedTimes) -> History {
    let index = ReportIndex::of(ws);
    let (&shown, before) = rounds.split_last().expect("a history has at least one round");
    let mut past: Vec<PastRound> = before
        .iter()
        .map(|&r| PastRound::of(&consolidate_indexed(ws, &index, r, as_of, times, Detail::Rows)))
        .collect();
    let last = consolidate_indexed(ws, &index, shown, as_of, times, Detail::Rows);
    past.push(PastRound::of(&last));
    History { rounds: past, last }
}

/// A task's progress in each round of `rounds` (None: no valid lead row that round).
pub(crate) fn progress_series(rounds: &[PastRound], task: u32) -> Vec<Option<f64>> {
    rounds.iter().map(|s| s.task(task).and_then(|t| t.progress)).collect()
}

/// The task's expected progress round by round (its leads' plans where they filed them), with
/// whether any round's came from a plan.
pub(crate) fn expected_series(rounds: &[PastRound], task: u32) -> (Vec<Option<f64>>, bool) {
    let found: Vec<_> = rounds.iter().map(|s| s.task(task)).collect();
    let planned = found.iter().flatten().any(|t| t.basis == super::Basis::Plan);
    (found.iter().map(|t| t.map(|t| t.expected)).collect(), planned)
}

/// ▁▂▃▄▅▆▇█ for 0–100 (a space for no value), or the numbers for `--style ascii`.
pub(crate) fn sparkline(series: &[Option<f64>], ascii: bool) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    if ascii {
        return series
            .iter()
            .map(|p| p.map_or("-".to_string(), crate::text::fmt_pct))
            .collect::<Vec<_>>()
            .join(" ");
    }
    series
        .iter()
        .map(|p| p.map_or(' ', |v| BARS[((v.clamp(0.0, 100.0) / 100.0) * 7.0).round() as usize]))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sparklines() {
        assert_eq!(
            super::sparkline(&[Some(0.0), Some(50.0), None, Some(100.0)], false),
            "▁▅ █"
        );
        assert_eq!(super::sparkline(&[Some(40.0), None, Some(55.5)], true), "40 - 55.5");
    }
}
