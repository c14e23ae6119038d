//! 序时进度: the progress expected for the time elapsed in a task's window.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};

use crate::model::Plan;

/// The elapsed fraction (0–1) of the window from the plan's start to the end of `due`, at `at`.
pub(crate) fn elapsed_fraction(plan: &Plan, due: NaiveDate, at: DateTime<FixedOffset>) -> f64 {
    let start = midnight(plan, plan.start);
    let end = midnight(plan, due.succ_opt().unwrap_or(due));
    let total = (end - start).num_seconds() as f64;
    if total <= 0.0 {
        return 1.0;
    }
    ((at - start).num_seconds() as f64 / total).clamp(0.0, 1.0)
}

fn midnight(plan: &Plan, day: NaiveDate) -> DateTime<FixedOffset> {
    plan.timezone
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .single()
        .expect("fixed offsets map every local time once")
}
