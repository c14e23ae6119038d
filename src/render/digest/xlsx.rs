//! The digest workbook's sheets: the frame every table sheet has (title, meta line, header row,
//! print setup), the task and unit sheets with typed cells, and the widths and heights that fit them.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Worksheet, XlsxError};

use crate::render::digest::xlsx_style as style;
use crate::render::digest::{Sheet, Value};
use crate::text::width;

/// Rows above a table: its title and the line saying where the numbers come from.
pub(crate) const HEADER_ROW: u32 = 2;

pub(crate) fn excel_time(t: &DateTime<FixedOffset>) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day() as u8)?.and_hms(
        t.hour() as u16,
        t.minute() as u8,
        t.second() as f64,
    )
}

/// The title, the meta line and a header row; then print setup: A4 landscape (a wide table turns
/// it to A3, see [`paper_for`]), one page wide, the round and page numbers in the footer. A sheet
/// that is one table repeats its header on every page; 概览 holds several tables, so does not.
pub(crate) fn frame(
    ws: &mut Worksheet,
    name: &str,
    title: &str,
    meta: &str,
    headers: &[&str],
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    ws.write_string_with_format(0, 0, title, &style::title())?;
    ws.write_string(1, 0, meta)?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, *h, &style::header())?;
    }
    ws.set_row_height(HEADER_ROW, 32)?;
    ws.set_paper_size(A4)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_footer(format!(
            "&L{}&R第 &P 页，共 &N 页",
            meta.split('　').next().unwrap_or("")
        ));
    Ok(())
}

/// An error that names the sheet and the row's first cell (a task's number, a unit's name).
fn named(e: XlsxError, s: &Sheet, row: &[Value]) -> XlsxError {
    let first = match row.first() {
        Some(Value::Number(n)) => crate::text::fmt_num(*n),
        Some(Value::Text(t)) => t.clone(),
        _ => String::new(),
    };
    XlsxError::ParameterError(format!("工作表「{}」中「{first}」这一行无法写入：{e}", s.name))
}

pub(crate) fn write_sheet(ws: &mut Worksheet, meta: &str, s: &Sheet) -> Result<(), XlsxError> {
    frame(ws, s.name, &s.title, meta, s.headers)?;
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    let widths: Vec<f64> = (0..s.headers.len())
        .map(|c| column_width(s.headers[c], s.rows.iter().map(|r| &r[c]), s.long.contains(&c)))
        .collect();
    for (r, row) in s.rows.iter().enumerate() {
        let r = r as u32 + HEADER_ROW + 1;
        for (c, v) in row.iter().enumerate() {
            write_value(ws, r, c as u16, v, s.long.contains(&c)).map_err(|e| named(e, s, row))?;
        }
        ws.set_row_height(r, row_height(row, &widths))?;
    }
    let last_row = s.rows.len() as u32 + HEADER_ROW;
    for (c, h) in s.headers.iter().enumerate() {
        ws.set_column_width(c as u16, widths[c])?;
        if matches!(*h, "评估" | "报送状态" | "最终状态") && !s.rows.is_empty() {
            style::light_column(ws, HEADER_ROW + 1, last_row, c as u16)?;
        }
    }
    // The header rows and the first columns (up to the task's name, or the unit) stay in view.
    ws.set_freeze_panes(HEADER_ROW + 1, if s.headers.len() > 10 { 3 } else { 1 })?;
    let last_col = (s.headers.len() - 1) as u16;
    ws.autofilter(HEADER_ROW, 0, last_row, last_col)?;
    // 来源 (file:row of every value) is for tracing on screen; on paper it only shrinks the rest.
    let printed = if s.headers.last() == Some(&"来源") && last_col > 0 {
        ws.set_print_area(0, 0, last_row, last_col - 1)?;
        &widths[..widths.len() - 1]
    } else {
        &widths[..]
    };
    ws.set_paper_size(paper_for(printed));
    Ok(())
}

/// Paper sizes as Excel numbers them.
const A4: u8 = 9;
const A3: u8 = 8;

/// The width a landscape page prints, in points, inside Excel's default margins (0.7 inch each).
fn printable_width(paper: u8) -> f64 {
    let inches = if paper == A3 { 16.54 } else { 11.69 };
    (inches - 1.4) * 72.0
}

/// The smallest share of full size at which the body text (11 points) stays legible on paper.
const LEGIBLE_SCALE: f64 = 0.7;

/// A4 while the sheet's columns fit across it at a legible scale; otherwise A3, the paper offices
/// print wide summary tables on: 任务进展's seventeen columns on A4 came out at half size.
fn paper_for(widths: &[f64]) -> u8 {
    // Excel draws a column `w` characters wide as 7w + 5 pixels of its default font, ¾ point each.
    let points: f64 = widths.iter().map(|w| (w * 7.0 + 5.0).trunc() * 0.75).sum();
    if printable_width(A4) >= LEGIBLE_SCALE * points {
        A4
    } else {
        A3
    }
}

