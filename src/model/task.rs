//! One key task (重点任务清单的一行) with the positions of its fields in its file.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

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
    pub due: Located<NaiveDate>,
    pub notes: Vec<String>,
    pub targets: Vec<Target>,
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

    pub fn cooperating_names(&self) -> impl Iterator<Item = &str> {
        self.cooperating.iter().map(|l| &*l.value)
    }
}
