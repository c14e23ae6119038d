//! Consolidation and judgement: a round's task assessments and unit submissions. Pure: the loaded
//! data, "now" and the received times come in as values; nothing here reads files or the clock.

mod assessment;
pub mod escalation;
pub mod expected;
pub mod history;
mod judge;
pub mod received;
pub mod remind;
mod report_index;
pub mod round_status;
pub mod submissions;
pub mod substance;
mod targets;
mod task_status;
pub mod trend;
pub mod year_end;

pub use assessment::{ATTENTION, Assessment};
pub use judge::{Detail, Judged, assess as assess_progress, judge};
pub use received::{Acceptance, Received, ReceivedTimes, SubmissionJudge, TimeSource};
pub use report_index::{ReportIndex, RoundReports};
pub use round_status::{ChapterSummary, Filter, RoundStatus, Totals, consolidate};
pub use submissions::{Submission, UnitSubmission};
pub use task_status::{BreakdownStatus, InvalidUnit, TargetStatus, TaskStatus, UnitActual, UnitRow};

use chrono::{DateTime, FixedOffset};

use crate::model::{Plan, Round};

/// The round to show: the one asked for, or the latest due at `now` (the first when none is due yet).
pub fn pick_round(plan: &Plan, asked: Option<Round>, now: DateTime<FixedOffset>) -> Round {
    asked.unwrap_or_else(|| plan.latest_due_round(now).unwrap_or(plan.calendar.first))
}
