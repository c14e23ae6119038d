//! When a report was received, and where that time came from: the file's own 填报日期 (`declared`)
//! or, with the git ledger, the commit that first brought a filled-in version of it.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, TimeZone};
use serde::Serialize;

use super::ReportIndex;
use super::substance::{Unsubstantive, Window, substance};
use crate::model::{Assignments, Plan, Report};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    /// The 填报日期 typed into the file (a date: compared with the due date, not the hour).
    Declared,
    /// The committer time of the commit that first added the file.
    Git,
    /// The office's server's own receipt of the push that brought the file (its notes).
    Server,
    /// The file is not committed, or changed since its last commit.
    Uncommitted,
    /// No time could be found.
    Unknown,
}

impl TimeSource {
    /// How to show a received time from this source: declared dates have no time of day.
    pub(crate) fn format(self, at: &chrono::DateTime<chrono::FixedOffset>) -> String {
        match self {
            TimeSource::Declared => at.format("%Y-%m-%d").to_string(),
            _ => at.format("%Y-%m-%d %H:%M").to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Received {
    /// When the file counts as received: its first valid, substantive version.
    pub at: Option<DateTime<FixedOffset>>,
    pub source: TimeSource,
    /// Later changes to the file (amendments), oldest first.
    pub amended: Vec<DateTime<FixedOffset>>,
    /// Something the office should know about this time (back-dating, a fix after the deadline).
    pub remark: Option<String>,
    /// Why the file is not a submission (yet): no version of it was filled in.
    pub unsubmitted: Option<String>,
    /// The commit's committer time is far from the server's receipt.
    pub clock_skew: bool,
}

impl Received {
    /// Nothing known about the file's arrival.
    pub fn unknown() -> Received {
        Received {
            at: None,
            source: TimeSource::Unknown,
            amended: Vec::new(),
            remark: None,
            unsubmitted: None,
            clock_skew: false,
        }
    }

    /// The file is a submission that had arrived by `as_of`. A file with no trustworthy time
    /// (uncommitted) counts, but never as on time.
    pub(crate) fn counts_at(&self, as_of: DateTime<FixedOffset>) -> bool {
        self.unsubmitted.is_none() && self.at.is_none_or(|at| at <= as_of)
    }
}

/// What one version of a report file amounts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Acceptance {
    /// Filled in and without errors.
    Valid,
    /// Filled in, with errors (the unit counts as 有错误; the bad rows are left out).
    Flawed,
    /// Not a submission: the template untouched, undated, or a lead task left empty.
    Unsubmitted(Unsubstantive),
}

/// Where received times come from.
pub trait ReceivedTimes {
    fn received(&self, report: &Report) -> Received;
}

/// Judges whether reports are real submissions, with each unit's previous round at hand.
pub(crate) struct SubmissionJudge<'a, 'i> {
    pub plan: &'a Plan,
    pub assignments: &'i Assignments,
    pub index: &'i ReportIndex<'a>,
}

impl SubmissionJudge<'_, '_> {
    /// `report` (the file, or one version of it) as it stood at `at`.
    pub(crate) fn accept(&self, report: &Report, at: DateTime<FixedOffset>) -> Acceptance {
        let previous = self.index.previous(&report.unit, report.round);
        let window = Window::new(self.plan, report.round, at);
        match substance(report, self.assignments, previous, &window) {
            Err(why) => Acceptance::Unsubmitted(why),
            Ok(()) if report.has_errors() => Acceptance::Flawed,
            Ok(()) => Acceptance::Valid,
        }
    }

    /// Times from the 填报日期 in each file: the start of that day in the plan's zone, so a report
    /// dated on the due day is on time and one dated the day after is late. Only a substantive
    /// file has a time.
    pub(crate) fn declared(&self, reports: &[Report], as_of: DateTime<FixedOffset>) -> BTreeMap<String, Received> {
        // Each file alone, so on every core.
        crate::par::map(reports, |r| (r.file.clone(), self.declared_one(r, as_of)))
            .into_iter()
            .collect()
    }

    fn declared_one(&self, report: &Report, as_of: DateTime<FixedOffset>) -> Received {
        if let Acceptance::Unsubmitted(why) = self.accept(report, as_of) {
            return Received {
                unsubmitted: Some(why.label()),
                ..Received::unknown()
            };
        }
        let tz = self.plan.timezone;
        // A date after "now" is an error at its row, not the file's date.
        let today = as_of.with_timezone(&tz).date_naive();
        let at = report
            .rows
            .iter()
            .filter_map(|r| r.reported_on)
            .filter(|d| *d <= today)
            .max()
            .and_then(|d| tz.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).single());
        Received {
            at,
            source: TimeSource::Declared,
            ..Received::unknown()
        }
    }
}

/// Fixed times by file path, for tests and for the git ledger's results.
impl ReceivedTimes for BTreeMap<String, Received> {
    fn received(&self, report: &Report) -> Received {
        self.get(&report.file).cloned().unwrap_or_else(Received::unknown)
    }
}
