//! A filled-in workbook (what Excel, WPS or LibreOffice saved from `report new --format xlsx`)
//! -> the report's rows in the CSV's column order, keeping the workbook's own cell references.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

use super::shown::as_shown;
use crate::model::template::{FILL_SHEET, GUIDE_SHEET, HEADERS, ROUND_LABEL, UNIT_LABEL, letter};
use crate::text::fmt_num;

/// The sheet 填报, read.
#[derive(Debug, Default)]
pub struct Filled {
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

/// What a workbook may be before tracker reads a cell of it: a report's workbook is tens of KB.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// What one entry of a workbook's zip may unpack to (a sheet, the shared strings)…
const MAX_ENTRY_BYTES: u64 = 16 * 1024 * 1024;
/// …and all of them together.
const MAX_UNPACKED_BYTES: u64 = 32 * 1024 * 1024;
/// Rows read from a sheet: the header and a report's rows at most (see `[limits] report_rows`).
const MAX_ROWS: u32 = 20_001;
/// Columns read: the template's, with room for columns moved or added by hand.
const MAX_COLUMNS: u32 = 64;

/// A sheet's used cells within the bounds, in row then column order: (row, column, value).
type Grid = Vec<(u32, u32, Data)>;

/// What a file's first bytes say it is, whatever its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    Zip,
    /// An OLE compound file: Excel 97-2003 (.xls), or WPS's own .et.
    Compound,
    Text,
    /// Something else recognised by its first bytes (a PDF, another binary file).
    Other(&'static str),
}

fn sniff(path: &Path) -> Result<Content, String> {
    use std::io::Read;
    let mut head = vec![0u8; 4096];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| unreadable(&e))?;
    let head = &head[..n];
    Ok(match head {
        [b'P', b'K', 3, 4, ..] => Content::Zip,
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, ..] => Content::Compound,
        [b'%', b'P', b'D', b'F', ..] => Content::Other("PDF 文件"),
        _ if head.contains(&0) => Content::Other("二进制文件"),
        _ => Content::Text,
    })
}

/// Why a workbook could not be read, in the office's words.
fn unreadable(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "找不到这个文件；请核对文件名和所在文件夹".to_string(),
        std::io::ErrorKind::PermissionDenied => "没有读取这个文件的权限".to_string(),
        _ => format!("无法读取工作簿：{e}"),
    }
}

/// Refuses a workbook whose size, or whose zip entries' unpacked sizes, are beyond what a report
/// can need, before anything is unpacked. Says whether it is an OpenDocument file.
fn bounded(path: &Path) -> Result<Content, String> {
    let size = std::fs::metadata(path).map_err(|e| unreadable(&e))?.len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "工作簿有 {} MB，超过上限 {} MB，未读取",
            size >> 20,
            MAX_FILE_BYTES >> 20
        ));
    }
    let content = sniff(path)?;
    match content {
        Content::Text => {
            return Err("这是文本文件（多半是 CSV 改了扩展名），不是工作簿；请把扩展名改为 .csv 再导入".to_string());
        }
        Content::Other(what) => {
            return Err(format!(
                "这是{what}，不是工作簿；请交回用 tracker report new --format xlsx 生成、在 Excel/WPS 中填好的工作簿"
            ));
        }
        Content::Zip | Content::Compound => {}
    }
    misnamed(path, content)?;
    if content == Content::Zip {
        let file = std::fs::File::open(path).map_err(|e| format!("无法读取工作簿：{e}"))?;
        let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("工作簿已损坏（不是完整的 zip）：{e}"))?;
        let mut total = 0u64;
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(|e| format!("工作簿已损坏：{e}"))?;
            total = total.saturating_add(entry.size());
            if entry.size() > MAX_ENTRY_BYTES || total > MAX_UNPACKED_BYTES {
                return Err(format!(
                    "工作簿中的「{}」解压后过大（{} MB），不像是填报模板，未读取",
                    entry.name().unwrap_or_default(),
                    entry.size() >> 20
                ));
            }
        }
    }
    Ok(content)
}

