//! A unit's progress file for one round: main rows (one per task) and metric rows (one per target).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::Round;
pub(crate) use super::row_text::RowText;
use crate::diagnostic::Rule;
use crate::labels::labels;

labels! {
    /// 状态 as reported by the unit, in the order the template lists them.
    #[derive(PartialOrd, Ord)]
    pub enum Status {
        NotStarted = "not_started", "未启动";
        InProgress = "in_progress", "推进中";
        Done = "done", "已完成";
        Behind = "behind", "滞后";
        Blocked = "blocked", "受阻";
    }
}

impl Status {
    /// How bad a state is, for "the worst of the leads' states".
    pub(crate) fn severity(self) -> u8 {
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

impl MainRow {
    /// 照抄上月: its 本月进展 is `previous`'s, word for word (and not empty). The one test behind
    /// the rule `copied-narrative` and the 督查考评 event `copied_narrative`.
    pub(crate) fn copies(&self, previous: &MainRow) -> bool {
        !self.text.progress_note().is_empty() && self.text.progress_note() == previous.text.progress_note()
    }
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
    /// in a judgement. Row 0 means the whole file (it could not be read as a report). Kept in row
    /// order (see [`Report::set_flaws`]).
    flaws: Vec<Flaw>,
    /// The errors reading the file let go of past the per-file cap (see
    /// [`crate::diagnostic::Bounded`]): (row, rule), kept so that `check` keeps them as flaws.
    #[serde(skip)]
    pub(crate) unlisted: Vec<(usize, Rule)>,
    /// Where each column sits in this file (1-based), for messages.
    #[serde(skip)]
    pub columns: BTreeMap<Column, usize>,
    /// The rows in task order, built by [`Report::index`] once the rows are read.
    #[serde(skip)]
    lookup: Lookup,
}

/// Positions of the main rows sorted by task, and of the metric rows by task and metric (each
/// in file order among equals), so that finding a task's row is a binary search, not a scan: a
/// unit leading thousands of tasks would otherwise cost millions of comparisons per file.
#[derive(Debug, Clone, Default, PartialEq)]
struct Lookup {
    /// (task, position) of each main row: the task beside the position keeps a search within one
    /// small array instead of reaching into every row it passes.
    rows: Vec<(u32, u32)>,
    /// (task, position) of each metric row.
    metrics: Vec<(u32, u32)>,
}

/// An error in a report file, where it is and which rule found it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flaw {
    /// The Excel row; 0 for the whole file.
    pub row: usize,
    pub rule: Rule,
    /// What is wrong: the diagnostic's message, or the rule's summary for an error let go of past
    /// the per-file cap (a file of thousands of bad rows keeps no message for each).
    pub message: std::borrow::Cow<'static, str>,
}

impl Flaw {
    /// The flaw an error diagnostic leaves on its file.
    pub(crate) fn of(d: &crate::diagnostic::Diagnostic) -> Flaw {
        Flaw {
            row: d.line,
            rule: d.rule,
            message: d.message.clone().into(),
        }
    }

    /// The flaw of an error let go of past the per-file cap: its row and rule, no message of its own.
    pub(crate) fn unlisted(row: usize, rule: Rule) -> Flaw {
        Flaw {
            row,
            rule,
            message: rule.summary().into(),
        }
    }
}

/// A lead's main row for one task, as a judgement may use it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RowState<'a> {
    /// The row passed every check.
    Valid(&'a MainRow),
    /// The row (or the whole file) has an error: it is left out.
    Flawed(&'a Flaw),
    /// The file has no row for the task.
    Absent,
}

impl Report {
    /// A report with no rows yet; [`Report::index`] after pushing them.
    pub(crate) fn new(file: String, round: Round, unit: String, encoding: &'static str) -> Report {
        Report {
            file,
            round,
            unit,
            encoding,
            rows: Vec::new(),
            metrics: Vec::new(),
            flaws: Vec::new(),
            unlisted: Vec::new(),
            columns: BTreeMap::new(),
            lookup: Lookup::default(),
        }
    }

    /// Sorts the positions of the rows read, for [`Report::row`] and [`Report::metric_rows`].
    pub(crate) fn index(&mut self) {
        let positions = |tasks: Vec<u32>| (0u32..).zip(tasks).map(|(i, t)| (t, i)).collect::<Vec<(u32, u32)>>();
        let mut rows = positions(self.rows.iter().map(|r| r.task).collect());
        rows.sort_by_key(|&(task, _)| task);
        let mut metrics = positions(self.metrics.iter().map(|m| m.task).collect());
        metrics.sort_by(|&(ta, a), &(tb, b)| {
            (ta, &self.metrics[a as usize].metric).cmp(&(tb, &self.metrics[b as usize].metric))
        });
        self.lookup = Lookup { rows, metrics };
    }

    /// The task's first main row in the file.
    pub(crate) fn row(&self, task: u32) -> Option<&MainRow> {
        if self.lookup.rows.len() != self.rows.len() {
            return self.rows.iter().find(|r| r.task == task); // not indexed
        }
        let first = self.lookup.rows.partition_point(|&(t, _)| t < task);
        let (t, at) = *self.lookup.rows.get(first)?;
        (t == task).then(|| &self.rows[at as usize])
    }

    /// The metric's rows for the task, in file order.
    pub(crate) fn metric_rows<'a>(&'a self, task: u32, metric: &'a str) -> impl Iterator<Item = &'a MetricRow> + 'a {
        let at = |&(_, p): &(u32, u32)| &self.metrics[p as usize];
        let matches = move |m: &&MetricRow| m.task == task && m.metric == metric;
        let (sorted, unsorted) = if self.lookup.metrics.len() == self.metrics.len() {
            let first = self
                .lookup
                .metrics
                .partition_point(|p| p.0 < task || (p.0 == task && at(p).metric.as_str() < metric));
            (&self.lookup.metrics[first..], &[][..])
        } else {
            (&[][..], &self.metrics[..]) // not indexed
        };
        sorted
            .iter()
            .map(at)
            .take_while(matches)
            .chain(unsorted.iter().filter(matches))
    }

    pub(crate) fn has_errors(&self) -> bool {
        !self.flaws.is_empty()
    }

    /// The file's errors, whole-file ones first, then by row (in the order found within a row).
    pub fn flaws(&self) -> &[Flaw] {
        &self.flaws
    }

    /// Records the file's errors, sorted by row so that [`Report::flaw_at`] is a binary search.
    pub(crate) fn set_flaws(&mut self, mut flaws: Vec<Flaw>) {
        flaws.sort_by_key(|f| f.row);
        self.flaws = flaws;
    }

    /// The error that keeps Excel row `row` out of every judgement, if any.
    pub(crate) fn flaw_at(&self, row: usize) -> Option<&Flaw> {
        let whole_file = self.flaws.first().filter(|f| f.row == 0);
        whole_file.or_else(|| {
            let first = self.flaws.partition_point(|f| f.row < row);
            self.flaws.get(first).filter(|f| f.row == row)
        })
    }

    /// The task's main row, if it may be judged.
    pub(crate) fn row_state(&self, task: u32) -> RowState<'_> {
        if let Some(whole) = self.flaws.iter().find(|f| f.row == 0) {
            return RowState::Flawed(whole);
        }
        match self.row(task) {
            Some(row) => self.flaw_at(row.row).map_or(RowState::Valid(row), RowState::Flawed),
            None => RowState::Absent,
        }
    }

