//! `tracker status` as a table, CSV or JSON, all from one [`RoundStatus`].

use std::io::{self, Write};

use serde::Serialize;

use crate::assess::corrections::Record;
use crate::assess::submissions::duration_label;
use crate::assess::{ATTENTION, Assessment, ChapterSummary, RoundStatus, Submission, TaskStatus, TimeSource};
use crate::model::DataVersion;
use crate::render::terminal::fit;
use crate::render::terminal::table::{self, Col, Grid, TableOpts, Text, assessment_cell, pct};
use crate::render::views::json_seq::Streamed;
use crate::render::views::record;
use crate::text::fmt_pct;

pub(crate) fn header(out: &mut dyn Write, s: &RoundStatus, version: Option<&DataVersion>) -> io::Result<()> {
    writeln!(out, "{}（{}）", s.title, s.document)?;
    writeln!(
        out,
        "轮次 {}　截止 {}　截至 {}",
        s.round,
        s.due_text(),
        s.as_of.format("%Y-%m-%d %H:%M")
    )?;
    if let Some(v) = version {
        writeln!(out, "数据版本 {}", v.label())?;
    }
    if let Some(m) = s.minutes_left {
        writeln!(out, "本轮尚未截止：距截止还有 {}", duration_label(m.max(1)))?;
    }
    if let Some((next, due)) = s.next_round {
        writeln!(out, "下一轮 {next} 截止 {}", due.format("%Y-%m-%d %H:%M"))?;
    }
    if let Some((last, due)) = s.calendar_over {
        writeln!(
            out,
            "报送日历已结束：最后一轮 {last} 已于 {} 截止",
            due.format("%Y-%m-%d %H:%M")
        )?;
    }
    let counts: Vec<String> = Submission::ALL
        .iter()
        .filter(|x| **x != Submission::Pending || s.minutes_left.is_some())
        .map(|x| format!("{} {}", x.label(), s.totals.submissions.get(*x)))
        .collect();
    writeln!(out, "应报单位 {} 个：{}", s.totals.units_expected, counts.join("，"))
}

/// 「1 个牵头单位的 2 行」: units counted as units, rows as rows.
pub(crate) fn left_out_text(s: &RoundStatus) -> String {
    format!("{} 个牵头单位的 {} 行", s.totals.left_out_units, s.totals.left_out)
}

/// Under the chapter table: the mean covers valid rows only.
pub(crate) fn left_out_note(s: &RoundStatus) -> Option<String> {
    (s.totals.left_out > 0).then(|| {
        format!(
            "注：平均进度和评估只计通过检查的行；本轮有 {}因错误未计入（见“报送有误”）。",
            left_out_text(s)
        )
    })
}

/// What the status table shows besides the round: the data version, every task or only those
/// needing attention, and each task's trend over the rounds (`--trend`).
pub(crate) struct View<'a> {
    pub version: Option<&'a DataVersion>,
    /// The publication shown and the changes since (or since the deadline), with unit names.
    pub record: Option<record::Named<'a>>,
    pub all: bool,
    /// `--assessment`: the list is of that assessment, every task of it.
    pub only: Option<Assessment>,
    pub trend: Option<&'a std::collections::BTreeMap<u32, String>>,
}

