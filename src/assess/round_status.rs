//! A whole round: every task judged, every expected unit's submission, totals per chapter.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::received::ReceivedTimes;
use super::submissions::{RoundFiles, Submission, UnitSubmission, submissions};
use super::{Assessment, Detail, ReportIndex, RoundReports, TaskStatus, judge};
use crate::labels::Counts;
use crate::model::Workspace;
use crate::model::{Report, Round, Task};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    pub tasks: usize,
    /// Tasks per assessment key (every key present, zeros included).
    pub assessments: Counts<Assessment>,
    /// Expected units per submission.
    pub submissions: Counts<Submission>,
    pub units_expected: usize,
    pub stale: usize,
    /// Lead rows left out of the judgement for errors.
    pub left_out: usize,
    /// The units those rows are of.
    pub left_out_units: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChapterSummary {
    pub number: u32,
    pub title: String,
    pub tasks: usize,
    pub assessments: Counts<Assessment>,
    /// Mean progress of the chapter's tasks that have one (valid rows only).
    #[serde(serialize_with = "crate::text::ser_round1_opt")]
    pub mean_progress: Option<f64>,
    /// Lead rows left out of the mean for errors.
    pub left_out: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundStatus {
    pub title: String,
    pub document: String,
    pub round: Round,
    pub due: DateTime<FixedOffset>,
    /// "原定 10-05（国庆节假期），顺延至 10-08" when a holiday moved the deadline.
    pub due_note: Option<String>,
    pub as_of: DateTime<FixedOffset>,
    /// Report files received for this round (as of `as_of`).
    pub reports_received: usize,
    /// The next round still open at `as_of`, when it is not this one, with its due time.
    pub next_round: Option<(Round, DateTime<FixedOffset>)>,
    /// The calendar's last round and its due time, when every round is past due at `as_of`.
    pub calendar_over: Option<(Round, DateTime<FixedOffset>)>,
    /// Minutes left before the due time, while this round is still open.
    pub minutes_left: Option<i64>,
    pub totals: Totals,
    pub chapters: Vec<ChapterSummary>,
    /// In id order ([`RoundStatus::task`] relies on it).
    pub tasks: Vec<TaskStatus>,
    pub units: Vec<UnitSubmission>,
    /// Extensions approved since the previous round's due time, up to this one's.
    pub extensions_granted: Vec<crate::model::Extension>,
}

/// What to keep when showing part of a round.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    pub unit: Option<String>,
    pub chapter: Option<u32>,
    pub assessment: Option<Assessment>,
}

pub fn consolidate(
    ws: &Workspace,
    round: Round,
    as_of: DateTime<FixedOffset>,
    times: &dyn ReceivedTimes,
    detail: Detail,
) -> RoundStatus {
    let index = ReportIndex::of(ws);
    consolidate_indexed(ws, &index, round, as_of, times, detail)
}

/// [`consolidate`] with the index built once by a caller judging many rounds.
pub(crate) fn consolidate_indexed(
    ws: &Workspace,
    index: &ReportIndex,
    round: Round,
    as_of: DateTime<FixedOffset>,
    times: &dyn ReceivedTimes,
    detail: Detail,
) -> RoundStatus {
    let due = ws.plan.due(round);
    let files = round_files(index, round, as_of, times);
    let reports = RoundReports::new(files.current.clone(), index, as_of < due);
    // The tasks in id order, then each judged alone, so on every core: sorting the judgements
    // instead took a buffer as big as they are.
    let mut by_id: Vec<&Task> = ws.tasks.iter().collect();
    by_id.sort_by_key(|t| t.id.value);
    let tasks: Vec<TaskStatus> = crate::par::map(&by_id, |t| judge(t, ws, &reports, round, detail));
    let units = submissions(ws, &files, index, times, round, as_of);
    let mut status = RoundStatus {
        title: ws.plan.title.clone(),
        document: ws.plan.document.clone(),
        round,
        due,
        due_note: ws.plan.due_note(round),
        as_of,
        reports_received: files.current.len(),
        next_round: {
            let next = ws.plan.next_due_round(as_of);
            (next != round && ws.plan.due(next) >= as_of).then(|| (next, ws.plan.due(next)))
        },
        calendar_over: {
            let (last, due) = (ws.plan.calendar.last, ws.plan.due(ws.plan.calendar.last));
            (due < as_of).then_some((last, due))
        },
        minutes_left: (as_of < due).then(|| (due - as_of).num_minutes()),
        totals: Totals::default(),
        chapters: Vec::new(),
        tasks,
        units,
        extensions_granted: granted(ws, round),
    };
    summarise(&mut status, ws);
    status
}

