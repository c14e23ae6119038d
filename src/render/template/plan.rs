//! A lead unit's 推进计划 template: one row per task it leads, one column per month from the plan's
//! start to the latest due date among them, then 节点说明. As a CSV (UTF-8 with BOM, CRLF, as
//! Excel saves it) or as a workbook with the months validated (0–100) and a 说明 sheet.

use chrono::{DateTime, Datelike, FixedOffset};
use rust_xlsxwriter::{DataValidation, DataValidationRule, DocProperties, Format, FormatBorder, Workbook, XlsxError};

use crate::load::schedule::{ID_HEADER, NODES_HEADER, TASK_HEADER};
use crate::model::template::{GUIDE_SHEET, UNIT_LABEL};
use crate::model::{Round, Unit};

/// Widths of the task's and the nodes' columns (in widths of '0'): their text wraps within them.
const TASK_WIDTH: f64 = 40.0;
const NODES_WIDTH: f64 = 36.0;

/// The workbook's sheet of the plan.
pub(crate) const PLAN_SHEET: &str = "推进计划";

/// One task's row: its id and text, and what the unit's plan in force already says (if any).
pub(crate) struct PlanLine {
    pub task: u32,
    pub key_task: String,
    pub months: Vec<(Round, f64)>,
    pub nodes: String,
}

/// What the template is for: the unit, its months, and when it is made.
pub(crate) struct PlanHeading<'a> {
    pub unit: &'a Unit,
    pub months: Vec<Round>,
    pub due: Option<chrono::NaiveDate>,
    pub made_at: DateTime<FixedOffset>,
}

/// The months from `start` to `end`, inclusive.
pub(crate) fn months(start: chrono::NaiveDate, end: chrono::NaiveDate) -> Vec<Round> {
    let (Some(mut m), Some(last)) = (
        Round::new(start.year(), start.month()),
        Round::new(end.year(), end.month()),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while m <= last && out.len() < 120 {
        out.push(m);
        m = m.next();
    }
    out
}

fn header(h: &PlanHeading) -> Vec<String> {
    let mut out = vec![ID_HEADER.to_string(), TASK_HEADER.to_string()];
    out.extend(h.months.iter().map(Round::to_string));
    out.push(NODES_HEADER.to_string());
    out
}

fn cells(h: &PlanHeading, line: &PlanLine) -> Vec<String> {
    let mut out = vec![line.task.to_string(), line.key_task.clone()];
    for m in &h.months {
        let value = line.months.iter().find(|(x, _)| x == m).map(|(_, v)| *v);
        out.push(value.map(crate::text::fmt_pct).unwrap_or_default());
    }
    out.push(line.nodes.clone());
    out
}

pub(crate) fn csv(h: &PlanHeading, lines: &[PlanLine]) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut w = crate::render::people_csv::writer(&mut bytes)?;
    let head = header(h);
    crate::render::people_csv::write_row(&mut w, &head.iter().map(String::as_str).collect::<Vec<_>>())?;
    for line in lines {
        let row = cells(h, line);
        crate::render::people_csv::write_row(&mut w, &row.iter().map(String::as_str).collect::<Vec<_>>())?;
    }
    w.flush()?;
    drop(w);
    Ok(bytes)
}

