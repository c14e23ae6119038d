//! Judging one task in one round from its lead units' rows.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use super::assessment::Assessment;
use super::expected::elapsed_fraction;
use super::pace;
use super::report_index::RoundReports;
use super::targets::targets;
use super::task_status::Basis;
use super::task_status::{InvalidUnit, TaskStatus, UnitRow};
use crate::model::Workspace;
use crate::model::{Assignments, MainRow, Plan, Report, Role, Round, RowState, Status, Task};
use crate::text::fmt_pct;

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

pub(crate) fn judge(task: &Task, ws: &Workspace, reports: &RoundReports, round: Round, detail: Detail) -> TaskStatus {
    let (plan, units, assignments) = (ws.plan, ws.units, ws.assignments);
    // 序时进度 at the round's nominal due time: a deadline moved for a holiday does not move it.
    let due: DateTime<FixedOffset> = plan.nominal_due(round);
    let id = task.id.value;
    // From its approval on, an extension's new due date is the task's.
    let extension = crate::model::extension::in_force(ws.extensions, id, due.date_naive());
    let elapsed = elapsed_fraction(plan, extension.map_or(task.due.value, |e| e.new_due), due);
    let name_of = |uid: &str| assignments.unit_name(uid).cloned().unwrap_or_else(|| uid.into());
    let leads = lead_rows(id, assignments, reports, round, &name_of);
    let paces = pace::lead_paces(ws, id, round, elapsed * 100.0);
    let judged = judged_from(&leads.rows, &paces, elapsed);
    let nodes_missed = pace::missed_nodes(ws, id, round, &leads.rows);
    let (progress, status) = (judged.progress, judged.status);
    let (missing_units, pending_units) = if reports.open {
        (Vec::new(), leads.absent)
    } else {
        (leads.absent, Vec::new())
    };
    let assessment = overall(
        plan,
        &judged,
        (&leads.rows, &leads.invalid),
        (&missing_units, &pending_units),
    );
    let deciding = deciding(
        assessment,
        (&judged, &paces),
        (&leads.rows, &leads.invalid),
        (&missing_units, &pending_units),
        plan,
    );
    let rows = match detail {
        Detail::Rows => with_cooperating(leads.rows, cooperating_rows(id, assignments, reports, &name_of)),
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
            named(
                reason(
                    assessment,
                    &judged,
                    (&missing_units, &pending_units),
                    &leads.invalid,
                    plan,
                ),
                (assignments.leads(id).len(), &deciding),
                judged.basis,
            ),
            extension,
        ),
        deciding,
        extended_to: extension.map(|e| e.new_due),
        lag: lag(assessment, &judged, plan),
        assessment,
        status,
        progress,
        expected: judged.expected,
        basis: judged.basis,
        nodes_missed,
        missing_units,
        invalid_units: leads.invalid,
        pending_units,
        stale: leads.stale,
        targets: targets(task, reports, units, assignments, round),
        rows,
    }
}

