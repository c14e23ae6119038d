//! The unit's monthly report template, as CSV and as a workbook.

pub(crate) mod csv;
pub(crate) mod xlsx;
