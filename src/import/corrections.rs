//! The corrections file: decisions the document's text cannot settle, one entry per row, each with
//! the reason. The importer applies them and records each in the task's notes.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::value::Datetime;

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Source;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Corrections {
    #[serde(default)]
    pub row: Vec<Correction>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Correction {
    /// The 序号 of the row this entry settles.
    pub task: u32,
    /// Why: what in the document makes this the right reading.
    pub why: String,
    pub key_task: Option<String>,
    /// Third-level label; `""` removes it.
    pub label: Option<String>,
    pub work: Option<String>,
    pub lead: Option<Vec<String>>,
    pub cooperating: Option<Vec<String>>,
    /// The unit that reports each target's total, where the first lead is not the right one or
    /// several leads would otherwise each report the whole figure.
    pub reporter: Option<String>,
    pub due: Option<Datetime>,
    /// Metrics the target reader found that are not annual targets (e.g. a project's capacity).
    pub drop_targets: Option<Vec<String>>,
    /// Clearer names for metrics the target reader named awkwardly: read name -> name to use.
    pub rename_targets: Option<BTreeMap<String, String>>,
}

pub(crate) fn parse(src: &Source) -> Result<Corrections, Diagnostic> {
    crate::load::parse_toml(src)
}

impl Corrections {
    pub(crate) fn by_task(&self) -> BTreeMap<u32, &Correction> {
        self.row.iter().map(|c| (c.task, c)).collect()
    }
}
