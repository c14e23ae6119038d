//! The columns of a report file: fixed Chinese headers, English aliases, reference columns.

pub use crate::model::report::Column;

/// (column, header the liaison sees, English alias), in template order.
pub const COLUMNS: [(Column, &str, &str); 11] = [
    (Column::Task, "任务编号", "task"),
    (Column::Metric, "指标", "metric"),
    (Column::Status, "状态", "status"),
    (Column::Progress, "进度", "progress"),
    (Column::Actual, "完成值", "actual"),
    (Column::ProgressNote, "本月进展", "progress_note"),
    (Column::Problems, "存在问题", "problems"),
    (Column::NextSteps, "下步计划", "next_steps"),
    (Column::Reporter, "填报人", "reporter"),
    (Column::Phone, "联系电话", "phone"),
    (Column::ReportedOn, "填报日期", "reported_on"),
];

/// Excel's limit on the characters in one cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Columns the template adds for the reader's convenience; ignored when read.
pub const REFERENCE: [(&str, &str); 6] = [
    ("角色", "role"),
    ("重点任务", "key_task"),
    ("工作事项", "work"),
    ("目标值", "target"),
    ("计量单位", "target_unit"),
    ("上月进度", "previous_progress"),
];

pub enum Header {
    Read(Column),
    Reference,
    Unknown,
}

pub fn classify(header: &str) -> Header {
    if let Some((c, _, _)) = COLUMNS
        .iter()
        .find(|(_, zh, en)| header == *zh || header.eq_ignore_ascii_case(en))
    {
        Header::Read(*c)
    } else if REFERENCE
        .iter()
        .any(|(zh, en)| header == *zh || header.eq_ignore_ascii_case(en))
    {
        Header::Reference
    } else {
        Header::Unknown
    }
}

pub fn header_of(column: Column) -> &'static str {
    COLUMNS
        .iter()
        .find(|(c, _, _)| *c == column)
        .map_or("", |(_, zh, _)| zh)
}

/// Excel's column letters: 1 -> A, 27 -> AA.
pub fn letter(mut index: usize) -> String {
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
pub fn unneutralise(cell: &str) -> &str {
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
}
