//! Plain data: the plan (outline, calendar, thresholds), units, tasks and rounds.

pub mod assignment;
mod carried;
pub mod escalation;
pub mod extension;
pub mod holidays;
pub mod plan;
pub mod report;
pub mod round;
mod row_text;
pub mod task;
pub mod template;
pub mod unit;
mod version;
mod workspace;

pub use assignment::{Assignments, Role, UnitRoles};
pub use carried::{Carried, CarriedActual, RetiredFile};
pub use escalation::{EscalationRule, Trigger};
pub use extension::Extension;
pub use holidays::{Holidays, OnHoliday};
pub use plan::{Calendar, Chapter, Plan, ReceivedFrom, Section, Thresholds};
pub use report::{Flaw, MainRow, MetricRow, Report, RowState, RowText, Status};
pub use round::Round;
pub use task::{Located, Target, Task};
pub use unit::{Group, Unit, UnitKind, UnitRef, Units};
pub use version::DataVersion;
pub use workspace::{Workspace, report_files};
