//! A repository whose plan and units loaded: what every judgement reads.

use std::path::Path;

use super::{Assignments, Carried, Extension, Plan, Report, Task, Unit, Units};

/// A repository whose plan and units loaded; tasks that failed to parse are absent.
pub struct Workspace<'a> {
    pub root: &'a Path,
    pub plan: &'a Plan,
    pub units: &'a Units,
    pub tasks: &'a [Task],
    pub reports: &'a [Report],
    /// What is kept of the reports not in `reports` (see [`Carried`]).
    pub carried: &'a Carried,
    pub extensions: &'a [Extension],
    pub assignments: &'a Assignments,
}

impl<'a> Workspace<'a> {
    /// The units that lead at least one task, so are expected to report, in units.toml order.
    pub fn reporting_units(&self) -> impl Iterator<Item = &'a Unit> + use<'a> {
        let expected = self.assignments.reporting_units();
        self.units
            .units
            .iter()
            .filter(move |u| expected.contains(u.id.as_str()))
    }
}