/// The leads' rows, then the cooperating units'.
fn with_cooperating(mut rows: Vec<UnitRow>, cooperating: Vec<UnitRow>) -> Vec<UnitRow> {
    // At their final size: twenty thousand tasks' rows grown by doubling held twice the memory.
    rows.reserve_exact(cooperating.len());
    rows.extend(cooperating);
    rows
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
                message: flaw.message.to_string(),
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
    /// The elapsed share of the task's window (0–1); with a plan, the planned share.
    pub elapsed: f64,
    /// Whether `expected` is the leads' plans or the straight line.
    pub basis: Basis,
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

/// The leads' valid rows taken together: the mean of their progress, the worst of their states,
/// against the mean of their paces.
fn judged_from(rows: &[UnitRow], paces: &[pace::LeadPace], elapsed: f64) -> Judged {
    let progresses: Vec<f64> = rows.iter().filter_map(|r| r.progress).collect();
    let (expected, basis) = pace::expected(paces, rows, elapsed * 100.0);
    Judged {
        status: rows.iter().filter_map(|r| r.status).max_by_key(|s| s.severity()),
        progress: (!progresses.is_empty()).then(|| progresses.iter().sum::<f64>() / progresses.len() as f64),
        expected,
        elapsed: match basis {
            Basis::Plan => expected / 100.0,
            Basis::Linear => elapsed,
        },
        basis,
    }
}

/// The verdict: missing or wrong rows first, then the judgement of the leads' rows.
fn overall(
    plan: &Plan,
    judged: &Judged,
    (rows, invalid): (&[UnitRow], &[InvalidUnit]),
    (missing, pending): (&[Arc<str>], &[Arc<str>]),
) -> Assessment {
    if !missing.is_empty() {
        Assessment::Missing
    } else if !invalid.is_empty() {
        Assessment::Invalid
    } else if !pending.is_empty() || rows.is_empty() {
        Assessment::Pending
    } else {
        assess(plan, judged)
    }
}

/// The units whose rows decided the verdict: those missing, wrong or pending for such verdicts;
/// for a state the leads reported, those that reported it; behind by the numbers, the leads below
/// 序时进度. Nobody for a task ahead or on pace.
fn deciding(
    assessment: Assessment,
    (j, paces): (&Judged, &[pace::LeadPace]),
    (rows, invalid): (&[UnitRow], &[InvalidUnit]),
    (missing, pending): (&[Arc<str>], &[Arc<str>]),
    plan: &Plan,
) -> Vec<Arc<str>> {
    let reported = |st: Status| -> Vec<Arc<str>> {
        rows.iter()
            .filter(|r| r.status == Some(st))
            .map(|r| r.name.clone())
            .collect()
    };
    match assessment {
        Assessment::Missing => missing.to_vec(),
        Assessment::Pending => pending.to_vec(),
        Assessment::Invalid => invalid.iter().map(|u| Arc::from(u.name.as_str())).collect(),
        Assessment::Ahead | Assessment::OnPace => Vec::new(),
        Assessment::Done | Assessment::Blocked | Assessment::NotStarted => j.status.map(reported).unwrap_or_default(),
        Assessment::BehindRed | Assessment::BehindYellow => {
            let by_status = j.status.filter(|s| matches!(s, Status::NotStarted | Status::Behind));
            let by_numbers = j.by_numbers(plan).is_some_and(|b| !self_reported_behind(j, b));
            let mut names = by_status.map(reported).unwrap_or_default();
            if by_numbers {
                let own = |unit: &Arc<str>| {
                    paces
                        .iter()
                        .find(|p| p.unit == *unit)
                        .map_or(j.expected, |p| p.expected)
                };
                let below = rows.iter().filter(|r| r.progress.is_some_and(|p| p < own(&r.unit)));
                names.extend(
                    below
                        .map(|r| r.name.clone())
                        .filter(|n| !names.contains(n))
                        .collect::<Vec<_>>(),
                );
            }
            names
        }
    }
}

/// A verdict of several leads says whose rows decided it: 「牵头单位报滞后」 becomes
/// 「化隆县政府报滞后」, and a task behind by the numbers names the leads below 序时进度.
fn named(reason: String, (leads, deciding): (usize, &[Arc<str>]), basis: Basis) -> String {
    if leads < 2 || deciding.is_empty() || reason.starts_with("未报送") || reason.starts_with("待报") {
        return reason;
    }
    let names = deciding.join("、");
    if let Some(rest) = reason.strip_prefix("牵头单位") {
        return format!("{names}{rest}");
    }
    if let Some(rest) = reason.strip_prefix("自报滞后") {
        return format!("{names}自报滞后{rest}");
    }
    if reason.starts_with("进度 ") {
        return format!("{reason}；低于{}：{names}", basis.label());
    }
    reason
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
    (missing, pending): (&[Arc<str>], &[Arc<str>]),
    invalid: &[InvalidUnit],
    plan: &Plan,
) -> String {
    let p = j.progress.map(fmt_pct).unwrap_or_default();
    let e = fmt_pct(j.expected);
    let pace = j.basis.label();
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
                "自报滞后（进度 {p}%，{pace} {e}%，差 {} 个百分点，未到黄灯线）",
                fmt_pct(g)
            ),
            _ => format!("自报滞后（进度 {p}%，已达{pace} {e}%）"),
        },
        Assessment::BehindRed | Assessment::BehindYellow => format!(
            "进度 {p}%，{pace} {e}%，落后 {} 个百分点",
            fmt_pct(j.gap().unwrap_or(0.0))
        ),
        Assessment::Ahead => format!(
            "进度 {p}%，{pace} {e}%，超前 {} 个百分点",
            fmt_pct(-j.gap().unwrap_or(0.0))
        ),
        Assessment::OnPace => format!("进度 {p}%，{pace} {e}%"),
    }
}

fn unit_row(uid: &Arc<str>, name: Arc<str>, role: Role, report: &Report, row: &MainRow) -> UnitRow {
    UnitRow {
        unit: uid.clone(),
        name,
        role,
        file: report.file.clone(),
        row: row.row,
        status: row.status,
        progress: row.progress,
        text: row.text.clone(),
        reported_on: row.reported_on,
    }
}
