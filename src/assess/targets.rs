//! A task's targets against their actuals, each counted once: the total its reporter gives (else
//! the sum of the parts, saying so), the parts beside it, and what does not add up.

use super::report_index::RoundReports;
use super::task_status::{BreakdownStatus, TargetStatus, UnitActual};
use crate::model::{Assignments, Round, Task, Unit, Units};
use crate::text::fmt_num;

pub(super) fn targets(
    task: &Task,
    reports: &RoundReports,
    units: &Units,
    assignments: &Assignments,
    round: Round,
) -> Vec<TargetStatus> {
    let reporter = task.total_reporter(units).map(|u| u.id.as_str());
    task.targets
        .iter()
        .map(|t| {
            let asked = |u: &Unit| task.asks(t, u, units).is_some();
            let mut by_unit = unit_actuals(
                task.id.value,
                &t.metric.value,
                reports,
                (units, &asked),
                assignments,
                round,
            );
            for u in &mut by_unit {
                u.total = Some(&*u.unit) == reporter;
            }
            let total = by_unit.iter().find(|u| u.total).map(|u| u.actual);
            let parts: Vec<&UnitActual> = by_unit.iter().filter(|u| !u.total).collect();
            let parts_sum = (!parts.is_empty()).then(|| parts.iter().map(|u| u.actual).sum::<f64>());
            let mut entries: Vec<_> = t.breakdown.iter().collect();
            entries.sort_by_key(|(name, _)| units.units.iter().position(|u| &u.name == *name).unwrap_or(usize::MAX));
            let breakdown: Vec<BreakdownStatus> = entries
                .into_iter()
                .map(|(name, target)| BreakdownStatus {
                    unit: name.clone(),
                    target: target.value,
                    actual: parts.iter().find(|u| *u.name == **name).map(|u| u.actual),
                })
                .collect();
            let round3 = |a: f64| (a * 1000.0).round() / 1000.0;
            TargetStatus {
                metric: t.metric.value.clone(),
                unit: t.unit.clone(),
                target: t.value.value,
                actual: total.or(parts_sum).map(round3),
                from_parts: total.is_none() && parts_sum.is_some(),
                flags: flags(t.value.value, total, parts_sum, &breakdown),
                breakdown,
                sources: by_unit.iter().map(|u| u.source.clone()).collect(),
                by_unit,
            }
        })
        .collect()
}

/// What does not add up, said beside the figures and never silently summed: parts above the total,
/// a part above its share, a total above the target.
fn flags(target: f64, total: Option<f64>, parts: Option<f64>, breakdown: &[BreakdownStatus]) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(total), Some(parts)) = (total, parts)
        && parts > total + 1e-9
    {
        out.push(format!("各县区合计 {} 大于全市合计 {}", fmt_num(parts), fmt_num(total)));
    }
    for b in breakdown {
        if let Some(a) = b.actual.filter(|a| *a > b.target + 1e-9) {
            out.push(format!(
                "{} {} 超过本单位目标 {}",
                b.unit,
                fmt_num(a),
                fmt_num(b.target)
            ));
        }
    }
    if let Some(total) = total.filter(|t| *t > target + 1e-9) {
        out.push(format!("全市合计 {} 超过目标 {}", fmt_num(total), fmt_num(target)));
    }
    out
}

/// Each unit asked for the metric (the total's reporter, the units of its breakdown) with its own
/// latest valid value for it:
/// from this round's received report, else from its latest earlier report that has one.
fn unit_actuals(
    task: u32,
    metric: &str,
    reports: &RoundReports,
    (units, asked): (&Units, &dyn Fn(&Unit) -> bool),
    assignments: &Assignments,
    round: Round,
) -> Vec<UnitActual> {
    assignments
        .units_on(task)
        .iter()
        .map(|&i| &units.units[i as usize])
        .filter(|u| asked(u))
        .filter_map(|u| {
            let mut candidates = reports.of(&u.id).into_iter().chain(reports.index.earlier(&u.id, round));
            let (actual, round, source) = match candidates.find_map(|r| Some((r, r.valid_actual(task, metric)?))) {
                Some((report, (row, value))) => (value, report.round, format!("{}:{}", report.file, row.row)),
                None => {
                    let a = reports.index.carried()?.actual(&u.id, task, metric)?;
                    (a.value, a.round, format!("{}:{}", a.file, a.row))
                }
            };
            Some(UnitActual {
                unit: u.id.as_str().into(),
                name: u.name.as_str().into(),
                actual,
                round,
                source,
                total: false,
            })
        })
        .collect()
}
