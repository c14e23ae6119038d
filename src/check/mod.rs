//! The validation rules: a registry of small named rules, each a pure function producing diagnostics.

pub mod diagnostic;
pub mod registry;
mod rules;

pub use diagnostic::{Diagnostic, Severity};
pub use rules::units::did_you_mean;

use crate::load::Loaded;

/// Every diagnostic for a loaded repository: what loading found plus every rule, sorted.
pub fn run(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut diags = loaded.diagnostics.clone();
    if let Some(units) = &loaded.units {
        rules::units::check(units, &mut diags);
    }
    rules::tasks::check(loaded, &mut diags);
    rules::reports::check(loaded, &mut diags);
    diagnostic::sort(&mut diags);
    diags
}

/// Whether an earlier version of a report (its bytes) would have passed the checks that make a
/// file invalid: its own cells, and its rows against the plan (tasks, roles, metrics).
pub fn report_version_is_valid(loaded: &Loaded, report: &crate::model::Report, bytes: &[u8]) -> bool {
    let Some(plan) = &loaded.plan else { return false };
    let years = plan.report_years();
    let info = crate::load::report::FileInfo {
        path: &report.file,
        round: report.round,
        unit: &report.unit,
        years,
    };
    let (parsed, mut diags) = crate::load::report::parse(&info, bytes);
    let Some(parsed) = parsed else { return false };
    rules::reports::check_one(loaded, &parsed, &mut diags);
    !diags.iter().any(Diagnostic::is_error)
}
