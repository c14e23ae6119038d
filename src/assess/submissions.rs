//! Each expected unit's submission for a round: on time, late, missing, incomplete, invalid or
//! (while the round is open) pending. One function, [`verdict`], decides it for every command.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::ReportIndex;
use super::received::{Received, ReceivedTimes, TimeSource};
use crate::labels::labels;
use crate::model::Workspace;
use crate::model::{Carried, MainRow, Report, Round, Unit};

labels! {
    /// How a unit reported in a round.
    #[derive(PartialOrd, Ord)]
    pub enum Submission {
        OnTime = "on_time", "按时";
        Late = "late", "逾期";
        Missing = "missing", "未报送";
        Incomplete = "incomplete", "不完整";
        Invalid = "invalid", "有错误";
        /// The round is still open and nothing has come in yet (待报).
        Pending = "pending", "待报";
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
    /// The lead tasks a counted file leaves unfilled: 未报送 for this unit (不完整).
    pub missing_tasks: Vec<u32>,
    pub file: Option<String>,
    pub amended: Vec<DateTime<FixedOffset>>,
    pub remark: Option<String>,
    /// The committer time is far from the server's receipt (a wrong clock or a forged date).
    pub clock_skew: bool,
}

impl UnitSubmission {
    /// Came after the deadline (a late file, or an incomplete or wrong one that was also late):
    /// what `units` counts as 逾期 and the 督查考评 event `late`.
    pub(crate) fn is_late(&self) -> bool {
        self.late_minutes.is_some() || self.submission == Submission::Late
    }
}

/// Who was expected in `round` (units leading at least one task) and what each sent, in the order
/// of units.toml. `current` holds the files that count as received at `as_of`; `all` every file of
/// the round (a blank template that does not count is named in the remark).
pub(crate) fn submissions(
    ws: &Workspace,
    round_files: &RoundFiles,
    index: &ReportIndex,
    times: &dyn ReceivedTimes,
    round: Round,
    as_of: DateTime<FixedOffset>,
) -> Vec<UnitSubmission> {
    let due = ws.plan.due(round);
    let assignments = ws.assignments;
    ws.reporting_units()
        .map(|unit| {
            let led = assignments.led_by(&unit.id);
            let file = round_files.all.iter().copied().find(|r| r.unit == unit.id);
            let received = file.map(|r| times.received(r));
            let report = file.filter(|_| received.as_ref().is_some_and(|r| r.counts_at(as_of)));
            let missing_tasks = report.map_or_else(Vec::new, |r| super::substance::unfilled_leads(r, assignments));
            let reported = if report.is_some() {
                led.len() - missing_tasks.len()
            } else {
                0
            };
            let late_minutes = received
                .as_ref()
                .filter(|_| report.is_some())
                .and_then(|r| r.at)
                .filter(|at| *at > due)
                .map(|at| (at - due).num_minutes().max(1));
            let received = received.unwrap_or_else(Received::unknown);
            let submission = verdict(report, &received, reported < led.len(), late_minutes, as_of < due);
            let reports: Vec<&Report> = report.into_iter().chain(index.earlier(&unit.id, round)).collect();
            let (liaison, phone) = liaison(unit, &reports, index.carried());
            UnitSubmission {
                id: unit.id.clone(),
                name: unit.name.clone(),
                liaison,
                phone,
                submission,
                received_at: report.and(received.at),
                time_source: if report.is_some() {
                    received.source
                } else {
                    TimeSource::Unknown
                },
                late_minutes,
                expected_tasks: led.len(),
                reported_tasks: reported,
                file: file.map(|r| r.file.clone()),
                amended: if report.is_some() {
                    received.amended.clone()
                } else {
                    Vec::new()
                },
                remark: remark(file.is_some(), report.is_some(), &received, &missing_tasks),
                missing_tasks,
                clock_skew: report.is_some() && received.clock_skew,
            }
        })
        .collect()
}

/// units.toml's liaison and phone, each else the first filled in the unit's latest report that
/// has one (`reports` latest first, then the reports `carried` keeps of).
fn liaison(unit: &Unit, reports: &[&Report], carried: Option<&Carried>) -> (String, String) {
    let from_reports = |f: fn(&MainRow) -> &str, retired: for<'c> fn(&'c Carried, &str) -> Option<&'c str>| {
        reports
            .iter()
            .find_map(|r| r.rows.iter().map(f).find(|v| !v.is_empty()))
            .or_else(|| retired(carried?, &unit.id))
            .unwrap_or_default()
            .to_string()
    };
    let pick = |listed: &str, f, retired| {
        if listed.is_empty() {
            from_reports(f, retired)
        } else {
            listed.to_string()
        }
    };
    (
        pick(&unit.liaison, |r| r.text.reporter(), Carried::reporter),
        pick(&unit.phone, |r| r.text.phone(), Carried::phone),
    )
}

/// The round's files: every one found, and those that count as received by "now".
pub(crate) struct RoundFiles<'a> {
    pub all: Vec<&'a Report>,
    pub current: Vec<&'a Report>,
}

/// The one place a unit's submission is judged.
pub(crate) fn verdict(
    report: Option<&Report>,
    received: &Received,
    incomplete: bool,
    late_minutes: Option<i64>,
    open: bool,
) -> Submission {
    let Some(report) = report else {
        return if open { Submission::Pending } else { Submission::Missing };
    };
    if report.has_errors() {
        Submission::Invalid
    } else if incomplete {
        Submission::Incomplete
    } else if received.at.is_some() && received.source != TimeSource::Uncommitted && late_minutes.is_none() {
        Submission::OnTime
    } else {
        // Late, or no trustworthy time (not committed): never counted on time silently.
        Submission::Late
    }
}

fn remark(has_file: bool, counts: bool, received: &Received, missing: &[u32]) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if counts && !missing.is_empty() {
        parts.push(format!("不完整，缺{}", task_list(missing)));
    }
    if let (true, false, Some(why)) = (has_file, counts, &received.unsubmitted) {
        parts.push(format!("文件不算报送：{why}"));
    }
    if counts && matches!(received.source, TimeSource::Unknown | TimeSource::Uncommitted) && received.remark.is_none() {
        parts.push("没有可信的收到时间（未提交），不计为按时".to_string());
    }
    parts.extend(received.remark.clone());
    (!parts.is_empty()).then(|| parts.join("；"))
}

/// 「第 164 项」, 「第 3、4 项」.
pub(crate) fn task_list(tasks: &[u32]) -> String {
    let ids: Vec<String> = tasks.iter().map(u32::to_string).collect();
    format!("第 {} 项", ids.join("、"))
}

/// "2 天 3 小时", "45 分钟".
pub(crate) fn duration_label(minutes: i64) -> String {
    duration(minutes, [" 天", " 小时", " 分钟"], " ")
}

/// "2天3时", "45分": for narrow table cells.
pub(crate) fn short_duration(minutes: i64) -> String {
    duration(minutes, ["天", "时", "分"], "")
}

fn duration(minutes: i64, [day, hour, minute]: [&str; 3], gap: &str) -> String {
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins}{minute}"),
        (0, h) => format!("{h}{hour}{gap}{mins}{minute}"),
        (d, 0) => format!("{d}{day}"),
        (d, h) => format!("{d}{day}{gap}{h}{hour}"),
    }
}
