//! CSV for people who open it in Excel or WPS: UTF-8 with BOM, CRLF, and free text that cannot be
//! run as a formula.

use std::borrow::Cow;
use std::io::Write;

/// A CSV writer that starts with a BOM and ends rows with CRLF.
pub fn writer<W: Write>(mut out: W) -> std::io::Result<csv::Writer<W>> {
    out.write_all(b"\xEF\xBB\xBF")?;
    Ok(csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out))
}

/// A text cell that starts with `=`, `+`, `-`, `@` (or their full-width forms), a tab or a carriage return is run as a formula
/// when a spreadsheet opens the CSV; a leading `'` makes it plain text. Surrounding whitespace is
/// dropped first (the reader drops it too, and Excel strips a leading tab before evaluating), and
/// text that already starts with `'` gets one more, so reading (which removes one) always gives
/// back the trimmed original.
pub(crate) fn neutralise(cell: &str) -> Cow<'_, str> {
    let text = cell.trim_matches(char::is_whitespace);
    if text.starts_with(crate::text::FORMULA_STARTS) || text.starts_with('\'') {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Writes one row, every cell guarded by [`neutralise`].
pub fn write_row<W: Write>(w: &mut csv::Writer<W>, cells: &[&str]) -> csv::Result<()> {
    w.write_record(cells.iter().map(|c| neutralise(c).into_owned()))
}

/// A sheet's rows as a CSV in which each row stands on the sheet's row number: rows numbered from
/// `first`, a gap written as blank rows `width` cells wide, every row cut or padded to `width`.
pub(crate) fn numbered(
    rows: impl IntoIterator<Item = (usize, Vec<String>)>,
    first: usize,
    width: usize,
) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut w = writer(&mut bytes)?;
    let mut next = first;
    for (row, cells) in rows {
        while next < row {
            w.write_record(std::iter::repeat_n("", width))?;
            next += 1;
        }
        let padded: Vec<&str> = (0..width).map(|i| cells.get(i).map_or("", String::as_str)).collect();
        write_row(&mut w, &padded)?;
        next += 1;
    }
    w.flush()?;
    drop(w);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn neutralises_formula_starts() {
        assert_eq!(super::neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::neutralise("+1+1"), "'+1+1");
        assert_eq!(super::neutralise("＝HYPERLINK(\"x\")"), "'＝HYPERLINK(\"x\")");
        assert_eq!(super::neutralise("＠SUM(A1)"), "'＠SUM(A1)");
        assert_eq!(super::neutralise("完成 80%"), "完成 80%");
    }
}
