//! Whether a report file is a real submission: only a filled-in, dated, changed file stops the
//! clock. A blank or untouched template committed early is not a report.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::model::{Assignments, Plan, Report, Round};

/// Why a file (or one version of it) does not count as a submission yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unsubstantive {
    /// The template as `report new` wrote it: nothing typed in.
    Untouched,
    /// No lead task has both 状态 and 进度 (a file filling some of them is a submission, 不完整).
    Unfilled(Vec<u32>),
    /// No 填报日期 anywhere in the file.
    NoDate,
    /// The latest 填报日期 is before the round's window (a date from an earlier round).
    DateOutside(NaiveDate),
}

impl Unsubstantive {
    /// In Chinese, for remarks and messages.
    pub(crate) fn label(&self) -> String {
        match self {
            Unsubstantive::Untouched => "模板未填写".to_string(),
            Unsubstantive::Unfilled(tasks) => {
                let ids: Vec<String> = tasks.iter().map(u32::to_string).collect();
                format!("牵头任务 {} 均未填状态或进度", ids.join("、"))
            }
            Unsubstantive::NoDate => "未填日期".to_string(),
            Unsubstantive::DateOutside(d) => format!("填报日期 {d} 不在本轮"),
        }
    }
}

/// The dates a round's 填报日期 may take: after the previous round's due day, up to "now".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub after: Option<NaiveDate>,
    pub until: NaiveDate,
}

impl Window {
    pub(crate) fn new(plan: &Plan, round: Round, at: DateTime<FixedOffset>) -> Window {
        let first = round <= plan.calendar.first;
        Window {
            after: (!first).then(|| plan.due(round.prev()).date_naive()),
            until: at.with_timezone(&plan.timezone).date_naive(),
        }
    }

    pub(crate) fn contains(&self, date: NaiveDate) -> bool {
        self.after.is_none_or(|a| date > a) && date <= self.until
    }
}

/// Judges one file (or one version of it) against the template it was made from.
pub(crate) fn substance(
    report: &Report,
    assignments: &Assignments,
    previous: Option<&Report>,
    window: &Window,
) -> Result<(), Unsubstantive> {
    if is_template(report, previous) {
        return Err(Unsubstantive::Untouched);
    }
    let unfilled = unfilled_leads(report, assignments);
    if !unfilled.is_empty() && unfilled.len() == assignments.led_by(&report.unit).len() {
        return Err(Unsubstantive::Unfilled(unfilled));
    }
    // A date after "now" is an error at its row (future-date), which leaves that row out; the file
    // is dated by its other rows, and is a submission either way.
    let dated = report.rows.iter().filter_map(|r| r.reported_on);
    match dated.clone().filter(|d| *d <= window.until).max() {
        Some(d) if !window.contains(d) => Err(Unsubstantive::DateOutside(d)),
        Some(_) => Ok(()),
        None if dated.count() > 0 => Ok(()),
        None => Err(Unsubstantive::NoDate),
    }
}

/// The tasks `report`'s unit leads whose row lacks 状态 or 进度: each 未报送 for that unit, and
/// the file 不完整 when others are filled.
pub(crate) fn unfilled_leads(report: &Report, assignments: &Assignments) -> Vec<u32> {
    assignments
        .led_by(&report.unit)
        .iter()
        .copied()
        .filter(|t| !report.row(*t).is_some_and(|r| r.filled))
        .collect()
}

/// Nothing typed beyond what the template carried forward: no 本月进展, and every row's 状态, 进度,
/// 存在问题 and 下步计划 as the previous round's valid row had them (empty without one).
fn is_template(report: &Report, previous: Option<&Report>) -> bool {
    report.rows.iter().all(|row| {
        let prev = previous.and_then(|p| p.valid_row(row.task));
        row.text.progress_note().is_empty()
            && row.status == prev.and_then(|p| p.status)
            && row.progress == prev.and_then(|p| p.progress)
            && row.text.problems() == prev.map_or("", |p| p.text.problems())
            && row.text.next_steps() == prev.map_or("", |p| p.text.next_steps())
    }) && report
        .metrics
        .iter()
        .all(|m| m.actual == previous.and_then(|p| p.valid_actual(m.task, &m.metric)).map(|(_, v)| v))
}
