//! Targets counted once: each figure from the unit asked for it (the total from its reporter, a
//! part from each unit of the breakdown), and what does not add up said before it is published.
//! Warnings only: judging already leaves out what was not asked and never adds a total to its parts.

use std::collections::HashMap;

use super::reports::at;
use crate::diagnostic::{Diagnostic, Rule};
use crate::load::Loaded;
use crate::model::task::Asked;
use crate::model::template::Column;
use crate::model::{Report, Round, Target, Task, Units};
use crate::text::fmt_num;

/// Every report of round `from` on (all with None).
pub(crate) fn check(loaded: &Loaded, from: Option<Round>, out: &mut Vec<Diagnostic>) {
    let Some(units) = &loaded.units else { return };
    let tasks: HashMap<u32, &Task> = loaded
        .tasks
        .iter()
        .filter(|t| !t.targets.is_empty())
        .map(|t| (t.id.value, t))
        .collect();
    if tasks.is_empty() {
        return;
    }
    let mut rounds: HashMap<Round, HashMap<&str, &Report>> = HashMap::new();
    for r in loaded.reports.iter().filter(|r| from.is_none_or(|f| r.round >= f)) {
        rounds.entry(r.round).or_default().insert(r.unit.as_str(), r);
        rows(r, &tasks, units, out);
    }
    for reports in rounds.values() {
        for task in tasks.values() {
            for target in &task.targets {
                parts_above_total(task, target, reports, units, out);
            }
        }
    }
}

/// Each metric row: a figure nobody asked this unit for, a part above its share, a total above
/// the target (up to three times it; beyond, `implausible-actual` says so).
fn rows(r: &Report, tasks: &HashMap<u32, &Task>, units: &Units, out: &mut Vec<Diagnostic>) {
    let Some(unit) = units.unit_by_id(&r.unit) else { return };
    for m in &r.metrics {
        let Some(task) = tasks.get(&m.task) else { continue };
        let Some(target) = task.targets.iter().find(|t| t.metric.value == m.metric) else {
            continue;
        };
        let on_task = task
            .lead_names()
            .chain(task.cooperating_names())
            .any(|n| units.expand(n).iter().any(|u| u.id == unit.id));
        let asked = task.asks(target, unit, units);
        let Some(v) = m.actual else { continue };
        let (goal, what) = match asked {
            None if on_task => {
                let by = task
                    .total_reporter(units)
                    .map_or("各分解单位".to_string(), |u| u.name.clone());
                out.push(
                    at(
                        r,
                        Rule::MetricNotAsked,
                        m.row,
                        Column::Actual,
                        format!("「{}」由 {by} 报全市合计，本单位不在分解目标中：这个值不计入", m.metric),
                    )
                    .hint("删去这一行；本单位的工作写在本月进展中"),
                );
                continue;
            }
            None => continue,
            Some(Asked::Total) => (target.value.value, "全市合计"),
            Some(Asked::Part(share)) => (share, "本单位完成数"),
        };
        if v > goal + 1e-9 && v <= goal * 3.0 {
            let target_name = if matches!(asked, Some(Asked::Total)) {
                "目标"
            } else {
                "本单位目标"
            };
            out.push(
                at(
                    r,
                    Rule::TargetSum,
                    m.row,
                    Column::Actual,
                    format!(
                        "「{}」{what} {} 超过{target_name} {}",
                        m.metric,
                        fmt_num(v),
                        fmt_num(goal)
                    ),
                )
                .hint("核实是否为累计数、是否含了其他单位的数；确实超额请在本月进展中说明"),
            );
        }
    }
}

/// A round's parts that add up to more than the total its reporter gave.
fn parts_above_total(
    task: &Task,
    target: &Target,
    reports: &HashMap<&str, &Report>,
    units: &Units,
    out: &mut Vec<Diagnostic>,
) {
    let Some(reporter) = task.total_reporter(units) else {
        return;
    };
    let Some(report) = reports.get(reporter.id.as_str()) else {
        return;
    };
    let Some((row, total)) = report.valid_actual(task.id.value, &target.metric.value) else {
        return;
    };
    let mut parts = Vec::new();
    for name in target.breakdown.keys() {
        let Some(u) = units.unit_by_name(name).filter(|u| u.id != reporter.id) else {
            continue;
        };
        if let Some((_, v)) = reports
            .get(u.id.as_str())
            .and_then(|r| r.valid_actual(task.id.value, &target.metric.value))
        {
            parts.push((u.name.as_str(), v));
        }
    }
    let sum: f64 = parts.iter().map(|(_, v)| v).sum();
    if !parts.is_empty() && sum > total + 1e-9 {
        let each: Vec<String> = parts.iter().map(|(n, v)| format!("{n} {}", fmt_num(*v))).collect();
        out.push(
            at(
                report,
                Rule::TargetSum,
                row.row,
                Column::Actual,
                format!(
                    "「{}」全市合计 {} 小于各县区合计 {}（{}）",
                    target.metric.value,
                    fmt_num(total),
                    fmt_num(sum),
                    each.join("、")
                ),
            )
            .hint("全市合计应含各县区的数：核实本单位的合计或各县区的数"),
        );
    }
}
