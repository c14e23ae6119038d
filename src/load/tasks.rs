//! `tasks/NNN.toml` -> [`Task`].

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use super::toml_file;
use crate::diagnostic::Source;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Located, Target, Task};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskFile {
    id: Spanned<u32>,
    chapter: Spanned<u32>,
    section: Spanned<u32>,
    key_task: Arc<str>,
    #[serde(default)]
    label: Option<String>,
    work: Spanned<Arc<str>>,
    lead: Spanned<Vec<Spanned<Arc<str>>>>,
    #[serde(default)]
    cooperating: Vec<Spanned<Arc<str>>>,
    /// The unit that reports each target's total (全市合计); by default the first lead.
    #[serde(default)]
    reporter: Option<Spanned<String>>,
    due: Spanned<Datetime>,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    target: Vec<Spanned<TargetFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetFile {
    metric: Spanned<String>,
    value: Spanned<f64>,
    unit: String,
    #[serde(default)]
    breakdown: Option<Spanned<BTreeMap<String, Spanned<f64>>>>,
}

/// Task ids are 1–99999: a city's list has hundreds of tasks, a province's tens of thousands, and
/// an id names a file `NNN.toml` (at least three digits).
pub(crate) const MAX_TASK_ID: u32 = 99_999;

pub fn load(src: &Source) -> Result<Task, Diagnostic> {
    let file: TaskFile = toml_file::parse(src)?;
    let invalid = |span: std::ops::Range<usize>, message: String, hint: &str| {
        let (line, col) = src.position(span.start);
        Diagnostic::new(Rule::InvalidValue, src.path.clone(), message)
            .at(line, col)
            .width(src.char_len(&span))
            .hint(hint)
    };
    let id = *file.id.get_ref();
    if !(1..=MAX_TASK_ID).contains(&id) {
        return Err(invalid(
            file.id.span(),
            format!("任务编号 {id} 不在 1–{MAX_TASK_ID} 之间"),
            "id 写清单中的序号，例如 id = 30",
        ));
    }
    if file.lead.get_ref().is_empty() {
        return Err(invalid(
            file.lead.span(),
            "牵头单位 `lead` 为空：每项任务至少有一个牵头单位".to_string(),
            "从清单原文的牵头单位栏抄入，例如 lead = [\"市交通运输局\"]",
        ));
    }
    let due_span = file.due.span();
    let due = super::plan::to_date(file.due.get_ref()).ok_or_else(|| {
        let (line, col) = src.position(due_span.start);
        Diagnostic::new(Rule::InvalidValue, src.path.clone(), "`due` 应是日期")
            .at(line, col)
            .width(src.char_len(&due_span))
            .hint("写成 due = 2024-12-31（不加引号）")
    })?;
    let (due_line, due_col) = src.position(due_span.start);
    let targets = file
        .target
        .into_iter()
        .map(|t| {
            let (tline, _) = src.position(t.span().start);
            let t = t.into_inner();
            let (breakdown, breakdown_line) = match t.breakdown {
                Some(b) => {
                    let line = src.position(b.span().start).0;
                    (
                        b.into_inner().into_iter().map(|(k, v)| (k, locate(src, v))).collect(),
                        line,
                    )
                }
                None => (BTreeMap::new(), tline),
            };
            Target {
                metric: locate(src, t.metric),
                value: locate(src, t.value),
                unit: t.unit,
                breakdown,
                breakdown_line,
            }
        })
        .collect();
    Ok(Task {
        file: src.path.clone(),
        id: locate(src, file.id),
        chapter: locate(src, file.chapter),
        section: locate(src, file.section),
        key_task: file.key_task,
        label: file.label,
        work: locate(src, file.work),
        lead: file.lead.into_inner().into_iter().map(|l| locate(src, l)).collect(),
        cooperating: file.cooperating.into_iter().map(|l| locate(src, l)).collect(),
        reporter: file.reporter.map(|r| locate(src, r)),
        due: Located {
            value: due,
            line: due_line,
            col: due_col,
        },
        notes: file.notes,
        targets,
    })
}

/// Makes every task that names a unit share one copy of the name: a province's 20,000 tasks
/// name its 512 units about 60,000 times.
pub(crate) fn share_unit_names(tasks: &mut [Task]) {
    let mut names: HashSet<Arc<str>> = HashSet::new();
    for named in tasks
        .iter_mut()
        .flat_map(|t| t.lead.iter_mut().chain(&mut t.cooperating))
    {
        match names.get(&*named.value) {
            Some(shared) => named.value = shared.clone(),
            None => {
                names.insert(named.value.clone());
            }
        }
    }
}

/// A TOML value with the line:column where it stands.
fn locate<T>(src: &Source, spanned: toml::Spanned<T>) -> Located<T> {
    let (line, col) = src.position(spanned.span().start);
    Located {
        value: spanned.into_inner(),
        line,
        col,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: u32, lead: &str, cooperating: &str) -> Task {
        let text = format!(
            "id = {id}\nchapter = 1\nsection = 1\nkey_task = \"k\"\nwork = \"w\"\nlead = [\"{lead}\"]\n\
             cooperating = [\"{cooperating}\"]\ndue = 2024-12-31\n"
        );
        load(&Source::new(format!("tasks/{id:03}.toml"), text)).unwrap()
    }

    #[test]
    fn tasks_share_one_copy_of_each_unit_name() {
        let mut tasks = [task(1, "市财政局", "市交通运输局"), task(2, "市交通运输局", "市财政局")];
        assert!(!Arc::ptr_eq(&tasks[0].lead[0].value, &tasks[1].cooperating[0].value));
        share_unit_names(&mut tasks);
        assert!(Arc::ptr_eq(&tasks[0].lead[0].value, &tasks[1].cooperating[0].value));
        assert!(Arc::ptr_eq(&tasks[0].cooperating[0].value, &tasks[1].lead[0].value));
        assert_eq!(tasks[1].lead_names().collect::<Vec<_>>(), ["市交通运输局"]);
    }
}
