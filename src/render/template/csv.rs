//! The unit's monthly template: every task it leads or cooperates on, a row per target, the
//! previous round's values carried forward when they passed the checks.

use std::io::Write;

use crate::model::task::Asked;
use crate::model::template::HEADERS;
use crate::model::{Assignments, Report, Role, Target, Task, Unit, Units};
use crate::render::people_csv::{write_row, writer};
use crate::text::fmt_num;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TemplateCounts {
    pub lead: usize,
    pub cooperating: usize,
    pub metrics: usize,
}

/// One row of the template, as cells in [`HEADERS`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateRow {
    pub cells: Vec<String>,
    /// A task the unit cooperates on (选报), listed after the ones it leads.
    pub cooperating: bool,
    /// A target's row (指标) under its task.
    pub is_metric: bool,
}

/// The template's rows: every task the unit leads, then every task it cooperates on, each with its
/// targets' rows; values that passed the checks carried forward from `previous`.
pub(crate) fn rows(
    unit: &Unit,
    (tasks, units): (&[Task], &Units),
    assignments: &Assignments,
    previous: Option<&Report>,
) -> (Vec<TemplateRow>, TemplateCounts) {
    let mut out = Vec::new();
    let mut counts = TemplateCounts::default();
    for (task_id, role) in assignments.tasks_of(&unit.id) {
        let Some(task) = tasks.iter().find(|t| t.id.value == task_id) else {
            continue;
        };
        match role {
            Role::Lead => counts.lead += 1,
            Role::Cooperating => counts.cooperating += 1,
        }
        out.push(main_row(unit, task, role, previous));
        // Each target is counted once: its total from one unit, the parts from those named in
        // its breakdown; other units on the task have no row for it.
        for target in &task.targets {
            if let Some(asked) = task.asks(target, unit, units) {
                counts.metrics += 1;
                out.push(metric_row(task_id, target, (role, asked), previous));
            }
        }
    }
    (out, counts)
}

/// A task's main row: its text for reference, and the values carried forward.
fn main_row(unit: &Unit, task: &Task, role: Role, previous: Option<&Report>) -> TemplateRow {
    let task_id = task.id.value;
    let prev = previous.and_then(|p| p.valid_row(task_id));
    let id = task_id.to_string();
    let status = prev.and_then(|p| p.status).map_or("", |s| s.label());
    let progress = prev.and_then(|p| p.progress).map(fmt_num).unwrap_or_default();
    let text = |f: fn(&crate::model::MainRow) -> &str| prev.map(f).unwrap_or("").to_string();
    let reporter = prev.map_or(unit.liaison.clone(), |p| p.text.reporter().to_string());
    let phone = prev.map_or(unit.phone.clone(), |p| p.text.phone().to_string());
    let main = [
        id.as_str(),
        role.label(),
        &task.key_task,
        &task.work.value,
        "",
        "",
        "",
        status,
        &progress,
        "",
        "",
        &text(|p| p.text.problems()),
        &text(|p| p.text.next_steps()),
        &reporter,
        &phone,
        "",
    ];
    TemplateRow {
        cells: main.iter().map(|c| c.to_string()).collect(),
        cooperating: role == Role::Cooperating,
        is_metric: false,
    }
}

/// A target's row: what is asked (the total, or the unit's own part against its share), the actual
/// carried forward.
fn metric_row(task_id: u32, target: &Target, (role, asked): (Role, Asked), previous: Option<&Report>) -> TemplateRow {
    let (goal, what) = match asked {
        Asked::Total if target.breakdown.is_empty() => (target.value.value, "全市合计".to_string()),
        Asked::Total => (target.value.value, "全市合计（含各县区）".to_string()),
        Asked::Part(share) => (
            share,
            format!("本单位完成数（本单位目标 {} {}）", fmt_num(share), target.unit),
        ),
    };
    let actual = previous
        .and_then(|p| p.valid_actual(task_id, &target.metric.value))
        .map(|(_, v)| fmt_num(v))
        .unwrap_or_default();
    let id = task_id.to_string();
    let row = [
        id.as_str(),
        role.label(),
        &what,
        "",
        &target.metric.value,
        &fmt_num(goal),
        &target.unit,
        "",
        "",
        &actual,
        "",
        "",
        "",
        "",
        "",
        "",
    ];
    TemplateRow {
        cells: row.iter().map(|c| c.to_string()).collect(),
        cooperating: role == Role::Cooperating,
        is_metric: true,
    }
}

/// The template as CSV (UTF-8 with BOM, CRLF, formula-safe).
pub(crate) fn write(out: &mut dyn Write, rows: &[TemplateRow]) -> anyhow::Result<()> {
    let mut w = writer(out)?;
    w.write_record(HEADERS)?;
    for row in rows {
        let cells: Vec<&str> = row.cells.iter().map(String::as_str).collect();
        write_row(&mut w, &cells)?;
    }
    w.flush()?;
    Ok(())
}
