//! A task's targets against their actuals: each unit's own latest valid value, summed.

use super::report_index::RoundReports;
use super::task_status::{BreakdownStatus, TargetStatus, UnitActual};
use crate::model::{Assignments, Round, Task, Units};

pub(super) fn targets(
    task: &Task,
    reports: &RoundReports,
    units: &Units,
    assignments: &Assignments,
    round: Round,
) -> Vec<TargetStatus> {
    task.targets
        .iter()
        .map(|t| {
            let by_unit = unit_actuals(task.id.value, &t.metric.value, reports, units, assignments, round);
            let actual = (!by_unit.is_empty()).then(|| by_unit.iter().map(|u| u.actual).sum::<f64>());
            let mut entries: Vec<_> = t.breakdown.iter().collect();
            entries.sort_by_key(|(name, _)| units.units.iter().position(|u| &u.name == *name).unwrap_or(usize::MAX));
            let breakdown = entries
                .into_iter()
                .map(|(name, target)| BreakdownStatus {
                    unit: name.clone(),
                    target: target.value,
                    actual: by_unit.iter().find(|u| *u.name == **name).map(|u| u.actual),
                })
                .collect();
            TargetStatus {
                metric: t.metric.value.clone(),
                unit: t.unit.clone(),
                target: t.value.value,
                actual: actual.map(|a| (a * 1000.0).round() / 1000.0),
                breakdown,
                sources: by_unit.iter().map(|u| u.source.clone()).collect(),
                by_unit,
            }
        })
        .collect()
}

/// Each unit on the task (lead or cooperating) with its own latest valid value for the metric:
/// from this round's received report, else from its latest earlier report that has one.
fn unit_actuals(
    task: u32,
    metric: &str,
    reports: &RoundReports,
    units: &Units,
    assignments: &Assignments,
    round: Round,
) -> Vec<UnitActual> {
    assignments
        .units_on(task)
        .iter()
        .map(|&i| &units.units[i as usize])
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
            })
        })
        .collect()
}
