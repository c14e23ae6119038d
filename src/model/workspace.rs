//! A repository whose plan and units loaded: what every judgement reads.

use std::path::Path;

use super::{Assignments, Carried, Extension, Plan, Report, Round, Task, Unit, Units};

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
    /// The units' 推进计划 over time.
    pub(crate) schedules: &'a super::schedule::Schedules,
}

impl<'a> Workspace<'a> {
    /// Every report file read, those retired into `carried` included: path, unit, round.
    pub(crate) fn report_files(&self) -> impl Iterator<Item = (&'a str, &'a str, Round)> + use<'a> {
        report_files(self.reports, self.carried)
    }

    /// The units that lead at least one task, so are expected to report, in units.toml order.
    pub(crate) fn reporting_units(&self) -> impl Iterator<Item = &'a Unit> + use<'a> {
        let expected = self.assignments.reporting_units();
        self.units
            .units
            .iter()
            .filter(move |u| expected.contains(u.id.as_str()))
    }
}

/// Every report file in `reports` and of those retired into `carried`: path, unit, round.
pub(crate) fn report_files<'r>(
    reports: &'r [Report],
    carried: &'r Carried,
) -> impl Iterator<Item = (&'r str, &'r str, Round)> {
    let retired = carried.files.iter();
    reports
        .iter()
        .map(|r| (r.file.as_str(), r.unit.as_str(), r.round))
        .chain(retired.map(|f| (f.file.as_str(), f.unit.as_str(), f.round)))
}