pub(crate) fn table(out: &mut dyn Write, s: &RoundStatus, view: &View, opts: &TableOpts) -> io::Result<()> {
    header(out, s, view.version)?;
    if let Some(line) = view.record.and_then(|n| record::published_line(n.record)) {
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    tables(out, s, view, opts)?;
    match view.record {
        Some(named) => record::section(out, named),
        None => Ok(()),
    }
}

/// The chapter table and the tasks' table.
fn tables(out: &mut dyn Write, s: &RoundStatus, view: &View, opts: &TableOpts) -> io::Result<()> {
    let all = view.all;
    chapter_table(out, s, opts)?;
    if let Some(note) = left_out_note(s) {
        writeln!(out, "{note}")?;
    }
    if s.reports_received == 0 {
        return getting_started(out, s, opts.width);
    }
    let attention = format!("需关注的任务（{ATTENTION}）");
    let only = view.only.map(|a| format!("评估为「{}」的任务", a.label()));
    let (title, rows): (&str, Vec<&TaskStatus>) = if let Some(only) = &only {
        (only, s.tasks.iter().collect())
    } else if all {
        ("全部任务", s.tasks.iter().collect())
    } else {
        (&attention, s.tasks.iter().filter(|t| t.needs_attention()).collect())
    };
    writeln!(out, "\n{title}：{} 项", rows.len())?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut cols = TASK_COLUMNS.to_vec();
    if view.trend.is_some() {
        cols.insert(6, table::keep("趋势"));
    }
    let mut t = Grid::new(opts, &cols);
    t.ids(s.units.iter().map(|u| (u.name.clone(), u.id.clone())));
    for task in rows {
        let mut row: Vec<Text> = vec![
            task.id.to_string().into(),
            (&*task.key_task).into(),
            task.lead_units.join("、").into(),
            assessment_cell(task.assessment),
            pct(task.progress).into(),
            expected_cell(task).into(),
            beside_columns(task).into(),
        ];
        if let Some(trend) = view.trend {
            row.insert(6, trend.get(&task.id).cloned().unwrap_or_default().into());
        }
        t.row(row);
    }
    writeln!(out, "{}", t.render())?;
    if opts.color {
        writeln!(out, "{}", table::LEGEND)?;
    }
    Ok(())
}

const TASK_COLUMNS: [Col; 7] = [
    table::keep("编号"),
    table::truncate("重点任务", 6).short("任务").prefer(16),
    table::names("牵头单位").short("牵头"),
    table::keep("评估"),
    table::keep("进度"),
    table::keep("序时进度").short("序时"),
    table::wrap("说明", 12),
];

/// Two-character headers for the chapter table's compact layout.
const CHAPTER_SHORT: [&str; 13] = [
    "篇章",
    "任务",
    "完成",
    "超前",
    "达标",
    "黄灯",
    "红灯",
    "受阻",
    "未启",
    "未报",
    "有误",
    "待报",
    "均进度",
];

/// The chapter summary; when the titles do not fit, each chapter is its numeral and the titles
/// follow as a legend.
fn chapter_table(out: &mut dyn Write, s: &RoundStatus, opts: &TableOpts) -> io::Result<()> {
    let cols: Vec<Col> = CHAPTER_HEADERS
        .iter()
        .enumerate()
        .map(|(i, h)| match i {
            0 => table::truncate(h, 2),
            // 受阻, 未启动, 有误, 待报: left out when all zero and the table is too wide.
            7 | 8 | 10 | 11 => table::keep(h).droppable().short(CHAPTER_SHORT[i]),
            _ => table::keep(h).short(CHAPTER_SHORT[i]),
        })
        .collect();
    let grid = |numerals: bool| {
        let mut g = Grid::new(opts, &cols);
        for ch in &s.chapters {
            let mut cells: Vec<Text> = chapter_cells(ch).into_iter().map(Text::from).collect();
            if numerals {
                cells[0] = chinese_numeral(ch.number).into();
            }
            g.row(cells);
        }
        g
    };
    let full = grid(false);
    let narrow = opts.width.is_some_and(|w| full.natural_width() > usize::from(w));
    if !narrow {
        return writeln!(out, "{}", full.render());
    }
    writeln!(out, "{}", grid(true).render())?;
    for ch in &s.chapters {
        for line in fit::wrap(
            &format!("{}、{}", chinese_numeral(ch.number), ch.title),
            usize::from(opts.width.unwrap_or(80)),
        ) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// A task's 说明 as people read it: why it has its light, that it stands still, what blocks it.
/// The remark as the table shows it, beside the 进度 and 序时进度 columns: without repeating them
/// (「落后 18 个百分点」, not 「进度 50%，序时进度 68%，落后 18 个百分点」).
fn beside_columns(task: &TaskStatus) -> String {
    let text = remark(task);
    let Some(p) = task.progress else { return text };
    let (p, e, pace) = (fmt_pct(p), fmt_pct(task.expected), task.basis.label());
    let shown = [
        format!("进度 {p}%，{pace} {e}%，"),
        format!("进度 {p}%，{pace} {e}%"),
        format!("进度 {p}%，"),
    ];
    let mut out = text;
    for s in &shown {
        out = out.replace(s.as_str(), "");
    }
    out.trim_start_matches('；').replace("（）", "").to_string()
}

pub(crate) fn remark(task: &TaskStatus) -> String {
    let mut parts = vec![task.reason.clone()];
    if task.stale {
        parts.push("与上轮相同".to_string());
    }
    if task.assessment == Assessment::Blocked
        && let Some(p) = task.rows.iter().find(|r| !r.text.problems().is_empty())
    {
        parts.push(format!("问题：{}", p.text.problems()));
    }
    for t in &task.targets {
        parts.extend(t.flags.iter().map(|f| format!("⚠ {f}")));
    }
    if !task.nodes_missed.is_empty() {
        parts.push(format!("节点滞后：{}", nodes_missed(task)));
    }
    parts.join("；")
}

/// 「化隆县政府 5月 主体开工（计划 30%，现 20%）」, each missed node of the task's leads.
pub(crate) fn nodes_missed(task: &TaskStatus) -> String {
    let each: Vec<String> = task
        .nodes_missed
        .iter()
        .map(|n| format!("{} {}", n.name, n.describe()))
        .collect();
    each.join("；")
}

/// The expected progress as a table shows it: marked when it is the leads' own plan.
pub(crate) fn expected_cell(task: &TaskStatus) -> String {
    match task.basis {
        crate::assess::Basis::Plan => format!("{}（计划）", pct(Some(task.expected))),
        crate::assess::Basis::Linear => pct(Some(task.expected)),
    }
}

fn getting_started(out: &mut dyn Write, s: &RoundStatus, width: Option<u16>) -> io::Result<()> {
    writeln!(
        out,
        "\n本轮尚未收到任何报送。应报单位（牵头单位）{} 个：",
        s.units.len()
    )?;
    let names: Vec<String> = s.units.iter().map(|u| format!("{}（{}）", u.name, u.id)).collect();
    for line in name_lines(&names, width.map_or(usize::MAX, usize::from)) {
        writeln!(out, "{line}")?;
    }
    writeln!(
        out,
        "\n开始报送：各单位运行 tracker report new --unit <单位id> 生成本轮模板，"
    )?;
    writeln!(
        out,
        "用 Excel/WPS 填写后另存为 CSV UTF-8，运行 tracker check，再用 tracker submit --unit <单位id> --push 提交；"
    )?;
    writeln!(
        out,
        "用工作簿的，加 --format xlsx 生成，填写后直接保存，用 tracker submit --unit <单位id> <工作簿> --push 交回。"
    )
}

/// Names joined by 、 on indented lines of at most six names and `width` columns, each name
/// whole: wrapped later, a line would break inside a unit's name and lose its indent.
fn name_lines(names: &[String], width: usize) -> Vec<String> {
    let mut lines: Vec<(String, usize)> = Vec::new();
    for name in names {
        match lines.last_mut() {
            Some((line, count)) if *count < 6 && crate::text::width(line) + 2 + crate::text::width(name) <= width => {
                line.push('、');
                line.push_str(name);
                *count += 1;
            }
            _ => lines.push((format!("  {name}"), 1)),
        }
    }
    lines.into_iter().map(|(line, _)| line).collect()
}

/// The per-chapter summary's columns, shared by the status table and the circular.
pub(crate) const CHAPTER_HEADERS: [&str; 13] = [
    "篇章",
    "任务数",
    "已完成",
    "超进度",
    "达进度",
    "黄灯",
    "红灯",
    "受阻",
    "未启动",
    "未报送",
    "有误",
    "待报",
    "平均进度",
];

pub(crate) fn chapter_cells(ch: &ChapterSummary) -> Vec<String> {
    let count = |x: Assessment| ch.assessments.get(x).to_string();
    let mut cells = vec![
        format!("{}、{}", chinese_numeral(ch.number), ch.title),
        ch.tasks.to_string(),
    ];
    cells.extend(Assessment::ALL.map(count));
    cells.push(pct(ch.mean_progress));
    cells
}

pub fn chinese_numeral(n: u32) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n as usize].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", D[(n - 10) as usize]),
        _ => n.to_string(),
    }
}

