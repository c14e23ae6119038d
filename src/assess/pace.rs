//! The pace a task is judged against: each lead's own 推进计划 for the month the round reports,
//! where it filed one, else the straight line from the plan's start to the due date (序时进度);
//! and the plan's milestones (节点) the task has passed without reaching.

use std::sync::Arc;

use super::task_status::{Basis, MissedNode, UnitRow};
use crate::model::{Round, Workspace};

/// One lead's expected progress for the round, and whether it came from its plan.
pub(crate) struct LeadPace {
    pub unit: Arc<str>,
    pub expected: f64,
    pub planned: bool,
}

/// Every lead's pace for `task` in `round`: its plan in force at the round's deadline for the
/// month the round reports, or `linear` (the straight-line 序时进度, 0–100).
pub(crate) fn lead_paces(ws: &Workspace, task: u32, round: Round, linear: f64) -> Vec<LeadPace> {
    if ws.schedules.is_empty() {
        let line = |uid: &std::sync::Arc<str>| LeadPace {
            unit: uid.clone(),
            expected: linear,
            planned: false,
        };
        return ws.assignments.leads(task).map(line).collect();
    }
    let at = ws.plan.due(round).timestamp();
    let month = round.prev();
    ws.assignments
        .leads(task)
        .map(|uid| {
            let planned = ws.schedules.at(uid, task, at).map(|v| v.row.planned(month));
            LeadPace {
                unit: uid.clone(),
                expected: planned.unwrap_or(linear),
                planned: planned.is_some(),
            }
        })
        .collect()
}

/// The expected progress of the task: the mean over the leads whose progress counts (as progress
/// is their mean), or over every lead when none does; and its basis.
pub(crate) fn expected(paces: &[LeadPace], rows: &[UnitRow], linear: f64) -> (f64, Basis) {
    let counted: Vec<&LeadPace> = paces
        .iter()
        .filter(|p| rows.iter().any(|r| r.unit == p.unit && r.progress.is_some()))
        .collect();
    let over: Vec<&LeadPace> = if counted.is_empty() {
        paces.iter().collect()
    } else {
        counted
    };
    if over.is_empty() {
        return (linear, Basis::Linear);
    }
    let mean = over.iter().map(|p| p.expected).sum::<f64>() / over.len() as f64;
    let basis = if over.iter().any(|p| p.planned) {
        Basis::Plan
    } else {
        Basis::Linear
    };
    (mean, basis)
}

/// The nodes each lead has passed (up to the month the round reports) below their planned value.
pub(crate) fn missed_nodes(ws: &Workspace, task: u32, round: Round, rows: &[UnitRow]) -> Vec<MissedNode> {
    if ws.schedules.is_empty() {
        return Vec::new();
    }
    let at = ws.plan.due(round).timestamp();
    let month = round.prev();
    let mut out = Vec::new();
    for row in rows {
        let (Some(progress), false) = (row.progress, row.status == Some(crate::model::Status::Done)) else {
            continue;
        };
        let Some(plan) = ws.schedules.at(&row.unit, task, at) else {
            continue;
        };
        for node in plan.row.nodes.iter().filter(|n| n.month <= month) {
            let planned = plan.row.planned(node.month);
            if progress + 1e-9 < planned {
                out.push(MissedNode {
                    unit: row.unit.clone(),
                    name: row.name.clone(),
                    month: node.month,
                    node: node.text.clone(),
                    planned,
                    progress,
                });
            }
        }
    }
    out
}

/// 「已报」 or 「未报」 for a lead unit's 推进计划, once `[plans] due` has passed; None before.
pub(crate) fn plan_state(
    ws: &Workspace,
    unit: &str,
    as_of: chrono::DateTime<chrono::FixedOffset>,
) -> Option<&'static str> {
    let due = ws.plan.plans_due?;
    if as_of.date_naive() <= due || ws.assignments.led_by(unit).is_empty() {
        return None;
    }
    Some(if ws.schedules.filed_by(unit, as_of.timestamp()) {
        "已报"
    } else {
        "未报"
    })
}
