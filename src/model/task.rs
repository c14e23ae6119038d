//! One key task (重点任务清单的一行) with the positions of its fields in its file.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use super::unit::{Unit, Units};

/// A value and the 1-based line and column it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Path relative to the repository root, e.g. `tasks/007.toml`.
    pub file: String,
    pub id: Located<u32>,
    pub chapter: Located<u32>,
    pub section: Located<u32>,
    /// Text a judgement quotes: shared with it rather than copied for each round judged.
    pub key_task: Arc<str>,
    pub label: Option<String>,
    pub work: Located<Arc<str>>,
    pub lead: Vec<Located<Arc<str>>>,
    pub cooperating: Vec<Located<Arc<str>>>,
    /// `reporter`: the unit that reports each target's total (全市合计，含各县区); None: the first
    /// lead, when it is a unit (see [`Task::total_reporter`]).
    pub reporter: Option<Located<String>>,
    pub due: Located<NaiveDate>,
    pub notes: Vec<String>,
    pub targets: Vec<Target>,
}

/// What a unit reports of a target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Asked {
    /// The whole figure, the parts included (全市合计).
    Total,
    /// Its own part, against its share of the target.
    Part(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub metric: Located<String>,
    pub value: Located<f64>,
    pub unit: String,
    /// Per-unit split (canonical unit name -> value), where the document gives one.
    pub breakdown: BTreeMap<String, Located<f64>>,
    /// Line of the `[target.breakdown]` table or the target itself.
    pub breakdown_line: usize,
}

impl Task {
    pub fn lead_names(&self) -> impl Iterator<Item = &str> {
        self.lead.iter().map(|l| &*l.value)
    }

    /// The unit that reports each target's total: `reporter`, else the first lead (None when that
    /// is a group: the total is then the sum of the parts).
    pub(crate) fn total_reporter<'u>(&self, units: &'u Units) -> Option<&'u Unit> {
        let name = match &self.reporter {
            Some(r) => r.value.as_str(),
            None => &self.lead.first()?.value,
        };
        units.unit_by_name(name)
    }

    /// Whether `unit` is asked for `target`'s figure, and which: the total, or its own part (its
    /// share in the breakdown). Other units on the task report no figure for it.
    pub(crate) fn asks(&self, target: &Target, unit: &Unit, units: &Units) -> Option<Asked> {
        if self.total_reporter(units).is_some_and(|r| r.id == unit.id) {
            return Some(Asked::Total);
        }
        target.breakdown.get(&unit.name).map(|share| Asked::Part(share.value))
    }

    pub fn cooperating_names(&self) -> impl Iterator<Item = &str> {
        self.cooperating.iter().map(|l| &*l.value)
    }
}
