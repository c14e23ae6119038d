//! Judging one task in one round from its lead units' rows.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::expected::{elapsed_fraction, expected_progress};
use crate::model::{Assignments, MainRow, Plan, Report, Role, Round, Status, Task, Units};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    Done,
    Ahead,
    OnPace,
    BehindYellow,
    BehindRed,
    Blocked,
    NotStarted,
    Missing,
}

impl Assessment {
    pub const ALL: [Assessment; 8] = [
        Assessment::Done,
        Assessment::Ahead,
        Assessment::OnPace,
        Assessment::BehindYellow,
        Assessment::BehindRed,
        Assessment::Blocked,
        Assessment::NotStarted,
        Assessment::Missing,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Assessment::Done => "已完成",
            Assessment::Ahead => "超进度",
            Assessment::OnPace => "达进度",
            Assessment::BehindYellow => "欠进度（黄）",
            Assessment::BehindRed => "欠进度（红）",
            Assessment::Blocked => "受阻",
            Assessment::NotStarted => "未启动",
            Assessment::Missing => "未报送",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Assessment::Done => "done",
            Assessment::Ahead => "ahead",
            Assessment::OnPace => "on_pace",
            Assessment::BehindYellow => "behind_yellow",
            Assessment::BehindRed => "behind_red",
            Assessment::Blocked => "blocked",
            Assessment::NotStarted => "not_started",
            Assessment::Missing => "missing",
        }
    }

    pub fn parse(s: &str) -> Option<Assessment> {
        Assessment::ALL.into_iter().find(|a| a.key() == s || a.label() == s)
    }

    /// Needs the office's attention this round.
    pub fn needs_attention(self) -> bool {
        matches!(self, Assessment::BehindRed | Assessment::Missing | Assessment::Blocked)
    }
}

/// One unit's row for the task this round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRow {
    pub unit: String,
    pub name: String,
    pub role: &'static str,
    pub file: String,
    pub row: usize,
    pub status: Option<Status>,
    pub progress: Option<f64>,
    pub progress_note: String,
    pub problems: String,
    pub next_steps: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakdownStatus {
    pub unit: String,
    pub target: f64,
    pub actual: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetStatus {
    pub metric: String,
    pub unit: String,
    pub target: f64,
    pub actual: Option<f64>,
    pub breakdown: Vec<BreakdownStatus>,
    /// `file:row` of every metric row summed into `actual`.
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskStatus {
    pub id: u32,
    pub chapter: u32,
    pub section: u32,
    pub key_task: String,
    pub work: String,
    pub lead_units: Vec<String>,
    pub cooperating_units: Vec<String>,
    pub assessment: Assessment,
    /// The worst state the leads reported.
    pub status: Option<Status>,
    /// Mean of the leads' progress, one decimal; null when no lead reported.
    pub progress: Option<f64>,
    pub expected: f64,
    /// Names of lead units whose file or row is absent.
    pub missing_units: Vec<String>,
    pub stale: bool,
    pub targets: Vec<TargetStatus>,
    /// The lead units' rows, then the cooperating units' rows (context).
    pub rows: Vec<UnitRow>,
}

/// Every report indexed once by round and by unit, so that judging many rounds stays linear.
pub struct ReportIndex<'a> {
    by_round: BTreeMap<Round, Vec<&'a Report>>,
    /// Each unit's reports, oldest round first.
    by_unit: BTreeMap<&'a str, Vec<&'a Report>>,
}

impl<'a> ReportIndex<'a> {
    pub fn new(reports: &'a [Report]) -> ReportIndex<'a> {
        let mut index = ReportIndex {
            by_round: BTreeMap::new(),
            by_unit: BTreeMap::new(),
        };
        for r in reports {
            index.by_round.entry(r.round).or_default().push(r);
            index.by_unit.entry(r.unit.as_str()).or_default().push(r);
        }
        index.by_unit.values_mut().for_each(|v| v.sort_by_key(|r| r.round));
        index
    }

    pub fn round(&self, round: Round) -> &[&'a Report] {
        self.by_round.get(&round).map_or(&[], Vec::as_slice)
    }

    /// The unit's latest report before `round`.
    pub fn previous(&self, unit: &str, round: Round) -> Option<&'a Report> {
        let reports = self.by_unit.get(unit)?;
        let at = reports.partition_point(|r| r.round < round);
        at.checked_sub(1).map(|i| reports[i])
    }
}

/// The reports a judgement may look at: this round's received files and each unit's earlier ones.
pub struct RoundReports<'a, 'i> {
    pub current: Vec<&'a Report>,
    pub index: &'i ReportIndex<'a>,
}

impl<'a> RoundReports<'a, '_> {
    fn of(&self, unit: &str) -> Option<&'a Report> {
        self.current.iter().copied().find(|r| r.unit == unit)
    }

    fn previous_row(&self, unit: &str, task: u32, round: Round) -> Option<&'a MainRow> {
        self.index.previous(unit, round)?.row(task)
    }
}

