//! Across rounds: one task's judgement per round, and each unit's submission per round.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::received::ReceivedTimes;
use super::round_status::{round_files, round_submissions};
use super::submissions::{Submission, UnitSubmission};
use super::{Detail, ReportIndex, RoundReports, TaskStatus, judge};
use crate::model::Workspace;
use crate::model::{Round, Task};

/// One task judged in each of `rounds`.
pub(crate) fn task_history(
    ws: &Workspace,
    task: &Task,
    rounds: &[Round],
    as_of: DateTime<FixedOffset>,
    times: &dyn ReceivedTimes,
) -> Vec<(Round, TaskStatus)> {
    let index = ReportIndex::of(ws);
    rounds
        .iter()
        .map(|&round| {
            let current = round_files(&index, round, as_of, times).current;
            let reports = RoundReports::new(current, &index, as_of < ws.plan.due(round));
            (round, judge(task, ws, &reports, round, Detail::Rows))
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct UnitRecord {
    pub id: String,
    pub name: String,
    pub liaison: String,
    pub phone: String,
    pub missing: usize,
    pub late: usize,
    /// Incomplete or invalid submissions.
    pub flawed: usize,
    pub rounds: Vec<UnitSubmission>,
    /// 推进计划: 「已报」 or 「未报」, once plans are due (`[plans] due`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<&'static str>,
    /// 督查考评: the score over the rounds shown, with `[scoring]`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::text::ser_round2_opt"
    )]
    pub score: Option<f64>,
}

/// The unit × round matrix, ranked: most missing first, then most late, then most flawed.
pub(crate) fn compliance(
    ws: &Workspace,
    rounds: &[Round],
    as_of: DateTime<FixedOffset>,
    times: &dyn ReceivedTimes,
) -> Vec<UnitRecord> {
    let index = ReportIndex::of(ws);
    let per_round: Vec<Vec<UnitSubmission>> = rounds
        .iter()
        .map(|&r| round_submissions(ws, &index, r, as_of, times))
        .collect();
    // Each round's submissions by unit id, so gathering a unit's rounds is not a scan per unit.
    let by_id: Vec<std::collections::HashMap<&str, &UnitSubmission>> = per_round
        .iter()
        .map(|subs| subs.iter().map(|s| (s.id.as_str(), s)).collect())
        .collect();
    let mut records: Vec<UnitRecord> = per_round
        .first()
        .map(|first| {
            first
                .iter()
                .map(|u| {
                    let rounds: Vec<UnitSubmission> = by_id
                        .iter()
                        .filter_map(|subs| subs.get(u.id.as_str()).map(|s| (*s).clone()))
                        .collect();
                    let count = |f: &dyn Fn(&UnitSubmission) -> bool| rounds.iter().filter(|s| f(s)).count();
                    // The latest round knows the liaison best (units.toml, else the latest report).
                    let latest = rounds.last().unwrap_or(u);
                    UnitRecord {
                        id: u.id.clone(),
                        name: u.name.clone(),
                        liaison: latest.liaison.clone(),
                        phone: latest.phone.clone(),
                        missing: count(&|s| s.submission == Submission::Missing),
                        late: count(&UnitSubmission::is_late),
                        flawed: count(&|s| matches!(s.submission, Submission::Incomplete | Submission::Invalid)),
                        rounds,
                        plan: None,
                        score: None,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    // Most missed, late, flawed first; ties keep units.toml's order (a stable sort), which reads as
    // the office's own list rather than an order of ids.
    records.sort_by_key(|r| std::cmp::Reverse((r.missing, r.late, r.flawed)));
    records
}
