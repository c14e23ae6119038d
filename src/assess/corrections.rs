//! What changed in a round's reports after it was published (发布后更正), or after its deadline
//! before it was (截止后修改): each task, unit and field, with the old and the new value.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::model::{MainRow, Report};

/// The moment a change is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Since {
    /// The round's publication: the outputs show the published value; the change is listed.
    Publication,
    /// The round's due time, before any publication: the outputs show the new value, marked.
    Deadline,
}

impl Since {
    /// The heading of the section that lists them.
    pub(crate) fn heading(self) -> &'static str {
        match self {
            Since::Publication => "发布后更正",
            Since::Deadline => "截止后修改",
        }
    }
}

/// A round's publication, as its record in git says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Publication {
    /// The commit the round was published from (full hash).
    pub commit: String,
    pub at: DateTime<FixedOffset>,
}

/// What an output of a round says of its record: the publication it shows, and what changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Record {
    pub published: Option<Publication>,
    pub corrections: Vec<Correction>,
}

/// One changed value of one unit's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Correction {
    pub since: Since,
    pub task: u32,
    pub unit: String,
    pub file: String,
    /// 状态, 进度, or a target's metric.
    pub field: String,
    /// `—` where there was no value (or no file).
    pub old: String,
    pub new: String,
    pub received: Option<DateTime<FixedOffset>>,
}

/// The values that differ between two versions of one unit's report (`None`: no file then).
pub(crate) fn between(
    old: Option<&Report>,
    new: &Report,
    since: Since,
    received: Option<DateTime<FixedOffset>>,
) -> Vec<Correction> {
    let mut out = Vec::new();
    let (unit, file) = (&new.unit, &new.file);
    let mut push = |task: u32, field: &str, old: String, value: String| {
        if old != value {
            out.push(Correction {
                since,
                task,
                unit: unit.clone(),
                file: file.clone(),
                field: field.to_string(),
                old,
                new: value,
                received,
            });
        }
    };
    // Looked up by (task, metric) in the old file's index: a unit leading thousands of tasks.
    for row in &new.rows {
        let before = old.and_then(|r| r.row(row.task));
        push(row.task, "状态", status(before), status(Some(row)));
        push(row.task, "进度", progress(before), progress(Some(row)));
    }
    for m in &new.metrics {
        let before = old
            .and_then(|r| r.metric_rows(m.task, &m.metric).next())
            .and_then(|o| o.actual);
        push(m.task, &m.metric, number(before), number(m.actual));
    }
    out
}

fn status(row: Option<&MainRow>) -> String {
    row.and_then(|r| r.status)
        .map_or("—".to_string(), |s| s.label().to_string())
}

fn progress(row: Option<&MainRow>) -> String {
    row.and_then(|r| r.progress)
        .map_or("—".to_string(), |p| format!("{}%", crate::text::fmt_pct(p)))
}

fn number(v: Option<f64>) -> String {
    v.map_or("—".to_string(), crate::text::fmt_num)
}
