//! The digest workbook's reading sheets: 概览 (the month at a glance: chapters, lights, a chart,
//! who is late, what is red) and 历次进度 (every task in every round so far, coloured).

use rust_xlsxwriter::{Chart, ChartFormat, ChartSolidFill, ChartType, Format, FormatAlign, Worksheet, XlsxError};

use crate::assess::trend::History;
use crate::assess::{ATTENTION, Assessment, RoundStatus, Submission, TaskStatus};
use crate::render::digest::xlsx::{HEADER_ROW, frame, height_of, wrapped_lines};
use crate::render::digest::xlsx_style::{self as style, light_of};
use crate::render::views::status::chinese_numeral;
use crate::text::width;

const OVERVIEW: &str = "概览";

/// Column widths, in widths of '0': the chapters' and tasks' names, then at least this for the
/// counts.
const FIRST_WIDTH: f64 = 34.0;
const COLUMN_WIDTH: f64 = 9.0;

/// 概览: the chapter table with a chart of the lights, the units by submission, the tasks needing
/// attention, for the round `s`.
pub(crate) fn overview(ws: &mut Worksheet, meta: &str, s: &RoundStatus) -> Result<(), XlsxError> {
    let mut headers = vec!["篇章", "任务数"];
    headers.extend(Assessment::ALL.iter().map(|a| a.label()));
    headers.push("平均进度");
    frame(
        ws,
        OVERVIEW,
        &format!("{}（{} 轮）概览", s.title, s.round),
        meta,
        &headers,
    )?;
    let last_chapter_row = chapter_rows(ws, s)?;
    chapter_chart(ws, s, last_chapter_row)?;
    // The counts' columns as wide as their headers, so that 欠进度（黄） does not break.
    let mut widths: Vec<f64> = std::iter::once(FIRST_WIDTH)
        .chain(headers[1..].iter().map(|h| COLUMN_WIDTH.max(width(h) as f64 + 1.0)))
        .collect();
    // The attention block's 序时进度 column, when a value reads 「50%（计划）」.
    let planned = s
        .tasks
        .iter()
        .any(|t| t.needs_attention() && t.basis == crate::assess::Basis::Plan);
    if planned {
        widths[4] = widths[4].max(13.0);
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    // The chart takes 18 rows below the table; the units and the red tasks follow.
    let next = units_block(ws, s, last_chapter_row + 20, &widths)?;
    attention_block(ws, s, next + 2, &widths)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 1)?;
    Ok(())
}

/// One row per chapter and a total row, the counts coloured by light; returns the last row.
fn chapter_rows(ws: &mut Worksheet, s: &RoundStatus) -> Result<u32, XlsxError> {
    let mut r = HEADER_ROW;
    for ch in &s.chapters {
        r += 1;
        ws.write_string(r, 0, format!("{}、{}", chinese_numeral(ch.number), ch.title))?;
        ws.write_number(r, 1, ch.tasks as f64)?;
        counts(ws, r, |a| ch.assessments.get(a))?;
        if let Some(p) = ch.mean_progress {
            let p = crate::text::round1(p);
            ws.write_number_with_format(r, 12, p / 100.0, &style::percent(p))?;
        }
    }
    r += 1;
    let bold = Format::new().set_bold();
    ws.write_string_with_format(r, 0, "合计", &bold)?;
    ws.write_number_with_format(r, 1, s.totals.tasks as f64, &bold)?;
    counts(ws, r, |a| s.totals.assessments.get(a))?;
    Ok(r)
}

/// The count per assessment, in its light when not zero.
fn counts(ws: &mut Worksheet, r: u32, count: impl Fn(Assessment) -> usize) -> Result<(), XlsxError> {
    for (i, a) in Assessment::ALL.iter().enumerate() {
        let n = count(*a);
        let c = i as u16 + 2;
        if n > 0 {
            ws.write_number_with_format(r, c, n as f64, &light_of(a.label()).format())?;
        } else {
            ws.write_number(r, c, 0.0)?;
        }
    }
    Ok(())
}

