//! The rule implementations, one file per kind of file they look at.

pub(crate) mod digest_cells;
pub(crate) mod extensions;
pub(crate) mod reports;
pub(crate) mod submission;
pub(crate) mod targets;
pub(crate) mod tasks;
