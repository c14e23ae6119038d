//! The unit's monthly report template and its 推进计划 template, as CSV and as a workbook.

pub(crate) mod csv;
pub(crate) mod plan;
pub(crate) mod xlsx;
