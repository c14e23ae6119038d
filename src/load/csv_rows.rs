//! CSV text -> rows, each with the row number Excel shows. Excel counts blank lines as rows and a
//! cell with line breaks as one row; the CSV reader (csv-core) skips blank lines, so row numbers
//! are worked out from where each record starts and how many line breaks its cells hold.

use std::borrow::Cow;
use std::cell::RefCell;

/// A row as read: Excel's row number and the cells.
pub(crate) type Row = (usize, Vec<String>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RowsError {
    /// A quoted cell is never closed: everything after it would be swallowed as one cell.
    UnclosedQuote { row: usize },
}

/// Every row, each cell an owned string: for the importers, which read a table once.
pub(crate) fn read(text: &str, delimiter: u8) -> Result<Vec<Row>, RowsError> {
    Ok(read_table(text, delimiter)?.owned_rows())
}

/// How much of a text a report's table keeps, so that no file of the allowed size can make it
/// allocate many times its bytes (5 MB of line breaks made 2.4 million rows, 235 MB; 5 MB of
/// commas made 5 million cells, 75 MB). A bounded table keeps no blank row, at most `rows` rows
/// with something in them (it still counts the rest: [`Table::counted`]), and at most `cells`
/// cells a row (where in the rest of a row something is: [`Table::overflows`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bound {
    pub(crate) rows: usize,
    pub(crate) cells: usize,
}

impl Bound {
    /// Everything kept, blank rows included: for the importers' small tables.
    const NONE: Bound = Bound {
        rows: usize::MAX,
        cells: usize::MAX,
    };

    fn bounded(self) -> bool {
        self != Bound::NONE
    }
}

/// Rows over one buffer: every cell is a slice of it, so a file costs a few allocations, not one
/// per cell. Text without quotes is its own buffer, cut at delimiters; quoted text is unquoted into
/// a buffer of its own.
pub(crate) struct Table<'t> {
    cells: Cow<'t, str>,
    /// Where each cell ends in `cells`.
    ends: Vec<usize>,
    /// The bytes between one cell's end and the next cell's start in a row: the delimiter in the
    /// text itself (1), none in an unquoted copy (0).
    gap: usize,
    rows: Vec<TableRow>,
    /// Of a bounded table, the rows with something in them, kept or not.
    counted: usize,
}

struct TableRow {
    /// Excel's row number.
    number: usize,
    /// Where the row's first cell starts in `cells`, and its cells in `ends`.
    start: usize,
    ends: std::ops::Range<usize>,
    /// The first cell past the bound that holds something (0-based), if one does.
    overflow: Option<u32>,
}

impl Table<'_> {
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The rows with something in them, kept or not (a bounded table); the rows kept otherwise.
    pub(crate) fn counted(&self) -> usize {
        self.counted.max(self.rows.len())
    }

    /// Where (0-based) row `i` first has something past the cells kept of it.
    pub(crate) fn overflows(&self, i: usize) -> Option<usize> {
        self.rows[i].overflow.map(|c| c as usize)
    }

    /// Adds `row` unless the bound leaves it out (a blank row, or one past the rows kept), counting
    /// it when it holds something; `bytes` is the buffer its cells are in. Says whether it was kept.
    fn keep(&mut self, row: TableRow, bound: Bound, bytes: &[u8]) -> bool {
        if !bound.bounded() {
            self.rows.push(row);
            return true;
        }
        let blank = row.overflow.is_none() && blank_cells(bytes, &self.ends[row.ends.clone()], row.start, self.gap);
        self.counted += usize::from(!blank);
        if blank || self.rows.len() >= bound.rows {
            return false;
        }
        self.rows.push(row);
        true
    }

    /// Every row with its cells copied out.
    pub(crate) fn owned_rows(&self) -> Vec<Row> {
        (0..self.len())
            .map(|i| {
                let (row, cells) = self.row(i);
                (row, cells.into_iter().map(str::to_string).collect())
            })
            .collect()
    }

    /// Row `i`: Excel's row number and its cells.
    pub(crate) fn row(&self, i: usize) -> (usize, Vec<&str>) {
        (self.number(i), self.cells(i).collect())
    }

    /// Excel's row number of row `i`.
    pub(crate) fn number(&self, i: usize) -> usize {
        self.rows[i].number
    }

    /// The cells of row `i`, without copying them or collecting them.
    pub(crate) fn cells(&self, i: usize) -> impl Iterator<Item = &str> {
        let row = &self.rows[i];
        let mut start = row.start;
        self.ends[row.ends.clone()].iter().map(move |&end| {
            let cell = &self.cells[start..end];
            start = end + self.gap;
            cell
        })
    }
}

