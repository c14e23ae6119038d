//! Judging one task in one round from its lead units' rows.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::expected::elapsed_fraction;
use crate::diagnostic::Rule;
use crate::model::Workspace;
use crate::model::{Assignments, Carried, MainRow, Plan, Report, Role, Round, RowState, RowText, Status, Task, Units};
use crate::text::fmt_pct;

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
    /// A lead's row (or file) failed the checks: left out, to be corrected (报送有误，待更正).
    Invalid,
    /// The round is still open and a lead has not reported yet (待报).
    Pending,
}

impl Assessment {
    pub const ALL: [Assessment; 10] = [
        Assessment::Done,
        Assessment::Ahead,
        Assessment::OnPace,
        Assessment::BehindYellow,
        Assessment::BehindRed,
        Assessment::Blocked,
        Assessment::NotStarted,
        Assessment::Missing,
        Assessment::Invalid,
        Assessment::Pending,
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
            Assessment::Invalid => "报送有误",
            Assessment::Pending => "待报",
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
            Assessment::Invalid => "invalid",
            Assessment::Pending => "pending",
        }
    }

    /// Every name people use for it: the key, the label, the chapter table's header, short forms.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Assessment::Done => &["done", "已完成", "完成"],
            Assessment::Ahead => &["ahead", "超进度", "超前"],
            Assessment::OnPace => &["on_pace", "达进度", "正常"],
            Assessment::BehindYellow => &["behind_yellow", "欠进度（黄）", "欠进度(黄)", "黄灯", "黄", "yellow"],
            Assessment::BehindRed => &["behind_red", "欠进度（红）", "欠进度(红)", "红灯", "红", "red"],
            Assessment::Blocked => &["blocked", "受阻"],
            Assessment::NotStarted => &["not_started", "未启动"],
            Assessment::Missing => &["missing", "未报送", "未报"],
            Assessment::Invalid => &["invalid", "报送有误", "有误"],
            Assessment::Pending => &["pending", "待报"],
        }
    }

    /// By any of its [`names`](Self::names).
    pub fn parse(s: &str) -> Option<Assessment> {
        let s = s.trim();
        Assessment::ALL
            .into_iter()
            .find(|a| a.names().iter().any(|n| n.eq_ignore_ascii_case(s)))
    }

    /// Needs the office's attention this round.
    pub fn needs_attention(self) -> bool {
        matches!(
            self,
            Assessment::BehindRed | Assessment::Missing | Assessment::Invalid | Assessment::Blocked
        )
    }
}

/// One unit's row for the task this round (rows that passed the checks only).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRow {
    pub unit: Arc<str>,
    pub name: Arc<str>,
    pub role: &'static str,
    pub file: String,
    pub row: usize,
    pub status: Option<Status>,
    pub progress: Option<f64>,
    /// The row's text, shared with the report; JSON shows 本月进展, 存在问题 and 下步计划.
    #[serde(flatten, serialize_with = "notes")]
    pub text: RowText,
    /// The row's 填报日期.
    pub reported_on: Option<chrono::NaiveDate>,
}

fn notes<S: serde::Serializer>(text: &RowText, serializer: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&text.first(3), serializer)
}

/// A lead whose row was left out of the judgement, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvalidUnit {
    pub unit: String,
    pub name: String,
    pub file: String,
    /// The Excel row; 0 when the whole file could not be read.
    pub row: usize,
    pub rule: Rule,
    pub message: String,
}

impl InvalidUnit {
    /// "市住房建设局 第 9 行：状态为已完成，但进度只有 90%".
    pub fn describe(&self) -> String {
        match self.row {
            0 => format!("{}：{}", self.name, self.message),
            row => format!("{} 第 {row} 行：{}", self.name, self.message),
        }
    }
}