/// A workbook saved under another format's name (an .xls renamed .xlsx, an .ods renamed .xlsx),
/// named as what it is rather than failing to open.
fn misnamed(path: &Path, content: Content) -> Result<(), String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let ods = content == Content::Zip && zip_mimetype(path).is_some_and(|m| m.contains("opendocument.spreadsheet"));
    let said = match (content, ext.as_str()) {
        (Content::Compound, "xlsx" | "xlsm" | "ods") => {
            "Excel 97-2003 格式的工作簿（.xls），或 WPS 表格自有格式（.et）"
        }
        (Content::Zip, "xls") if ods => "OpenDocument 表格（.ods）",
        (Content::Zip, "xls") => "Excel 工作簿（.xlsx）",
        (Content::Zip, "xlsx" | "xlsm") if ods => "OpenDocument 表格（.ods）",
        _ => return Ok(()),
    };
    Err(format!(
        "这是 {said}，只是扩展名是 .{ext}；请按实际格式改扩展名，或在 Excel/WPS 中另存为 .xlsx 后再导入"
    ))
}

/// An OpenDocument file's `mimetype` entry, if the zip has one.
fn zip_mimetype(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).ok()?).ok()?;
    let mut entry = zip.by_name("mimetype").ok()?;
    let mut text = String::new();
    entry.by_ref().take(200).read_to_string(&mut text).ok()?;
    Some(text)
}

/// Runs a step of calamine's reading: a file so broken that calamine panics on it (a fuzzed .xls
/// did) is refused as broken, quietly, instead of ending the process with a Rust backtrace.
fn unbroken<T>(step: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(step));
    std::panic::set_hook(hook);
    result.unwrap_or_else(|_| Err("工作簿已损坏，无法读取；请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入".to_string()))
}

/// An .xls is opened by calamine as dense sheets: one with a value far out (IV65536) is refused
/// before it is opened, naming the cell; one inside the template's box costs little.
fn within_bounds_xls(path: &Path) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| unreadable(&e))?;
    use super::xls_scan::Outside;
    match super::xls_scan::first_outside(&bytes, MAX_ROWS, MAX_COLUMNS)? {
        None => Ok(()),
        Some(Outside::Declared(rows, cols)) => Err(format!(
            "工作簿声明的表格范围有 {rows} 行、{cols} 列，超出填报模板的范围（{} 行、{} 列）；请在 Excel 或 WPS 中另存为 .xlsx 后再导入",
            MAX_ROWS - 1,
            MAX_COLUMNS
        )),
        Some(Outside::Cell(row, col)) => Err(format!(
            "工作簿第 {} 行 {} 列还有内容，超出填报模板的范围（{} 行、{} 列）；删去多余的内容，或另存为 .xlsx 后再导入",
            row + 1,
            letter(col as usize + 1),
            MAX_ROWS - 1,
            MAX_COLUMNS
        )),
    }
}

/// A workbook opened once (opening parses its shared strings and styles: doing it once per sheet
/// made a workbook near the unpack limits several times slower to refuse or read).
enum Book {
    Xlsx(calamine::Xlsx<std::io::BufReader<std::fs::File>>),
    /// Read in one pass, bounded (see [`super::ods`]).
    Ods(Vec<String>, BTreeMap<String, super::ods::Cells>),
    Other(calamine::Sheets<std::io::BufReader<std::fs::File>>),
}