/// A stacked bar per chapter, a segment per assessment, under the table.
fn chapter_chart(ws: &mut Worksheet, s: &RoundStatus, last_row: u32) -> Result<(), XlsxError> {
    let first = HEADER_ROW + 1;
    let last = last_row - 1; // not the total row
    if s.chapters.is_empty() {
        return Ok(());
    }
    let mut chart = Chart::new(ChartType::BarStacked);
    for (i, a) in Assessment::ALL.iter().enumerate() {
        let c = i as u16 + 2;
        chart
            .add_series()
            .set_name((OVERVIEW, HEADER_ROW, c))
            .set_categories((OVERVIEW, first, 0, last, 0))
            .set_values((OVERVIEW, first, c, last, c))
            .set_format(
                ChartFormat::new()
                    .set_solid_fill(ChartSolidFill::new().set_color(crate::render::terminal::palette::assessment(*a))),
            );
    }
    chart.title().set_name("各篇章评估（项）");
    chart.y_axis().set_reverse();
    chart.set_width(900).set_height(340);
    ws.insert_chart(last_row + 1, 0, &chart)?;
    Ok(())
}

/// The units by submission status with their names; returns the last row written.
fn units_block(ws: &mut Worksheet, s: &RoundStatus, top: u32, widths: &[f64]) -> Result<u32, XlsxError> {
    ws.write_string_with_format(top, 0, "各单位报送", &style::heading())?;
    let header = style::header();
    for (c, h) in ["报送状态", "单位数", "单位"].iter().enumerate() {
        ws.write_string_with_format(top + 1, c as u16, *h, &header)?;
    }
    let mut r = top + 1;
    for sub in Submission::ALL {
        let names: Vec<&str> = s
            .units
            .iter()
            .filter(|u| u.submission == sub)
            .map(|u| u.name.as_str())
            .collect();
        r += 1;
        ws.write_string_with_format(r, 0, sub.label(), &light_of(sub.label()).format())?;
        ws.write_number_with_format(r, 1, names.len() as f64, &top_aligned())?;
        let room: f64 = widths[2..].iter().sum();
        wrapped(ws, r, 2, widths, &fitting(&names, room, "（全部名单见“报送情况”）"))?;
    }
    Ok(r)
}

/// The tasks needing attention: red, missing, invalid, blocked, stale.
fn attention_block(ws: &mut Worksheet, s: &RoundStatus, top: u32, widths: &[f64]) -> Result<(), XlsxError> {
    let tasks: Vec<&TaskStatus> = s.tasks.iter().filter(|t| t.needs_attention()).collect();
    let heading = format!("需关注的任务（{} 项：{ATTENTION}）", tasks.len());
    ws.write_string_with_format(top, 0, heading, &style::heading())?;
    let header = style::header();
    // 停滞 says why a task on pace is listed: its state and progress are last round's.
    for (c, h) in ["重点任务", "编号", "评估", "进度", "序时进度", "停滞", "牵头单位"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(top + 1, c as u16, *h, &header)?;
    }
    for (i, t) in tasks.iter().enumerate() {
        let r = top + 2 + i as u32;
        ws.write_string(r, 0, &*t.key_task)?;
        ws.write_number(r, 1, t.id as f64)?;
        ws.write_string_with_format(r, 2, t.assessment.label(), &light_of(t.assessment.label()).format())?;
        if let Some(p) = t.progress {
            ws.write_number_with_format(r, 3, p / 100.0, &style::percent(crate::text::round1(p)))?;
        }
        let e = crate::text::round1(t.expected);
        let shown = match t.basis {
            crate::assess::Basis::Plan => style::planned_percent(e),
            crate::assess::Basis::Linear => style::percent(e),
        };
        ws.write_number_with_format(r, 4, e / 100.0, &shown)?;
        if t.stale {
            ws.write_string_with_format(r, 5, "是", &top_aligned().set_align(FormatAlign::Center))?;
        }
        wrapped(ws, r, 6, widths, &t.lead_units.join("、"))?;
    }
    Ok(())
}