/// One unit's part of a target's actual: its own latest valid value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitActual {
    pub unit: Arc<str>,
    pub name: Arc<str>,
    pub actual: f64,
    /// The round the value was reported in (this one, or the unit's latest before it).
    pub round: Round,
    /// `file:row` of the metric row.
    pub source: String,
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
    /// The sum of `by_unit`.
    pub actual: Option<f64>,
    pub breakdown: Vec<BreakdownStatus>,
    /// `file:row` of every metric row summed into `actual`.
    pub sources: Vec<String>,
    pub by_unit: Vec<UnitActual>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskStatus {
    pub id: u32,
    pub chapter: u32,
    pub section: u32,
    pub key_task: Arc<str>,
    pub work: Arc<str>,
    /// The units as the task names them (a group by its name), shared with the task.
    pub lead_units: Vec<Arc<str>>,
    pub cooperating_units: Vec<Arc<str>>,
    pub assessment: Assessment,
    /// Why the task has its assessment, in Chinese, with the numbers behind it.
    pub reason: String,
    /// The worst state the leads reported (valid rows only).
    pub status: Option<Status>,
    /// Mean of the leads' valid progress; null when no lead row counts. Written with one decimal.
    #[serde(serialize_with = "crate::text::ser_round1_opt")]
    pub progress: Option<f64>,
    #[serde(serialize_with = "crate::text::ser_round1")]
    pub expected: f64,
    /// The due date an approved extension (已批准延期) set, when one is in force.
    pub extended_to: Option<chrono::NaiveDate>,
    /// Points behind 序时进度, only when the task is judged behind by its numbers.
    #[serde(serialize_with = "crate::text::ser_round1_opt")]
    pub lag: Option<f64>,
    /// Names of lead units whose file or row is absent (after the deadline).
    pub missing_units: Vec<Arc<str>>,
    /// Lead units whose row was left out for an error.
    pub invalid_units: Vec<InvalidUnit>,
    /// Names of lead units not reported yet while the round is open.
    pub pending_units: Vec<Arc<str>>,
    pub stale: bool,
    pub targets: Vec<TargetStatus>,
    /// The lead units' rows, then the cooperating units' rows (context).
    pub rows: Vec<UnitRow>,
}

impl TaskStatus {
    /// What the office looks at first: red, missing, invalid, blocked, or the same as last round
    /// ([`ATTENTION`] in words).
    pub fn needs_attention(&self) -> bool {
        self.assessment.needs_attention() || self.stale
    }
}

/// The tasks [`TaskStatus::needs_attention`] picks, as the tables' and pages' headings say.
pub const ATTENTION: &str = "红灯、未报送、报送有误、受阻、停滞";

/// Every report indexed once by round and by unit, so that judging many rounds stays linear.
pub struct ReportIndex<'a> {
    by_round: BTreeMap<Round, Vec<&'a Report>>,
    /// Each unit's reports, oldest round first.
    by_unit: HashMap<&'a str, Vec<&'a Report>>,
    /// What is kept of the workspace's retired reports, older than every report here.
    carried: Option<&'a Carried>,
}

impl<'a> ReportIndex<'a> {
    pub fn new(reports: &'a [Report]) -> ReportIndex<'a> {
        let mut index = ReportIndex {
            by_round: BTreeMap::new(),
            by_unit: HashMap::new(),
            carried: None,
        };
        for r in reports {
            index.by_round.entry(r.round).or_default().push(r);
            index.by_unit.entry(r.unit.as_str()).or_default().push(r);
        }
        index.by_unit.values_mut().for_each(|v| v.sort_by_key(|r| r.round));
        index
    }

    /// The workspace's reports, and what is kept of those it retired.
    pub fn of(ws: &Workspace<'a>) -> ReportIndex<'a> {
        ReportIndex {
            carried: Some(ws.carried),
            ..ReportIndex::new(ws.reports)
        }
    }

    /// What is kept of retired reports, if any were.
    pub fn carried(&self) -> Option<&'a Carried> {
        self.carried
    }

    pub fn round(&self, round: Round) -> &[&'a Report] {
        self.by_round.get(&round).map_or(&[], Vec::as_slice)
    }

    /// The unit's latest report before `round`.
    pub fn previous(&self, unit: &str, round: Round) -> Option<&'a Report> {
        self.earlier(unit, round).next()
    }

