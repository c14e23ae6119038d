//! When a report was received, and where that time came from. Pluggable: the file's own 填报日期
//! (`declared`) or, with the git ledger, the commit that first added it.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, TimeZone};
use serde::Serialize;

use crate::model::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    /// The 填报日期 typed into the file (a date: compared with the due date, not the hour).
    Declared,
    /// The committer time of the commit that first added the file.
    Git,
    /// The file is not committed, or changed since its last commit.
    Uncommitted,
    /// No time could be found.
    Unknown,
}

impl TimeSource {
    /// How to show a received time from this source: declared dates have no time of day.
    pub fn format(self, at: &chrono::DateTime<chrono::FixedOffset>) -> String {
        match self {
            TimeSource::Declared => at.format("%Y-%m-%d").to_string(),
            _ => at.format("%Y-%m-%d %H:%M").to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Received {
    pub at: Option<DateTime<FixedOffset>>,
    pub source: TimeSource,
    /// Later changes to the file (amendments), oldest first.
    pub amended: Vec<DateTime<FixedOffset>>,
    /// Something the office should know about this time (back-dating, a fix after the deadline).
    pub remark: Option<String>,
}

/// Where received times come from.
pub trait ReceivedTimes {
    fn received(&self, report: &Report) -> Received;
}

/// Times from the 填报日期 in each file: the start of that day in the plan's zone, so a report
/// dated on the due day is on time and one dated the day after is late.
pub struct DeclaredTimes {
    pub timezone: FixedOffset,
}

impl ReceivedTimes for DeclaredTimes {
    fn received(&self, report: &Report) -> Received {
        let at = report
            .declared_date()
            .and_then(|d| self.timezone.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).single());
        Received {
            at,
            source: if at.is_some() {
                TimeSource::Declared
            } else {
                TimeSource::Unknown
            },
            amended: Vec::new(),
            remark: None,
        }
    }
}

/// Fixed times by file path, for tests and for the git ledger's results.
impl ReceivedTimes for BTreeMap<String, Received> {
    fn received(&self, report: &Report) -> Received {
        self.get(&report.file).cloned().unwrap_or(Received {
            at: None,
            source: TimeSource::Unknown,
            amended: Vec::new(),
            remark: None,
        })
    }
}
