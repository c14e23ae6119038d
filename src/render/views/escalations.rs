//! `tracker escalations` as a table, CSV or JSON, and the circular's section, from one list.

use std::io::{self, Write};

use crate::assess::escalation::Fired;
use crate::render::terminal::table::{self, Grid, TableOpts};

/// 「红灯连续 3 轮」: the rounds that really ran, not the rule's minimum.
fn rule_text(f: &Fired) -> String {
    format!("{}连续 {} 轮", f.when.label(), f.history.len())
}

/// "2024-07 欠进度（红）、2024-08 欠进度（红）".
pub(crate) fn history_text(f: &Fired) -> String {
    f.history
        .iter()
        .map(|(r, s)| format!("{r} {s}"))
        .collect::<Vec<_>>()
        .join("、")
}

pub(crate) fn table(out: &mut dyn Write, fired: &[Fired], opts: &TableOpts) -> io::Result<()> {
    if fired.is_empty() {
        return writeln!(out, "没有需要督办、约谈或提醒的任务和单位。");
    }
    let mut t = Grid::new(
        opts,
        &[
            table::keep("措施"),
            table::wrap("对象", 12),
            table::truncate("牵头单位", 6).expendable(),
            table::keep("规则"),
            table::wrap("历次情况", 16),
        ],
    );
    for f in fired {
        t.row(vec![
            f.action.as_str().into(),
            f.subject.as_str().into(),
            if f.task.is_some() {
                f.units.join("、")
            } else {
                String::new()
            }
            .into(),
            rule_text(f).into(),
            history_text(f).into(),
        ]);
    }
    writeln!(out, "{}", t.render())
}

pub(crate) fn csv(out: &mut dyn Write, fired: &[Fired]) -> anyhow::Result<()> {
    let mut w = crate::render::people_csv::writer(out)?;
    w.write_record(["措施", "对象", "任务编号", "单位", "规则", "历次情况"])?;
    for f in fired {
        let task = f.task.map(|t| t.to_string()).unwrap_or_default();
        let (units, rule, history) = (f.units.join("、"), rule_text(f), history_text(f));
        crate::render::people_csv::write_row(&mut w, &[&f.action, &f.subject, &task, &units, &rule, &history])?;
    }
    w.flush()?;
    Ok(())
}

pub(crate) fn json(out: &mut dyn Write, fired: &[Fired]) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, fired)?;
    writeln!(out)?;
    Ok(())
}

/// The circular's lines: one per firing, grouped by action in the rules' order.
pub(crate) fn markdown_lines(fired: &[Fired]) -> Vec<String> {
    fired
        .iter()
        .map(|f| {
            format!(
                "- 【{}】{}：{}（{}）。",
                f.action,
                f.subject,
                rule_text(f),
                history_text(f)
            )
        })
        .collect()
}