    /// The unit's reports before `round`, latest first.
    pub fn earlier(&self, unit: &str, round: Round) -> impl Iterator<Item = &'a Report> + '_ {
        let reports = self.by_unit.get(unit).map_or(&[][..], Vec::as_slice);
        let at = reports.partition_point(|r| r.round < round);
        reports[..at].iter().rev().copied()
    }
}

/// The reports a judgement may look at: this round's received files and each unit's earlier ones.
pub struct RoundReports<'a, 'i> {
    pub current: Vec<&'a Report>,
    /// unit id -> its positions in `current`.
    positions: HashMap<&'a str, Vec<usize>>,
    pub index: &'i ReportIndex<'a>,
    /// The round's due time has not passed yet: a lead without a report is pending, not missing.
    pub open: bool,
}

impl<'a, 'i> RoundReports<'a, 'i> {
    pub fn new(current: Vec<&'a Report>, index: &'i ReportIndex<'a>, open: bool) -> RoundReports<'a, 'i> {
        let mut positions: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in current.iter().enumerate() {
            positions.entry(r.unit.as_str()).or_default().push(i);
        }
        RoundReports {
            current,
            positions,
            index,
            open,
        }
    }

    fn of(&self, unit: &str) -> Option<&'a Report> {
        self.all_of(unit).next()
    }

    /// The unit's received files of the round, in the order of `current`.
    fn all_of(&self, unit: &str) -> impl Iterator<Item = &'a Report> + '_ {
        let at = self.positions.get(unit).map_or(&[][..], Vec::as_slice);
        at.iter().map(|&i| self.current[i])
    }

    fn previous_row(&self, unit: &str, task: u32, round: Round) -> Option<&'a MainRow> {
        self.index.previous(unit, round)?.valid_row(task)
    }
}

/// How much a judgement keeps beside its verdict, reasons and targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// The units' rows as well ([`TaskStatus::rows`]): for what quotes them (tables, digests,
    /// circulars, a task's history).
    Rows,
    /// No rows: for JSON and CSV, which show none. A province's 20,000 tasks hold about three rows
    /// each, and the rows nobody reads were a tenth of the peak memory of `status`.
    Verdict,
}

/// What the leads sent for a task: their valid rows and who is absent or left out.
#[derive(Default)]
struct Leads {
    rows: Vec<UnitRow>,
    absent: Vec<Arc<str>>,
    invalid: Vec<InvalidUnit>,
    stale: bool,
}