/// The double quote (0x22) that opens a quoted cell (RFC 4180). Named, not written as a byte
/// literal, so that tools counting braces do not take it for the start of a string.
const QUOTE: u8 = 0x22;

thread_local! {
    /// The CSV state machine of this thread and its delimiter: building one costs more than
    /// reading a small file, so it is built once and reset for each file.
    static READER: RefCell<Option<(u8, csv_core::Reader)>> = const { RefCell::new(None) };
}

pub(crate) fn read_table(text: &str, delimiter: u8) -> Result<Table<'_>, RowsError> {
    read_bounded(text, delimiter, Bound::NONE)
}

/// [`read_table`] keeping only what `bound` allows.
pub(crate) fn read_bounded(text: &str, delimiter: u8, bound: Bound) -> Result<Table<'_>, RowsError> {
    // What Excel and WPS save is mostly quote-free (Chinese text has its own comma): then every
    // line is a row and every cell a plain slice between delimiters, with nothing to undo.
    if !text.as_bytes().contains(&QUOTE) {
        return Ok(unquoted(text, delimiter, filled_lines(text), bound));
    }
    let layout = scan(text, delimiter);
    if let Some(row) = layout.unclosed {
        return Err(RowsError::UnclosedQuote { row });
    }
    READER.with_borrow_mut(|cached| {
        let reader = match cached {
            Some((d, reader)) if *d == delimiter => reader,
            _ => {
                &mut cached
                    .insert((delimiter, csv_core::ReaderBuilder::new().delimiter(delimiter).build()))
                    .1
            }
        };
        reader.reset();
        Ok(records(reader, text, &layout, bound))
    })
}

/// Every record of `text` with its Excel row, as `bound` allows. Blank lines are skipped by the
/// reader, so its i-th record is the i-th row that is not empty.
fn records(reader: &mut csv_core::Reader, text: &str, layout: &Layout, bound: Bound) -> Table<'static> {
    use csv_core::ReadRecordResult as Read;
    let mut input = text.as_bytes();
    // Unquoting only shortens: the cells never need more room than the text.
    let mut table = Table {
        cells: Cow::Owned(String::new()),
        ends: vec![0usize; 64],
        gap: 0,
        rows: Vec::with_capacity(layout.rows.len().min(bound.rows)),
        counted: 0,
    };
    let mut cells = vec![0u8; input.len() + 1];
    let (mut used, mut ended, mut row_start, mut row_first, mut index) = (0, 0, 0, 0, 0);
    loop {
        let (result, read, written, fields) = reader.read_record(input, &mut cells[used..], &mut table.ends[ended..]);
        input = &input[read..];
        // The reader counts ends from the start of the record; the table from the buffer's.
        table.ends[ended..ended + fields]
            .iter_mut()
            .for_each(|e| *e += row_start);
        used += written;
        ended += fields;
        match result {
            Read::InputEmpty => {}
            Read::OutputFull => cells.resize(cells.len() * 2, 0),
            Read::OutputEndsFull => table.ends.resize(table.ends.len() * 2, 0),
            Read::Record => {
                let (kept_to, overflow) = cut_row(&cells, &table.ends, (row_start, row_first..ended), bound.cells);
                let row = TableRow {
                    number: layout.number(index),
                    start: row_start,
                    ends: row_first..kept_to,
                    overflow,
                };
                index += 1;
                let kept = table.keep(row, bound, &cells);
                ended = if kept { kept_to } else { row_first };
                (row_start, row_first) = (if kept { used } else { row_start }, ended);
                used = row_start;
            }
            Read::End => break,
        }
    }
    cells.truncate(used);
    table.ends.truncate(ended);
    // Cells are the text's own bytes with quoting removed, cut at ASCII delimiters.
    table.cells =
        Cow::Owned(String::from_utf8(cells).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()));
    table
}