pub(crate) fn workbook(h: &PlanHeading, lines: &[PlanLine]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let made_at = crate::render::digest::xlsx::excel_time(&h.made_at)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&made_at));
    guide(wb.add_worksheet().set_name(GUIDE_SHEET)?, h)?;
    let ws = wb.add_worksheet().set_name(PLAN_SHEET)?;
    let head = Format::new()
        .set_bold()
        .set_background_color("#DDEBF7")
        .set_border(FormatBorder::Thin);
    let reference = Format::new()
        .set_background_color("#F2F2F2")
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let input = Format::new()
        .set_unlocked()
        .set_align(rust_xlsxwriter::FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let wrap = Format::new()
        .set_unlocked()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    for (c, name) in header(h).iter().enumerate() {
        ws.write_string_with_format(0, c as u16, name, &head)?;
    }
    let last_col = h.months.len() as u16 + 2;
    for (i, line) in lines.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number_with_format(r, 0, line.task, &reference)?;
        ws.write_string_with_format(r, 1, &line.key_task, &reference)?;
        let lines = crate::render::digest::xlsx::wrapped_lines(&line.key_task, TASK_WIDTH)
            .max(crate::render::digest::xlsx::wrapped_lines(&line.nodes, NODES_WIDTH));
        ws.set_row_height(r, crate::render::digest::xlsx::height_of(lines))?;
        for (j, m) in h.months.iter().enumerate() {
            match line.months.iter().find(|(x, _)| x == m) {
                Some((_, v)) => ws.write_number_with_format(r, j as u16 + 2, *v, &input)?,
                None => ws.write_blank(r, j as u16 + 2, &input)?,
            };
        }
        ws.write_string_with_format(r, last_col, &line.nodes, &wrap)?;
    }
    ws.set_column_width(0, 9)?;
    ws.set_column_width(1, TASK_WIDTH)?;
    for j in 0..h.months.len() as u16 {
        ws.set_column_width(j + 2, 8.5)?;
    }
    ws.set_column_width(last_col, NODES_WIDTH)?;
    ws.set_freeze_panes(1, 2)?;
    // Printed on one page across, landscape: a plan is read along its months.
    ws.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
    let planned = DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
        .set_input_title("计划进度")?
        .set_input_message("到该月底累计完成的百分比，0 到 100；空白表示与上月相同；完成时限所在的月份应为 100")?
        .set_error_title("计划进度不对")?
        .set_error_message("计划进度应为 0 到 100 的数字")?;
    if !lines.is_empty() && !h.months.is_empty() {
        ws.add_data_validation(1, 2, lines.len() as u32, last_col - 1, &planned)?;
    }
    ws.protect();
    ws.set_active(true);
    wb.save_to_buffer()
}

fn guide(ws: &mut rust_xlsxwriter::Worksheet, h: &PlanHeading) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 70)?;
    ws.write_string_with_format(
        0,
        0,
        format!("{} 推进计划", h.unit.name),
        &Format::new().set_bold().set_font_size(14),
    )?;
    ws.write_string_with_format(1, 0, "单位", &bold)?;
    ws.write_string(1, 1, &h.unit.name)?;
    ws.write_string_with_format(2, 0, UNIT_LABEL, &bold)?;
    ws.write_string(2, 1, &h.unit.id)?;
    ws.write_string_with_format(3, 0, "报送截止", &bold)?;
    ws.write_string(3, 1, h.due.map_or_else(|| "未规定".to_string(), |d| d.to_string()))?;
    let steps = [
        "怎样填写",
        "1. 在“推进计划”表中，每项牵头任务一行：各月填到该月底累计完成的百分比（0–100），只增不减；空白表示与上月相同；完成时限所在的月份应为 100。",
        "2. 节点说明写关键节点，例如「5月：主体开工；9月：主体完工」。写了节点的月份，进度低于该月计划时记为“节点滞后”。",
        "3. 直接保存，再运行 tracker submit --unit 单位编号 本文件 --push 交回（先检查可运行 tracker plan import 本文件）。",
        "4. 报送截止后修改计划，须经市发展改革委批准并登记在 plan-changes.toml 中，否则仍按原计划研判。",
    ];
    for (i, line) in steps.iter().enumerate() {
        let r = 5 + i as u32;
        ws.write_string_with_format(r, 0, *line, if i == 0 { &bold } else { &wrap })?;
        ws.merge_range(r, 0, r, 1, line, if i == 0 { &bold } else { &wrap })?;
        ws.set_row_height(r, if i == 0 { 15.0 } else { 45.0 })?;
    }
    ws.protect();
    ws.set_paper_size(9).set_print_fit_to_pages(1, 0);
    Ok(())
}
