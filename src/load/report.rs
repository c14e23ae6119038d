//! One report file (`reports/<round>/<unit>.csv`) -> [`Report`], with a diagnostic for every bad
//! cell, naming the row and column Excel shows.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use super::cells;
use super::csv_rows;
use super::decode::{self, NotText};
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::template::{self as columns, Column, Header};
use crate::model::{Flaw, Limits, MainRow, MetricRow, Report, Round, RowText, Status};
use crate::text::{fold_cell, is_blank};

/// What a report parse needs to know beyond the bytes.
pub struct FileInfo<'a> {
    pub path: &'a str,
    pub round: Round,
    pub unit: &'a str,
    /// Years a 填报日期 may fall in.
    pub years: RangeInclusive<i32>,
    /// What one file may hold (rows, diagnostics listed).
    pub limits: Limits,
}

pub fn parse(info: &FileInfo, bytes: &[u8]) -> (Option<Report>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let path = info.path;
    let Some(decoded) = decode_text(path, bytes, &mut diags) else {
        return (None, diags);
    };
    if has_conflicts(path, &decoded.text, &mut diags) {
        return (None, diags);
    }
    // The header and the rows the limit allows (the rest only counted), and no more cells a row
    // than a workbook's columns: what a hostile file can make this allocate stays near its size.
    let bound = csv_rows::Bound {
        rows: info.limits.report_rows.saturating_add(1),
        cells: MAX_CELLS,
    };
    let table = match csv_rows::read_bounded(&decoded.text, decoded.delimiter, bound) {
        Ok(table) => table,
        Err(e) => {
            diags.push(rows_error(path, e));
            return (None, diags);
        }
    };
    // A bounded table keeps only rows with something in them: the first is the header. Each row
    // is read into one reused list of cells, not a list of its own.
    let Some((header_row, header)) = (table.len() > 0).then(|| table.row(0)) else {
        diags.push(
            Diagnostic::new(Rule::EmptyReport, path, "文件是空的").hint("用 tracker report new 生成本单位的模板再填写"),
        );
        return (None, diags);
    };
    let Some(index) = read_header(path, header_row, &header, &mut diags) else {
        return (None, diags);
    };
    let rows = table.counted().saturating_sub(1);
    if rows > info.limits.report_rows {
        diags.push(
            Diagnostic::new(
                Rule::TooLarge,
                path,
                format!("文件有 {rows} 行，超过上限 {} 行，未读取", info.limits.report_rows),
            )
            .hint("一个单位一轮的报送不会有这么多行：删去多余的行（多半是复制出的空行或重复行）；确需更多时调整 tracker.toml 的 [limits] report_rows"),
        );
        return (None, diags);
    }
    if table.len() == 1 {
        diags.push(
            Diagnostic::new(Rule::EmptyReport, path, "文件只有列名，没有任何任务行")
                .at(header_row, 0)
                .hint("按模板逐行填写本单位牵头任务的进展"),
        );
    }
    let mut report = Report::new(path.to_string(), info.round, info.unit.to_string(), decoded.encoding);
    let rows = Rows {
        table: &table,
        records: 1..table.len(),
        width: header.len(),
    };
    let mut found = crate::diagnostic::Bounded::new(info.limits.diagnostics_per_file);
    read_rows(info, &rows, &index, &mut report, &mut found);
    let (row_diags, unlisted) = found.finish();
    diags.extend(row_diags);
    report.rows.shrink_to_fit();
    report.index();
    report.unlisted = unlisted.errors;
    report.set_flaws(with_unlisted(flaws(path, &diags), &report.unlisted));
    (Some(report), diags)
}

