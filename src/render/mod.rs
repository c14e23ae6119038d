//! Writers over computed results: diagnostics, tables, CSV, JSON. They write to `&mut dyn Write`.

pub mod diagnostics;
pub mod people_csv;
pub mod show;
pub mod status;
pub mod table;
pub mod template;
pub mod units;
