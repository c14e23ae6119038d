//! Rules across report files: tasks, roles, metrics, duplicates, consistency with the status, and
//! comparisons with the same unit's previous round.

use std::collections::BTreeMap;

use crate::diagnostic::{Bounded, Diagnostic, Rule, Severity};
use crate::load::Loaded;
use crate::model::template::{Column, header_of, letter};
use crate::model::{Assignments, MainRow, MetricRow, Report, Round, Status, Target, Task};
use crate::text::fmt_num;

/// A diagnostic at a cell, naming it the way Excel does (`I7 「进度」`).
pub(crate) fn at(report: &Report, rule: Rule, row: usize, column: Column, message: String) -> Diagnostic {
    let col = report.columns.get(&column).copied().unwrap_or(0);
    Diagnostic::new(rule, report.file.clone(), message)
        .at(row, col)
        .snippet(format!("{}{row} 「{}」", letter(col), header_of(column)))
}

/// Every report file (of round `from` on, if given) against the plan and the unit's previous
/// file; `warnings` false leaves out the rules that can only warn (for commands that judge, which
/// read only errors).
///
/// Each file's findings are held within the per-file cap as they are made ([`Bounded`]); gives
/// the errors let go of past it, by file.
pub(crate) fn check(
    loaded: &Loaded,
    warnings: bool,
    from: Option<Round>,
    out: &mut Vec<Diagnostic>,
) -> Vec<FileUnlisted> {
    let Some(plan) = PlanIndex::new(loaded, warnings) else {
        return Vec::new();
    };
    let mut by_unit: BTreeMap<&str, Vec<&Report>> = BTreeMap::new();
    for r in &loaded.reports {
        by_unit.entry(r.unit.as_str()).or_default().push(r);
    }
    let mut units: Vec<Vec<&Report>> = by_unit.into_values().collect();
    units.iter_mut().for_each(|reports| reports.sort_by_key(|r| r.round));
    // Each unit's files in round order, each unit alone: on every core, recorded in unit order.
    let cap = crate::check::limits(loaded).diagnostics_per_file;
    let found = crate::par::map(&units, |reports| {
        let (mut found, mut unlisted) = (Vec::new(), Vec::new());
        for (i, r) in reports.iter().enumerate() {
            if from.is_some_and(|f| r.round < f) {
                continue;
            }
            let previous = i.checked_sub(1).map(|p| reports[p]);
            let mut file = Bounded::new(cap);
            plan.check_file(r, previous, &mut file);
            let (diags, let_go) = file.finish();
            found.extend(diags);
            if !let_go.errors.is_empty() {
                unlisted.push((r.file.clone(), let_go.errors));
            }
        }
        (found, unlisted)
    });
    // At its final size: a province's tens of thousands of diagnostics grown by doubling were
    // copied, and fresh memory touched, again and again.
    out.reserve(found.iter().map(|(d, _)| d.len()).sum());
    let mut unlisted = Vec::new();
    for (diags, let_go) in found {
        out.extend(diags);
        unlisted.extend(let_go);
    }
    unlisted
}

/// A file and the errors let go of past its cap: (row, rule).
pub(crate) type FileUnlisted = (String, Vec<(usize, Rule)>);

/// The plan as the report rules look it up: tasks by id and who reports on what.
pub(crate) struct PlanIndex<'a> {
    tasks: BTreeMap<u32, &'a Task>,
    assignments: &'a Assignments,
    /// Whether to run the rules that can only warn.
    warnings: bool,
}

impl<'a> PlanIndex<'a> {
    pub(crate) fn new(loaded: &'a Loaded, warnings: bool) -> Option<PlanIndex<'a>> {
        Some(PlanIndex::of(&loaded.tasks, loaded.assignments()?, warnings))
    }

    pub(crate) fn of(tasks: &'a [Task], assignments: &'a Assignments, warnings: bool) -> PlanIndex<'a> {
        PlanIndex {
            tasks: tasks.iter().map(|t| (t.id.value, t)).collect(),
            assignments,
            warnings,
        }
    }

    /// Whether `rule` runs: every error, and warnings when they were asked for.
    fn runs(&self, rule: Rule) -> bool {
        self.warnings || rule.severity() == Severity::Error
    }

    pub(crate) fn assignments(&self) -> &Assignments {
        self.assignments
    }

    /// The rules for one report on its own (no previous round): for judging earlier versions.
    pub(crate) fn check_one(&self, r: &Report, out: &mut Bounded) {
        self.check_file(r, None, out);
    }