pub fn judge(task: &Task, ws: &Workspace, reports: &RoundReports, round: Round, detail: Detail) -> TaskStatus {
    let (plan, units, assignments) = (ws.plan, ws.units, ws.assignments);
    // 序时进度 at the round's nominal due time: a deadline moved for a holiday does not move it.
    let due: DateTime<FixedOffset> = plan.nominal_due(round);
    let id = task.id.value;
    // From its approval on, an extension's new due date is the task's.
    let extension = crate::model::extension::in_force(ws.extensions, id, due.date_naive());
    let elapsed = elapsed_fraction(plan, extension.map_or(task.due.value, |e| e.new_due), due);
    let expected = elapsed * 100.0;
    let name_of = |uid: &str| assignments.unit_name(uid).cloned().unwrap_or_else(|| uid.into());
    let leads = lead_rows(id, assignments, reports, round, &name_of);
    let progresses: Vec<f64> = leads.rows.iter().filter_map(|r| r.progress).collect();
    let progress = (!progresses.is_empty()).then(|| progresses.iter().sum::<f64>() / progresses.len() as f64);
    let status = leads.rows.iter().filter_map(|r| r.status).max_by_key(|s| s.severity());
    let (missing_units, pending_units) = if reports.open {
        (Vec::new(), leads.absent)
    } else {
        (leads.absent, Vec::new())
    };
    let judged = Judged {
        status,
        progress,
        expected,
        elapsed,
    };
    let assessment = if !missing_units.is_empty() {
        Assessment::Missing
    } else if !leads.invalid.is_empty() {
        Assessment::Invalid
    } else if !pending_units.is_empty() || leads.rows.is_empty() {
        Assessment::Pending
    } else {
        assess(plan, &judged)
    };
    let rows = match detail {
        Detail::Rows => {
            let mut rows = leads.rows;
            let cooperating = cooperating_rows(id, assignments, reports, &name_of);
            // At their final size: twenty thousand tasks' rows grown by doubling held twice the memory.
            rows.reserve_exact(cooperating.len());
            rows.extend(cooperating);
            rows
        }
        Detail::Verdict => Vec::new(),
    };
    TaskStatus {
        id,
        chapter: task.chapter.value,
        section: task.section.value,
        key_task: task.key_task.clone(),
        work: task.work.value.clone(),
        lead_units: task.lead.iter().map(|l| l.value.clone()).collect(),
        cooperating_units: task.cooperating.iter().map(|l| l.value.clone()).collect(),
        reason: with_extension(
            reason(
                assessment,
                &judged,
                &missing_units,
                &leads.invalid,
                &pending_units,
                plan,
            ),
            extension,
        ),
        extended_to: extension.map(|e| e.new_due),
        lag: lag(assessment, &judged, plan),
        assessment,
        status,
        progress,
        expected,
        missing_units,
        invalid_units: leads.invalid,
        pending_units,
        stale: leads.stale,
        targets: targets(task, reports, units, assignments, round),
        rows,
    }
}

fn lead_rows(
    id: u32,
    assignments: &Assignments,
    reports: &RoundReports,
    round: Round,
    name_of: &dyn Fn(&str) -> Arc<str>,
) -> Leads {
    let mut leads = Leads {
        rows: Vec::with_capacity(assignments.leads(id).len()),
        ..Leads::default()
    };
    for uid in assignments.leads(id) {
        let Some(report) = reports.of(uid) else {
            leads.absent.push(name_of(uid));
            continue;
        };
        match report.row_state(id) {
            RowState::Valid(row) => {
                if let Some(prev) = reports.previous_row(uid, id, round) {
                    leads.stale |=
                        row.status != Some(Status::Done) && prev.status == row.status && prev.progress == row.progress;
                }
                leads.rows.push(unit_row(uid, name_of(uid), Role::Lead, report, row));
            }
            RowState::Flawed(flaw) => leads.invalid.push(InvalidUnit {
                unit: uid.to_string(),
                name: name_of(uid).to_string(),
                file: report.file.clone(),
                row: flaw.row,
                rule: flaw.rule,
                message: flaw.message.clone(),
            }),
            RowState::Absent => leads.absent.push(name_of(uid)),
        }
    }
    leads
}

fn cooperating_rows(
    id: u32,
    assignments: &Assignments,
    reports: &RoundReports,
    name_of: &dyn Fn(&str) -> Arc<str>,
) -> Vec<UnitRow> {
    let mut found: Vec<(usize, UnitRow)> = assignments
        .cooperating(id)
        .flat_map(|uid| {
            let at = reports.positions.get(&**uid).into_iter().flatten();
            at.map(move |&i| (uid, i))
        })
        .filter_map(|(uid, i)| {
            let r = reports.current[i];
            let row = r.valid_row(id)?;
            Some((i, unit_row(uid, name_of(uid), Role::Cooperating, r, row)))
        })
        .collect();
    // In the order the files were received, as the round lists them.
    found.sort_by_key(|(i, _)| *i);
    found.into_iter().map(|(_, row)| row).collect()
}

