//! Rules that need "now": a 填报日期 in the future, a file that is not (yet) a submission, and a
//! liaison who differs from units.toml.

use chrono::{DateTime, FixedOffset};

use super::reports::at;
use crate::assess::ReportIndex;
use crate::assess::substance::{Unsubstantive, Window, substance};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::load::Loaded;
use crate::model::template::Column;
use crate::model::{Report, Round, Units};

/// Every report file, or those of round `from` on.
pub(crate) fn check(loaded: &Loaded, as_of: DateTime<FixedOffset>, from: Option<Round>, out: &mut Vec<Diagnostic>) {
    let (Some(plan), Some(units)) = (&loaded.plan, &loaded.units) else {
        return;
    };
    let Some(assignments) = loaded.assignments() else {
        return;
    };
    let index = ReportIndex::new(&loaded.reports);
    // Each file alone, so on every core; recorded in the files' order.
    let reports: Vec<&Report> = loaded
        .reports
        .iter()
        .filter(|r| from.is_none_or(|f| r.round >= f))
        .collect();
    let found = crate::par::map(&reports, |r| {
        let mut found = Vec::new();
        if r.columns.is_empty() {
            return found; // unreadable: said where it was read
        }
        let window = Window::new(plan, r.round, as_of);
        future_dates(r, &window, &mut found);
        let previous = index.previous(&r.unit, r.round);
        match substance(r, assignments, previous, &window) {
            // Cells that failed to read are reported where they are; the file is 有错误 already.
            Err(_) if r.has_errors() => {}
            Ok(()) => partly_filled(r, assignments, &mut found),
            Err(why) => found.push(not_filled(r, &why, as_of >= plan.due(r.round))),
        }
        liaison(r, units, &mut found);
        found
    });
    // At its final size: a province's tens of thousands of diagnostics grown by doubling were
    // copied, and fresh memory touched, again and again.
    out.reserve(found.iter().map(Vec::len).sum());
    out.extend(found.into_iter().flatten());
}

fn future_dates(r: &Report, window: &Window, out: &mut Vec<Diagnostic>) {
    for row in &r.rows {
        if let Some(d) = row.reported_on.filter(|d| *d > window.until) {
            out.push(
                at(
                    r,
                    Rule::FutureDate,
                    row.row,
                    Column::ReportedOn,
                    format!("填报日期 {d} 晚于现在（{}）", window.until),
                )
                .hint("填写实际填报的日期；这一行不计入研判"),
            );
        }
    }
}

fn not_filled(r: &Report, why: &Unsubstantive, due: bool) -> Diagnostic {
    let hint = match why {
        Unsubstantive::Untouched => "在模板中填写本月的状态、进度、本月进展和填报日期".to_string(),
        Unsubstantive::Unfilled(_) => "牵头任务每轮必报：状态和进度都要填写".to_string(),
        Unsubstantive::NoDate => "在填报日期列写上填报当天的日期，例如 2024-08-03".to_string(),
        Unsubstantive::DateOutside(_) => "填报日期应在上一轮截止之后、本轮填报当天".to_string(),
    };
    let d = Diagnostic::new(
        Rule::NotFilled,
        r.file.clone(),
        format!("{}：这个文件还不算报送", why.label()),
    )
    .hint(hint);
    if due { d } else { d.severity(Severity::Warning) }
}

/// A submission that leaves some of its lead tasks unfilled: a warning at each such row (or at the
/// file, for a task with no row); the file counts, 不完整, and those tasks are 未报送 for the unit.
fn partly_filled(r: &Report, assignments: &crate::model::Assignments, out: &mut Vec<Diagnostic>) {
    for task in crate::assess::substance::unfilled_leads(r, assignments) {
        let message = format!("牵头任务第 {task} 项未填状态或进度：本单位本轮计为“不完整”，该项计为未报送");
        let d = match r.row(task) {
            Some(row) => at(r, Rule::NotFilled, row.row, Column::Status, message),
            None => Diagnostic::new(Rule::NotFilled, r.file.clone(), message),
        };
        out.push(
            d.severity(Severity::Warning)
                .hint("牵头任务每轮必报：状态和进度都要填写"),
        );
    }
}

/// The first 填报人 and 联系电话 filled in the file, against units.toml's liaison.
fn liaison(r: &Report, units: &Units, out: &mut Vec<Diagnostic>) {
    let Some(unit) = units.unit_by_id(&r.unit) else { return };
    let first = |f: fn(&crate::model::MainRow) -> &str| {
        r.rows
            .iter()
            .map(|row| (row, f(row)))
            .find(|(_, given)| !given.is_empty())
    };
    for (found, listed, column, what) in [
        (first(|x| x.text.reporter()), &unit.liaison, Column::Reporter, "填报人"),
        (first(|x| x.text.phone()), &unit.phone, Column::Phone, "联系电话"),
    ] {
        let Some((row, given)) = found else { continue };
        if !listed.is_empty() && given != listed {
            out.push(
                at(
                    r,
                    Rule::LiaisonMismatch,
                    row.row,
                    column,
                    format!("{what}「{given}」与 units.toml 中的「{listed}」不一致"),
                )
                .hint("联络员有变动的，请市发展改革委更新 units.toml；否则照 units.toml 填写"),
            );
        }
    }
}
