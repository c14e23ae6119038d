//! Rules over `extensions.toml`: each approval names a task and one of its lead units, moves the
//! due date later but not past the plan, and was not approved in the future.

use chrono::{DateTime, FixedOffset};

use crate::diagnostic::{Diagnostic, Rule};
use crate::load::{EXTENSIONS_FILE, Loaded};
use crate::model::{Assignments, Extension, Task};

pub(crate) fn check(loaded: &Loaded, as_of: DateTime<FixedOffset>, out: &mut Vec<Diagnostic>) {
    let (Some(plan), Some(units)) = (&loaded.plan, &loaded.units) else {
        return;
    };
    let Some(assignments) = loaded.assignments() else {
        return;
    };
    for e in &loaded.extensions {
        let problem = match loaded.tasks.iter().find(|t| t.id.value == e.task) {
            None => Some(format!("第 {} 项任务不在清单中", e.task)),
            Some(task) => problem(e, task, assignments, units, plan, as_of),
        };
        if let Some(message) = problem {
            out.push(
                Diagnostic::new(Rule::Extension, EXTENSIONS_FILE, message)
                    .at(e.line, 1)
                    .hint("照批准文件填写：任务编号、申请的牵头单位、批准日期、批准单位或文号、新的完成时限"),
            );
        }
    }
}

fn problem(
    e: &Extension,
    task: &Task,
    assignments: &Assignments,
    units: &crate::model::Units,
    plan: &crate::model::Plan,
    as_of: DateTime<FixedOffset>,
) -> Option<String> {
    let lead = units
        .resolve(&e.unit)
        .and_then(|r| match r {
            crate::model::UnitRef::Unit(u) => Some(u.id.clone()),
            crate::model::UnitRef::Group(_) => None,
        })
        .is_some_and(|id| assignments.leads(e.task).any(|lead| **lead == *id));
    if !lead {
        Some(format!("「{}」不是第 {} 项任务的牵头单位", e.unit, e.task))
    } else if e.new_due <= task.due.value {
        Some(format!("新的完成时限 {} 不晚于原定的 {}", e.new_due, task.due.value))
    } else if e.new_due > plan.end {
        Some(format!("新的完成时限 {} 超出计划期（至 {}）", e.new_due, plan.end))
    } else if e.approved_on > as_of.date_naive() {
        Some(format!("批准日期 {} 晚于现在", e.approved_on))
    } else if e.approved_on < plan.start {
        Some(format!("批准日期 {} 早于计划开始 {}", e.approved_on, plan.start))
    } else {
        None
    }
}