/// The file's text, or None (with the diagnostic) when it is a workbook, binary or mixed bytes.
/// A GBK file is decoded, with a warning.
fn decode_text<'b>(path: &str, bytes: &'b [u8], diags: &mut Vec<Diagnostic>) -> Option<decode::Decoded<'b>> {
    let decoded = match decode::decode(bytes) {
        Ok(d) => d,
        Err(NotText::Workbook) => {
            diags.push(
                Diagnostic::new(
                    Rule::NotText,
                    path,
                    "这是一个 Excel/WPS 工作簿文件，只是改了扩展名，不是 CSV 文本",
                )
                .hint("在 Excel 或 WPS 中打开它，选择“另存为 → CSV UTF-8（逗号分隔）”，再提交"),
            );
            return None;
        }
        Err(NotText::Mixed { line }) => {
            diags.push(
                Diagnostic::new(
                    Rule::NotText,
                    path,
                    format!("文件是 UTF-8，但第 {line} 行起有不是 UTF-8 的字节（多半是从别的文件粘贴来的 GBK 文字）"),
                )
                .at(line, 0)
                .hint("在 Excel/WPS 中打开，检查这一行，重新另存为“CSV UTF-8（逗号分隔）”"),
            );
            return None;
        }
        Err(NotText::Binary) => {
            diags.push(
                Diagnostic::new(Rule::NotText, path, "文件不是文本（含有二进制字节）")
                    .hint("用 tracker report new 重新生成模板，在 Excel/WPS 中填写后另存为 CSV UTF-8"),
            );
            return None;
        }
    };
    if decoded.encoding == "GB18030" {
        diags.push(
            Diagnostic::new(
                Rule::Encoding,
                path,
                "文件是 GBK/GB18030 编码（Excel 的普通“CSV”格式），已按此解码",
            )
            .hint("下次请另存为“CSV UTF-8（逗号分隔）”，各地打开都不会乱码"),
        );
    }
    Some(decoded)
}

/// Unresolved git merge conflict markers, each a diagnostic; true when there are any.
fn has_conflicts(path: &str, text: &str, diags: &mut Vec<Diagnostic>) -> bool {
    let conflicts = conflict_markers(text);
    if !conflicts.is_empty() {
        for (line, marker) in conflicts {
            diags.push(
                Diagnostic::new(
                    Rule::ConflictMarker,
                    path,
                    format!("第 {line} 行有未解决的 git 合并冲突标记 {marker}"),
                )
                .at(line, 1)
                .hint("保留正确的一版，删去 <<<<<<<、=======、>>>>>>> 三种标记行及另一版内容"),
            );
        }
        return true;
    }
    false
}

/// Where each read column stands, from the header row; None (with the diagnostic) when a
/// required column is missing. Duplicate and unknown columns are diagnostics.
fn read_header(
    path: &str,
    header_row: usize,
    header: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Option<BTreeMap<Column, usize>> {
    let mut index: BTreeMap<Column, usize> = BTreeMap::new();
    for (i, h) in header.iter().enumerate() {
        let h = fold_cell(h);
        match columns::classify(&h) {
            Header::Read(c) => {
                if let Some(first) = index.insert(c, i) {
                    index.insert(c, first);
                    diags.push(
                        Diagnostic::new(
                            Rule::DuplicateColumn,
                            path,
                            format!(
                                "列「{h}」出现了两次（{} 列和 {} 列）",
                                columns::letter(first + 1),
                                columns::letter(i + 1)
                            ),
                        )
                        .at(header_row, i + 1)
                        .hint("删去多出的一列，只保留一列「{h}」再提交".replace("{h}", &h)),
                    );
                }
            }
            Header::Reference => {}
            Header::Unknown if h.is_empty() => {}
            Header::Unknown => diags.push(
                Diagnostic::new(Rule::UnknownColumn, path, format!("不认识的列「{h}」，读取时忽略"))
                    .at(header_row, i + 1)
                    .hint("列名应与模板一致；若是自加的备注列可以保留"),
            ),
        }
    }
    let missing: Vec<&str> = columns::read_columns()
        .filter(|(c, _)| !index.contains_key(c))
        .map(|(_, zh)| zh)
        .collect();
    if !missing.is_empty() {
        diags.push(
            Diagnostic::new(
                Rule::MissingColumn,
                path,
                format!("缺少必需的列：{}", missing.join("、")),
            )
            .at(header_row, 0)
            .hint("第一行是列名，须与模板一致；用 tracker report new 重新生成模板，把内容复制过去"),
        );
        return None;
    }
    Some(index)
}

/// The data rows of a table (a bounded table keeps only rows with content), and how wide the header is.
struct Rows<'t> {
    table: &'t csv_rows::Table<'t>,
    records: std::ops::Range<usize>,
    width: usize,
}

/// The cells of a row that are read: about three times the template's columns (eleven, with the
/// workbook's reference columns fourteen); what lies further is only seen to be there.
const MAX_CELLS: usize = 32;