pub(crate) fn csv(out: &mut dyn Write, s: &RoundStatus) -> anyhow::Result<()> {
    let mut w = crate::render::people_csv::writer(out)?;
    w.write_record([
        "轮次",
        "任务编号",
        "篇章",
        "重点任务",
        "牵头单位",
        "评估",
        "状态",
        "进度",
        "序时进度",
        "进度基准",
        "未报送单位",
        "停滞",
        "说明",
    ])?;
    for t in &s.tasks {
        let round = s.round.to_string();
        let id = t.id.to_string();
        let chapter = t.chapter.to_string();
        let leads = t.lead_units.join("、");
        let progress = t.progress.map(fmt_pct).unwrap_or_default();
        let expected = fmt_pct(t.expected);
        let missing = t.missing_units.join("、");
        let cells = [
            round.as_str(),
            &id,
            &chapter,
            &t.key_task,
            &leads,
            t.assessment.label(),
            t.status.map_or("", |s| s.label()),
            &progress,
            &expected,
            t.basis.label(),
            &missing,
            if t.stale { "是" } else { "" },
            &t.reason,
        ];
        crate::render::people_csv::write_row(&mut w, &cells)?;
    }
    w.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct JsonStatus<'a, T: Serialize> {
    title: &'a str,
    round: String,
    due: String,
    as_of: String,
    reports_received: usize,
    commit: Option<&'a DataVersion>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a crate::assess::corrections::Publication>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    corrections: &'a [crate::assess::corrections::Correction],
    totals: &'a crate::assess::Totals,
    chapters: &'a [crate::assess::ChapterSummary],
    /// Written as each is made: the province's 20,000 would otherwise be held at the peak.
    tasks: T,
    units: Vec<JsonUnit<'a>>,
}