    /// The task's main row when it passed every check.
    pub(crate) fn valid_row(&self, task: u32) -> Option<&MainRow> {
        match self.row_state(task) {
            RowState::Valid(row) => Some(row),
            _ => None,
        }
    }

    /// The metric's actual when its row passed every check.
    pub(crate) fn valid_actual<'a>(&'a self, task: u32, metric: &'a str) -> Option<(&'a MetricRow, f64)> {
        self.metric_rows(task, metric)
            .filter(|m| self.flaw_at(m.row).is_none())
            .find_map(|m| m.actual.map(|v| (m, v)))
    }
}

#[cfg(test)]
mod tests {
    use super::{Flaw, MainRow, MetricRow, Report, RowText};
    use crate::diagnostic::Rule;

    fn flaw(row: usize, message: &str) -> Flaw {
        Flaw {
            row,
            rule: Rule::InvalidStatus,
            message: message.to_string().into(),
        }
    }

    #[test]
    fn a_row_s_first_flaw_is_found_and_a_whole_file_flaw_covers_every_row() {
        let mut r = report(&[], &[]);
        r.set_flaws(vec![flaw(9, "a"), flaw(3, "b"), flaw(9, "c")]);
        let at = |r: &Report, row| r.flaw_at(row).map(|f| f.message.clone());
        assert_eq!(
            [at(&r, 9), at(&r, 3), at(&r, 4)],
            [Some("a".into()), Some("b".into()), None]
        );
        r.set_flaws(vec![flaw(9, "a"), flaw(0, "whole")]);
        assert_eq!([at(&r, 9), at(&r, 4)], [Some("whole".into()), Some("whole".into())]);
    }

    fn report(tasks: &[u32], metrics: &[(u32, &str, f64)]) -> Report {
        let mut r = Report::new(
            "reports/2024-08/jtj.csv".into(),
            "2024-08".parse().unwrap(),
            "jtj".into(),
            "UTF-8",
        );
        for (i, &task) in tasks.iter().enumerate() {
            r.rows.push(MainRow {
                row: i + 2,
                task,
                status: None,
                progress: None,
                text: RowText::default(),
                reported_on: None,
                filled: false,
            });
        }
        for (i, &(task, metric, v)) in metrics.iter().enumerate() {
            r.metrics.push(MetricRow {
                row: tasks.len() + i + 2,
                task,
                metric: metric.into(),
                actual: Some(v),
            });
        }
        r
    }

    /// The index answers exactly what a scan in file order answers, duplicates included.
    #[test]
    fn indexed_lookups_find_the_first_row_in_file_order() {
        let metrics = [(7, "公里", 1.0), (3, "个", 2.0), (7, "个", 3.0), (7, "公里", 4.0)];
        let mut r = report(&[30, 7, 12, 7, 30], &metrics);
        let scanned: Vec<_> = [7, 12, 30, 99].iter().map(|&t| r.row(t).map(|x| x.row)).collect();
        let scanned_metrics: Vec<f64> = r.metric_rows(7, "公里").filter_map(|m| m.actual).collect();
        r.index();
        let indexed: Vec<_> = [7, 12, 30, 99].iter().map(|&t| r.row(t).map(|x| x.row)).collect();
        assert_eq!(indexed, scanned);
        assert_eq!(indexed, [Some(3), Some(4), Some(2), None]);
        let indexed_metrics: Vec<f64> = r.metric_rows(7, "公里").filter_map(|m| m.actual).collect();
        assert_eq!(indexed_metrics, scanned_metrics);
        assert_eq!(indexed_metrics, [1.0, 4.0]);
        assert_eq!(r.metric_rows(3, "公里").count(), 0);
        assert_eq!(r.valid_actual(7, "个").map(|(_, v)| v), Some(3.0));
    }
}
