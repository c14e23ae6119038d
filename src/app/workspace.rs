//! A repository fit to judge: its plan, units and tasks loaded without errors; a round and a unit
//! named on the command line, found in it.

use anyhow::{Result, bail};
use chrono::{DateTime, FixedOffset};

use crate::load::Loaded;
use crate::model::{Plan, Round, Unit, UnitRef, Units, Workspace};

/// The loaded repository, when its plan, units and tasks are usable; otherwise the advice to run check.
pub(crate) fn workspace(loaded: &Loaded) -> Result<Workspace<'_>> {
    let broken: Vec<&str> = loaded
        .diagnostics
        .iter()
        // A report's or a plan's wrong rows are left out of the judgement, not in the way of it.
        .filter(|d| d.is_error() && !d.file.starts_with("reports/") && !d.file.starts_with("plans/"))
        .map(|d| d.file.as_str())
        .collect();
    match loaded.workspace() {
        Some(ws) if broken.is_empty() => Ok(ws),
        _ => bail!(
            "计划、单位名录或任务文件有错误（{}）；先运行 tracker check 查看并修正",
            broken.join("、")
        ),
    }
}

/// A round given on the command line or in a workbook, which must be in the plan's calendar.
pub(crate) fn in_calendar(plan: &Plan, round: Round) -> Result<Round> {
    if !plan.has_round(round) {
        bail!(
            "轮次 {round} 不在报送日历内（{} 至 {}）",
            plan.calendar.first,
            plan.calendar.last
        );
    }
    Ok(round)
}

/// `--unit`: an id, a name or an alias of one unit. A group or an unknown name is a usage error.
pub(crate) fn resolve_unit<'a>(units: &'a Units, wanted: &str) -> Result<&'a Unit> {
    match units.resolve(wanted) {
        Some(UnitRef::Unit(u)) => Ok(u),
        Some(UnitRef::Group(g)) => {
            let members: Vec<String> = g
                .members
                .iter()
                .filter_map(|m| units.unit_by_id(m))
                .map(|u| format!("{}（{}）", u.name, u.id))
                .collect();
            bail!(
                "「{}」是单位组，不是一个单位；请分别为成员单位操作：{}",
                g.name,
                members.join("、")
            )
        }
        None => {
            let close = crate::text::suggest(wanted, units.all_names(), 4);
            bail!(
                "找不到单位「{wanted}」{}；可用单位 id、全称或别名，见 units.toml",
                if close.is_empty() {
                    String::new()
                } else {
                    format!("（是否为 {}？）", close.join("、"))
                }
            )
        }
    }
}

/// The round a unit's report is for when none is named: after a deadline, until the next round's
/// due time, the round just closed if the unit still owes it (补报); otherwise the next round due.
pub(crate) fn default_round(ws: &Workspace, unit: &Unit, as_of: DateTime<FixedOffset>) -> Round {
    let next = ws.plan.next_due_round(as_of);
    let closed = ws.plan.rounds().into_iter().rev().find(|r| ws.plan.due(*r) < as_of);
    match closed {
        Some(c) if c < next && owes(ws, unit, c) => c,
        _ => next,
    }
}

/// Whether `unit` leads a task in `round` and has no filled-in report for it.
fn owes(ws: &Workspace, unit: &Unit, round: Round) -> bool {
    let leads = !ws.assignments.led_by(&unit.id).is_empty();
    let filled = ws
        .reports
        .iter()
        .any(|r| r.unit == unit.id && r.round == round && r.rows.iter().any(|row| row.filled));
    leads && !filled
}

/// 「补报 …」 when `unit` still owes `round`, whose deadline has passed.
pub(crate) fn late_for(ws: &Workspace, unit: &Unit, round: Round, as_of: DateTime<FixedOffset>) -> Option<String> {
    late_note(ws.plan, round, as_of).filter(|_| owes(ws, unit, round))
}

/// 「补报 2024-10 轮（已逾期 2 天 15 小时）」 for a round whose deadline has passed.
fn late_note(plan: &Plan, round: Round, as_of: DateTime<FixedOffset>) -> Option<String> {
    let late = (as_of - plan.due(round)).num_minutes();
    (late > 0).then(|| {
        format!(
            "补报 {round} 轮（已逾期 {}）",
            crate::assess::submissions::duration_label(late)
        )
    })
}