pub fn judge(
    task: &Task,
    plan: &Plan,
    units: &Units,
    assignments: &Assignments,
    reports: &RoundReports,
    round: Round,
) -> TaskStatus {
    let due: DateTime<FixedOffset> = plan.due(round);
    let id = task.id.value;
    let expected = expected_progress(plan, task.due.value, due);
    let name_of = |uid: &str| {
        units
            .unit_by_id(uid)
            .map_or_else(|| uid.to_string(), |u| u.name.clone())
    };
    let mut rows = Vec::new();
    let mut missing_units = Vec::new();
    let mut stale = false;
    for uid in assignments.leads(id) {
        match reports.of(uid).and_then(|r| r.row(id).map(|row| (r, row))) {
            Some((report, row)) => {
                if let Some(prev) = reports.previous_row(uid, id, round) {
                    stale |=
                        row.status != Some(Status::Done) && prev.status == row.status && prev.progress == row.progress;
                }
                rows.push(unit_row(uid, &name_of(uid), Role::Lead, report, row));
            }
            None => missing_units.push(name_of(uid)),
        }
    }
    let lead_rows = rows.len();
    let progresses: Vec<f64> = rows.iter().filter_map(|r| r.progress).collect();
    let progress = (!progresses.is_empty())
        .then(|| (progresses.iter().sum::<f64>() / progresses.len() as f64 * 10.0).round() / 10.0);
    let status = rows.iter().filter_map(|r| r.status).max_by_key(|s| s.severity());
    for report in &reports.current {
        if assignments.role(&report.unit, id) == Some(Role::Cooperating) {
            if let Some(row) = report.row(id) {
                rows.push(unit_row(
                    &report.unit,
                    &name_of(&report.unit),
                    Role::Cooperating,
                    report,
                    row,
                ));
            }
        }
    }
    let assessment = if !missing_units.is_empty() || lead_rows == 0 {
        Assessment::Missing
    } else {
        assess(
            plan,
            status,
            progress,
            expected,
            elapsed_fraction(plan, task.due.value, due),
        )
    };
    TaskStatus {
        id,
        chapter: task.chapter.value,
        section: task.section.value,
        key_task: task.key_task.clone(),
        work: task.work.value.clone(),
        lead_units: task.lead_names().map(str::to_string).collect(),
        cooperating_units: task.cooperating_names().map(str::to_string).collect(),
        assessment,
        status,
        progress,
        expected,
        missing_units,
        stale,
        targets: targets(task, reports, units),
        rows,
    }
}

/// The rules: all done -> done; blocked; 未启动 (red once a third of the window has passed);
/// then the gap to 序时进度 by the thresholds. A lead reporting 滞后 is at least yellow.
pub fn assess(plan: &Plan, status: Option<Status>, progress: Option<f64>, expected: f64, elapsed: f64) -> Assessment {
    let t = &plan.thresholds;
    match status {
        Some(Status::Done) => return Assessment::Done,
        Some(Status::Blocked) => return Assessment::Blocked,
        Some(Status::NotStarted) => {
            return if elapsed > t.not_started_red_after {
                Assessment::BehindRed
            } else {
                Assessment::NotStarted
            };
        }
        _ => {}
    }
    let Some(progress) = progress else {
        return Assessment::Missing;
    };
    let gap = expected - progress;
    let by_numbers = if gap > t.red {
        Assessment::BehindRed
    } else if gap >= t.yellow {
        Assessment::BehindYellow
    } else if -gap >= t.yellow {
        Assessment::Ahead
    } else {
        Assessment::OnPace
    };
    if status == Some(Status::Behind) && matches!(by_numbers, Assessment::Ahead | Assessment::OnPace) {
        Assessment::BehindYellow
    } else {
        by_numbers
    }
}

fn unit_row(uid: &str, name: &str, role: Role, report: &Report, row: &MainRow) -> UnitRow {
    UnitRow {
        unit: uid.to_string(),
        name: name.to_string(),
        role: match role {
            Role::Lead => "牵头",
            Role::Cooperating => "配合",
        },
        file: report.file.clone(),
        row: row.row,
        status: row.status,
        progress: row.progress,
        progress_note: row.progress_note.clone(),
        problems: row.problems.clone(),
        next_steps: row.next_steps.clone(),
    }
}

fn targets(task: &Task, reports: &RoundReports, units: &Units) -> Vec<TargetStatus> {
    task.targets
        .iter()
        .map(|t| {
            let mut actual = None;
            let mut sources = Vec::new();
            let mut per_unit: Vec<(String, f64)> = Vec::new();
            for r in &reports.current {
                for m in r
                    .metrics
                    .iter()
                    .filter(|m| m.task == task.id.value && m.metric == t.metric.value)
                {
                    if let Some(v) = m.actual {
                        actual = Some(actual.unwrap_or(0.0) + v);
                        sources.push(format!("{}:{}", r.file, m.row));
                        per_unit.push((r.unit.clone(), v));
                    }
                }
            }
            let mut entries: Vec<_> = t.breakdown.iter().collect();
            entries.sort_by_key(|(name, _)| units.units.iter().position(|u| &u.name == *name).unwrap_or(usize::MAX));
            let breakdown = entries
                .into_iter()
                .map(|(name, target)| {
                    let id = units.unit_by_name(name).map(|u| u.id.as_str());
                    BreakdownStatus {
                        unit: name.clone(),
                        target: target.value,
                        actual: per_unit
                            .iter()
                            .filter(|(uid, _)| Some(uid.as_str()) == id)
                            .map(|(_, v)| *v)
                            .reduce(|a, b| a + b),
                    }
                })
                .collect();
            TargetStatus {
                metric: t.metric.value.clone(),
                unit: t.unit.clone(),
                target: t.value.value,
                actual: actual.map(|a| (a * 1000.0).round() / 1000.0),
                breakdown,
                sources,
            }
        })
        .collect()
}