/// Reads every data row into `report`, each cell checked, the diagnostics into `diags`.
fn read_rows(
    info: &FileInfo,
    rows: &Rows,
    index: &BTreeMap<Column, usize>,
    report: &mut Report,
    diags: &mut crate::diagnostic::Bounded,
) {
    let path = info.path;
    // Room for every row at once: a province holds hundreds of thousands, and growing by doubling
    // would leave up to half of that memory unused.
    report.rows.reserve_exact(rows.records.len());
    report.columns = index.iter().map(|(c, i)| (*c, i + 1)).collect();
    let slots = Slots::of(index);
    let mut cells = Vec::with_capacity(rows.width);
    for i in rows.records.clone() {
        cells.clear();
        cells.extend(rows.table.cells(i));
        // A row with text only in reference columns (the workbook's 以下为配合任务 separator) is no row.
        if slots
            .0
            .iter()
            .flatten()
            .all(|&i| cells.get(i).is_none_or(|c| is_blank(c)))
        {
            continue;
        }
        let row = rows.table.number(i);
        extra_cells(path, row, (&cells, rows.table.overflows(i)), rows.width, diags);
        let mut r = RowReader {
            path,
            row,
            cells: &cells,
            slots: &slots,
            diags,
        };
        r.read(info, report);
    }
}

fn rows_error(path: &str, e: csv_rows::RowsError) -> Diagnostic {
    match e {
        csv_rows::RowsError::UnclosedQuote { row } => Diagnostic::new(
            Rule::EmptyReport,
            path,
            format!("第 {row} 行有一个引号没有配对，其后的内容都会被当作一个单元格"),
        )
        .at(row, 0)
        .hint("在 Excel/WPS 中打开，检查这一行的单元格，重新另存为 CSV UTF-8；或在文本编辑器中补上配对的引号"),
    }
}

/// Cells past the last header: read by nobody, so the liaison should know.
fn extra_cells(
    path: &str,
    row: usize,
    (cells, overflows): (&[&str], Option<usize>),
    headers: usize,
    diags: &mut crate::diagnostic::Bounded,
) {
    let past_kept = overflows.map(|c| c.saturating_sub(headers));
    if let Some(i) = cells.iter().skip(headers).position(|c| !is_blank(c)).or(past_kept) {
        let col = headers + i + 1;
        diags.push(
            Diagnostic::new(
                Rule::ExtraCells,
                path,
                format!(
                    "第 {row} 行在最后一列之后（{} 列）还有内容，读取时忽略",
                    columns::letter(col)
                ),
            )
            .at(row, col)
            .hint("把内容移到对应的列中，或删去"),
        );
    }
}

/// `flaws` and a flaw for each error let go of past the per-file cap.
pub(crate) fn with_unlisted(mut flaws: Vec<Flaw>, unlisted: &[(usize, Rule)]) -> Vec<Flaw> {
    flaws.extend(unlisted.iter().map(|&(row, rule)| Flaw::unlisted(row, rule)));
    flaws
}

/// The errors among `diags` that concern `path`, as the report's flaws.
pub(crate) fn flaws(path: &str, diags: &[Diagnostic]) -> Vec<Flaw> {
    diags
        .iter()
        .filter(|d| d.is_error() && d.file == path)
        .map(Flaw::of)
        .collect()
}

/// A file that could not be read as a report: present (the unit sent something), with no rows and
/// its errors as flaws of the whole file.
pub(crate) fn unreadable(info: &FileInfo, diags: &[Diagnostic]) -> Report {
    let mut report = Report::new(info.path.to_string(), info.round, info.unit.to_string(), "");
    report.set_flaws(
        flaws(info.path, diags)
            .into_iter()
            .map(|f| Flaw { row: 0, ..f })
            .collect(),
    );
    report
}

/// Every column a row is read from.
const COLUMNS_READ: [Column; 11] = [
    Column::Task,
    Column::Metric,
    Column::Status,
    Column::Progress,
    Column::Actual,
    Column::ProgressNote,
    Column::Problems,
    Column::NextSteps,
    Column::Reporter,
    Column::Phone,
    Column::ReportedOn,
];

// `Slots` finds a column at its discriminant: that is its place in `COLUMNS_READ`.
const _: () = {
    let mut i = 0;
    while i < COLUMNS_READ.len() {
        assert!(COLUMNS_READ[i] as usize == i);
        i += 1;
    }
};

/// Where each column read sits in the file (0-based), looked up by the column's place in
/// [`COLUMNS_READ`]: an array, as every cell of every row is looked up here.
struct Slots([Option<usize>; COLUMNS_READ.len()]);

impl Slots {
    fn of(index: &BTreeMap<Column, usize>) -> Slots {
        Slots(COLUMNS_READ.map(|c| index.get(&c).copied()))
    }

    fn get(&self, c: Column) -> Option<usize> {
        self.0[c as usize]
    }
}

struct RowReader<'a> {
    path: &'a str,
    row: usize,
    cells: &'a [&'a str],
    slots: &'a Slots,
    diags: &'a mut crate::diagnostic::Bounded,
}