impl Book {
    fn open(path: &Path, content: Content) -> Result<Book, String> {
        let ods = || zip_mimetype(path).is_some_and(|m| m.contains("opendocument.spreadsheet"));
        if content == Content::Zip && ods() {
            let (names, sheets) = super::ods::read(path, MAX_ROWS, MAX_COLUMNS)?;
            return Ok(Book::Ods(names, sheets));
        }
        if content == Content::Compound {
            within_bounds_xls(path)?;
        }
        if content == Content::Zip
            && let Ok(xlsx) = calamine::open_workbook::<calamine::Xlsx<_>, _>(path)
        {
            return Ok(Book::Xlsx(xlsx));
        }
        open_workbook_auto(path)
            .map(Book::Other)
            .map_err(|e| format!("无法打开工作簿：{e}"))
    }

    fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(wb) => wb.sheet_names(),
            Book::Ods(names, _) => names.clone(),
            Book::Other(wb) => wb.sheet_names(),
        }
    }

    /// A sheet's cells within the bounds. `.xlsx` is streamed cell by cell (no range is built, so
    /// a stray cell at XFD1048576 costs nothing); other formats go through calamine's range,
    /// already bounded by the file and unpacked sizes. A value past [`MAX_ROWS`] is refused.
    fn grid(&mut self, sheet: &str) -> Result<Option<Grid>, String> {
        let mut cells = Grid::new();
        let mut keep = |row: u32, col: u32, value: Data| -> Result<(), String> {
            if value == Data::Empty || col >= MAX_COLUMNS {
                return Ok(());
            }
            if row >= MAX_ROWS {
                return Err(format!(
                    "工作表「{sheet}」第 {} 行还有内容，超过上限 {} 行；删去多余的行再导入",
                    row + 1,
                    MAX_ROWS - 1
                ));
            }
            cells.push((row, col, value));
            Ok(())
        };
        match self {
            Book::Xlsx(wb) => {
                let Ok(mut reader) = wb.worksheet_cells_reader(sheet) else {
                    return Ok(None);
                };
                while let Some((cell, style)) = reader
                    .next_cell_with_style_id()
                    .map_err(|e| format!("无法读取工作表「{sheet}」：{e}"))?
                {
                    let (row, col) = cell.get_position();
                    let percent = reader
                        .styles()
                        .get(style)
                        .and_then(|s| s.number_format.as_ref())
                        .is_some_and(|f| f.format_code.contains('%'));
                    keep(row, col, as_shown(Data::from(cell.get_value().clone()), percent))?;
                }
            }
            Book::Ods(_, sheets) => {
                let Some(found) = sheets.get_mut(sheet) else {
                    return Ok(None);
                };
                for (row, col, value) in std::mem::take(found) {
                    keep(row, col, value)?;
                }
            }
            Book::Other(wb) => {
                let Ok(range) = wb.worksheet_range(sheet) else {
                    return Ok(None);
                };
                let (top, left) = range.start().unwrap_or((0, 0));
                for (row, col, value) in range.used_cells() {
                    keep(row as u32 + top, col as u32 + left, value.clone())?;
                }
            }
        }
        cells.sort_by_key(|(r, c, _)| (*r, *c));
        Ok(Some(cells))
    }
}

/// The workbook opened within its bounds, its sheet names, and what its 说明 sheet says.
fn open_guided(path: &Path) -> Result<(Book, Vec<String>, Filled), String> {
    let content = bounded(path)?;
    let mut book = unbroken(|| Book::open(path, content))?;
    let names = book.sheet_names();
    let mut filled = Filled::default();
    if let Some(guide) = unbroken(|| book.grid(GUIDE_SHEET))? {
        read_guide(&guide, &mut filled);
    }
    Ok((book, names, filled))
}

pub fn read(path: &Path) -> Result<Filled, String> {
    let (mut book, names, mut filled) = open_guided(path)?;
    if !names.iter().any(|n| n == FILL_SHEET) {
        return Err(format!(
            "工作簿中没有工作表「{FILL_SHEET}」（现有：{}）；请用 tracker report new --format xlsx 生成的模板填写，不要改工作表名",
            names.join("、")
        ));
    }
    let fill = unbroken(|| book.grid(FILL_SHEET))?.unwrap_or_default();
    read_fill(&fill, &mut filled)?;
    Ok(filled)
}

