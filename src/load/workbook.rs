//! A filled-in workbook (what Excel, WPS or LibreOffice saved from `report new --format xlsx`)
//! -> the report's rows in the CSV's column order, keeping the workbook's own cell references.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

use crate::model::template::{FILL_SHEET, GUIDE_SHEET, HEADERS, ROUND_LABEL, UNIT_LABEL, letter};
use crate::text::fmt_num;

/// The sheet 填报, read.
#[derive(Debug, Default)]
pub(crate) struct Filled {
    /// The unit id and round the workbook says it is for (its 说明 sheet).
    pub unit: Option<String>,
    pub round: Option<String>,
    /// Every row from the header down, cells in [`HEADERS`] order, with the sheet's row number.
    pub rows: Vec<(usize, Vec<String>)>,
    /// Header -> the sheet's column (0-based), to name cells the way the workbook does.
    columns: BTreeMap<String, usize>,
    /// Cells that cannot be read (an error value such as #REF!): `填报!I9` and what is wrong.
    pub problems: Vec<(String, String)>,
}

impl Filled {
    /// A CSV's rows (header first) as a filled sheet: cells put in [`HEADERS`] order by name.
    pub(crate) fn from_csv_rows(rows: Vec<(usize, Vec<String>)>) -> Filled {
        let mut filled = Filled::default();
        let Some((_, header)) = rows.first() else { return filled };
        for (i, h) in header.iter().enumerate() {
            let name = crate::text::fold_cell(h);
            if HEADERS.contains(&&*name) {
                filled.columns.entry(name.into_owned()).or_insert(i);
            }
        }
        for (row, cells) in &rows {
            let out = HEADERS
                .iter()
                .map(|h| {
                    filled
                        .columns
                        .get(*h)
                        .and_then(|c| cells.get(*c))
                        .cloned()
                        .unwrap_or_default()
                })
                .collect();
            filled.rows.push((*row, out));
        }
        filled
    }

    /// `填报!D9` for the CSV's row and 1-based column.
    pub(crate) fn cell_ref(&self, row: usize, column: usize) -> String {
        let sheet_col = column
            .checked_sub(1)
            .and_then(|c| HEADERS.get(c))
            .and_then(|h| self.columns.get(*h))
            .map_or(0, |c| c + 1);
        match (row, sheet_col) {
            (0, _) => FILL_SHEET.to_string(),
            (r, 0) => format!("{FILL_SHEET}!第 {r} 行"),
            (r, c) => format!("{FILL_SHEET}!{}{r}", letter(c)),
        }
    }
}

pub(crate) fn read(path: &Path) -> Result<Filled, String> {
    let mut wb = open_workbook_auto(path).map_err(|e| format!("无法打开工作簿：{e}"))?;
    let names = wb.sheet_names().to_vec();
    if !names.iter().any(|n| n == FILL_SHEET) {
        return Err(format!(
            "工作簿中没有工作表「{FILL_SHEET}」（现有：{}）；请用 tracker report new --format xlsx 生成的模板填写，不要改工作表名",
            names.join("、")
        ));
    }
    let mut filled = Filled::default();
    if let Ok(guide) = wb.worksheet_range(GUIDE_SHEET) {
        for row in guide.rows() {
            let label = row.first().map(Data::to_string).unwrap_or_default();
            let value = row
                .get(1)
                .map(|v| v.to_string().trim().to_string())
                .filter(|v| !v.is_empty());
            match label.trim() {
                UNIT_LABEL => filled.unit = value,
                ROUND_LABEL => filled.round = value,
                _ => {}
            }
        }
    }
    let range = wb
        .worksheet_range(FILL_SHEET)
        .map_err(|e| format!("无法读取工作表「{FILL_SHEET}」：{e}"))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut rows = range.rows().enumerate();
    let Some((_, header)) = rows.next() else {
        return Err(format!("工作表「{FILL_SHEET}」是空的"));
    };
    for (i, h) in header.iter().enumerate() {
        let name = h.to_string().trim().to_string();
        if HEADERS.contains(&name.as_str()) {
            filled.columns.entry(name).or_insert(first_col + i);
        }
    }
    filled
        .rows
        .push((first_row + 1, HEADERS.iter().map(|h| h.to_string()).collect()));
    for (i, cells) in rows {
        let row = first_row + i + 1;
        let mut out = Vec::with_capacity(HEADERS.len());
        for h in HEADERS {
            let cell = filled.columns.get(h).and_then(|c| cells.get(c - first_col));
            let text = match cell {
                Some(Data::Error(e)) => {
                    let col = filled.columns[h] + 1;
                    filled.problems.push((
                        format!("{FILL_SHEET}!{}{row}", letter(col)),
                        format!("「{h}」单元格是 Excel 错误 {e}"),
                    ));
                    String::new()
                }
                Some(value) => text_of(h, value),
                None => String::new(),
            };
            out.push(text);
        }
        filled.rows.push((row, out));
    }
    Ok(filled)
}

/// A cell as the CSV writes it: numbers as people write them, dates as 2024-08-03, a 进度 between
/// 0 and 1 (a cell formatted as a percentage: 80% is stored as 0.8) as the percentage.
fn text_of(header: &str, value: &Data) -> String {
    match value {
        Data::Float(f) if header == "进度" && *f > 0.0 && *f < 1.0 => fmt_num((f * 1000.0).round() / 10.0),
        Data::Float(f) => fmt_num(*f),
        Data::Int(i) => i.to_string(),
        Data::DateTime(d) => d
            .as_datetime()
            .map_or_else(|| value.to_string(), |t| t.date().to_string()),
        other => other.to_string(),
    }
}