fn write_value(ws: &mut Worksheet, r: u32, c: u16, v: &Value, long: bool) -> Result<(), XlsxError> {
    let top = Format::new().set_align(FormatAlign::Top);
    match v {
        Value::Text(t) if long => ws.write_string_with_format(r, c, fit_cell(t).as_ref(), &top.set_text_wrap())?,
        Value::Text(t) => ws.write_string_with_format(r, c, fit_cell(t).as_ref(), &top)?,
        Value::Struck(t) => ws.write_string_with_format(r, c, fit_cell(t).as_ref(), &top.set_font_strikethrough())?,
        Value::Number(n) => ws.write_number_with_format(r, c, *n, &style::number(*n))?,
        Value::Percent(n) => ws.write_number_with_format(r, c, n / 100.0, &style::percent(*n))?,
        Value::Time(at, text) => {
            // A declared date has no time of day: show it as a date.
            let format = if text.len() > 10 {
                "yyyy-mm-dd hh:mm"
            } else {
                "yyyy-mm-dd"
            };
            ws.write_datetime_with_format(r, c, excel_time(at)?, &top.set_num_format(format))?
        }
        Value::Empty => ws.write_blank(r, c, &top)?,
    };
    Ok(())
}

/// The mark a cut cell ends with: Excel holds at most 32,767 characters in a cell.
pub(crate) const CUT_MARK: &str = "……（超出 Excel 单元格 32767 字的上限，以下从略；全文见 tracker show 或 CSV 汇总表）";

/// `text` as one cell can hold it: cut, with [`CUT_MARK`], when longer than Excel allows (six
/// counties' long 存在问题 in one task's 研判依据), so that the month's workbook is never lost.
pub(crate) fn fit_cell(text: &str) -> std::borrow::Cow<'_, str> {
    use crate::model::template::MAX_CELL_CHARS;
    if text.len() <= MAX_CELL_CHARS || text.chars().count() <= MAX_CELL_CHARS {
        return std::borrow::Cow::Borrowed(text);
    }
    let keep = MAX_CELL_CHARS - CUT_MARK.chars().count();
    let mut cut: String = text.chars().take(keep).collect();
    cut.push_str(CUT_MARK);
    std::borrow::Cow::Owned(cut)
}

/// Tall enough for the row's wrapped text: its lines at the column's width.
fn row_height(row: &[Value], widths: &[f64]) -> f64 {
    let lines = row
        .iter()
        .zip(widths)
        .map(|(v, w)| match v {
            Value::Text(t) | Value::Struck(t) => wrapped_lines(t, *w),
            _ => 1,
        })
        .max()
        .unwrap_or(1);
    height_of(lines)
}

/// The lines `text` takes wrapped in a column `column` characters wide (one when empty).
pub(crate) fn wrapped_lines(text: &str, column: f64) -> usize {
    let room = (column as usize).saturating_sub(2).max(1);
    text.lines()
        .map(|l| width(l).div_ceil(room).max(1))
        .sum::<usize>()
        .max(1)
}

/// A row's height for `lines` lines: 14 points a line, at most the 409 points Excel allows.
pub(crate) fn height_of(lines: usize) -> f64 {
    (14.0 * lines as f64 + 2.0).min(409.0)
}

/// Excel column width (in widths of '0'): the widest line by display width (CJK counts 2, which
/// rust_xlsxwriter's autofit undercounts), capped for wrapped text.
pub(crate) fn column_width<'a>(header: &str, cells: impl Iterator<Item = &'a Value>, long: bool) -> f64 {
    let widest = cells
        .flat_map(|v| match v {
            Value::Text(t) | Value::Struck(t) => t.lines().map(width).collect::<Vec<_>>(),
            Value::Number(n) | Value::Percent(n) => vec![crate::text::fmt_num(*n).len() + 1],
            Value::Time(_, text) => vec![text.len()],
            Value::Empty => vec![0],
        })
        .chain(std::iter::once(width(header)))
        .max()
        .unwrap_or(8);
    let cap = if long { 16 } else { 14 };
    (widest.clamp(4, cap) + 2) as f64
}

#[cfg(test)]
mod tests {
    use super::{CUT_MARK, fit_cell};
    use crate::model::template::MAX_CELL_CHARS;

    #[test]
    fn a_cell_past_excels_limit_is_cut_with_a_mark() {
        assert_eq!(fit_cell("短"), "短");
        let exact = "问".repeat(MAX_CELL_CHARS);
        assert_eq!(fit_cell(&exact), exact);
        let long = "问".repeat(MAX_CELL_CHARS + 1);
        let cut = fit_cell(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with(CUT_MARK));
    }
}
