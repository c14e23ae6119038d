//! Where an Excel 97-2003 workbook (.xls) keeps its cells, found before calamine opens it. calamine
//! builds every sheet of an .xls as a dense range when it opens the file, so a 5 KB file with one
//! value at IV65536 took a gigabyte. This reads the compound file's `Workbook` stream and the
//! position of every cell record in it, and says where the first one outside the bounds is.

use std::collections::HashSet;

const FREE: u32 = 0xFFFF_FFFF;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

/// What lies outside the bounds.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Outside {
    /// A cell holding something: (row, column), 0-based.
    Cell(u32, u32),
    /// A sheet's declared box (its DIMENSIONS record, which calamine reserves room for): rows,
    /// columns.
    Declared(u64, u64),
}

/// The first cell holding something at or past `max_rows` rows or `max_columns` columns, or a
/// sheet declaring a larger box; None when everything is within the bounds. An error when the
/// file is not a readable compound file with a workbook stream.
pub(super) fn first_outside(bytes: &[u8], max_rows: u32, max_columns: u32) -> Result<Option<Outside>, String> {
    let streams = workbook_streams(bytes);
    if streams.is_empty() {
        return Err("工作簿已损坏：读不到 Excel 97-2003 的工作簿数据".to_string());
    }
    Ok(streams.iter().find_map(|s| outside_in(s, max_rows, max_columns)))
}

/// The first cell or declared box outside the bounds in one stream's records: walked from the start
/// and from each sheet's own offset (its BOUNDSHEET record), as calamine seeks to each sheet.
fn outside_in(stream: &[u8], max_rows: u32, max_columns: u32) -> Option<Outside> {
    let mut sheets = Vec::new();
    if let Some(found) = walk(stream, 0, (max_rows, max_columns), &mut sheets) {
        return Some(found);
    }
    let mut seen = std::collections::BTreeSet::new();
    sheets
        .into_iter()
        .filter(|at| seen.insert(*at))
        .find_map(|at| walk(stream, at, (max_rows, max_columns), &mut Vec::new()))
}

/// The records from `at` on: the first outside the bounds; the sheets' offsets are gathered.
fn walk(stream: &[u8], mut at: usize, (max_rows, max_columns): (u32, u32), sheets: &mut Vec<usize>) -> Option<Outside> {
    while at + 4 <= stream.len() {
        let kind = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[at + 2], stream[at + 3]]));
        let data = stream.get(at + 4..at + 4 + len).unwrap_or(&[]);
        if let Some((row, first, last)) = cell_span(kind, data)
            && (row >= max_rows || last >= max_columns)
        {
            return Some(Outside::Cell(row, first.max(last.min(max_columns))));
        }
        if kind == 0x0200
            && let Some((rows, cols)) = declared(data)
            && (rows > u64::from(max_rows) || cols > u64::from(max_columns))
        {
            return Some(Outside::Declared(rows, cols));
        }
        if kind == 0x0085
            && let Some(b) = data.get(..4)
        {
            sheets.push(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
        }
        at += 4 + len;
    }
    None
}

/// A DIMENSIONS record's box, rows by columns, read as calamine reads it (a first row past the
/// last is a box of every row there is).
fn declared(data: &[u8]) -> Option<(u64, u64)> {
    let word = |i: usize| data.get(i..i + 2).map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])));
    let long = |i: usize| {
        data.get(i..i + 4)
            .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
    };
    let (first_row, last_row, first_col, last_col) = match data.len() {
        10 => (word(0)?, word(2)?, word(4)?, word(6)?),
        14 | 16 => (long(0)?, long(4)?, word(8)?, word(10)?),
        _ => return None,
    };
    let first_col = if first_col > 0xFF || last_col < first_col {
        0
    } else {
        first_col
    };
    if last_row == 0 || last_col == 0 {
        return None;
    }
    let rows = if first_row < last_row {
        last_row - first_row
    } else {
        u64::from(u32::MAX)
    };
    Some((rows, last_col - first_col))
}

