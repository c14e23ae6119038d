//! The digest as an XLSX workbook: text typed as text, a frozen header, autofilter, column widths
//! from the display width of Chinese text, wrapped long text.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::digest::{Digest, Sheet, Value};
use crate::text::width;

pub fn workbook(d: &Digest, as_of: DateTime<FixedOffset>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // Fixed metadata so the same data gives the same workbook.
    let created = ExcelDateTime::from_ymd(as_of.year() as u16, as_of.month() as u8, as_of.day() as u8)?.and_hms(
        as_of.hour() as u16,
        as_of.minute() as u8,
        as_of.second() as f64,
    )?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(d.tasks.title.as_str())
            .set_creation_datetime(&created),
    );
    for sheet in [&d.tasks, &d.units] {
        let ws = wb.add_worksheet();
        write_sheet(ws, &d.meta, sheet)?;
    }
    wb.save_to_buffer()
}

fn write_sheet(ws: &mut Worksheet, meta: &str, s: &Sheet) -> Result<(), XlsxError> {
    ws.set_name(s.name)?;
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_background_color("#DDEBF7");
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);
    // Integers as integers ("1", not Excel's "1." from 0.#), decimals with their one decimal.
    let integer = Format::new().set_align(FormatAlign::Top).set_num_format("0");
    let decimal = Format::new().set_align(FormatAlign::Top).set_num_format("0.0");
    ws.write_string_with_format(0, 0, &s.title, &title)?;
    ws.write_string(1, 0, meta)?;
    let last_col = (s.headers.len() - 1) as u16;
    for (c, h) in s.headers.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &header)?;
    }
    for (r, row) in s.rows.iter().enumerate() {
        let r = (r + 3) as u32;
        for (c, v) in row.iter().enumerate() {
            let c16 = c as u16;
            let fmt = if s.long.contains(&c) { &wrap } else { &top };
            match v {
                Value::Text(t) => ws.write_string_with_format(r, c16, t, fmt)?,
                Value::Number(n) => {
                    let fmt = if n.fract() == 0.0 { &integer } else { &decimal };
                    ws.write_number_with_format(r, c16, *n, fmt)?
                }
                Value::Empty => ws.write_blank(r, c16, fmt)?,
            };
        }
    }
    // The header rows and the first columns (编号 and 篇章, or 单位) stay in view.
    ws.set_freeze_panes(3, if s.headers.len() > 10 { 3 } else { 1 })?;
    ws.autofilter(2, 0, (s.rows.len() + 2) as u32, last_col)?;
    // Printed: A4 landscape, one page wide, the header on every page, the round and page numbers.
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_repeat_rows(2, 2)?
        .set_footer(format!(
            "&L{}&R第 &P 页，共 &N 页",
            meta.split('　').next().unwrap_or("")
        ));
    for (c, h) in s.headers.iter().enumerate() {
        ws.set_column_width(
            c as u16,
            column_width(h, s.rows.iter().map(|r| &r[c]), s.long.contains(&c)),
        )?;
    }
    Ok(())
}

/// Excel column width (in widths of '0'): the widest line by display width (CJK counts 2, which
/// rust_xlsxwriter's autofit undercounts), capped for wrapped text.
fn column_width<'a>(header: &str, cells: impl Iterator<Item = &'a Value>, long: bool) -> f64 {
    let widest = cells
        .flat_map(|v| match v {
            Value::Text(t) => t.lines().map(width).collect::<Vec<_>>(),
            Value::Number(n) => vec![crate::text::fmt_num(*n).len()],
            Value::Empty => vec![0],
        })
        .chain(std::iter::once(width(header)))
        .max()
        .unwrap_or(8);
    let cap = if long { 50 } else { 30 };
    (widest.clamp(4, cap) + 2) as f64
}