    fn check_file(&self, r: &Report, previous: Option<&Report>, out: &mut Bounded) {
        let roles = self.assignments.roles_of(&r.unit);
        let mut seen: BTreeMap<u32, usize> = BTreeMap::new();
        for row in &r.rows {
            let Some(task) = self.known_task(r, row.row, row.task, out) else {
                continue;
            };
            if roles.role(row.task).is_none() {
                not_assigned(r, row, task, out);
            }
            duplicate_row(r, row, &mut seen, out);
            self.status_agrees(r, row, out);
            self.against_previous(r, row, previous, out);
        }
        self.check_metrics(r, previous, out);
    }

    /// The task a row names, or an unknown-task diagnostic.
    fn known_task(&self, r: &Report, line: usize, task: u32, out: &mut Bounded) -> Option<&'a Task> {
        if let Some(task) = self.tasks.get(&task) {
            return Some(task);
        }
        let last = self.tasks.keys().next_back().copied().unwrap_or(0);
        out.push(
            at(
                r,
                Rule::UnknownTask,
                line,
                Column::Task,
                format!("任务 {task} 不在清单中"),
            )
            .hint(format!("清单任务编号为 1–{last}；核对编号")),
        );
        None
    }

    /// 已完成 below 100%, or 100% without 已完成.
    fn status_agrees(&self, r: &Report, row: &MainRow, out: &mut Bounded) {
        match (row.status, row.progress) {
            (Some(Status::Done), Some(p)) if p < 100.0 => out.push(
                at(
                    r,
                    Rule::DoneBelow100,
                    row.row,
                    Column::Status,
                    format!("状态为已完成，但进度只有 {}%", fmt_num(p)),
                )
                .hint("已完成的任务进度填 100；尚未完成的请把状态改为推进中"),
            ),
            (Some(s), Some(p)) if p >= 100.0 && s != Status::Done && self.runs(Rule::FullNotDone) => out.push(
                at(
                    r,
                    Rule::FullNotDone,
                    row.row,
                    Column::Status,
                    format!("进度已到 100%，状态却是{}", s.label()),
                )
                .hint("若已完成，把状态改为已完成"),
            ),
            _ => {}
        }
    }

    /// Progress that fell, or a 本月进展 copied from the unit's previous file.
    fn against_previous(&self, r: &Report, row: &MainRow, previous: Option<&Report>, out: &mut Bounded) {
        let compared = self.runs(Rule::ProgressDecreased) || self.runs(Rule::CopiedNarrative);
        if let Some(prev) = previous.filter(|_| compared).and_then(|p| p.row(row.task)) {
            if let (Some(now), Some(before)) = (row.progress, prev.progress)
                && now < before
                && self.runs(Rule::ProgressDecreased)
            {
                out.push(
                    at(
                        r,
                        Rule::ProgressDecreased,
                        row.row,
                        Column::Progress,
                        format!(
                            "进度 {}% 低于上一轮（{}）的 {}%",
                            fmt_num(now),
                            previous.map(|p| p.round.to_string()).unwrap_or_default(),
                            fmt_num(before)
                        ),
                    )
                    .hint("进度是累计数，不应下降；核对本轮或上一轮的填报"),
                );
            }
            if self.runs(Rule::CopiedNarrative) && row.copies(prev) {
                out.push(
                    at(
                        r,
                        Rule::CopiedNarrative,
                        row.row,
                        Column::ProgressNote,
                        format!("任务 {} 的本月进展与上一轮完全相同（照抄上月）", row.task),
                    )
                    .hint("写本月新做的工作；确无进展请如实写明原因"),
                );
            }
        }
    }

    fn check_metrics(&self, r: &Report, previous: Option<&Report>, out: &mut Bounded) {
        let roles = self.assignments.roles_of(&r.unit);
        let mut seen: BTreeMap<(u32, &str), usize> = BTreeMap::new();
        for m in &r.metrics {
            duplicate_metric(r, m, &mut seen, out);
            let Some(task) = self.tasks.get(&m.task) else {
                out.push(
                    at(
                        r,
                        Rule::UnknownTask,
                        m.row,
                        Column::Task,
                        format!("任务 {} 不在清单中", m.task),
                    )
                    .hint("核对任务编号"),
                );
                continue;
            };
            if roles.role(m.task).is_none() {
                out.push(
                    at(
                        r,
                        Rule::NotAssigned,
                        m.row,
                        Column::Task,
                        format!("本单位既不牵头也不配合任务 {}，其指标不计入汇总", m.task),
                    )
                    .hint("删去这一行，或核对任务编号"),
                );
            }
            let Some(target) = target_of(r, m, task, out) else {
                continue;
            };
            self.plausible(r, m, target, out);
            self.metric_not_decreased(r, m, previous, out);
        }
    }

    /// An actual far above the unit's share of the target (or the whole target).
    fn plausible(&self, r: &Report, m: &MetricRow, target: &Target, out: &mut Bounded) {
        let goal = target
            .breakdown
            .iter()
            .find(|(name, _)| self.assignments.unit_name(&r.unit).is_some_and(|n| **n == **name))
            .map_or(target.value.value, |(_, b)| b.value);
        if let Some(v) = m
            .actual
            .filter(|v| *v > goal * 3.0 && self.runs(Rule::ImplausibleActual))
        {
            out.push(
                at(
                    r,
                    Rule::ImplausibleActual,
                    m.row,
                    Column::Actual,
                    format!(
                        "「{}」完成值 {} 超过目标值 {} 的 3 倍",
                        m.metric,
                        fmt_num(v),
                        fmt_num(goal)
                    ),
                )
                .hint("完成值填累计数量，单位与目标值一致；确实超额请在本月进展中说明"),
            );
        }
    }

    /// A cumulative actual below the previous round's.
    fn metric_not_decreased(&self, r: &Report, m: &MetricRow, previous: Option<&Report>, out: &mut Bounded) {
        if let (Some(now), Some(prev)) = (
            m.actual,
            previous
                .filter(|_| self.runs(Rule::ProgressDecreased))
                .and_then(|p| p.metric_rows(m.task, &m.metric).next())
                .and_then(|x| x.actual),
        ) && now < prev
        {
            out.push(
                at(
                    r,
                    Rule::ProgressDecreased,
                    m.row,
                    Column::Actual,
                    format!("「{}」完成值 {} 低于上一轮的 {}", m.metric, fmt_num(now), fmt_num(prev)),
                )
                .hint("完成值是累计数，不应下降；核对本轮或上一轮的填报"),
            );
        }
    }
}

