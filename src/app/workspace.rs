//! A repository fit to judge: its plan, units and tasks loaded without errors; a round and a unit
//! named on the command line, found in it.

use anyhow::{Result, bail};

use crate::load::Loaded;
use crate::model::{Plan, Round, Unit, UnitRef, Units, Workspace};

/// The loaded repository, when its plan, units and tasks are usable; otherwise the advice to run check.
pub(crate) fn workspace(loaded: &Loaded) -> Result<Workspace<'_>> {
    let broken: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && !d.file.starts_with("reports/"))
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
