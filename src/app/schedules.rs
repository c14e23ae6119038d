//! Which 推进计划 was in force when. Each version of `plans/<unit>.csv` on the main line counts
//! from when it arrived (the server's receipt, else the commit time; the working copy from "now").
//! Before `[plans] due` every change counts; after it, a changed task counts only with an approval
//! in `plan-changes.toml`, and from the approval's date, so an old round keeps the plan of its day.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};

use crate::diagnostic::{Diagnostic, Rule};
use crate::load::{Loaded, PLAN_CHANGES_FILE};
use crate::model::schedule::{InForce, PLANS_DIR, Schedule, ScheduleRow, Schedules};
use crate::model::scoring::PlanChange;
use crate::model::{Plan, UnitRef};

/// One version of a unit's plan file and when it counts from.
struct Arrival {
    at: i64,
    schedule: Schedule,
}

/// Replaces the loaded plans (in force from always) by their history, and adds the diagnostics
/// of changes made after the due date without an approval.
pub(crate) fn settle(loaded: &mut Loaded, as_of: DateTime<FixedOffset>) {
    settle_with(loaded, as_of, None);
}

/// [`settle`], with `replacement` (path, bytes) read as the working copy of that plan file: to
/// check a plan before it is written.
pub(crate) fn settle_with(loaded: &mut Loaded, as_of: DateTime<FixedOffset>, replacement: Option<(&str, &[u8])>) {
    check_approvals(loaded);
    let Some(plan) = loaded.plan.as_ref() else { return };
    if loaded.schedule_files.is_empty() && !loaded.root.join(PLANS_DIR).is_dir() {
        return;
    }
    let deadline = plan.plans_due.map(|d| end_of(plan, d));
    let Some(history) = crate::ledger::history::versions_under(&loaded.root, &format!("{PLANS_DIR}/")) else {
        return;
    };
    let mut arrivals = arrivals(loaded, history, (as_of.timestamp(), replacement));
    // A replay (`--as-of`) sees only the versions that had arrived by then.
    for versions in arrivals.values_mut() {
        versions.retain(|v| v.at <= as_of.timestamp());
    }
    let approvals = approvals_by_task(loaded, as_of);
    let mut schedules = Schedules::default();
    let mut unapproved = Vec::new();
    for (unit, versions) in &arrivals {
        let timeline = Timeline {
            plan,
            deadline,
            approvals: &approvals,
        };
        timeline.build(unit, versions, &mut schedules, &mut unapproved);
    }
    loaded.schedules = schedules;
    loaded.diagnostics.extend(unapproved);
}

/// Every version of every plan file, oldest first, by unit; the working copy last when it differs
/// from the last commit.
fn arrivals(
    loaded: &Loaded,
    history: BTreeMap<String, Vec<crate::ledger::history::Version>>,
    (now, replacement): (i64, Option<(&str, &[u8])>),
) -> BTreeMap<String, Vec<Arrival>> {
    let requests: Vec<(String, String)> = history
        .values()
        .flatten()
        .map(|v| (v.commit.clone(), v.path.clone()))
        .collect();
    let blobs = crate::ledger::blobs::read(&loaded.root, &requests).unwrap_or_default();
    let mut blobs = blobs.into_iter();
    let mut out: BTreeMap<String, Vec<Arrival>> = BTreeMap::new();
    let mut last_bytes: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (path, versions) in &history {
        let Some(unit) = crate::load::schedule::unit_of(path) else {
            continue;
        };
        for v in versions {
            let Some(Some(bytes)) = blobs.next() else { continue };
            let Some((schedule, _)) = crate::load::parse_schedule(loaded, path, &bytes) else {
                continue;
            };
            last_bytes.insert(path.clone(), bytes);
            out.entry(unit.to_string()).or_default().push(Arrival {
                at: v.stamp(),
                schedule,
            });
        }
    }
    for file in &loaded.schedule_files {
        let current = match replacement {
            Some((rel, bytes)) if rel == file.file => Some(bytes.to_vec()),
            _ => std::fs::read(loaded.root.join(&file.file)).ok(),
        };
        if current.is_some() && current.as_ref() != last_bytes.get(&file.file) {
            out.entry(file.unit.clone()).or_default().push(Arrival {
                at: now,
                schedule: file.clone(),
            });
        }
    }
    out
}

