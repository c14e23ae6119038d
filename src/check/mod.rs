//! The validation rules: a registry of small named rules, each a pure function producing diagnostics.

pub mod by_round;
mod rules;
pub mod scope;

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};

use crate::assess::{Acceptance, ReportIndex, SubmissionJudge};
use crate::diagnostic::Diagnostic;
use crate::load::Loaded;
use crate::load::report::{FileInfo, flaws, parse, unreadable};
use crate::model::{Flaw, Plan, Report};

/// Every diagnostic for a loaded repository at `as_of`: what loading found plus every rule,
/// sorted. Each report's errors are recorded on it as flaws, so no judgement uses a bad row.
pub fn run(loaded: &mut Loaded, as_of: DateTime<FixedOffset>) -> Vec<Diagnostic> {
    flaw(loaded, diagnose(loaded, as_of, true))
}

/// [`run`] for commands that judge and print no diagnostics: the same errors become the same
/// flaws, and the report rules that can only warn (tens of thousands on a province) are not run.
pub fn flaw_reports(loaded: &mut Loaded, as_of: DateTime<FixedOffset>) {
    flaw(loaded, diagnose(loaded, as_of, false));
}

/// Records each report's errors among `diags` on it as flaws; hands `diags` back.
fn flaw(loaded: &mut Loaded, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let errors = errors_by_file(&diags);
    for report in &mut loaded.reports {
        let found = errors.get(report.file.as_str()).map_or(&[][..], Vec::as_slice);
        let flaws = final_flaws(report, found);
        report.set_flaws(flaws);
    }
    diags
}

/// The errors among `diags`, by file, in their order.
fn errors_by_file(diags: &[Diagnostic]) -> HashMap<&str, Vec<&Diagnostic>> {
    let mut errors: HashMap<&str, Vec<&Diagnostic>> = HashMap::new();
    for d in diags.iter().filter(|d| d.is_error()) {
        errors.entry(d.file.as_str()).or_default().push(d);
    }
    errors
}

/// A report's flaws once checked: the whole-file ones found while reading it, then `errors` (every
/// error in the file, those found while reading included).
fn final_flaws(report: &Report, errors: &[&Diagnostic]) -> Vec<Flaw> {
    let whole_file = report.flaws().iter().filter(|f| f.row == 0).cloned();
    whole_file.chain(errors.iter().map(|d| Flaw::of(d))).collect()
}

fn diagnose(loaded: &Loaded, as_of: DateTime<FixedOffset>, warnings: bool) -> Vec<Diagnostic> {
    let mut diags = loaded.diagnostics.clone();
    rules::tasks::check(loaded, &mut diags);
    rules::reports::check(loaded, warnings, None, &mut diags);
    rules::submission::check(loaded, as_of, None, &mut diags);
    rules::extensions::check(loaded, as_of, &mut diags);
    crate::diagnostic::sort(&mut diags);
    diags
}

/// Judges versions of reports (the loaded file, or earlier bytes) by the checks that make a row
/// invalid and by whether they were filled in. Built once per command, after [`run`].
pub struct VersionCheck<'a> {
    plan: &'a Plan,
    plan_rules: rules::reports::PlanIndex<'a>,
    index: ReportIndex<'a>,
}

impl<'a> VersionCheck<'a> {
    pub fn new(loaded: &'a Loaded) -> Option<VersionCheck<'a>> {
        Some(VersionCheck {
            plan: loaded.plan.as_ref()?,
            // Only errors decide whether a version counts.
            plan_rules: rules::reports::PlanIndex::new(loaded, false)?,
            index: ReportIndex::new(&loaded.reports),
        })
    }

    /// `report` as it stood at `at`: the loaded file itself (`bytes` None) or an earlier version.
    pub fn accept(&self, report: &Report, bytes: Option<&[u8]>, at: DateTime<FixedOffset>) -> Acceptance {
        let judge = SubmissionJudge {
            plan: self.plan,
            assignments: self.plan_rules.assignments(),
            index: &self.index,
        };
        let Some(bytes) = bytes else {
            return judge.accept(report, at);
        };
        let info = FileInfo {
            path: &report.file,
            round: report.round,
            unit: &report.unit,
            years: self.plan.report_years(),
        };
        let (parsed, mut diags) = parse(&info, bytes);
        let mut parsed = parsed.unwrap_or_else(|| unreadable(&info, &diags));
        self.plan_rules.check_one(&parsed, &mut diags);
        parsed.set_flaws(flaws(&report.file, &diags));
        judge.accept(&parsed, at)
    }
}
