//! A whole round: every task judged, every expected unit's submission, totals per chapter.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::received::ReceivedTimes;
use super::submissions::{Submission, UnitSubmission, submissions};
use super::tasks::{Assessment, ReportIndex, RoundReports, TaskStatus, judge};
use crate::load::Workspace;
use crate::model::{Assignments, Report, Round};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    pub tasks: usize,
    /// Tasks per assessment key (every key present, zeros included).
    pub assessments: BTreeMap<&'static str, usize>,
    /// Expected units per submission key.
    pub submissions: BTreeMap<&'static str, usize>,
    pub units_expected: usize,
    pub stale: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChapterSummary {
    pub number: u32,
    pub title: String,
    pub tasks: usize,
    pub assessments: BTreeMap<&'static str, usize>,
    /// Mean progress of the chapter's tasks that have one.
    pub mean_progress: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundStatus {
    pub title: String,
    pub document: String,
    pub round: Round,
    pub due: DateTime<FixedOffset>,
    pub as_of: DateTime<FixedOffset>,
    /// Report files received for this round (as of `as_of`).
    pub reports_received: usize,
    /// The next round still open at `as_of`, when it is not this one, with its due time.
    pub next_round: Option<(Round, DateTime<FixedOffset>)>,
    /// True when every round of the calendar is past due at `as_of`.
    pub calendar_over: bool,
    pub totals: Totals,
    pub chapters: Vec<ChapterSummary>,
    pub tasks: Vec<TaskStatus>,
    pub units: Vec<UnitSubmission>,
    /// The data's git commit, when the caller looked it up.
    pub version: Option<crate::ledger::DataVersion>,
}

/// What to keep when showing part of a round.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub unit: Option<String>,
    pub chapter: Option<u32>,
    pub assessment: Option<Assessment>,
}

pub fn consolidate(
    ws: &Workspace,
    round: Round,
    as_of: DateTime<FixedOffset>,
    invalid_files: &BTreeSet<String>,
    times: &dyn ReceivedTimes,
) -> RoundStatus {
    let index = ReportIndex::new(ws.reports);
    consolidate_indexed(
        ws,
        &index,
        &Assignments::new(ws.tasks, ws.units),
        round,
        as_of,
        invalid_files,
        times,
    )
}

/// [`consolidate`] with the index and assignments built once by a caller judging many rounds.
pub fn consolidate_indexed(
    ws: &Workspace,
    index: &ReportIndex,
    assignments: &Assignments,
    round: Round,
    as_of: DateTime<FixedOffset>,
    invalid_files: &BTreeSet<String>,
    times: &dyn ReceivedTimes,
) -> RoundStatus {
    // A file counts once it was received by `as_of`; a later arrival is not there yet.
    let received = |r: &&Report| times.received(r).at.is_none_or(|at| at <= as_of);
    let current: Vec<&Report> = index.round(round).iter().copied().filter(received).collect();
    let reports = RoundReports {
        current: current.clone(),
        index,
    };
    let mut tasks: Vec<TaskStatus> = ws
        .tasks
        .iter()
        .map(|t| judge(t, ws.plan, ws.units, assignments, &reports, round))
        .collect();
    tasks.sort_by_key(|t| t.id);
    let units = submissions(ws.plan, ws.units, assignments, &current, invalid_files, times, round);
    let mut status = RoundStatus {
        title: ws.plan.title.clone(),
        document: ws.plan.document.clone(),
        round,
        due: ws.plan.due(round),
        as_of,
        reports_received: current.len(),
        next_round: {
            let next = ws.plan.next_due_round(as_of);
            (next != round && ws.plan.due(next) >= as_of).then(|| (next, ws.plan.due(next)))
        },
        calendar_over: ws.plan.due(ws.plan.calendar.last) < as_of,
        totals: Totals::default(),
        chapters: Vec::new(),
        tasks,
        units,
        version: None,
    };
    summarise(&mut status, ws);
    status
}

impl RoundStatus {
    /// Keeps the tasks and units the filter names, with totals and chapters recomputed.
    pub fn filtered(mut self, filter: &Filter, ws: &Workspace) -> RoundStatus {
        if let Some(uid) = &filter.unit {
            let assignments = Assignments::new(ws.tasks, ws.units);
            self.tasks.retain(|t| assignments.role(uid, t.id).is_some());
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
    let count = |tasks: &[&TaskStatus]| -> BTreeMap<&'static str, usize> {
        Assessment::ALL
            .iter()
            .map(|a| (a.key(), tasks.iter().filter(|t| t.assessment == *a).count()))
            .collect()
    };
    let all: Vec<&TaskStatus> = status.tasks.iter().collect();
    status.totals = Totals {
        tasks: all.len(),
        assessments: count(&all),
        submissions: Submission::ALL
            .iter()
            .map(|s| (s.key(), status.units.iter().filter(|u| u.submission == *s).count()))
            .collect(),
        units_expected: status.units.len(),
        stale: all.iter().filter(|t| t.stale).count(),
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
                    .then(|| (progresses.iter().sum::<f64>() / progresses.len() as f64 * 10.0).round() / 10.0),
            })
        })
        .collect();
}
