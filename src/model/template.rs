//! The report template's schema, shared by the reader (`load`) and the writers (`render`): its
//! columns in template order with their headers, English aliases and whether they are read, and
//! the workbook's sheet and label names.

pub(crate) use super::report::Column;

/// One column of the report template.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    /// The header the liaison sees.
    pub header: &'static str,
    /// The English alias accepted when read.
    pub alias: &'static str,
    /// The column read into the report; None for reference columns, there for the reader's
    /// convenience and ignored when read.
    pub column: Option<Column>,
}

const fn read(header: &'static str, alias: &'static str, column: Column) -> Field {
    Field {
        header,
        alias,
        column: Some(column),
    }
}

const fn reference(header: &'static str, alias: &'static str) -> Field {
    Field {
        header,
        alias,
        column: None,
    }
}

/// Every column of the template, in template order.
pub(crate) const FIELDS: [Field; 16] = [
    read("任务编号", "task", Column::Task),
    reference("角色", "role"),
    reference("重点任务", "key_task"),
    reference("工作事项", "work"),
    read("指标", "metric", Column::Metric),
    reference("目标值", "target"),
    reference("计量单位", "target_unit"),
    read("状态", "status", Column::Status),
    read("进度", "progress", Column::Progress),
    read("完成值", "actual", Column::Actual),
    read("本月进展", "progress_note", Column::ProgressNote),
    read("存在问题", "problems", Column::Problems),
    read("下步计划", "next_steps", Column::NextSteps),
    read("填报人", "reporter", Column::Reporter),
    read("联系电话", "phone", Column::Phone),
    read("填报日期", "reported_on", Column::ReportedOn),
];

/// The template's headers, in template order.
pub const HEADERS: [&str; FIELDS.len()] = {
    let mut out = [""; FIELDS.len()];
    let mut i = 0;
    while i < FIELDS.len() {
        out[i] = FIELDS[i].header;
        i += 1;
    }
    out
};

/// The label row above a workbook's cooperating tasks: no task row, never copied into a report.
pub(crate) const COOPERATING_SEPARATOR: &str = "以下为配合任务（选报：有进展时填写）";

/// The workbook's sheet the liaison fills in.
pub(crate) const FILL_SHEET: &str = "填报";
/// The workbook's sheet that says whose template it is and how to fill it in.
pub(crate) const GUIDE_SHEET: &str = "说明";
/// The guide sheet's label of the unit's id.
pub(crate) const UNIT_LABEL: &str = "单位编号";
/// The guide sheet's label of the round.
pub(crate) const ROUND_LABEL: &str = "轮次";

/// A spreadsheet file, by its extension: the one list every reader consults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spreadsheet {
    /// Excel's and LibreOffice's workbooks, which tracker reads (.xlsx, .xlsm, .xls, .ods).
    Workbook,
    /// WPS's own formats (.et, .ett), which must be saved again as .xlsx first.
    WpsOwn,
}

/// Workbook extensions tracker reads, lower case.
pub(crate) const WORKBOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];
/// WPS's own spreadsheet extensions, lower case.
pub(crate) const WPS_EXTENSIONS: [&str; 2] = ["et", "ett"];

/// What kind of spreadsheet `path` is by its extension (any case); None for anything else.
pub(crate) fn spreadsheet(path: &std::path::Path) -> Option<Spreadsheet> {
    let ext = path.extension()?.to_string_lossy().to_lowercase();
    if WORKBOOK_EXTENSIONS.contains(&ext.as_str()) {
        Some(Spreadsheet::Workbook)
    } else if WPS_EXTENSIONS.contains(&ext.as_str()) {
        Some(Spreadsheet::WpsOwn)
    } else {
        None
    }
}

/// The refusal for a WPS file: what to do instead.
pub(crate) fn wps_refusal(path: &std::path::Path) -> String {
    format!(
        "{} 是 WPS 表格自有格式，无法直接读取；请在 WPS 中“另存为 → Excel 工作簿（.xlsx）”后再导入",
        path.display()
    )
}

/// Excel's limit on the characters in one cell.
pub(crate) const MAX_CELL_CHARS: usize = 32_767;

/// What a header of a report file names.
pub(crate) enum Header {
    Read(Column),
    Reference,
    Unknown,
}

pub(crate) fn classify(header: &str) -> Header {
    let field = FIELDS
        .iter()
        .find(|f| header == f.header || header.eq_ignore_ascii_case(f.alias));
    match field {
        Some(Field { column: Some(c), .. }) => Header::Read(*c),
        Some(_) => Header::Reference,
        None => Header::Unknown,
    }
}

/// The columns read from a report, with their headers, in template order.
pub(crate) fn read_columns() -> impl Iterator<Item = (Column, &'static str)> {
    FIELDS.iter().filter_map(|f| Some((f.column?, f.header)))
}

pub(crate) fn header_of(column: Column) -> &'static str {
    read_columns().find(|(c, _)| *c == column).map_or("", |(_, h)| h)
}

/// Excel's column letters: 1 -> A, 27 -> AA.
pub(crate) fn letter(mut index: usize) -> String {
    let mut out = String::new();
    while index > 0 {
        let rem = (index - 1) % 26;
        out.insert(0, char::from(b'A' + rem as u8));
        index = (index - 1) / 26;
    }
    out
}

/// Text cells that start like a formula (or with `'`) are written with a leading `'`; reading
/// removes it (see `render::people_csv::neutralise`).
pub(crate) fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(crate::text::FORMULA_STARTS) || rest.starts_with(['\t', '\r', '\'']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn column_letters() {
        assert_eq!(super::letter(1), "A");
        assert_eq!(super::letter(11), "K");
        assert_eq!(super::letter(27), "AA");
    }

    #[test]
    fn every_read_column_has_one_header() {
        assert_eq!(super::read_columns().count(), 11);
        assert_eq!(super::header_of(super::Column::Progress), "进度");
    }
}