fn top_aligned() -> Format {
    Format::new().set_align(FormatAlign::Top)
}

/// The names joined with 、, as many as a row of Excel's greatest height holds in a column `room`
/// characters wide; those left out are counted and `elsewhere` says where to find them (a
/// province's hundreds of on-time units do not fit one row).
fn fitting(names: &[&str], room: f64, elsewhere: &str) -> String {
    let all = names.join("、");
    // Lines of 14 points within 409, one spared for wrapping unevenly.
    let most_lines = 28;
    if wrapped_lines(&all, room) <= most_lines {
        return all;
    }
    let tail = format!("等 {} 个单位{elsewhere}", names.len());
    let capacity = most_lines * (room as usize).saturating_sub(2).max(1);
    let mut used = width(&tail);
    let shown: Vec<&str> = names
        .iter()
        .take_while(|name| {
            used += width(name) + width("、");
            used <= capacity
        })
        .copied()
        .collect();
    format!("{}{tail}", shown.join("、"))
}

/// `text` from column `first` to the table's last column (of `widths`) in row `r`, wrapped, the
/// row as tall as its lines: a list of names in one narrow cell ran on past the table, and
/// printing one page wide then shrank the whole sheet to fit it.
fn wrapped(ws: &mut Worksheet, r: u32, first: u16, widths: &[f64], text: &str) -> Result<(), XlsxError> {
    let format = top_aligned().set_text_wrap();
    let last = widths.len() as u16 - 1;
    if first < last {
        ws.merge_range(r, first, r, last, text, &format)?;
    } else {
        ws.write_string_with_format(r, first, text, &format)?;
    }
    let room: f64 = widths[usize::from(first)..].iter().sum();
    ws.set_row_height(r, height_of(wrapped_lines(text, room)))?;
    Ok(())
}

/// 历次进度: a row per task, a column per round, the progress coloured by that round's light
/// (the assessment itself where there is no progress).
pub(crate) fn progress_history(ws: &mut Worksheet, meta: &str, history: &History) -> Result<(), XlsxError> {
    let (s, history) = (&history.last, &history.rounds);
    let rounds: Vec<String> = history.iter().map(|h| h.round.to_string()).collect();
    let mut headers = vec!["编号", "重点任务", "牵头单位"];
    headers.extend(rounds.iter().map(String::as_str));
    frame(
        ws,
        "历次进度",
        &format!("各任务历次进度（至 {} 轮）", s.round),
        meta,
        &headers,
    )?;
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    let top = Format::new().set_align(FormatAlign::Top);
    for (i, t) in s.tasks.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        ws.write_number_with_format(r, 0, t.id as f64, &top)?;
        ws.write_string_with_format(r, 1, &*t.key_task, &top.clone().set_text_wrap())?;
        ws.write_string_with_format(r, 2, t.lead_units.join("、"), &top.clone().set_text_wrap())?;
        for (j, round) in history.iter().enumerate() {
            let Some(then) = round.task(t.id) else {
                continue;
            };
            let light = light_of(then.assessment.label()).format();
            let c = 3 + j as u16;
            match then.progress {
                Some(p) => {
                    let p = crate::text::round1(p);
                    let pct = if p.fract() == 0.0 { "0%" } else { "0.0%" };
                    ws.write_number_with_format(r, c, p / 100.0, &light.set_num_format(pct))?
                }
                None => ws.write_string_with_format(r, c, then.assessment.label(), &light)?,
            };
        }
    }
    ws.set_column_width(0, 6)?;
    ws.set_column_width(1, 30)?;
    ws.set_column_width(2, 18)?;
    for j in 0..history.len() as u16 {
        ws.set_column_width(3 + j, 12)?;
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 2)?;
    ws.autofilter(
        HEADER_ROW,
        0,
        HEADER_ROW + s.tasks.len() as u32,
        2 + history.len() as u16,
    )?;
    Ok(())
}