#[derive(Serialize)]
struct JsonTask<'a> {
    id: u32,
    chapter: u32,
    key_task: &'a str,
    lead_units: &'a [std::sync::Arc<str>],
    /// The lead units whose rows decided the verdict.
    deciding: &'a [std::sync::Arc<str>],
    assessment: Assessment,
    status: Option<crate::model::Status>,
    #[serde(serialize_with = "crate::text::ser_round1_opt")]
    progress: Option<f64>,
    #[serde(serialize_with = "crate::text::ser_round1")]
    expected: f64,
    basis: crate::assess::Basis,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    nodes_missed: &'a [crate::assess::MissedNode],
    #[serde(serialize_with = "crate::text::ser_round1_opt")]
    lag: Option<f64>,
    reason: &'a str,
    extended_to: Option<chrono::NaiveDate>,
    missing_units: &'a [std::sync::Arc<str>],
    invalid_units: Vec<JsonInvalid<'a>>,
    pending_units: &'a [std::sync::Arc<str>],
    stale: bool,
    targets: Vec<JsonTarget<'a>>,
}

#[derive(Serialize)]
struct JsonInvalid<'a> {
    unit: &'a str,
    row: usize,
    rule: crate::diagnostic::Rule,
}

#[derive(Serialize)]
struct JsonTarget<'a> {
    metric: &'a str,
    unit: &'a str,
    target: f64,
    actual: Option<f64>,
    /// `actual` is the sum of the parts: the total's reporter has not reported.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    from_parts: bool,
    /// What does not add up (parts above the total, a part above its share, a total above target).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    flags: &'a [String],
    /// `file:row` of the total, and of each part.
    sources: &'a [String],
}

#[derive(Serialize)]
pub(crate) struct JsonUnit<'a> {
    id: &'a str,
    name: &'a str,
    submission: Submission,
    received_at: Option<String>,
    time_source: TimeSource,
    late_minutes: Option<i64>,
    file: Option<&'a str>,
    remark: Option<&'a str>,
    clock_skew: bool,
}

pub(crate) fn json_units(s: &RoundStatus) -> Vec<JsonUnit<'_>> {
    s.units
        .iter()
        .map(|u| JsonUnit {
            id: &u.id,
            name: &u.name,
            submission: u.submission,
            received_at: u.received_at.map(|t| t.to_rfc3339()),
            time_source: u.time_source,
            late_minutes: u.late_minutes,
            file: u.file.as_deref(),
            remark: u.remark.as_deref(),
            clock_skew: u.clock_skew,
        })
        .collect()
}

pub(crate) fn json(
    out: &mut dyn Write,
    s: &RoundStatus,
    version: Option<&DataVersion>,
    record: &Record,
) -> anyhow::Result<()> {
    let view = JsonStatus {
        published: record.published.as_ref(),
        corrections: &record.corrections,
        title: &s.title,
        round: s.round.to_string(),
        due: s.due.to_rfc3339(),
        as_of: s.as_of.to_rfc3339(),
        reports_received: s.reports_received,
        commit: version,
        totals: &s.totals,
        chapters: &s.chapters,
        tasks: Streamed(|| s.tasks.iter().map(json_task)),
        units: json_units(s),
    };
    serde_json::to_writer_pretty(&mut *out, &view)?;
    writeln!(out)?;
    Ok(())
}

fn json_task(t: &TaskStatus) -> JsonTask<'_> {
    JsonTask {
        id: t.id,
        chapter: t.chapter,
        key_task: &t.key_task,
        lead_units: &t.lead_units,
        deciding: &t.deciding,
        assessment: t.assessment,
        status: t.status,
        progress: t.progress,
        expected: t.expected,
        basis: t.basis,
        nodes_missed: &t.nodes_missed,
        lag: t.lag,
        reason: &t.reason,
        extended_to: t.extended_to,
        missing_units: &t.missing_units,
        invalid_units: t
            .invalid_units
            .iter()
            .map(|i| JsonInvalid {
                unit: &i.name,
                row: i.row,
                rule: i.rule,
            })
            .collect(),
        pending_units: &t.pending_units,
        stale: t.stale,
        targets: t
            .targets
            .iter()
            .map(|x| JsonTarget {
                metric: &x.metric,
                unit: &x.unit,
                target: x.target,
                actual: x.actual,
                from_parts: x.from_parts,
                flags: &x.flags,
                sources: &x.sources,
            })
            .collect(),
    }
}
