//! The rule implementations, one file per kind of file they look at.

pub mod extensions;
pub mod reports;
pub mod submission;
pub mod tasks;