/// A cell record's row and its first and last columns (blank cells, which hold nothing, are not).
fn cell_span(kind: u16, data: &[u8]) -> Option<(u32, u32, u32)> {
    let word = |i: usize| data.get(i..i + 2).map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])));
    let (row, col) = (word(0)?, word(2)?);
    match kind {
        // FORMULA, NUMBER, LABEL, BOOLERR, RK, LABELSST, RSTRING.
        0x0006 | 0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x00D6 => Some((row, col, col)),
        // MULRK: the last column closes the record.
        0x00BD => Some((row, col, word(data.len().checked_sub(2)?)?)),
        _ => None,
    }
}

/// Every way the compound file's `Workbook` (or BIFF5's `Book`) stream can be read: through the
/// FAT and through the mini stream, each whole chain, whatever size the directory claims. A reader
/// (calamine) may take a damaged file either way; each is scanned, so none is missed.
fn workbook_streams(bytes: &[u8]) -> Vec<Vec<u8>> {
    let Some(cfb) = Compound::parse(bytes) else {
        return Vec::new();
    };
    let mini = cfb.chain_bytes(cfb.root_start, usize::MAX);
    let mini_fat = cfb.fat_chain_of(cfb.mini_fat_start);
    let mut out = Vec::new();
    for start in cfb.entries(&["Workbook", "Book"]) {
        out.extend(cfb.chain_bytes(start, usize::MAX));
        if let (Some(mini), Some(mini_fat)) = (&mini, &mini_fat) {
            out.extend(cfb.mini_chain_bytes(mini, mini_fat, start, usize::MAX));
        }
    }
    out
}

/// A compound file's sectors, its allocation table and its directory.
struct Compound<'b> {
    bytes: &'b [u8],
    sector: usize,
    mini_sector: usize,
    fat: Vec<u32>,
    directory: Vec<u8>,
    root_start: u32,
    mini_fat_start: u32,
}

