//! Rules over `tasks/NNN.toml`: ids, units, outline, work item, targets, due dates.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Diagnostic, Rule};
use crate::load::{Loaded, MAX_TASK_ID, TASKS_DIR};
use crate::model::{Located, Plan, Task, Units};
use crate::text::did_you_mean;
use crate::text::fmt_num;

pub(crate) fn check(loaded: &Loaded, out: &mut Vec<Diagnostic>) {
    let files_present: Vec<u32> = loaded
        .sources
        .keys()
        .filter_map(|k| k.strip_prefix("tasks/")?.strip_suffix(".toml")?.parse().ok())
        .collect();
    ids(&loaded.tasks, &files_present, out);
    for task in &loaded.tasks {
        file_name(task, out);
        if task.work.value.trim().is_empty() {
            out.push(
                at(task, Rule::EmptyWork, &task.work, "工作事项 `work` 为空")
                    .hint("从清单原文抄入这一行的工作事项和年度目标成果"),
            );
        }
        targets(task, out);
        if let Some(units) = &loaded.units {
            breakdown_units(task, units, out);
            named_units(task, units, out);
            reporter(task, units, out);
        }
        if let Some(plan) = &loaded.plan {
            in_outline(task, plan, out);
            due_in_plan(task, plan, out);
        }
    }
}

/// Every unit a target is broken down by is a unit's full name.
fn breakdown_units(task: &Task, units: &Units, out: &mut Vec<Diagnostic>) {
    for t in &task.targets {
        for name in t.breakdown.keys() {
            if units.unit_by_name(name).is_none() {
                let close = crate::text::suggest(name, units.canonical_names(), 3);
                out.push(
                    Diagnostic::new(
                        Rule::UnknownUnit,
                        task.file.clone(),
                        format!(
                            "指标「{}」的分解单位「{name}」不是 units.toml 中的单位全称",
                            t.metric.value
                        ),
                    )
                    .at(t.breakdown_line, 1)
                    .hint(did_you_mean(&close, "分解数按单位全称填写，例如 \"乐都区政府\" = 10")),
                );
            }
        }
    }
}

/// `reporter` names one unit (not a group) that is on the task.
fn reporter(task: &Task, units: &Units, out: &mut Vec<Diagnostic>) {
    let Some(r) = &task.reporter else { return };
    let on_task = |u: &crate::model::Unit| {
        task.lead_names()
            .chain(task.cooperating_names())
            .any(|n| units.expand(n).iter().any(|x| x.id == u.id))
    };
    let problem = match units.unit_by_name(&r.value) {
        None => Some("不是 units.toml 中的一个单位（单位组不能报合计）"),
        Some(u) if !on_task(u) => Some("既不牵头也不配合这项任务"),
        Some(_) => None,
    };
    if let Some(why) = problem {
        out.push(
            at(
                task,
                Rule::UnknownUnit,
                r,
                format!("报送合计的单位 `reporter`「{}」{why}", r.value),
            )
            .width(r.value.chars().count() + 2)
            .hint("reporter 写这项任务的一个牵头单位的全称；不写则由首位牵头单位报全市合计"),
        );
    }
}

/// Every lead and cooperating unit is in units.toml.
fn named_units(task: &Task, units: &Units, out: &mut Vec<Diagnostic>) {
    for (role, names) in [("牵头单位", &task.lead), ("配合单位", &task.cooperating)] {
        for name in names {
            if units.resolve(&name.value).is_none() {
                let close = crate::text::suggest(&name.value, units.canonical_names(), 3);
                out.push(
                    at(
                        task,
                        Rule::UnknownUnit,
                        name,
                        format!("{role}「{}」不在 units.toml 中", name.value),
                    )
                    .width(name.value.chars().count() + 2)
                    .hint(did_you_mean(
                        &close,
                        "在 units.toml 中为它加一个单位，或把已有单位的这个写法加入 aliases",
                    )),
                );
            }
        }
    }
}

/// The task's chapter and section are in the plan's outline.
fn in_outline(task: &Task, plan: &Plan, out: &mut Vec<Diagnostic>) {
    match plan.chapter(task.chapter.value) {
        None => out.push(
            at(
                task,
                Rule::UnknownOutline,
                &task.chapter,
                format!("篇章 {} 不在 tracker.toml 的提纲中", task.chapter.value),
            )
            .hint(format!(
                "提纲共有 {} 篇（1–{}）",
                plan.outline.len(),
                plan.outline.len()
            )),
        ),
        Some(ch) if plan.section(ch.number, task.section.value).is_none() => out.push(
            at(
                task,
                Rule::UnknownOutline,
                &task.section,
                format!("第 {} 篇没有第 {} 节", ch.number, task.section.value),
            )
            .hint(format!(
                "第 {} 篇「{}」共有 {} 节",
                ch.number,
                ch.title,
                ch.sections.len()
            )),
        ),
        Some(_) => {}
    }
}

