//! The validation rules: a registry of small named rules, each a pure function producing diagnostics.

mod rules;

pub use crate::diagnostic::{Diagnostic, Rule, Severity};
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
    crate::diagnostic::sort(&mut diags);
    diags
}

/// Judges earlier versions of reports (their bytes) by the checks that make a file invalid: its
/// own cells, and its rows against the plan (tasks, roles, metrics). Built once per command.
pub struct VersionCheck<'a> {
    plan: Option<&'a crate::model::Plan>,
    plan_rules: Option<rules::reports::PlanIndex<'a>>,
}

impl<'a> VersionCheck<'a> {
    pub fn new(loaded: &'a Loaded) -> VersionCheck<'a> {
        VersionCheck {
            plan: loaded.plan.as_ref(),
            plan_rules: rules::reports::PlanIndex::new(loaded),
        }
    }

    pub fn is_valid(&self, report: &crate::model::Report, bytes: &[u8]) -> bool {
        let (Some(plan), Some(plan_rules)) = (self.plan, &self.plan_rules) else {
            return false;
        };
        let info = crate::load::report::FileInfo {
            path: &report.file,
            round: report.round,
            unit: &report.unit,
            years: plan.report_years(),
        };
        let (parsed, mut diags) = crate::load::report::parse(&info, bytes);
        let Some(parsed) = parsed else { return false };
        plan_rules.check_one(&parsed, &mut diags);
        !diags.iter().any(Diagnostic::is_error)
    }
}
