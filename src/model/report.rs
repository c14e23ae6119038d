//! A unit's progress file for one round: main rows (one per task) and metric rows (one per target).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::Round;
pub use super::row_text::RowText;
use crate::diagnostic::Rule;

/// 状态 as reported by the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Done,
    InProgress,
    NotStarted,
    Behind,
    Blocked,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Done,
        Status::Behind,
        Status::Blocked,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "未启动",
            Status::InProgress => "推进中",
            Status::Done => "已完成",
            Status::Behind => "滞后",
            Status::Blocked => "受阻",
        }
    }

    pub fn english(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Behind => "behind",
            Status::Blocked => "blocked",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|st| st.label() == s || st.english().eq_ignore_ascii_case(s))
    }

    /// How bad a state is, for "the worst of the leads' states".
    pub fn severity(self) -> u8 {
        match self {
            Status::Done => 0,
            Status::InProgress => 1,
            Status::NotStarted => 2,
            Status::Behind => 3,
            Status::Blocked => 4,
        }
    }
}

/// A column `tracker` reads from a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Column {
    Task,
    Metric,
    Status,
    Progress,
    Actual,
    ProgressNote,
    Problems,
    NextSteps,
    Reporter,
    Phone,
    ReportedOn,
}

/// One task's main row (`指标` empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MainRow {
    /// The row number Excel shows (the header is row 1).
    pub row: usize,
    pub task: u32,
    pub status: Option<Status>,
    pub progress: Option<f64>,
    /// 本月进展, 存在问题, 下步计划, 填报人 and 联系电话.
    #[serde(flatten)]
    pub text: RowText,
    pub reported_on: Option<NaiveDate>,
    /// Both 状态 and 进度 hold something (valid or not): the liaison filled the row in.
    pub filled: bool,
}

/// One target's row (`指标` = a metric of the task): the cumulative actual.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricRow {
    pub row: usize,
    pub task: u32,
    pub metric: String,
    pub actual: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Path relative to the repository root, e.g. `reports/2024-08/jtj.csv`.
    pub file: String,
    pub round: Round,
    pub unit: String,
    /// The encoding the file was decoded from (`UTF-8`, `UTF-8 BOM`, `GB18030`, `UTF-16LE`).
    pub encoding: &'static str,
    pub rows: Vec<MainRow>,
    pub metrics: Vec<MetricRow>,
    /// Every error found in the file by loading and by `tracker check`: rows with one never count
    /// in a judgement. Row 0 means the whole file (it could not be read as a report).
    pub flaws: Vec<Flaw>,
    /// Where each column sits in this file (1-based), for messages.
    #[serde(skip)]
    pub columns: BTreeMap<Column, usize>,
}

/// An error in a report file, where it is and which rule found it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flaw {
    /// The Excel row; 0 for the whole file.
    pub row: usize,
    pub rule: Rule,
    pub message: String,
}

impl Flaw {
    /// The flaw an error diagnostic leaves on its file.
    pub fn of(d: &crate::diagnostic::Diagnostic) -> Flaw {
        Flaw {
            row: d.line,
            rule: d.rule,
            message: d.message.clone(),
        }
    }
}

/// A lead's main row for one task, as a judgement may use it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RowState<'a> {
    /// The row passed every check.
    Valid(&'a MainRow),
    /// The row (or the whole file) has an error: it is left out.
    Flawed(&'a Flaw),
    /// The file has no row for the task.
    Absent,
}

impl Report {
    pub fn row(&self, task: u32) -> Option<&MainRow> {
        self.rows.iter().find(|r| r.task == task)
    }

    pub fn has_errors(&self) -> bool {
        !self.flaws.is_empty()
    }

    /// The error that keeps Excel row `row` out of every judgement, if any.
    pub fn flaw_at(&self, row: usize) -> Option<&Flaw> {
        self.flaws.iter().find(|f| f.row == 0 || f.row == row)
    }

    /// The task's main row, if it may be judged.
    pub fn row_state(&self, task: u32) -> RowState<'_> {
        if let Some(whole) = self.flaws.iter().find(|f| f.row == 0) {
            return RowState::Flawed(whole);
        }
        match self.row(task) {
            Some(row) => self.flaw_at(row.row).map_or(RowState::Valid(row), RowState::Flawed),
            None => RowState::Absent,
        }
    }

    /// The task's main row when it passed every check.
    pub fn valid_row(&self, task: u32) -> Option<&MainRow> {
        match self.row_state(task) {
            RowState::Valid(row) => Some(row),
            _ => None,
        }
    }

    /// The metric's actual when its row passed every check.
    pub fn valid_actual(&self, task: u32, metric: &str) -> Option<(&MetricRow, f64)> {
        self.metrics
            .iter()
            .filter(|m| m.task == task && m.metric == metric && self.flaw_at(m.row).is_none())
            .find_map(|m| m.actual.map(|v| (m, v)))
    }

    /// The latest 填报日期 in the file.
    pub fn declared_date(&self) -> Option<NaiveDate> {
        self.rows.iter().filter_map(|r| r.reported_on).max()
    }
}