/// The leads' valid rows, summed up for the rules.
pub struct Judged {
    pub status: Option<Status>,
    pub progress: Option<f64>,
    /// 序时进度, unrounded.
    pub expected: f64,
    /// The elapsed share of the task's window (0–1).
    pub elapsed: f64,
}

impl Judged {
    /// Points behind 序时进度 by the numbers (negative when ahead).
    fn gap(&self) -> Option<f64> {
        self.progress.map(|p| self.expected - p)
    }

    fn by_numbers(&self, plan: &Plan) -> Option<Assessment> {
        let t = &plan.thresholds;
        let gap = self.gap()?;
        Some(if gap > t.red {
            Assessment::BehindRed
        } else if gap >= t.yellow {
            Assessment::BehindYellow
        } else if -gap >= t.yellow {
            Assessment::Ahead
        } else {
            Assessment::OnPace
        })
    }
}

/// The rules: all done -> done; blocked; 未启动 (red once a third of the window has passed);
/// then the gap to 序时进度 by the thresholds. A lead reporting 滞后 is at least yellow.
pub fn assess(plan: &Plan, j: &Judged) -> Assessment {
    match j.status {
        Some(Status::Done) => return Assessment::Done,
        Some(Status::Blocked) => return Assessment::Blocked,
        Some(Status::NotStarted) => {
            return if j.elapsed > plan.thresholds.not_started_red_after {
                Assessment::BehindRed
            } else {
                Assessment::NotStarted
            };
        }
        _ => {}
    }
    let Some(by_numbers) = j.by_numbers(plan) else {
        return Assessment::Missing;
    };
    if self_reported_behind(j, by_numbers) {
        Assessment::BehindYellow
    } else {
        by_numbers
    }
}

fn self_reported_behind(j: &Judged, by_numbers: Assessment) -> bool {
    j.status == Some(Status::Behind) && matches!(by_numbers, Assessment::Ahead | Assessment::OnPace)
}

/// Points behind, only for a task judged behind by its numbers: never negative.
fn lag(assessment: Assessment, j: &Judged, plan: &Plan) -> Option<f64> {
    let behind = |a: Assessment| matches!(a, Assessment::BehindYellow | Assessment::BehindRed);
    let by_numbers = j.by_numbers(plan).is_some_and(behind);
    j.gap().filter(|g| behind(assessment) && by_numbers && *g > 0.0)
}

/// "已批准延期至 2025-06-30；…" in front of the reason when an extension is in force.
fn with_extension(reason: String, extension: Option<&crate::model::Extension>) -> String {
    match extension {
        Some(e) => format!("已批准延期至 {}（{} 批准）；{reason}", e.new_due, e.approved_by),
        None => reason,
    }
}

/// Why, in words a clerk can sign: the numbers, or who is missing, wrong or not in yet.
fn reason(
    assessment: Assessment,
    j: &Judged,
    missing: &[Arc<str>],
    invalid: &[InvalidUnit],
    pending: &[Arc<str>],
    plan: &Plan,
) -> String {
    let p = j.progress.map(fmt_pct).unwrap_or_default();
    let e = fmt_pct(j.expected);
    match assessment {
        Assessment::Missing => format!("未报送：{}", missing.join("、")),
        Assessment::Invalid => {
            let each: Vec<String> = invalid.iter().map(InvalidUnit::describe).collect();
            format!("报送有误，待更正：{}", each.join("；"))
        }
        Assessment::Pending if pending.is_empty() => "待报".to_string(),
        Assessment::Pending => format!("待报：{}", pending.join("、")),
        Assessment::Done => "牵头单位报已完成".to_string(),
        Assessment::Blocked => "牵头单位报受阻".to_string(),
        Assessment::NotStarted => "牵头单位报未启动".to_string(),
        Assessment::BehindRed if j.status == Some(Status::NotStarted) => format!(
            "未启动，时限已过 {}%",
            fmt_pct(plan.thresholds.not_started_red_after * 100.0)
        ),
        _ if j.by_numbers(plan).is_some_and(|b| self_reported_behind(j, b)) => match j.gap() {
            Some(g) if g > 0.0 => format!(
                "自报滞后（进度 {p}%，序时进度 {e}%，差 {} 个百分点，未到黄灯线）",
                fmt_pct(g)
            ),
            _ => format!("自报滞后（进度 {p}%，已达序时进度 {e}%）"),
        },
        Assessment::BehindRed | Assessment::BehindYellow => format!(
            "进度 {p}%，序时进度 {e}%，落后 {} 个百分点",
            fmt_pct(j.gap().unwrap_or(0.0))
        ),
        Assessment::Ahead => format!(
            "进度 {p}%，序时进度 {e}%，超前 {} 个百分点",
            fmt_pct(-j.gap().unwrap_or(0.0))
        ),
        Assessment::OnPace => format!("进度 {p}%，序时进度 {e}%"),
    }
}

