//! What each command prints: a table for people, CSV and JSON for programs, from one result.

pub(crate) mod diagnostics;
pub(crate) mod escalations;
pub(crate) mod json_seq;
pub(crate) mod record;
pub(crate) mod remind;
pub(crate) mod score;
pub(crate) mod show;
pub mod status;
pub(crate) mod units;
pub(crate) mod year_end;