/// A record's cells past `max` dropped: where its kept cells end in `ends`, and the first dropped
/// one that held something (0-based in the row).
fn cut_row(
    cells: &[u8],
    ends: &[usize],
    (start, range): (usize, std::ops::Range<usize>),
    max: usize,
) -> (usize, Option<u32>) {
    if range.len() <= max {
        return (range.end, None);
    }
    let kept_to = range.start + max;
    let mut from = if max == 0 { start } else { ends[kept_to - 1] };
    let filled = (kept_to..range.end).find(|&i| {
        let cell = String::from_utf8_lossy(&cells[from..ends[i]]);
        from = ends[i];
        !crate::text::is_blank(&cell)
    });
    (
        kept_to,
        filled.map(|i| u32::try_from(i - range.start).unwrap_or(u32::MAX)),
    )
}

/// Whether every cell ending at `ends` in `bytes`, the first starting at `start`, the next
/// `gap` bytes after the one before, is blank.
fn blank_cells(bytes: &[u8], ends: &[usize], mut start: usize, gap: usize) -> bool {
    ends.iter().all(|&end| {
        let cell = String::from_utf8_lossy(&bytes[start..end]);
        start = end + gap;
        crate::text::is_blank(&cell)
    })
}

/// The records of a text without quotes, exactly as csv-core reads them: a record ends at a line
/// feed or a carriage return (CRLF is one end), empty records are skipped, and cells are split at
/// every delimiter. The cells are slices of the text itself.
/// The records are numbered by `numbers`, Excel's row numbers of the lines that hold something,
/// taken one at a time (5 MB of line breaks would list millions).
fn unquoted<'t>(text: &'t str, delimiter: u8, mut numbers: impl Iterator<Item = usize>, bound: Bound) -> Table<'t> {
    let bytes = text.as_bytes();
    let mut table = Table {
        cells: Cow::Borrowed(text),
        ends: Vec::new(),
        gap: 1,
        rows: Vec::new(),
        counted: 0,
    };
    // Where the current record starts in the text, and its first cell in `ends`; the record's
    // index; where the current cell starts and which it is; the first cell past the bound that
    // holds something.
    let (mut record, mut first, mut index) = (0, 0, 0);
    let (mut cell_start, mut cell, mut overflow) = (0, 0u32, None);
    let breaks = memchr::memchr3_iter(delimiter, b'\n', b'\r', bytes).chain(std::iter::once(bytes.len()));
    for end in breaks {
        let at_delimiter = bytes.get(end) == Some(&delimiter);
        // A record with nothing in it (two line breaks in a row) has no cell.
        if at_delimiter || end > record || table.ends.len() > first {
            if table.ends.len() - first < bound.cells {
                table.ends.push(end);
            } else if overflow.is_none() && !crate::text::is_blank(&text[cell_start..end]) {
                overflow = Some(cell);
            }
        }
        (cell_start, cell) = (end + 1, cell.saturating_add(1));
        if !at_delimiter {
            if table.ends.len() > first || overflow.is_some() {
                let row = TableRow {
                    // Counted on if the reader found more records than lines (a lone `\r`).
                    number: numbers.next().unwrap_or(index + 1),
                    start: record,
                    ends: first..table.ends.len(),
                    overflow,
                };
                index += 1;
                if !table.keep(row, bound, bytes) {
                    table.ends.truncate(first);
                }
            }
            (record, first, overflow, cell) = (end + 1, table.ends.len(), None, 0);
        }
    }
    table
}

