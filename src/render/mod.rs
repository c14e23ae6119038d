//! Writers over computed results: diagnostics, tables, CSV, JSON. They write to `&mut dyn Write`.

pub mod diagnostics;
pub mod people_csv;
pub mod template;
