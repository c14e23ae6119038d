//! Writers over computed results: diagnostics, tables, CSV, JSON. They write to `&mut dyn Write`.

pub(crate) mod circular;
pub(crate) mod diagnostics;
pub(crate) mod digest;
pub(crate) mod digest_csv;
pub(crate) mod digest_overview;
pub(crate) mod digest_workbook;
pub(crate) mod digest_xlsx;
pub(crate) mod escalations;
pub mod fit;
pub(crate) mod html;
pub(crate) mod json_seq;
pub(crate) mod palette;
pub mod people_csv;
pub(crate) mod remind;
pub(crate) mod show;
pub mod status;
pub(crate) mod table;
pub(crate) mod template;
pub(crate) mod template_xlsx;
pub(crate) mod units;
pub(crate) mod xlsx_style;
pub(crate) mod year_end;