/// A row for a task the unit neither leads nor cooperates on.
fn not_assigned(r: &Report, row: &MainRow, task: &Task, out: &mut Bounded) {
    out.push(
        at(
            r,
            Rule::NotAssigned,
            row.row,
            Column::Task,
            format!("本单位既不牵头也不配合任务 {}", row.task),
        )
        .hint(format!(
            "任务 {} 由 {} 牵头；删去这一行，或核对任务编号",
            row.task,
            task.lead_names().collect::<Vec<_>>().join("、")
        )),
    );
}

/// A task's second main row: both rows are diagnostics.
fn duplicate_row(r: &Report, row: &MainRow, seen: &mut BTreeMap<u32, usize>, out: &mut Bounded) {
    match seen.get(&row.task) {
        Some(&first) => {
            // Both rows are left out: which one is right is the unit's call.
            for (at_row, other) in [(first, row.row), (row.row, first)] {
                out.push(
                    at(
                        r,
                        Rule::DuplicateRow,
                        at_row,
                        Column::Task,
                        format!("任务 {} 在第 {other} 行也填了一行", row.task),
                    )
                    .hint("每个任务只填一行主行；两行都不计入研判，合并为一行后再提交"),
                );
            }
        }
        None => {
            seen.insert(row.task, row.row);
        }
    }
}

/// A target's second row: both rows are diagnostics.
fn duplicate_metric<'m>(r: &Report, m: &'m MetricRow, seen: &mut BTreeMap<(u32, &'m str), usize>, out: &mut Bounded) {
    if let Some(first) = seen.insert((m.task, m.metric.as_str()), m.row) {
        for (row, other) in [(first, m.row), (m.row, first)] {
            out.push(
                at(
                    r,
                    Rule::DuplicateMetric,
                    row,
                    Column::Metric,
                    format!("任务 {} 的指标「{}」在第 {other} 行也填了", m.task, m.metric),
                )
                .hint("每个指标只填一行累计完成值；两行都不计入汇总，删去多余的一行"),
            );
        }
    }
}

/// The task's target a row names, or an unknown-metric diagnostic.
fn target_of<'t>(r: &Report, m: &MetricRow, task: &'t Task, out: &mut Bounded) -> Option<&'t Target> {
    if let Some(target) = task.targets.iter().find(|t| t.metric.value == m.metric) {
        return Some(target);
    }
    let names: Vec<String> = task.targets.iter().map(|t| format!("「{}」", t.metric.value)).collect();
    out.push(
        at(
            r,
            Rule::UnknownMetric,
            m.row,
            Column::Metric,
            format!("「{}」不是任务 {} 的指标", m.metric, m.task),
        )
        .hint(if names.is_empty() {
            format!("任务 {} 没有数量指标；删去这一行", m.task)
        } else {
            format!("任务 {} 的指标：{}（照模板原样填写）", m.task, names.join("、"))
        }),
    );
    None
}
