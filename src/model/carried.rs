//! What a command judging one round keeps of the reports it retires (every unit's files before its
//! latest before that round): the latest valid actual of each metric, the latest 填报人 and 联系电话,
//! and how many files there were and with errors. Judging reads nothing else of them.

use std::collections::HashMap;

use super::{Report, Round};

#[derive(Debug, Default)]
pub struct Carried {
    /// unit -> task -> the latest valid actual of each of its metrics.
    actuals: HashMap<String, HashMap<u32, Vec<CarriedActual>>>,
    /// unit -> the latest 填报人 given, and 联系电话.
    reporters: HashMap<String, String>,
    phones: HashMap<String, String>,
    /// Every retired file, for what speaks of every file read (uncommitted ones, a count).
    pub files: Vec<RetiredFile>,
    /// How many retired files had errors.
    pub flawed: usize,
}

/// A retired report file: its path, its unit's id and its round.
#[derive(Debug, Clone, PartialEq)]
pub struct RetiredFile {
    pub file: String,
    pub unit: String,
    pub round: Round,
}

/// A metric's valid actual in a retired report.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CarriedActual {
    pub metric: String,
    pub value: f64,
    pub round: Round,
    pub file: String,
    /// The Excel row.
    pub row: usize,
}

impl Carried {
    /// Folds `report` in. Reports come oldest first (by round, then in the order their files were
    /// found), so what a later one gives replaces what an earlier one gave.
    pub(crate) fn retire(&mut self, report: Report) {
        let tasks = self.actuals.entry(report.unit.clone()).or_default();
        for m in &report.metrics {
            let Some((row, value)) = report.valid_actual(m.task, &m.metric) else {
                continue;
            };
            let actual = CarriedActual {
                metric: m.metric.clone(),
                value,
                round: report.round,
                file: report.file.clone(),
                row: row.row,
            };
            let metrics = tasks.entry(m.task).or_default();
            match metrics.iter_mut().find(|a| a.metric == m.metric) {
                Some(slot) => *slot = actual,
                None => metrics.push(actual),
            }
        }
        let first = |f: fn(&super::MainRow) -> &str| report.rows.iter().map(f).find(|v| !v.is_empty());
        if let Some(name) = first(|r| r.text.reporter()) {
            self.reporters.insert(report.unit.clone(), name.to_string());
        }
        if let Some(phone) = first(|r| r.text.phone()) {
            self.phones.insert(report.unit.clone(), phone.to_string());
        }
        self.retire_file(report);
    }

    /// Folds in only that `report` was read, and whether it had errors: for checking, which
    /// judges nothing.
    pub(crate) fn retire_file(&mut self, report: Report) {
        self.flawed += usize::from(report.has_errors());
        self.files.push(RetiredFile {
            file: report.file,
            unit: report.unit,
            round: report.round,
        });
    }

    /// The latest valid actual of the unit's retired reports for the task's metric.
    pub(crate) fn actual(&self, unit: &str, task: u32, metric: &str) -> Option<&CarriedActual> {
        self.actuals.get(unit)?.get(&task)?.iter().find(|a| a.metric == metric)
    }

    /// The latest 填报人 in the unit's retired reports.
    pub(crate) fn reporter(&self, unit: &str) -> Option<&str> {
        self.reporters.get(unit).map(String::as_str)
    }

    /// The latest 联系电话 in the unit's retired reports.
    pub(crate) fn phone(&self, unit: &str) -> Option<&str> {
        self.phones.get(unit).map(String::as_str)
    }
}