impl<'a> RowReader<'a> {
    fn raw(&self, c: Column) -> &'a str {
        self.slots.get(c).and_then(|i| self.cells.get(i)).copied().unwrap_or("")
    }

    /// Cells with control characters or bidirectional overrides: each an error, the row not read.
    fn unsafe_cells(&mut self) -> bool {
        let mut found = false;
        for (column, _) in columns::read_columns() {
            if let Some(c) = crate::text::first_unsafe_char(self.raw(column)) {
                self.problem(
                    Rule::ControlChar,
                    column,
                    format!("单元格中有控制字符 U+{:04X}，会扰乱终端和文档的显示", c as u32),
                    "删去这个字符（多半是从别处粘贴来的），再保存",
                );
                found = true;
            }
        }
        found
    }

    /// 填报人 or 联系电话; a `0` is what the workbook's formula leaves when 说明 has none, and is
    /// read as empty (with a warning), never as a person called 0.
    fn liaison(&mut self, c: Column) -> Cow<'a, str> {
        let value = self.folded(c);
        if value.trim() != "0" {
            return value;
        }
        self.problem(
            Rule::FormulaZero,
            c,
            format!(
                "「{}」是 0，多半是模板的公式在“说明”页留空时的结果，按空白处理",
                columns::header_of(c)
            ),
            "在“说明”页填写联络员和电话，或直接在这一格填写",
        );
        Cow::Borrowed("")
    }

    fn folded(&self, c: Column) -> Cow<'a, str> {
        fold_cell(self.raw(c))
    }

    /// Free text: trimmed (including U+3000), formula guard removed, line breaks kept.
    fn text(&self, c: Column) -> &'a str {
        let raw = self.raw(c).trim_start_matches(char::is_whitespace);
        columns::unneutralise(raw).trim_matches(char::is_whitespace)
    }

    fn problem(&mut self, rule: Rule, c: Column, message: String, hint: &str) {
        let col = self.slots.get(c).map_or(0, |i| i + 1);
        // One line: a cell's own line breaks shown as ↵.
        let shown = self.raw(c).replace("\r\n", "↵").replace(['\n', '\r'], "↵");
        let snippet = format!(
            "{}{} 「{}」= {shown}",
            columns::letter(col),
            self.row,
            columns::header_of(c)
        );
        self.diags.push(
            Diagnostic::new(rule, self.path, message)
                .at(self.row, col)
                .snippet(snippet)
                .hint(hint),
        );
    }

    /// Excel keeps at most 32,767 characters in a cell; a longer one cannot round-trip.
    fn too_long(&mut self) -> bool {
        let long = COLUMNS_READ
            .iter()
            .copied()
            // A cell of no more bytes than the limit has no more characters either.
            .find(|c| {
                let raw = self.raw(*c);
                raw.len() > columns::MAX_CELL_CHARS && raw.chars().count() > columns::MAX_CELL_CHARS
            });
        if let Some(c) = long {
            let chars = self.raw(c).chars().count();
            self.problem(
                Rule::CellTooLong,
                c,
                format!("单元格有 {chars} 个字符，超过 Excel 的上限 {}", columns::MAX_CELL_CHARS),
                "精简内容；详细材料另附，不放进报送表",
            );
        }
        long.is_some()
    }

    fn read(&mut self, info: &FileInfo, report: &mut Report) {
        if self.too_long() || self.unsafe_cells() {
            return;
        }
        let Some(task) = self.task() else {
            return;
        };
        let metric = self.folded(Column::Metric);
        if !metric.is_empty() {
            let actual = self.actual();
            report.metrics.push(MetricRow {
                row: self.row,
                task,
                metric: metric.into_owned(),
                actual,
            });
            return;
        }
        let status_cell = self.folded(Column::Status);
        let progress_cell = self.folded(Column::Progress);
        let filled =
            !status_cell.is_empty() && (!progress_cell.is_empty() || status_cell == Status::NotStarted.label());
        let note = self.text(Column::ProgressNote);
        if status_cell.is_empty() && progress_cell.is_empty() && note.is_empty() {
            return; // an optional row (配合任务) left blank: not reported
        }
        let status = self.status(&status_cell);
        let progress = self.progress(&progress_cell, status);
        let reported_on = self.reported_on(info);
        report.rows.push(MainRow {
            row: self.row,
            task,
            status,
            progress,
            text: RowText::new([
                note,
                self.text(Column::Problems),
                self.text(Column::NextSteps),
                &self.liaison(Column::Reporter),
                &self.liaison(Column::Phone),
            ]),
            reported_on,
            filled,
        });
    }

    /// 任务编号: a positive whole number.
    fn task(&mut self) -> Option<u32> {
        let task_cell = self.folded(Column::Task);
        match task_cell.trim_end_matches(".0").parse::<u32>() {
            Ok(t) if t > 0 => Some(t),
            _ => {
                let msg = if task_cell.is_empty() {
                    "任务编号为空".to_string()
                } else {
                    format!("任务编号「{task_cell}」不是数字")
                };
                self.problem(Rule::UnknownTask, Column::Task, msg, "填写清单中的任务序号，例如 30");
                None
            }
        }
    }

    /// 完成值 of a target's row: a non-negative number, or empty.
    fn actual(&mut self) -> Option<f64> {
        let cell = self.folded(Column::Actual);
        if cell.is_empty() {
            return None;
        }
        match cells::actual(&cell) {
            Ok(v) => Some(v),
            Err(m) => {
                self.problem(
                    Rule::InvalidActual,
                    Column::Actual,
                    m,
                    "完成值填累计完成的数量（非负数字），不带单位",
                );
                None
            }
        }
    }

    /// 状态: one of the statuses.
    fn status(&mut self, status_cell: &str) -> Option<Status> {
        match Status::parse(status_cell) {
            Some(s) => Some(s),
            None => {
                let msg = if status_cell.is_empty() {
                    "状态为空".to_string()
                } else {
                    format!("状态「{status_cell}」不在规定范围内")
                };
                self.problem(
                    Rule::InvalidStatus,
                    Column::Status,
                    msg,
                    &format!("状态只能填：{}", Status::ALL.map(Status::label).join("、")),
                );
                None
            }
        }
    }

    /// 进度: a percentage; empty only for 未启动 (read as 0).
    fn progress(&mut self, progress_cell: &str, status: Option<Status>) -> Option<f64> {
        if progress_cell.is_empty() {
            if status == Some(Status::NotStarted) {
                Some(0.0)
            } else {
                self.problem(
                    Rule::InvalidProgress,
                    Column::Progress,
                    "进度为空".into(),
                    "填写累计完成年度目标的百分比，0–100",
                );
                None
            }
        } else {
            match cells::progress(progress_cell) {
                Ok((v, fraction)) => {
                    if fraction {
                        self.problem(
                            Rule::ProgressFraction,
                            Column::Progress,
                            format!("进度 {progress_cell} 在 0 和 1 之间，多半是把百分数写成了小数，这一行不计入研判"),
                            &format!(
                                "是否应为 {}？确为不足 1% 请写 {progress_cell}%",
                                crate::text::fmt_num(v * 100.0)
                            ),
                        );
                    }
                    Some(v)
                }
                Err(m) => {
                    self.problem(
                        Rule::InvalidProgress,
                        Column::Progress,
                        m,
                        "填写累计完成年度目标的百分比，0–100，例如 80 或 80%",
                    );
                    None
                }
            }
        }
    }

    /// 填报日期: a date in the plan's years, or empty.
    fn reported_on(&mut self, info: &FileInfo) -> Option<chrono::NaiveDate> {
        let date_cell = self.folded(Column::ReportedOn);
        if date_cell.is_empty() {
            None
        } else {
            match cells::date(&date_cell, &info.years) {
                Ok(d) => Some(d),
                Err(m) => {
                    self.problem(
                        Rule::InvalidDate,
                        Column::ReportedOn,
                        m,
                        "写成 2024-08-03 或 2024/8/3，年份写全",
                    );
                    None
                }
            }
        }
    }
}

/// `(line, marker)` for every git conflict marker line.
fn conflict_markers(text: &str) -> Vec<(usize, &'static str)> {
    let marker = |line: &str| -> Option<&'static str> {
        let line = line.trim_end_matches('\r');
        if line == "=======" {
            return Some("=======");
        }
        // `<<<<<<< HEAD`, `>>>>>>> branch`: the marker alone or followed by a space.
        ["<<<<<<<", ">>>>>>>"]
            .into_iter()
            .find(|m| line == *m || line.strip_prefix(m).is_some_and(|r| r.starts_with(' ')))
    };
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| marker(l).map(|m| (i + 1, m)))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn conflict_markers_only_on_their_own_lines() {
        let text = "a,b\r\n<<<<<<< HEAD\r\n1,2\r\n=======\r\n1,3\r\n>>>>>>> jtj\r\n==========,x\r\n<<<<<<<<x\r\n";
        assert_eq!(
            super::conflict_markers(text),
            [(2, "<<<<<<<"), (4, "======="), (6, ">>>>>>>")]
        );
    }
}