impl<'b> Compound<'b> {
    fn parse(bytes: &'b [u8]) -> Option<Compound<'b>> {
        if bytes.get(..8)? != [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
            return None;
        }
        let u16_at = |i: usize| bytes.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
        let u32_at = |i: usize| {
            bytes
                .get(i..i + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        let sector = 1usize
            .checked_shl(u32::from(u16_at(0x1E)?))
            .filter(|s| (512..=4096).contains(s))?;
        let mini_sector = 1usize.checked_shl(u32::from(u16_at(0x20)?)).filter(|s| *s <= sector)?;
        let mut cfb = Compound {
            bytes,
            sector,
            mini_sector,
            fat: Vec::new(),
            directory: Vec::new(),
            root_start: END_OF_CHAIN,
            mini_fat_start: u32_at(0x3C)?,
        };
        let fat_sectors = cfb.difat(
            (0..109).filter_map(|i| u32_at(0x4C + i * 4)),
            (u32_at(0x44)?, u32_at(0x48)?),
        )?;
        for s in fat_sectors {
            let data = cfb.sector_bytes(s)?;
            cfb.fat.extend(
                data.chunks_exact(4)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            );
        }
        cfb.directory = cfb.chain_bytes(u32_at(0x30)?, usize::MAX)?;
        cfb.root_start = u32::from_le_bytes(cfb.directory.get(116..120)?.try_into().ok()?);
        Some(cfb)
    }

    /// The FAT's own sectors: the header's 109, then the DIFAT chain's.
    fn difat(&self, header: impl Iterator<Item = u32>, (mut next, count): (u32, u32)) -> Option<Vec<u32>> {
        let mut out: Vec<u32> = header.filter(|s| *s != FREE).collect();
        let per = self.sector / 4 - 1;
        for _ in 0..count.min(self.sectors() as u32) {
            if next == END_OF_CHAIN || next == FREE {
                break;
            }
            let data = self.sector_bytes(next)?;
            let words: Vec<u32> = data
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            out.extend(words[..per].iter().copied().filter(|s| *s != FREE));
            next = words[per];
        }
        Some(out)
    }

    fn sectors(&self) -> usize {
        self.bytes.len() / self.sector
    }

    fn sector_bytes(&self, s: u32) -> Option<&'b [u8]> {
        let start = (s as usize + 1).checked_mul(self.sector)?;
        self.bytes.get(start..start + self.sector)
    }

    /// The sectors of the chain from `start`, stopping at a loop or a bad link.
    fn fat_chain_of(&self, start: u32) -> Option<Vec<u32>> {
        chain(&self.fat, start)
    }

    /// The bytes of the chain from `start`, cut at `size`.
    fn chain_bytes(&self, start: u32, size: usize) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        for s in self.fat_chain_of(start)? {
            out.extend_from_slice(self.sector_bytes(s)?);
            if out.len() >= size {
                break;
            }
        }
        out.truncate(size);
        Some(out)
    }

    /// A small stream's bytes, from the mini stream through the mini FAT.
    fn mini_chain_bytes(&self, mini: &[u8], mini_fat_sectors: &[u32], start: u32, size: usize) -> Option<Vec<u8>> {
        let mut table = Vec::new();
        for s in mini_fat_sectors {
            let data = self.sector_bytes(*s)?;
            table.extend(
                data.chunks_exact(4)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            );
        }
        let mut out = Vec::new();
        for s in chain(&table, start)? {
            let at = (s as usize).checked_mul(self.mini_sector)?;
            out.extend_from_slice(mini.get(at..at + self.mini_sector)?);
        }
        out.truncate(size);
        Some(out)
    }

    /// The start sector of every directory entry named one of `names`.
    fn entries(&self, names: &[&str]) -> Vec<u32> {
        self.directory
            .chunks_exact(128)
            .filter_map(|e| {
                let len = usize::from(u16::from_le_bytes([e[64], e[65]])).min(64);
                let units: Vec<u16> = e[..len]
                    .chunks_exact(2)
                    .map(|b| u16::from_le_bytes([b[0], b[1]]))
                    .collect();
                let name = String::from_utf16_lossy(&units);
                names
                    .contains(&name.trim_end_matches('\0'))
                    .then(|| u32::from_le_bytes([e[116], e[117], e[118], e[119]]))
            })
            .collect()
    }
}

/// A chain of a FAT from `start`, ending at its end mark; None on a loop or a link out of the table.
fn chain(table: &[u32], start: u32) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut at = start;
    while at != END_OF_CHAIN {
        if !seen.insert(at) {
            return None;
        }
        out.push(at);
        at = *table.get(at as usize)?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_declared_boxes_as_calamine_does() {
        let biff8 = |r0: u32, r1: u32, c0: u16, c1: u16| {
            let mut d = Vec::new();
            d.extend(r0.to_le_bytes());
            d.extend(r1.to_le_bytes());
            d.extend(c0.to_le_bytes());
            d.extend(c1.to_le_bytes());
            d.extend([0, 0]);
            d
        };
        assert_eq!(declared(&biff8(0, 200, 0, 16)), Some((200, 16)));
        assert_eq!(
            declared(&biff8(5, 2, 0, 16)),
            Some((u64::from(u32::MAX), 16)),
            "first row past the last"
        );
        assert_eq!(
            declared(&biff8(0, 10, 300, 16)),
            Some((10, 16)),
            "a first column past 0xFF starts at 0"
        );
        assert_eq!(declared(&biff8(0, 0, 0, 0)), None, "an empty sheet");
        assert_eq!(declared(&[1, 2, 3]), None);
    }

    #[test]
    fn a_chain_that_loops_or_leaves_the_table_is_no_chain() {
        assert_eq!(chain(&[1, 2, END_OF_CHAIN], 0), Some(vec![0, 1, 2]));
        assert_eq!(chain(&[1, 0], 0), None, "a loop");
        assert_eq!(chain(&[7], 0), None, "a link out of the table");
    }

    #[test]
    fn what_is_no_compound_file_is_refused() {
        assert!(first_outside(b"not a workbook", 10, 10).is_err());
        let mut header = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        header.resize(512, 0xFF);
        assert!(first_outside(&header, 10, 10).is_err());
    }
}