/// The round's submissions alone (what `tracker units` needs), without judging the tasks: the
/// same files and the same function as [`consolidate_indexed`].
pub(crate) fn round_submissions(
    ws: &Workspace,
    index: &ReportIndex,
    round: Round,
    as_of: DateTime<FixedOffset>,
    times: &dyn ReceivedTimes,
) -> Vec<UnitSubmission> {
    let files = round_files(index, round, as_of, times);
    submissions(ws, &files, index, times, round, as_of)
}

/// The extensions approved in the round's window: after the previous round's due day, up to this
/// round's due day (the first round: from the plan's start).
fn granted(ws: &Workspace, round: Round) -> Vec<crate::model::Extension> {
    let plan = ws.plan;
    let until = plan.nominal_due(round).date_naive();
    let after = (round > plan.calendar.first).then(|| plan.nominal_due(round.prev()).date_naive());
    ws.extensions
        .iter()
        .filter(|e| e.approved_on <= until && after.is_none_or(|a| e.approved_on > a))
        .cloned()
        .collect()
}

/// The round's files, and those that count as received at `as_of` (a file that arrived later, or
/// was never filled in, is not there yet).
pub(crate) fn round_files<'a>(
    index: &ReportIndex<'a>,
    round: Round,
    as_of: DateTime<FixedOffset>,
    times: &dyn ReceivedTimes,
) -> RoundFiles<'a> {
    let all: Vec<&Report> = index.round(round).to_vec();
    let current = all
        .iter()
        .copied()
        .filter(|r| times.received(r).counts_at(as_of))
        .collect();
    RoundFiles { all, current }
}

impl RoundStatus {
    /// The deadline as people read it: "2024-10-08 18:00（原定 10-05（国庆节假期），顺延至 10-08）".
    pub(crate) fn due_text(&self) -> String {
        due_text(self.due, self.due_note.as_deref())
    }
    /// Keeps the tasks and units the filter names, with totals and chapters recomputed.
    pub(crate) fn filtered(mut self, filter: &Filter, ws: &Workspace) -> RoundStatus {
        if let Some(uid) = &filter.unit {
            self.tasks.retain(|t| ws.assignments.role(uid, t.id).is_some());
            self.units.retain(|u| &u.id == uid);
        }
        if let Some(ch) = filter.chapter {
            self.tasks.retain(|t| t.chapter == ch);
        }
        if let Some(a) = filter.assessment {
            self.tasks.retain(|t| t.assessment == a);
        }
        summarise(&mut self, ws);
        self
    }
}

fn summarise(status: &mut RoundStatus, ws: &Workspace) {
    let count = |tasks: &[&TaskStatus]| Counts::of(tasks.iter().map(|t| t.assessment));
    let all: Vec<&TaskStatus> = status.tasks.iter().collect();
    status.totals = Totals {
        tasks: all.len(),
        assessments: count(&all),
        submissions: Counts::of(status.units.iter().map(|u| u.submission)),
        units_expected: status.units.len(),
        stale: all.iter().filter(|t| t.stale).count(),
        left_out: all.iter().map(|t| t.invalid_units.len()).sum(),
        left_out_units: all
            .iter()
            .flat_map(|t| t.invalid_units.iter().map(|u| u.unit.as_str()))
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
    };
    status.chapters = ws
        .plan
        .outline
        .iter()
        .filter_map(|ch| {
            let tasks: Vec<&TaskStatus> = status.tasks.iter().filter(|t| t.chapter == ch.number).collect();
            if tasks.is_empty() {
                return None;
            }
            let progresses: Vec<f64> = tasks.iter().filter_map(|t| t.progress).collect();
            Some(ChapterSummary {
                number: ch.number,
                title: ch.title.clone(),
                tasks: tasks.len(),
                assessments: count(&tasks),
                mean_progress: (!progresses.is_empty())
                    .then(|| progresses.iter().sum::<f64>() / progresses.len() as f64),
                left_out: tasks.iter().map(|t| t.invalid_units.len()).sum(),
            })
        })
        .collect();
}

/// A deadline with the reason it moved, if it did.
pub(crate) fn due_text(due: DateTime<FixedOffset>, note: Option<&str>) -> String {
    let when = due.format("%Y-%m-%d %H:%M").to_string();
    match note {
        Some(n) => format!("{when}（{n}）"),
        None => when,
    }
}
