//! Each expected unit's submission for a round: on time, late, missing, incomplete or invalid.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::received::{Received, ReceivedTimes, TimeSource};
use crate::model::{Assignments, Plan, Report, Round, Units};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Submission {
    OnTime,
    Late,
    Missing,
    Incomplete,
    Invalid,
}

impl Submission {
    pub const ALL: [Submission; 5] = [
        Submission::OnTime,
        Submission::Late,
        Submission::Missing,
        Submission::Incomplete,
        Submission::Invalid,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Submission::OnTime => "按时",
            Submission::Late => "逾期",
            Submission::Missing => "未报送",
            Submission::Incomplete => "不完整",
            Submission::Invalid => "有错误",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Submission::OnTime => "on_time",
            Submission::Late => "late",
            Submission::Missing => "missing",
            Submission::Incomplete => "incomplete",
            Submission::Invalid => "invalid",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitSubmission {
    pub id: String,
    pub name: String,
    pub liaison: String,
    pub phone: String,
    pub submission: Submission,
    pub received_at: Option<DateTime<FixedOffset>>,
    pub time_source: TimeSource,
    /// Minutes past the due time (late submissions, and incomplete/invalid ones that were also late).
    pub late_minutes: Option<i64>,
    pub expected_tasks: usize,
    pub reported_tasks: usize,
    pub file: Option<String>,
    pub amended: Vec<DateTime<FixedOffset>>,
    pub remark: Option<String>,
}

/// Who was expected in `round` (units leading at least one task) and what each sent.
pub fn submissions(
    plan: &Plan,
    units: &Units,
    assignments: &Assignments,
    current: &[&Report],
    invalid_files: &BTreeSet<String>,
    times: &dyn ReceivedTimes,
    round: Round,
) -> Vec<UnitSubmission> {
    let due = plan.due(round);
    let mut out: Vec<UnitSubmission> = assignments
        .reporting_units()
        .into_iter()
        .filter_map(|uid| units.unit_by_id(uid))
        .map(|unit| {
            let led = assignments.led_by(&unit.id);
            let report = current.iter().copied().find(|r| r.unit == unit.id);
            let received = report.map(|r| times.received(r));
            let reported = report.map_or(0, |r| led.iter().filter(|t| r.row(**t).is_some()).count());
            let late_minutes = received
                .as_ref()
                .and_then(|r| r.at)
                .filter(|at| *at > due)
                .map(|at| (at - due).num_minutes().max(1));
            let submission = match (report, &received) {
                (None, _) => Submission::Missing,
                (Some(r), _) if r.has_errors || invalid_files.contains(&r.file) => Submission::Invalid,
                (Some(_), _) if reported < led.len() => Submission::Incomplete,
                (
                    Some(_),
                    Some(Received {
                        at: Some(_), source, ..
                    }),
                ) if *source != TimeSource::Uncommitted => {
                    if late_minutes.is_some() {
                        Submission::Late
                    } else {
                        Submission::OnTime
                    }
                }
                // No trustworthy time (no date, or not committed): never counted on time silently.
                (Some(_), _) => Submission::Late,
            };
            let mut received = received.unwrap_or(Received {
                at: None,
                source: TimeSource::Unknown,
                amended: Vec::new(),
                remark: None,
            });
            if report.is_some() && matches!(received.source, TimeSource::Unknown | TimeSource::Uncommitted) {
                received
                    .remark
                    .get_or_insert_with(|| "没有可信的收到时间（未填填报日期或未提交），不计为按时".to_string());
            }
            UnitSubmission {
                id: unit.id.clone(),
                name: unit.name.clone(),
                liaison: unit.liaison.clone(),
                phone: unit.phone.clone(),
                submission,
                received_at: received.at,
                time_source: received.source,
                late_minutes,
                expected_tasks: led.len(),
                reported_tasks: reported,
                file: report.map(|r| r.file.clone()),
                amended: received.amended,
                remark: received.remark,
            }
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// "2 天 3 小时", "45 分钟".
pub fn duration_label(minutes: i64) -> String {
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} 分钟"),
        (0, h) => format!("{h} 小时 {mins} 分钟"),
        (d, 0) => format!("{d} 天"),
        (d, h) => format!("{d} 天 {h} 小时"),
    }
}
