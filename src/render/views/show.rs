//! `tracker show TASK`: one task in full, as text or JSON.

use std::io::{self, Write};

use serde::Serialize;

use crate::assess::TaskStatus;
use crate::model::{Plan, Round, Task};
use crate::render::terminal::table::{self, Grid, TableOpts, bar, pct};
use crate::text::fmt_num;

pub(crate) struct TaskView<'a> {
    pub task: &'a Task,
    pub plan: &'a Plan,
    pub round: Round,
    pub current: &'a TaskStatus,
    pub history: &'a [(Round, TaskStatus)],
    /// Each lead's plan in force at the round's deadline (name, plan).
    pub schedules: &'a [(std::sync::Arc<str>, crate::model::schedule::InForce)],
}

pub(crate) fn text(out: &mut dyn Write, v: &TaskView, opts: &TableOpts) -> io::Result<()> {
    about(out, v)?;
    verdict(out, v)?;
    if !v.current.targets.is_empty() {
        targets(out, v.current, opts)?;
    }
    rows(out, v.current, opts)?;
    history(out, v, opts)?;
    schedules(out, v, opts)
}

/// Each lead's plan in force, month by month, against the progress reported for that month.
fn schedules(out: &mut dyn Write, v: &TaskView, opts: &TableOpts) -> io::Result<()> {
    for (name, plan) in v.schedules {
        writeln!(out, "\n推进计划（{name}，{}）", plan.file)?;
        let mut tb = Grid::new(
            opts,
            &[
                table::keep("月份"),
                table::keep("计划进度"),
                table::keep("实报进度"),
                table::wrap("节点", 12),
            ],
        );
        for (month, planned) in &plan.row.months {
            let reported = v
                .history
                .iter()
                .find(|(r, _)| r.prev() == *month)
                .and_then(|(_, s)| s.progress);
            let node: Vec<&str> = plan
                .row
                .nodes
                .iter()
                .filter(|n| n.month == *month)
                .map(|n| n.text.as_str())
                .collect();
            tb.row(vec![
                month.to_string().into(),
                pct(Some(*planned)).into(),
                pct(reported).into(),
                node.join("；").into(),
            ]);
        }
        writeln!(out, "{}", tb.render())?;
    }
    Ok(())
}

/// What the task is: its text, place in the outline, units, due date and import notes.
fn about(out: &mut dyn Write, v: &TaskView) -> io::Result<()> {
    let t = v.task;
    let chapter = v.plan.chapter(t.chapter.value).map_or("", |c| c.title.as_str());
    let section = v
        .plan
        .section(t.chapter.value, t.section.value)
        .map_or("", |s| s.title.as_str());
    writeln!(out, "第 {} 项　{}", t.id.value, t.key_task)?;
    if let Some(l) = &t.label {
        writeln!(out, "　　　　{l}")?;
    }
    writeln!(
        out,
        "篇章：{}、{}　/　{}",
        crate::render::views::status::chinese_numeral(t.chapter.value),
        chapter,
        section
    )?;
    writeln!(out, "工作事项：{}", t.work.value)?;
    writeln!(out, "牵头单位：{}", t.lead_names().collect::<Vec<_>>().join("、"))?;
    let coop: Vec<&str> = t.cooperating_names().collect();
    writeln!(
        out,
        "配合单位：{}",
        if coop.is_empty() {
            "无".to_string()
        } else {
            coop.join("、")
        }
    )?;
    match v.current.extended_to {
        Some(extended) => writeln!(out, "完成时限：{extended}（已批准延期；原为 {}）", t.due.value)?,
        None => writeln!(out, "完成时限：{}", t.due.value)?,
    }
    for n in &t.notes {
        writeln!(out, "导入记录：{n}")?;
    }
    Ok(())
}

/// The round's verdict and why.
fn verdict(out: &mut dyn Write, v: &TaskView) -> io::Result<()> {
    let c = v.current;
    writeln!(
        out,
        "\n{} 轮（截止 {}）：{}　进度 {}　{} {}{}",
        v.round,
        crate::assess::round_status::due_text(v.plan.due(v.round), v.plan.due_note(v.round).as_deref()),
        c.assessment.label(),
        pct(c.progress),
        c.basis.label(),
        pct(Some(c.expected)),
        format_args!("\n研判依据：{}", c.reason)
    )?;
    if !c.nodes_missed.is_empty() {
        let missed = crate::render::views::status::nodes_missed(c);
        writeln!(out, "节点滞后：{}", crate::text::inert(&missed))?;
    }
    Ok(())
}

/// Each target against its actual, with its breakdown and where each sum comes from.
fn targets(out: &mut dyn Write, c: &TaskStatus, opts: &TableOpts) -> io::Result<()> {
    let mut tb = Grid::new(
        opts,
        &[
            table::wrap("指标", 8),
            table::keep("目标"),
            table::keep("累计完成"),
            table::keep("单位"),
            table::keep("完成率"),
        ],
    );
    let ratio = |actual: Option<f64>, goal: f64| pct(actual.map(|a| a / goal * 100.0));
    for target in &c.targets {
        tb.row(vec![
            target.metric.as_str().into(),
            fmt_num(target.target).into(),
            target.actual.map(fmt_num).unwrap_or_else(|| "—".into()).into(),
            target.unit.as_str().into(),
            ratio(target.actual, target.target).into(),
        ]);
        for b in &target.breakdown {
            tb.row(vec![
                format!("　其中 {}", b.unit).into(),
                fmt_num(b.target).into(),
                b.actual.map(fmt_num).unwrap_or_else(|| "—".into()).into(),
                target.unit.as_str().into(),
                ratio(b.actual, b.target).into(),
            ]);
        }
    }
    writeln!(out, "{}", tb.render())?;
    for target in c.targets.iter().filter(|t| !t.by_unit.is_empty()) {
        writeln!(out, "{}", sources_line(target))?;
    }
    Ok(())
}

