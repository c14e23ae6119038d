//! OpenDocument spreadsheets (.ods, what WPS and LibreOffice save) read as a stream: only the cells
//! that hold something, within the template's columns and rows. calamine builds each sheet as a
//! dense range, so a 1 KB file whose empty cells repeat across a million rows took 5.6 GB; here a
//! repeat of empty cells only moves the position, and a repeat of a value stops at the bounds.

use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::Path;

use calamine::Data;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// content.xml, read as it unpacks.
type Xml<'z> = Reader<BufReader<zip::read::ZipFile<'z, std::fs::File>>>;

/// A sheet's cells that hold something: (row, column, value), in reading order.
pub(super) type Cells = Vec<(u32, u32, Data)>;

/// The most characters kept of one cell: past Excel's 32,767, so `cell-too-long` still sees it.
const MAX_CELL_CHARS: usize = 40_000;

/// Where the reader stands, and the bounds it keeps.
struct Walk {
    max_rows: u32,
    max_columns: u32,
    row: u64,
    column: u64,
}

/// Every sheet's name, in order, and the cells of each (rows below `max_rows`, columns below
/// `max_columns`); an error names a value past the last row allowed.
pub(super) fn read(
    path: &Path,
    max_rows: u32,
    max_columns: u32,
) -> Result<(Vec<String>, BTreeMap<String, Cells>), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("无法读取工作簿：{e}"))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("工作簿已损坏（不是完整的 zip）：{e}"))?;
    let content = zip
        .by_name("content.xml")
        .map_err(|_| "工作簿已损坏：没有 content.xml".to_string())?;
    let mut reader = Reader::from_reader(BufReader::new(content));
    let mut walk = Walk {
        max_rows,
        max_columns,
        row: 0,
        column: 0,
    };
    let (mut names, mut sheets) = (Vec::new(), BTreeMap::new());
    let mut buf = Vec::new();
    let mut current: Option<(String, Cells)> = None;
    loop {
        buf.clear();
        let event = reader.read_event_into(&mut buf).map_err(broken)?;
        match event {
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                let name = attr(&e, "table:name").unwrap_or_default();
                (walk.row, walk.column) = (0, 0);
                current = Some((name, Cells::new()));
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                if let Some((name, cells)) = current.take() {
                    names.push(name.clone());
                    sheets.insert(name, cells);
                }
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                let repeat = repeats(&e, "table:number-rows-repeated");
                walk.column = 0;
                let row = read_row(&mut reader, &mut walk)?;
                if let Some((name, cells)) = current.as_mut() {
                    walk.emit_row(name, row, repeat, cells)?;
                }
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                walk.row = walk.row.saturating_add(repeats(&e, "table:number-rows-repeated"));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((names, sheets))
}

impl Walk {
    /// Places a row's cells `repeat` times from the current row on.
    fn emit_row(&mut self, sheet: &str, row: Vec<(u32, Data)>, repeat: u64, cells: &mut Cells) -> Result<(), String> {
        if !row.is_empty() {
            let last = self.row.saturating_add(repeat);
            if last > u64::from(self.max_rows) {
                return Err(format!(
                    "工作表「{sheet}」第 {} 行还有内容，超过上限 {} 行；删去多余的行再导入",
                    self.max_rows.saturating_add(1),
                    self.max_rows - 1
                ));
            }
            for r in self.row..last {
                cells.extend(row.iter().map(|(c, v)| (r as u32, *c, v.clone())));
            }
        }
        self.row = self.row.saturating_add(repeat);
        Ok(())
    }
}

/// The cells of one row that hold something, with their columns, up to the row's end.
fn read_row(reader: &mut Xml<'_>, walk: &mut Walk) -> Result<Vec<(u32, Data)>, String> {
    let mut out = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).map_err(broken)? {
            Event::End(e) if e.name().as_ref() == "table:table-row" => return Ok(out),
            Event::Empty(e) if is_cell(&e) => {
                let value = value_of(&e, None);
                walk.place(value, repeats(&e, "table:number-columns-repeated"), &mut out);
            }
            Event::Start(e) if is_cell(&e) => {
                let repeat = repeats(&e, "table:number-columns-repeated");
                let text = cell_text(reader)?;
                let value = value_of(&e, Some(text));
                walk.place(value, repeat, &mut out);
            }
            Event::Eof => return Err("工作簿已损坏：表格行没有结束".to_string()),
            _ => {}
        }
    }
}

