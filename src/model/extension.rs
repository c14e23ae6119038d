//! An approved extension (延期): the office moved a task's due date at a lead unit's request.

use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extension {
    pub task: u32,
    /// The lead unit that asked, as written (a name, an alias or an id).
    pub unit: String,
    pub approved_on: NaiveDate,
    /// Who approved it, or the document number (东发改函〔2024〕12号).
    pub approved_by: String,
    pub new_due: NaiveDate,
    pub reason: String,
    /// Line in `extensions.toml`.
    #[serde(skip)]
    pub line: usize,
}

/// The extension in force for `task` on `day`: the latest approved by then.
pub(crate) fn in_force(extensions: &[Extension], task: u32, day: NaiveDate) -> Option<&Extension> {
    extensions
        .iter()
        .filter(|e| e.task == task && e.approved_on <= day)
        .max_by_key(|e| (e.approved_on, e.line))
}
