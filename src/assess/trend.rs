//! Every round so far, judged: the history behind trends, escalations and the year-end account.

use chrono::{DateTime, FixedOffset};

use super::received::ReceivedTimes;
use super::round_status::{RoundStatus, consolidate_indexed};
use super::tasks::ReportIndex;
use crate::load::Workspace;
use crate::model::Round;

/// The calendar's rounds up to `last` that are due by `as_of` (at least the first), judged.
pub fn history(
    ws: &Workspace,
    last: Round,
    as_of: DateTime<FixedOffset>,
    times: &dyn ReceivedTimes,
) -> Vec<RoundStatus> {
    judge_rounds(ws, &due_through(ws, last, as_of), as_of, times)
}

/// The rounds due by `as_of` before `shown`, then `shown` itself even if it is not yet due: what a
/// trend or a digest of `shown` covers. The last entry is `shown`'s status.
pub fn history_through(
    ws: &Workspace,
    shown: Round,
    as_of: DateTime<FixedOffset>,
    times: &dyn ReceivedTimes,
) -> Vec<RoundStatus> {
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

/// Each round judged, with the report index and assignments built once.
fn judge_rounds(
    ws: &Workspace,
    rounds: &[Round],
    as_of: DateTime<FixedOffset>,
    times: &dyn ReceivedTimes,
) -> Vec<RoundStatus> {
    let index = ReportIndex::of(ws);
    rounds
        .iter()
        .map(|&r| consolidate_indexed(ws, &index, r, as_of, times))
        .collect()
}

/// A task's progress in each round of `history` (None: no valid lead row that round).
pub fn progress_series(history: &[RoundStatus], task: u32) -> Vec<Option<f64>> {
    history.iter().map(|s| s.task(task).and_then(|t| t.progress)).collect()
}

/// ▁▂▃▄▅▆▇█ for 0–100 (a space for no value), or the numbers for `--style ascii`.
pub fn sparkline(series: &[Option<f64>], ascii: bool) -> String {
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
