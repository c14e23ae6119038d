//! Writers over computed results: diagnostics, tables, CSV, JSON. They write to `&mut dyn Write`.

pub mod circular;
pub mod diagnostics;
pub mod digest;
pub mod digest_csv;
pub mod digest_overview;
pub mod digest_workbook;
pub mod digest_xlsx;
pub mod escalations;
pub mod fit;
pub mod html;
pub mod json_seq;
pub mod palette;
pub mod people_csv;
pub mod remind;
pub mod show;
pub mod status;
pub mod table;
pub mod template;
pub mod template_xlsx;
pub mod units;
pub mod xlsx_style;
pub mod year_end;
