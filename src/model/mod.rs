//! Plain data: the plan (outline, calendar, thresholds), units, tasks and rounds.

pub(crate) mod assignment;
mod carried;
pub(crate) mod escalation;
pub(crate) mod extension;
pub(crate) mod holidays;
pub(crate) mod plan;
pub(crate) mod report;
pub(crate) mod round;
mod row_text;
pub(crate) mod schedule;
pub(crate) mod scoring;
pub(crate) mod task;
pub mod template;
pub(crate) mod unit;
mod version;
mod workspace;

pub(crate) use assignment::{Assignments, Role};
pub(crate) use carried::Carried;
pub(crate) use escalation::{EscalationRule, Trigger};
pub(crate) use extension::Extension;
pub(crate) use holidays::{Holidays, OnHoliday};
pub(crate) use plan::{Calendar, Chapter, ReceivedFrom, Section, Thresholds};
pub use plan::{Limits, Plan};
pub use report::Report;
pub use report::Status;
pub(crate) use report::{Flaw, MainRow, MetricRow, RowState, RowText};
pub(crate) use round::Round;
pub use task::Task;
pub(crate) use task::{Located, Target};
pub(crate) use unit::{Group, Unit, UnitKind, UnitRef, Units};
pub(crate) use version::DataVersion;
pub(crate) use workspace::{Workspace, report_files};