/// The units' rows this round.
fn rows(out: &mut dyn Write, c: &TaskStatus, opts: &TableOpts) -> io::Result<()> {
    if c.rows.is_empty() {
        writeln!(out, "本轮没有单位填写这一任务的进展行。")?;
    } else {
        let mut tb = Grid::new(
            opts,
            &[
                table::truncate("单位", 6),
                table::keep("角色"),
                table::keep("状态"),
                table::keep("进度"),
                table::wrap("本月进展", 6).short("进展"),
                table::wrap("存在问题", 6).short("问题"),
                table::wrap("下步计划", 6).short("计划"),
                table::keep("来源"),
            ],
        );
        for r in &c.rows {
            tb.row(vec![
                (&*r.name).into(),
                r.role.short().into(),
                r.status.map_or("—", |s| s.label()).into(),
                pct(r.progress).into(),
                r.text.progress_note().into(),
                r.text.problems().into(),
                r.text.next_steps().into(),
                // The round is in the heading above: the file's name and the row are enough.
                format!("{}:{}", r.file.rsplit('/').next().unwrap_or(&r.file), r.row).into(),
            ]);
        }
        writeln!(out, "{}", tb.render())?;
    }
    Ok(())
}

/// Every round so far: verdict, progress and pace.
fn history(out: &mut dyn Write, v: &TaskView, opts: &TableOpts) -> io::Result<()> {
    writeln!(out, "\n历次报送")?;
    let mut tb = Grid::new(
        opts,
        &[
            table::keep("轮次"),
            table::keep("评估"),
            table::keep("进度"),
            table::keep("序时进度"),
            table::keep("").droppable(),
        ],
    );
    for (round, s) in v.history {
        tb.row(vec![
            round.to_string().into(),
            table::assessment_cell(s.assessment),
            pct(s.progress).into(),
            crate::render::views::status::expected_cell(s).into(),
            bar(s.progress, opts.ascii).into(),
        ]);
    }
    writeln!(out, "{}", tb.render())
}

/// "「和美乡村」累计完成 23 = 乐都区政府 10（2024-09，reports/2024-09/ldq.csv:3）+ …": each
/// unit's own latest valid value, so the sum can be checked by hand.
fn sources_line(target: &crate::assess::TargetStatus) -> String {
    let each = |u: &crate::assess::UnitActual| format!("{} {}（{}，{}）", u.name, fmt_num(u.actual), u.round, u.source);
    let total: Vec<String> = target.by_unit.iter().filter(|u| u.total).map(each).collect();
    let parts: Vec<String> = target.by_unit.iter().filter(|u| !u.total).map(each).collect();
    let actual = target.actual.map(fmt_num).unwrap_or_default();
    let mut line = match (total.first(), target.from_parts) {
        (Some(t), _) if parts.is_empty() => format!("「{}」累计完成 {actual}：全市合计 {t}", target.metric),
        (Some(t), _) => format!(
            "「{}」累计完成 {actual}：全市合计 {t}；其中 {}（不另计入）",
            target.metric,
            parts.join("、")
        ),
        (None, _) => format!(
            "「{}」累计完成 {actual} = {}（各县区合计：全市合计尚未报送）",
            target.metric,
            parts.join(" + ")
        ),
    };
    for flag in &target.flags {
        line.push_str(&format!("\n  ⚠ {flag}"));
    }
    line
}

#[derive(Serialize)]
struct JsonShow<'a> {
    id: u32,
    chapter: u32,
    section: u32,
    key_task: &'a str,
    label: Option<&'a str>,
    work: &'a str,
    lead_units: Vec<&'a str>,
    cooperating_units: Vec<&'a str>,
    due: String,
    notes: &'a [String],
    round: String,
    current: &'a TaskStatus,
    history: Vec<JsonHistory>,
}

#[derive(Serialize)]
struct JsonHistory {
    round: String,
    assessment: crate::assess::Assessment,
    #[serde(serialize_with = "crate::text::ser_round1_opt")]
    progress: Option<f64>,
    #[serde(serialize_with = "crate::text::ser_round1")]
    expected: f64,
    missing_units: Vec<std::sync::Arc<str>>,
}

pub(crate) fn json(out: &mut dyn Write, v: &TaskView) -> anyhow::Result<()> {
    let t = v.task;
    let view = JsonShow {
        id: t.id.value,
        chapter: t.chapter.value,
        section: t.section.value,
        key_task: &t.key_task,
        label: t.label.as_deref(),
        work: &t.work.value,
        lead_units: t.lead_names().collect(),
        cooperating_units: t.cooperating_names().collect(),
        due: t.due.value.to_string(),
        notes: &t.notes,
        round: v.round.to_string(),
        current: v.current,
        history: v
            .history
            .iter()
            .map(|(r, s)| JsonHistory {
                round: r.to_string(),
                assessment: s.assessment,
                progress: s.progress,
                expected: s.expected,
                missing_units: s.missing_units.clone(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &view)?;
    writeln!(out)?;
    Ok(())
}