/// The 说明 sheet's unit and round: column B beside their labels in column A.
fn read_guide(guide: &Grid, filled: &mut Filled) {
    for (row, _, label) in guide.iter().filter(|(_, c, _)| *c == 0) {
        let value = guide
            .iter()
            .find(|(r, c, _)| r == row && *c == 1)
            .map(|(_, _, v)| v.to_string().trim().to_string())
            .filter(|v| !v.is_empty());
        match label.to_string().trim() {
            UNIT_LABEL => filled.unit = value,
            ROUND_LABEL => filled.round = value,
            _ => {}
        }
    }
}

/// The 填报 sheet: its first used row is the header; every row below it up to the last with
/// content, blank ones kept so that a CSV row is the sheet's row.
fn read_fill(fill: &Grid, filled: &mut Filled) -> Result<(), String> {
    let Some(&(first_row, _, _)) = fill.first() else {
        return Err(format!("工作表「{FILL_SHEET}」是空的"));
    };
    for (_, col, h) in fill.iter().filter(|(r, _, _)| *r == first_row) {
        let name = h.to_string().trim().to_string();
        if HEADERS.contains(&name.as_str()) {
            filled.columns.entry(name).or_insert(*col as usize);
        }
    }
    let first_row = first_row as usize;
    filled
        .rows
        .push((first_row + 1, HEADERS.iter().map(|h| h.to_string()).collect()));
    let mut by_row: BTreeMap<usize, BTreeMap<usize, &Data>> = BTreeMap::new();
    for (r, c, v) in fill.iter().filter(|(r, _, _)| *r as usize > first_row) {
        by_row.entry(*r as usize).or_default().insert(*c as usize, v);
    }
    let last = by_row.keys().next_back().copied().unwrap_or(first_row);
    for r in first_row + 1..=last {
        let cells = by_row.get(&r);
        let row = r + 1;
        let mut out = Vec::with_capacity(HEADERS.len());
        for h in HEADERS {
            let cell = filled
                .columns
                .get(h)
                .and_then(|c| cells.and_then(|m| m.get(c)).copied());
            out.push(cell_text(filled, h, row, cell));
        }
        filled.rows.push((row, out));
    }
    Ok(())
}

/// One cell's text; an Excel error value is a problem named at its cell.
fn cell_text(filled: &mut Filled, h: &str, row: usize, cell: Option<&Data>) -> String {
    match cell {
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
    }
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

/// A plan workbook (`plan new --format xlsx`) read back: the unit its 说明 sheet names and the
/// rows of `sheet` as text, each with the sheet's row number. A header that Excel turned into a
/// date reads as that date (`2024-05-01`), which the plan reader takes as its month.
pub(crate) fn read_rows(path: &Path, sheet: &str) -> Result<(Option<String>, Vec<super::csv_rows::Row>), String> {
    let (mut book, names, filled) = open_guided(path)?;
    let Some(grid) = unbroken(|| book.grid(sheet))? else {
        if names.iter().any(|n| n == FILL_SHEET) {
            return Err(
                "这是月度报送的工作簿（有“填报”表），不是推进计划；请用 tracker report import 或 tracker submit 交回"
                    .to_string(),
            );
        }
        return Err(format!(
            "工作簿中没有工作表「{sheet}」（现有：{}）；请用 tracker plan new --format xlsx 生成的模板填写",
            names.join("、")
        ));
    };
    let width = grid.iter().map(|(_, c, _)| *c as usize + 1).max().unwrap_or(0);
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    for (r, c, value) in &grid {
        let row = *r as usize + 1;
        if rows.last().is_none_or(|(n, _)| *n != row) {
            rows.push((row, vec![String::new(); width]));
        }
        if let Some((_, cells)) = rows.last_mut() {
            cells[*c as usize] = text_of("", value);
        }
    }
    Ok((filled.unit, rows))
}