/// The task's due date falls within the plan.
fn due_in_plan(task: &Task, plan: &Plan, out: &mut Vec<Diagnostic>) {
    let due = task.due.value;
    if due < plan.start || due > plan.end {
        out.push(
            at(
                task,
                Rule::DueOutsidePlan,
                &task.due,
                format!("完成时限 {due} 不在计划期 {} 至 {} 内", plan.start, plan.end),
            )
            .width(10)
            .hint("改正日期，或在 tracker.toml 的 [plan] 中调整 start/end"),
        );
    }
}

fn at<T>(task: &Task, rule: Rule, loc: &Located<T>, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(rule, task.file.clone(), message).at(loc.line, loc.col)
}

fn file_name(task: &Task, out: &mut Vec<Diagnostic>) {
    let stem = task
        .file
        .trim_start_matches(&format!("{TASKS_DIR}/"))
        .trim_end_matches(".toml");
    let expected = format!("{:03}", task.id.value);
    if stem.parse::<u32>().is_err() {
        out.push(
            Diagnostic::new(
                Rule::TaskFileName,
                task.file.clone(),
                format!("文件名「{stem}.toml」不是任务编号"),
            )
            .hint(format!("改名为 {TASKS_DIR}/{expected}.toml")),
        );
    } else if stem != expected {
        out.push(
            at(
                task,
                Rule::IdMismatch,
                &task.id,
                format!("id = {} 与文件名 {stem}.toml 不一致", task.id.value),
            )
            .hint(format!(
                "若编号正确，把文件改名为 {expected}.toml；否则把 id 改为 {}",
                stem.trim_start_matches('0')
            )),
        );
    }
}

/// Duplicate ids, and gaps: an id is present when a task has it or a file is named for it
/// (a file that failed to parse is reported by its own diagnostic, not as missing).
fn ids(tasks: &[Task], files_present: &[u32], out: &mut Vec<Diagnostic>) {
    let mut by_id: BTreeMap<u32, &Task> = BTreeMap::new();
    for t in tasks {
        if let Some(first) = by_id.get(&t.id.value) {
            out.push(
                at(
                    t,
                    Rule::DuplicateId,
                    &t.id,
                    format!("任务编号 {} 已由 {} 使用", t.id.value, first.file),
                )
                .hint("每个任务编号只能出现一次；改正其中一个文件的 id"),
            );
        } else {
            by_id.insert(t.id.value, t);
        }
    }
    // Ids are at most MAX_TASK_ID (loading refuses others), so this stays small and linear.
    let present: BTreeSet<u32> = by_id.keys().chain(files_present).copied().collect();
    let Some(max) = present.last().copied().filter(|m| *m <= MAX_TASK_ID) else {
        return;
    };
    let missing: Vec<u32> = (1..=max).filter(|i| !present.contains(i)).collect();
    if !missing.is_empty() {
        let mut shown: Vec<String> = missing.iter().take(20).map(|i| format!("{i:03}")).collect();
        if missing.len() > 20 {
            shown.push(format!("等共 {} 个", missing.len()));
        }
        out.push(
            Diagnostic::new(
                Rule::MissingId,
                format!("{TASKS_DIR}/"),
                format!("缺少任务编号 {}", shown.join("、")),
            )
            .hint("编号应从 1 起连续；补上缺失的任务文件（tracker import 可重新生成）"),
        );
    }
}

fn targets(task: &Task, out: &mut Vec<Diagnostic>) {
    for t in &task.targets {
        if !(t.value.value > 0.0 && t.value.value.is_finite()) {
            out.push(
                at(
                    task,
                    Rule::TargetValue,
                    &t.value,
                    format!("指标「{}」的目标值 {} 不大于 0", t.metric.value, t.value.value),
                )
                .hint("目标值应为正数；没有数量目标时删去这个 [[target]]"),
            );
        }
        for (name, share) in &t.breakdown {
            if !(share.value >= 0.0 && share.value.is_finite()) {
                out.push(
                    at(
                        task,
                        Rule::TargetValue,
                        share,
                        format!("「{name}」的分解数 {} 不是非负数", share.value),
                    )
                    .hint("分解数写各单位的目标数量，例如 10"),
                );
            }
        }
        if !t.breakdown.is_empty() && t.value.value > 0.0 {
            let sum: f64 = t.breakdown.values().map(|v| v.value).sum();
            if (sum - t.value.value).abs() > 1e-6 {
                out.push(
                    Diagnostic::new(
                        Rule::BreakdownSum,
                        task.file.clone(),
                        format!(
                            "指标「{}」的分解数之和 {} 不等于目标值 {}",
                            t.metric.value,
                            fmt_num(sum),
                            fmt_num(t.value.value)
                        ),
                    )
                    .at(t.breakdown_line, 1)
                    .hint("核对清单原文的分解数；各单位之和应等于总目标"),
                );
            }
        }
    }
}