/// Where the rows are, as Excel counts them.
struct Layout {
    /// Excel's row number of every row that is not empty, in order (4 bytes each: a file of
    /// line breaks lists millions).
    rows: Vec<u32>,
    /// The row where a quoted cell opens and never closes.
    unclosed: Option<usize>,
}

impl Layout {
    /// Excel's row number of the `i`-th record (counted on if the reader found more records).
    fn number(&self, i: usize) -> usize {
        self.rows.get(i).map_or(i + 1, |&r| r as usize)
    }
}

/// [`scan`] for a text without quotes: every line holding more than carriage returns is a row.
/// Its numbers, one at a time.
fn filled_lines(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    ends.enumerate().filter_map(move |(i, end)| {
        let filled = bytes[start.min(end)..end].iter().any(|&b| b != b'\r');
        start = end + 1;
        filled.then_some(i + 1)
    })
}

/// A row number as the layout keeps it (a text of over four billion lines is no report).
fn row_u32(row: usize) -> u32 {
    u32::try_from(row).unwrap_or(u32::MAX)
}

/// One pass with RFC 4180 quoting: a quote opens a cell only at its start; inside, `""` is a quote
/// and line breaks belong to the cell. Works on the bytes: quote, delimiter and line breaks are
/// ASCII, and in UTF-8 no byte of another character is.
fn scan(text: &str, delimiter: u8) -> Layout {
    let bytes = text.as_bytes();
    let (mut row, mut opened_at, mut row_empty, mut at_cell_start) = (1, None, true, true);
    let mut rows = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
    let mut i = 0;
    while i < bytes.len() {
        if opened_at.is_some() {
            // Inside quotes nothing counts but the next quote: `""` stays inside, one closes.
            let Some(k) = bytes[i..].iter().position(|&b| b == QUOTE) else {
                break;
            };
            i += k;
            if bytes.get(i + 1) == Some(&QUOTE) {
                i += 2;
            } else {
                opened_at = None;
                i += 1;
            }
            at_cell_start = false;
            continue;
        }
        let c = bytes[i];
        match c {
            b'\n' => {
                if !row_empty {
                    rows.push(row_u32(row));
                }
                row += 1;
                row_empty = true;
            }
            b'\r' => {}
            QUOTE if at_cell_start => {
                opened_at = Some(row);
                row_empty = false;
            }
            _ => row_empty = false,
        }
        at_cell_start = opened_at.is_none() && (c == delimiter || c == b'\n' || (c == b'\r' && at_cell_start));
        i += 1;
    }
    if !row_empty && opened_at.is_none() {
        rows.push(row_u32(row));
    }
    Layout {
        rows,
        unclosed: opened_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<usize> {
        read(text, b',').unwrap().into_iter().map(|(r, _)| r).collect()
    }

    #[test]
    fn blank_lines_and_multi_line_cells_count_as_excel_does() {
        assert_eq!(rows("a,b\r\n1,2\r\n\r\n3,4\r\n"), [1, 2, 4]);
        assert_eq!(rows("a,b\n\"x\ny\",2\n3,4\n"), [1, 2, 3]);
        assert_eq!(rows("a\n\n\n\"p\nq\nr\"\n\nz\n"), [1, 4, 6]);
    }

    #[test]
    fn an_unclosed_quote_names_its_row() {
        assert_eq!(
            read("a,b\n1,2\n3,\"open\n4,5\n", b','),
            Err(RowsError::UnclosedQuote { row: 3 })
        );
        assert_eq!(read("a,b\n1,\"x\"\"y\"\n", b',').unwrap()[1].1[1], "x\"y");
        assert_eq!(read("a,b\n1,in\"side\n", b',').unwrap()[1].1[1], "in\"side");
    }

    /// The scan as first written, a character at a time: the reference for the faster one.
    fn scan_by_chars(text: &str, delimiter: u8) -> (Vec<usize>, Option<usize>) {
        let (mut row, mut opened_at, mut row_empty) = (1, None, true);
        let mut rows = Vec::new();
        let mut at_cell_start = true;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (opened_at, c) {
                (Some(_), '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                }
                (Some(_), '"') => opened_at = None,
                (Some(_), _) => {}
                (None, '\n') => {
                    if !row_empty {
                        rows.push(row);
                    }
                    row += 1;
                    row_empty = true;
                }
                (None, '\r') => {}
                (None, '"') if at_cell_start => {
                    opened_at = Some(row);
                    row_empty = false;
                }
                (None, _) => row_empty = false,
            }
            at_cell_start =
                opened_at.is_none() && (c == delimiter as char || c == '\n' || (c == '\r' && at_cell_start));
        }
        if !row_empty && opened_at.is_none() {
            rows.push(row);
        }
        (rows, opened_at)
    }

    #[test]
    fn quote_free_text_is_split_as_csv_core_splits_it() {
        let text = "a,b\r\n1,进展，含逗号\r\n\r\n,,\rlone\r\n x \n";
        let layout = scan(text, b',');
        let mut reader = csv_core::Reader::new();
        assert_eq!(
            unquoted(text, b',', layout.rows.iter().map(|&r| r as usize), Bound::NONE).owned_rows(),
            records(&mut reader, text, &layout, Bound::NONE).owned_rows()
        );
        assert_eq!(
            unquoted(text, b',', layout.rows.iter().map(|&r| r as usize), Bound::NONE).owned_rows()[1].1,
            ["1", "进展，含逗号"]
        );
    }

    proptest::proptest! {
        #[test]
        fn the_quote_free_path_agrees_with_csv_core(text in "[a任,\t\r\n ]{0,60}", tab in proptest::bool::ANY) {
            let delimiter = if tab { b'\t' } else { b',' };
            let layout = scan(&text, delimiter);
            let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
            proptest::prop_assert_eq!(
                unquoted(&text, delimiter, layout.rows.iter().map(|&r| r as usize), Bound::NONE).owned_rows(),
                records(&mut reader, &text, &layout, Bound::NONE).owned_rows()
            );
        }

        #[test]
        fn a_bounded_table_is_the_whole_one_without_blank_rows_cut_to_its_bound(
            text in "[a任,\t\"\r\n ]{0,80}",
            rows in 0usize..4,
            cells in 1usize..4,
        ) {
            let Ok(whole) = read_table(&text, b',') else { return Ok(()) };
            let bounded = read_bounded(&text, b',', Bound { rows, cells }).unwrap();
            let filled: Vec<usize> = (0..whole.len())
                .filter(|&i| whole.cells(i).any(|c| !crate::text::is_blank(c)))
                .collect();
            proptest::prop_assert_eq!(bounded.counted(), filled.len());
            proptest::prop_assert_eq!(bounded.len(), filled.len().min(rows));
            for (k, &i) in filled.iter().take(rows).enumerate() {
                let (number, all) = whole.row(i);
                let (kept_number, kept) = bounded.row(k);
                proptest::prop_assert_eq!(kept_number, number);
                proptest::prop_assert_eq!(&kept[..], &all[..all.len().min(cells)]);
                let past = all.iter().skip(cells).position(|c| !crate::text::is_blank(c)).map(|p| p + cells);
                proptest::prop_assert_eq!(bounded.overflows(k), past);
            }
        }

        #[test]
        fn the_quote_free_scan_agrees_with_the_full_scan(text in "[a任,\t\r\n ]{0,60}") {
            let (fast, full) = (filled_lines(&text).collect::<Vec<_>>(), scan(&text, b','));
            let full_rows: Vec<usize> = full.rows.iter().map(|&r| r as usize).collect();
            proptest::prop_assert_eq!((fast, None), (full_rows, full.unclosed));
        }

        #[test]
        fn the_byte_scan_agrees_with_the_character_scan(text in "[a任,\t\"\r\n ]{0,40}", tab in proptest::bool::ANY) {
            let delimiter = if tab { b'\t' } else { b',' };
            let layout = scan(&text, delimiter);
            let rows: Vec<usize> = layout.rows.iter().map(|&r| r as usize).collect();
            proptest::prop_assert_eq!((rows, layout.unclosed), scan_by_chars(&text, delimiter));
        }
    }
}
