//! The validation rules: a registry of small named rules, each a pure function producing diagnostics.

mod rules;
pub(crate) mod scope;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset};

use crate::assess::{Acceptance, ReportIndex, SubmissionJudge};
use crate::diagnostic::{Bounded, Diagnostic, Rule};
use crate::load::Loaded;
use crate::load::report::{FileInfo, flaws, parse, unreadable, with_unlisted};
use crate::model::{Flaw, Plan, Report, Round, Workspace};
use rules::reports::FileUnlisted;

/// Every diagnostic for a loaded repository at `as_of`: what loading found plus every rule,
/// sorted. Each report's errors are recorded on it as flaws, so no judgement uses a bad row.
pub fn run(loaded: &mut Loaded, as_of: DateTime<FixedOffset>) -> Vec<Diagnostic> {
    let cap = limits(loaded).diagnostics_per_file;
    let (diags, unlisted) = diagnose(loaded, as_of, true);
    crate::diagnostic::cap_per_file(flaw(loaded, diags, &unlisted), cap)
}

/// The plan's `[limits]`, or the defaults when the plan did not load.
pub(crate) fn limits(loaded: &Loaded) -> crate::model::Limits {
    loaded.plan.as_ref().map(|p| p.limits).unwrap_or_default()
}

/// [`run`] for commands that judge and print no diagnostics: the same errors become the same
/// flaws, and the report rules that can only warn (tens of thousands on a province) are not run.
pub fn flaw_reports(loaded: &mut Loaded, as_of: DateTime<FixedOffset>) {
    let (diags, unlisted) = diagnose(loaded, as_of, false);
    flaw(loaded, diags, &unlisted);
}

/// Records each report's errors among `diags` (and those let go of past the cap) on it as flaws;
/// hands `diags` back.
fn flaw(loaded: &mut Loaded, diags: Vec<Diagnostic>, unlisted: &[FileUnlisted]) -> Vec<Diagnostic> {
    let errors = errors_by_file(&diags);
    let unlisted = by_file(unlisted);
    for report in &mut loaded.reports {
        let found = errors.get(report.file.as_str()).map_or(&[][..], Vec::as_slice);
        let let_go = unlisted.get(report.file.as_str()).copied().unwrap_or_default();
        let flaws = final_flaws(report, found, let_go);
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

/// The errors let go of past the cap, by file.
fn by_file(unlisted: &[FileUnlisted]) -> HashMap<&str, &[(usize, Rule)]> {
    unlisted.iter().map(|(f, e)| (f.as_str(), e.as_slice())).collect()
}

/// A report's flaws once checked: the whole-file ones found while reading it, then `errors` (every
/// error in the file, those found while reading included), then the errors let go of past the
/// per-file cap, while reading and by the rules (`let_go`).
fn final_flaws(report: &Report, errors: &[&Diagnostic], let_go: &[(usize, Rule)]) -> Vec<Flaw> {
    let whole_file = report.flaws().iter().filter(|f| f.row == 0).cloned();
    let flaws = whole_file.chain(errors.iter().map(|d| Flaw::of(d))).collect();
    with_unlisted(with_unlisted(flaws, &report.unlisted), let_go)
}

/// The report rules on the reports of round `from` on, each against the unit's previous file:
/// only the rules that can make a row invalid, or with `warnings` every rule. Gives their
/// diagnostics (with what reading those files found) and each of those files' flaws.
pub(crate) fn reports_from(
    loaded: &Loaded,
    as_of: DateTime<FixedOffset>,
    from: Round,
    warnings: bool,
) -> (Vec<Diagnostic>, Vec<(String, Vec<Flaw>)>) {
    let files: HashSet<&str> = loaded
        .reports
        .iter()
        .filter(|r| r.round >= from)
        .map(|r| r.file.as_str())
        .collect();
    let mut diags: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| files.contains(d.file.as_str()))
        .cloned()
        .collect();
    let unlisted = rules::reports::check(loaded, warnings, Some(from), &mut diags);
    if warnings {
        rules::digest_cells::check(loaded, Some(from), &mut diags);
        rules::targets::check(loaded, Some(from), &mut diags);
    }
    rules::submission::check(loaded, as_of, Some(from), &mut diags);
    crate::diagnostic::sort(&mut diags);
    let errors = errors_by_file(&diags);
    let unlisted = by_file(&unlisted);
    let flaws = loaded
        .reports
        .iter()
        .filter(|r| files.contains(r.file.as_str()))
        .map(|r| {
            let errors = errors.get(r.file.as_str()).map_or(&[][..], Vec::as_slice);
            let let_go = unlisted.get(r.file.as_str()).copied().unwrap_or_default();
            (r.file.clone(), final_flaws(r, errors, let_go))
        })
        .collect();
    (diags, flaws)
}

/// The rules over what no round's reports own: the task files and the extensions.
pub(crate) fn shared(loaded: &Loaded, as_of: DateTime<FixedOffset>, out: &mut Vec<Diagnostic>) {
    rules::tasks::check(loaded, out);
    rules::extensions::check(loaded, as_of, out);
}

/// Every diagnostic, sorted, and the report errors the rules let go of past the per-file cap.
fn diagnose(loaded: &Loaded, as_of: DateTime<FixedOffset>, warnings: bool) -> (Vec<Diagnostic>, Vec<FileUnlisted>) {
    let mut diags = loaded.diagnostics.clone();
    rules::tasks::check(loaded, &mut diags);
    let unlisted = rules::reports::check(loaded, warnings, None, &mut diags);
    if warnings {
        rules::digest_cells::check(loaded, None, &mut diags);
        rules::targets::check(loaded, None, &mut diags);
    }
    rules::submission::check(loaded, as_of, None, &mut diags);
    rules::extensions::check(loaded, as_of, &mut diags);
    crate::diagnostic::sort(&mut diags);
    (diags, unlisted)
}

/// Judges versions of reports (the loaded file, or earlier bytes) by the checks that make a row
/// invalid and by whether they were filled in. Built once per command, after [`run`].
pub(crate) struct VersionCheck<'a> {
    plan: &'a Plan,
    plan_rules: rules::reports::PlanIndex<'a>,
    index: ReportIndex<'a>,
}

impl<'a> VersionCheck<'a> {
    pub(crate) fn new(ws: &Workspace<'a>) -> VersionCheck<'a> {
        VersionCheck {
            plan: ws.plan,
            // Only errors decide whether a version counts.
            plan_rules: rules::reports::PlanIndex::of(ws.tasks, ws.assignments, false),
            index: ReportIndex::new(ws.reports),
        }
    }

    /// `report` as it stood at `at`: the loaded file itself (`bytes` None) or an earlier version.
    pub(crate) fn accept(&self, report: &Report, bytes: Option<&[u8]>, at: DateTime<FixedOffset>) -> Acceptance {
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
            limits: self.plan.limits,
        };
        let (parsed, mut diags) = parse(&info, bytes);
        let mut parsed = parsed.unwrap_or_else(|| unreadable(&info, &diags));
        let mut by_rules = Bounded::new(self.plan.limits.diagnostics_per_file);
        self.plan_rules.check_one(&parsed, &mut by_rules);
        let (found, let_go) = by_rules.finish();
        diags.extend(found);
        let flaws = with_unlisted(flaws(&report.file, &diags), &parsed.unlisted);
        parsed.set_flaws(with_unlisted(flaws, &let_go.errors));
        judge.accept(&parsed, at)
    }
}
