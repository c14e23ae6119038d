//! Writers over computed results, grouped by what they make. They write to `&mut dyn Write`.
//!
//! - `terminal/`: the table engine every terminal table uses (widths, fitting, colours).
//! - `views/`: what each command prints, as a table, CSV or JSON (status, show, units, …).
//! - `digest/`: what the office publishes for a month: the digest (CSV, XLSX, page) and the circular.
//! - `template/`: the unit's report template (CSV and workbook).
//! - `people_csv`: CSV for people's spreadsheets (BOM, CRLF, formula-safe), shared by all of them.

pub(crate) mod digest;
pub mod people_csv;
pub mod template;
pub mod terminal;
pub mod views;