/// An approval, and from when it can count: never before it was written into `plan-changes.toml`
/// (that version's commit time), so an approval recorded after a round was published, however
/// early its date, cannot change that round.
struct Approval<'a> {
    change: &'a PlanChange,
    recorded: i64,
}

/// (unit id, task) -> the approvals of changes to its plan recorded by "now", oldest first.
fn approvals_by_task(loaded: &Loaded, as_of: DateTime<FixedOffset>) -> BTreeMap<(String, u32), Vec<Approval<'_>>> {
    let recorded = Recorded::read(loaded, as_of.timestamp());
    let mut out: BTreeMap<(String, u32), Vec<Approval>> = BTreeMap::new();
    for change in loaded
        .plan_changes
        .iter()
        .filter(|c| c.approved_on <= as_of.date_naive())
    {
        let at = recorded.at(change);
        if let (Some(id), true) = (unit_id(loaded, &change.unit), at <= as_of.timestamp()) {
            out.entry((id, change.task))
                .or_default()
                .push(Approval { change, recorded: at });
        }
    }
    for list in out.values_mut() {
        list.sort_by_key(|a| (a.change.approved_on, a.change.line));
    }
    out
}

/// An approval's identity across versions of `plan-changes.toml`.
type ApprovalKey = (String, u32, NaiveDate, String);

fn approval_key(c: &PlanChange) -> ApprovalKey {
    (c.unit.clone(), c.task, c.approved_on, c.approved_by.clone())
}

/// When each approval first appeared in `plan-changes.toml`'s history (Unix seconds), and when one
/// the history does not hold counts from: "now" for one not yet committed, always without git.
struct Recorded {
    first: BTreeMap<ApprovalKey, i64>,
    otherwise: i64,
}

impl Recorded {
    fn read(loaded: &Loaded, now: i64) -> Recorded {
        let history = crate::ledger::history::versions_under(&loaded.root, PLAN_CHANGES_FILE);
        let mut recorded = Recorded {
            first: BTreeMap::new(),
            otherwise: if history.is_some() { now } else { i64::MIN },
        };
        let Some(versions) = history.as_ref().and_then(|h| h.get(PLAN_CHANGES_FILE)) else {
            return recorded;
        };
        let requests: Vec<(String, String)> = versions.iter().map(|v| (v.commit.clone(), v.path.clone())).collect();
        let blobs = crate::ledger::blobs::read(&loaded.root, &requests).unwrap_or_default();
        for (v, bytes) in versions.iter().zip(blobs) {
            let Some(text) = bytes.and_then(|b| String::from_utf8(b).ok()) else {
                continue;
            };
            let src = crate::diagnostic::Source::new(PLAN_CHANGES_FILE, text);
            for c in crate::load::parse_plan_changes(&src).unwrap_or_default() {
                recorded.first.entry(approval_key(&c)).or_insert(v.stamp());
            }
        }
        recorded
    }

    fn at(&self, c: &PlanChange) -> i64 {
        self.first.get(&approval_key(c)).copied().unwrap_or(self.otherwise)
    }
}

fn unit_id(loaded: &Loaded, written: &str) -> Option<String> {
    match loaded.units.as_ref()?.resolve(written)? {
        UnitRef::Unit(u) => Some(u.id.clone()),
        UnitRef::Group(_) => None,
    }
}

/// Unix seconds at the start of `day` in the plan's zone.
fn start_of(plan: &Plan, day: NaiveDate) -> i64 {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    plan.timezone
        .from_local_datetime(&midnight)
        .single()
        .map_or(i64::MAX, |t| t.timestamp())
}

/// Unix seconds at the end of `day` in the plan's zone.
fn end_of(plan: &Plan, day: NaiveDate) -> i64 {
    start_of(plan, day.succ_opt().unwrap_or(day)) - 1
}

