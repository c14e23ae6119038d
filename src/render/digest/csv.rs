//! The digest as CSV for Excel/WPS: title and version rows, then the table; UTF-8 BOM, CRLF,
//! free text guarded against formula injection.

use std::io::Write;

use crate::render::digest::{Digest, Sheet, Value};
use crate::render::people_csv;

/// Writes one sheet (title row, meta row, header row, data rows) as a whole CSV file.
pub(crate) fn sheet(out: &mut dyn Write, meta: &str, s: &Sheet) -> anyhow::Result<()> {
    let mut w = people_csv::writer(out)?;
    write_sheet(&mut w, meta, s)?;
    w.flush()?;
    Ok(())
}

fn write_sheet<W: Write>(w: &mut csv::Writer<W>, meta: &str, s: &Sheet) -> anyhow::Result<()> {
    let width = s.headers.len();
    let padded = |first: &str| {
        let mut r = vec![first.to_string()];
        r.resize(width, String::new());
        r
    };
    w.write_record(padded(&s.title))?;
    w.write_record(padded(meta))?;
    w.write_record(s.headers)?;
    for row in &s.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|v| match v {
                Value::Text(t) | Value::Struck(t) => people_csv::neutralise(t).into_owned(),
                other => other.as_csv(),
            })
            .collect();
        w.write_record(&cells)?;
    }
    Ok(())
}

/// Both tables in one stream (for `--output -`): tasks, an empty row, then submissions.
pub(crate) fn both(out: &mut dyn Write, d: &Digest) -> anyhow::Result<()> {
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    write_sheet(&mut w, &d.meta, &d.tasks)?;
    w.write_record([""])?;
    write_sheet(&mut w, &d.meta, &d.units)?;
    w.flush()?;
    Ok(())
}
