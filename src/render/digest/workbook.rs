//! The digest as one workbook: 概览, the task and unit sheets, then 历次进度.

use chrono::{DateTime, FixedOffset};
use rust_xlsxwriter::{DocProperties, Workbook, XlsxError};

use crate::assess::trend::History;
use crate::render::digest::Digest;
use crate::render::digest::overview;
use crate::render::digest::xlsx;

/// The workbook; `history` (every round so far, ending with the digest's) adds 概览 and 历次进度.
pub(crate) fn workbook(
    d: &Digest,
    as_of: DateTime<FixedOffset>,
    history: Option<&History>,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // Fixed metadata so the same data gives the same workbook.
    wb.set_properties(
        &DocProperties::new()
            .set_title(d.tasks.title.as_str())
            .set_creation_datetime(&xlsx::excel_time(&as_of)?),
    );
    if let Some(history) = history {
        overview::overview(wb.add_worksheet(), &d.meta, &history.last)?;
    }
    for sheet in [&d.tasks, &d.units].into_iter().chain(&d.scores) {
        xlsx::write_sheet(wb.add_worksheet(), &d.meta, sheet)?;
    }
    if let Some(history) = history {
        overview::progress_history(wb.add_worksheet(), &d.meta, history)?;
    }
    wb.save_to_buffer()
}

/// A workbook of `sheets` alone (`score --format xlsx`).
pub(crate) fn sheets(
    sheets: &[&crate::render::digest::Sheet],
    meta: &str,
    as_of: DateTime<FixedOffset>,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let title = sheets.first().map_or("", |s| s.title.as_str());
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&xlsx::excel_time(&as_of)?),
    );
    for sheet in sheets {
        xlsx::write_sheet(wb.add_worksheet(), meta, sheet)?;
    }
    wb.save_to_buffer()
}
