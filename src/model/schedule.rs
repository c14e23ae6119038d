//! 推进计划: a lead unit's own month-by-month plan for each task it leads (`plans/<unit>.csv`),
//! and which version of each task's plan was in force when.

use super::Round;
use std::collections::BTreeMap;

/// The folder of the plan files.
pub(crate) const PLANS_DIR: &str = "plans";

/// One task's row in a unit's plan file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScheduleRow {
    pub task: u32,
    /// The row as Excel numbers it.
    pub row: usize,
    /// Each month of the file's columns with its cumulative planned progress (blank months carry
    /// the value before them), oldest first.
    pub months: Vec<(Round, f64)>,
    /// The milestones named in 节点说明, by month.
    pub nodes: Vec<Node>,
}

/// A milestone (节点): what the plan says is reached by the end of `month`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub month: Round,
    pub text: String,
}

impl ScheduleRow {
    /// The cumulative progress planned by the end of `month`: 0 before the first column, the last
    /// value after the last.
    pub(crate) fn planned(&self, month: Round) -> f64 {
        self.months
            .iter()
            .take_while(|(m, _)| *m <= month)
            .last()
            .map_or(0.0, |(_, v)| *v)
    }

    /// Same plan, whatever row it sits on.
    pub(crate) fn same_plan(&self, other: &ScheduleRow) -> bool {
        self.months == other.months && self.nodes == other.nodes
    }
}

/// A unit's plan file as read: its valid rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Schedule {
    pub unit: String,
    pub file: String,
    pub rows: Vec<ScheduleRow>,
}

/// One task's plan from the moment it took effect.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct InForce {
    /// Unix seconds from which it counts (`i64::MIN`: always, as far as anyone can tell).
    pub from: i64,
    pub row: ScheduleRow,
    pub file: String,
}

/// Every unit's plans over time: unit id -> task -> versions, oldest first.
#[derive(Debug, Clone, Default)]
pub(crate) struct Schedules {
    pub by_unit: BTreeMap<String, BTreeMap<u32, Vec<InForce>>>,
}

impl Schedules {
    /// Each file's rows in force from `from`, as if no other version had ever been.
    pub(crate) fn from_files(files: &[Schedule], from: i64) -> Schedules {
        let mut out = Schedules::default();
        for file in files.iter().filter(|f| !f.rows.is_empty()) {
            for row in &file.rows {
                let tasks = out.by_unit.entry(file.unit.clone()).or_default();
                tasks.entry(row.task).or_default().push(InForce {
                    from,
                    row: row.clone(),
                    file: file.file.clone(),
                });
            }
        }
        out
    }

    /// The plan in force for `unit`'s `task` at `at` (Unix seconds).
    pub(crate) fn at(&self, unit: &str, task: u32, at: i64) -> Option<&InForce> {
        self.by_unit.get(unit)?.get(&task)?.iter().rev().find(|v| v.from <= at)
    }

    /// No unit has a plan: every task goes by the straight line.
    pub(crate) fn is_empty(&self) -> bool {
        self.by_unit.is_empty()
    }

    /// Whether `unit` had filed a plan by `at`: a task's first plan counts from its arrival.
    pub(crate) fn filed_by(&self, unit: &str, at: i64) -> bool {
        let tasks = self.by_unit.get(unit).into_iter().flat_map(BTreeMap::values);
        tasks.filter_map(|v| v.first()).any(|v| v.from <= at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(month: u32) -> Round {
        Round::new(2024, month).unwrap()
    }

    #[test]
    fn carries_and_bounds() {
        let row = ScheduleRow {
            task: 1,
            row: 2,
            months: vec![(m(3), 10.0), (m(5), 40.0), (m(9), 100.0)],
            nodes: Vec::new(),
        };
        assert_eq!(row.planned(m(2)), 0.0);
        assert_eq!(row.planned(m(4)), 10.0);
        assert_eq!(row.planned(m(8)), 40.0);
        assert_eq!(row.planned(m(12)), 100.0);
    }
}