struct Timeline<'a> {
    plan: &'a Plan,
    deadline: Option<i64>,
    approvals: &'a BTreeMap<(String, u32), Vec<Approval<'a>>>,
}

impl Timeline<'_> {
    /// Each task's plan over the unit's versions; a change after the deadline with no approval
    /// left is not taken, and when the current file still holds it, it is a diagnostic.
    fn build(&self, unit: &str, versions: &[Arrival], out: &mut Schedules, unapproved: &mut Vec<Diagnostic>) {
        let mut used: BTreeSet<(u32, usize)> = BTreeSet::new();
        for (i, version) in versions.iter().enumerate() {
            let current = i + 1 == versions.len();
            for row in &version.schedule.rows {
                let line = out
                    .by_unit
                    .entry(unit.to_string())
                    .or_default()
                    .entry(row.task)
                    .or_default();
                let taken = line.last().map(|v| &v.row);
                if taken.is_some_and(|t| t.same_plan(row)) {
                    continue;
                }
                let free = taken.is_none() || self.deadline.is_none_or(|d| version.at <= d);
                let approval = (!free).then(|| self.approval(unit, row.task, &mut used)).flatten();
                if free || approval.is_some() {
                    // An approved change counts from the approval's day, never before it arrived nor
                    // before the approval was recorded.
                    let from = approval.map_or(version.at, |a| {
                        version
                            .at
                            .max(start_of(self.plan, a.change.approved_on))
                            .max(a.recorded)
                    });
                    line.push(InForce {
                        from,
                        row: row.clone(),
                        file: version.schedule.file.clone(),
                    });
                } else if current {
                    unapproved.push(self.refusal(&version.schedule.file, row, line.last()));
                }
            }
        }
    }

    /// The first approval for `unit`'s `task` not used by an earlier change.
    fn approval<'c>(&'c self, unit: &str, task: u32, used: &mut BTreeSet<(u32, usize)>) -> Option<&'c Approval<'c>> {
        let list = self.approvals.get(&(unit.to_string(), task))?;
        let found = list.iter().find(|a| !used.contains(&(task, a.change.line)))?;
        used.insert((task, found.change.line));
        Some(found)
    }

    fn refusal(&self, file: &str, row: &ScheduleRow, in_force: Option<&InForce>) -> Diagnostic {
        let due = self.plan.plans_due.map_or_else(String::new, |d| d.to_string());
        let since = in_force.map_or_else(String::new, |v| {
            let at = self.plan.timezone.timestamp_opt(v.from, 0).single();
            at.map_or_else(String::new, |t| format!("（{} 的计划）", t.format("%Y-%m-%d")))
        });
        Diagnostic::new(
            Rule::PlanChange,
            file,
            format!(
                "第 {} 项任务的计划在计划报送截止（{due}）后修改，{PLAN_CHANGES_FILE} 中没有批准记录；仍按原计划{since}研判",
                row.task
            ),
        )
        .at(row.row, 1)
        .hint(format!(
            "报市发展改革委批准后在 {PLAN_CHANGES_FILE} 登记（unit、task、approved_on、approved_by、reason），或把这一行改回原计划"
        ))
    }
}

/// Each approval names a known unit that leads the task.
fn check_approvals(loaded: &mut Loaded) {
    let Some(assignments) = loaded.assignments() else {
        return;
    };
    let mut found = Vec::new();
    for c in &loaded.plan_changes {
        let problem = match unit_id(loaded, &c.unit) {
            None => Some(format!("「{}」不是 units.toml 中的单位", c.unit)),
            Some(id) if !assignments.leads(c.task).any(|l| **l == *id) => {
                Some(format!("「{}」不是第 {} 项任务的牵头单位", c.unit, c.task))
            }
            Some(_) => None,
        };
        if let Some(message) = problem {
            found.push(
                Diagnostic::new(Rule::PlanChange, PLAN_CHANGES_FILE, message)
                    .at(c.line, 1)
                    .hint("照批准文件填写：单位、任务编号、批准日期、批准单位或文号、理由"),
            );
        }
    }
    loaded.diagnostics.extend(found);
}
