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
    for sheet in [&d.tasks, &d.units] {
        xlsx::write_sheet(wb.add_worksheet(), &d.meta, sheet)?;
    }
    if let Some(history) = history {
        overview::progress_history(wb.add_worksheet(), &d.meta, history)?;
    }
    wb.save_to_buffer()
}