impl Walk {
    /// Places a cell `repeat` times from the current column on, keeping those within the bounds.
    fn place(&mut self, value: Data, repeat: u64, out: &mut Vec<(u32, Data)>) {
        if value != Data::Empty {
            let end = self.column.saturating_add(repeat).min(u64::from(self.max_columns));
            for c in self.column..end {
                out.push((c as u32, value.clone()));
            }
        }
        self.column = self.column.saturating_add(repeat);
    }
}

fn is_cell(e: &BytesStart) -> bool {
    matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell")
}

/// `table:number-…-repeated`, at least 1.
fn repeats(e: &BytesStart, key: &str) -> u64 {
    attr(e, key).and_then(|v| v.parse().ok()).unwrap_or(1).max(1)
}

fn attr(e: &BytesStart, key: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == key).and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

/// A cell's value by its type: numbers, percentages (as the percentage people see), dates,
/// booleans; otherwise its text.
fn value_of(e: &BytesStart, text: Option<String>) -> Data {
    let number = || attr(e, "office:value").and_then(|v| v.parse::<f64>().ok());
    match attr(e, "office:value-type").as_deref() {
        Some("float" | "currency") => number().map_or(Data::Empty, Data::Float),
        Some("percentage") => number().map_or(Data::Empty, super::shown::percent_cell),
        Some("date") => attr(e, "office:date-value").map_or(Data::Empty, Data::DateTimeIso),
        Some("time") => attr(e, "office:time-value").map_or(Data::Empty, Data::DurationIso),
        Some("boolean") => Data::Bool(attr(e, "office:boolean-value").is_some_and(|v| v == "true" || v == "TRUE")),
        _ => match attr(e, "office:string-value").or(text) {
            Some(t) if !t.is_empty() => Data::String(t),
            _ => Data::Empty,
        },
    }
}

/// The text of a cell's paragraphs (one line each), up to the cell's end; notes are skipped.
fn cell_text(reader: &mut Xml<'_>) -> Result<String, String> {
    let (mut s, mut paragraphs, mut in_note) = (String::new(), 0, 0);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let room = s.len() < MAX_CELL_CHARS * 4;
        match reader.read_event_into(&mut buf).map_err(broken)? {
            Event::End(e) if is_cell_end(e.name().as_ref()) => return Ok(s),
            Event::Start(e) if e.name().as_ref() == "office:annotation" => in_note += 1,
            Event::End(e) if e.name().as_ref() == "office:annotation" => in_note -= 1,
            _ if in_note > 0 => {}
            Event::Start(e) if e.name().as_ref() == "text:p" => {
                if paragraphs > 0 && room {
                    s.push('\n');
                }
                paragraphs += 1;
            }
            Event::Text(t) if room => s.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if room => {
                let name = r.xml10_content();
                match quick_xml::escape::resolve_xml_entity(&name) {
                    Some(c) => s.push_str(c),
                    None => s.extend(r.resolve_char_ref().ok().flatten()),
                }
            }
            Event::Empty(e) | Event::Start(e) if room => {
                let n = repeats(&e, "text:c").min(MAX_CELL_CHARS as u64) as usize;
                match e.name().as_ref() {
                    "text:s" => s.extend(std::iter::repeat_n(' ', n)),
                    "text:tab" => s.push('\t'),
                    "text:line-break" => s.push('\n'),
                    _ => {}
                }
            }
            Event::Eof => return Err("工作簿已损坏：单元格没有结束".to_string()),
            _ => {}
        }
    }
}

fn is_cell_end(name: &str) -> bool {
    matches!(name, "table:table-cell" | "table:covered-table-cell")
}

fn broken(e: quick_xml::Error) -> String {
    format!("工作簿已损坏（content.xml 无法读取）：{e}")
}
