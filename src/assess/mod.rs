//! Consolidation and judgement: a round's task assessments and unit submissions. Pure: the loaded
//! data, "now" and the received times come in as values; nothing here reads files or the clock.

mod assessment;
pub(crate) mod corrections;
pub(crate) mod escalation;
pub(crate) mod expected;
pub(crate) mod history;
mod judge;
pub(crate) mod pace;
pub(crate) mod received;
pub(crate) mod remind;
mod report_index;
pub(crate) mod round_status;
pub(crate) mod score;
pub(crate) mod submissions;
pub(crate) mod substance;
mod targets;
mod task_status;
pub(crate) mod trend;
pub(crate) mod year_end;

pub(crate) use assessment::ATTENTION;
pub use assessment::Assessment;
pub use judge::Detail;
pub use judge::Judged;
pub use judge::assess as assess_progress;
pub(crate) use judge::judge;
pub use received::Received;
pub use received::TimeSource;
pub(crate) use received::{Acceptance, ReceivedTimes, SubmissionJudge};
pub(crate) use report_index::{ReportIndex, RoundReports};
pub use round_status::RoundStatus;
pub use round_status::consolidate;
pub(crate) use round_status::{ChapterSummary, Filter, Totals};
pub use submissions::Submission;
pub(crate) use submissions::UnitSubmission;
pub use task_status::TaskStatus;
pub use task_status::{Basis, MissedNode};
pub(crate) use task_status::{TargetStatus, UnitActual, UnitRow};

use chrono::{DateTime, FixedOffset};

use crate::model::{Plan, Round};

/// The round to show: the one asked for, or the latest due at `now` (the first when none is due yet).
pub(crate) fn pick_round(plan: &Plan, asked: Option<Round>, now: DateTime<FixedOffset>) -> Round {
    asked.unwrap_or_else(|| plan.latest_due_round(now).unwrap_or(plan.calendar.first))
}