fn unit_row(uid: &Arc<str>, name: Arc<str>, role: Role, report: &Report, row: &MainRow) -> UnitRow {
    UnitRow {
        unit: uid.clone(),
        name,
        role: match role {
            Role::Lead => "牵头",
            Role::Cooperating => "配合",
        },
        file: report.file.clone(),
        row: row.row,
        status: row.status,
        progress: row.progress,
        text: row.text.clone(),
        reported_on: row.reported_on,
    }
}

fn targets(
    task: &Task,
    reports: &RoundReports,
    units: &Units,
    assignments: &Assignments,
    round: Round,
) -> Vec<TargetStatus> {
    task.targets
        .iter()
        .map(|t| {
            let by_unit = unit_actuals(task.id.value, &t.metric.value, reports, units, assignments, round);
            let actual = (!by_unit.is_empty()).then(|| by_unit.iter().map(|u| u.actual).sum::<f64>());
            let mut entries: Vec<_> = t.breakdown.iter().collect();
            entries.sort_by_key(|(name, _)| units.units.iter().position(|u| &u.name == *name).unwrap_or(usize::MAX));
            let breakdown = entries
                .into_iter()
                .map(|(name, target)| BreakdownStatus {
                    unit: name.clone(),
                    target: target.value,
                    actual: by_unit.iter().find(|u| *u.name == **name).map(|u| u.actual),
                })
                .collect();
            TargetStatus {
                metric: t.metric.value.clone(),
                unit: t.unit.clone(),
                target: t.value.value,
                actual: actual.map(|a| (a * 1000.0).round() / 1000.0),
                breakdown,
                sources: by_unit.iter().map(|u| u.source.clone()).collect(),
                by_unit,
            }
        })
        .collect()
}

/// Each unit on the task (lead or cooperating) with its own latest valid value for the metric:
/// from this round's received report, else from its latest earlier report that has one.
fn unit_actuals(
    task: u32,
    metric: &str,
    reports: &RoundReports,
    units: &Units,
    assignments: &Assignments,
    round: Round,
) -> Vec<UnitActual> {
    assignments
        .units_on(task)
        .iter()
        .map(|&i| &units.units[i as usize])
        .filter_map(|u| {
            let mut candidates = reports.of(&u.id).into_iter().chain(reports.index.earlier(&u.id, round));
            let (actual, round, source) = match candidates.find_map(|r| Some((r, r.valid_actual(task, metric)?))) {
                Some((report, (row, value))) => (value, report.round, format!("{}:{}", report.file, row.row)),
                None => {
                    let a = reports.index.carried()?.actual(&u.id, task, metric)?;
                    (a.value, a.round, format!("{}:{}", a.file, a.row))
                }
            };
            Some(UnitActual {
                unit: u.id.as_str().into(),
                name: u.name.as_str().into(),
                actual,
                round,
                source,
            })
        })
        .collect()
}
