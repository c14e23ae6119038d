//! `tracker import`: the source document's text -> outline, task files and a list of every row
//! that needed a judgement or could not be resolved.

pub mod corrections;
pub mod document;
mod rows;
pub mod table;
pub mod targets;
mod unit_cells;
pub mod write;

use chrono::NaiveDate;

use crate::model::{Chapter, Units};
pub use corrections::Corrections;
pub use document::DocMeta;
use targets::ParsedTarget;

#[derive(Debug, Clone)]
pub struct ImportedTask {
    pub id: u32,
    pub line: usize,
    pub chapter: u32,
    pub section: u32,
    pub key_task: String,
    pub label: Option<String>,
    pub work: String,
    pub lead: Vec<String>,
    pub cooperating: Vec<String>,
    pub due: NaiveDate,
    pub notes: Vec<String>,
    pub targets: Vec<ParsedTarget>,
}

#[derive(Debug)]
pub struct Import {
    pub meta: DocMeta,
    pub outline: Vec<Chapter>,
    pub tasks: Vec<ImportedTask>,
    /// `(line in the seed, message)` for every row the importer could not settle.
    pub unresolved: Vec<(usize, String)>,
}

/// Where the text came from: the PDF's text, where lead and cooperating units may run together in
/// one cell, or a table, whose columns keep them apart (an empty 配合单位 cell is just empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Document,
    Table,
}

pub fn import(text: &str, corrections: &Corrections, units: &Units) -> Import {
    import_from(text, corrections, units, Source::Document)
}

pub fn import_from(text: &str, corrections: &Corrections, units: &Units, source: Source) -> Import {
    let doc = document::parse(text);
    let year = doc.meta.year.unwrap_or(2024);
    let default_due = NaiveDate::from_ymd_opt(year, 12, 31).expect("valid date");
    let by_task = corrections.by_task();
    let mut unresolved: Vec<(usize, String)> = doc
        .stray
        .iter()
        .map(|(l, t)| (*l, format!("无法识别的表格行：{t}")))
        .collect();
    let mut tasks = Vec::new();
    let mut expected_id = 1;
    for row in rows::interpret(&doc.rows) {
        if row.id != expected_id {
            unresolved.push((row.line, format!("序号 {} 处应为 {expected_id}（跳号或重号）", row.id)));
        }
        expected_id = row.id + 1;
        let mut notes = row.notes.clone();
        let fix = by_task.get(&row.id).copied();
        let fixed = |field: &str| format!("更正：{field}（{}）", fix.map_or("", |f| f.why.as_str()));
        let mut key_task = row.key_task.clone().unwrap_or_default();
        if let Some(k) = fix.and_then(|f| f.key_task.clone()) {
            notes.push(fixed(&format!("重点任务改为「{k}」")));
            key_task = k;
        }
        let mut label = row.label.clone();
        if let Some(l) = fix.and_then(|f| f.label.clone()) {
            notes.push(fixed(&format!("第三级标签改为「{l}」")));
            label = (!l.is_empty()).then_some(l);
        }
        let mut work = row.work.clone();
        if let Some(w) = fix.and_then(|f| f.work.clone()) {
            notes.push(fixed("工作事项按更正文本"));
            work = w;
        }
        let cells: Vec<_> = row.unit_cells.iter().map(|c| unit_cells::read(c, units)).collect();
        let mut lead = cells.first().map(|c| c.names.clone()).unwrap_or_default();
        let mut cooperating = cells.get(1).map(|c| c.names.clone()).unwrap_or_default();
        let mut unknown: Vec<String> = cells.iter().flat_map(|c| c.unresolved.clone()).collect();
        for c in &cells {
            notes.extend(c.notes.iter().cloned());
        }
        let run_together = source == Source::Document && cells.len() == 1 && lead.len() > 1;
        let (fix_lead, fix_coop) = (
            fix.and_then(|f| f.lead.clone()),
            fix.and_then(|f| f.cooperating.clone()),
        );
        if fix_lead.is_some() || fix_coop.is_some() {
            if let Some(l) = fix_lead {
                let read = unit_cells::read(&l.join("、"), units);
                unknown.extend(read.unresolved);
                lead = read.names;
            }
            if let Some(c) = fix_coop {
                let read = unit_cells::read(&c.join("、"), units);
                unknown.extend(read.unresolved);
                cooperating = read.names;
            }
            notes.push(fixed(&format!(
                "牵头单位 {}；配合单位 {}",
                lead.join("、"),
                or_none(&cooperating)
            )));
        } else if run_together {
            unresolved.push((
                row.line,
                format!(
                    "第 {} 项：牵头与配合单位挤在同一栏（{}），无法区分；请在更正文件中写明 lead 与 cooperating",
                    row.id,
                    lead.join("、")
                ),
            ));
        } else if cells.len() == 1 && !lead.is_empty() {
            notes.push("原文配合单位栏为空".to_string());
        }
        let before = cooperating.len();
        cooperating.retain(|c| !lead.contains(c));
        if cooperating.len() < before {
            notes.push("配合单位中与牵头单位相同的单位已去掉（牵头单位已负总责）".to_string());
        }
        for name in unknown {
            unresolved.push((
                row.line,
                format!(
                    "第 {} 项：单位「{name}」不在单位名录中；请在 units.toml 中新增，或加为已有单位的别名",
                    row.id
                ),
            ));
        }
        for p in &row.problems {
            unresolved.push((row.line, format!("第 {} 项：{p}", row.id)));
        }
        let mut due = default_due;
        if let Some(later) = later_year_end(&work, year) {
            due = later;
            notes.push(format!(
                "工作事项写明“{} 年底前”，完成时限记为 {later}",
                later.format("%Y")
            ));
        }
        if let Some(d) = fix.and_then(|f| f.due.as_ref()).and_then(crate::load::to_date) {
            notes.push(fixed(&format!("完成时限改为 {d}")));
            due = d;
        }
        let mut targets = targets::extract(&work, units);
        if let Some(drop) = fix.and_then(|f| f.drop_targets.clone()) {
            targets.retain(|t| !drop.contains(&t.metric));
            notes.push(fixed(&format!("不作为年度指标：{}", drop.join("、"))));
        }
        for (from, to) in fix.and_then(|f| f.rename_targets.clone()).unwrap_or_default() {
            match targets.iter_mut().find(|t| t.metric == from) {
                Some(t) => {
                    t.metric = to.clone();
                    notes.push(fixed(&format!("指标「{from}」改称「{to}」")));
                }
                None => unresolved.push((
                    row.line,
                    format!("第 {} 项：更正文件要改名的指标「{from}」不存在", row.id),
                )),
            }
        }
        tasks.push(ImportedTask {
            id: row.id,
            line: row.line,
            chapter: row.chapter,
            section: row.section,
            key_task,
            label,
            work,
            lead,
            cooperating,
            due,
            notes,
            targets,
        });
    }
    for c in &corrections.row {
        if !tasks.iter().any(|t| t.id == c.task) {
            unresolved.push((0, format!("更正文件提到第 {} 项，但清单中没有这一项", c.task)));
        }
    }
    Import {
        meta: doc.meta,
        outline: doc.outline,
        tasks,
        unresolved,
    }
}

fn or_none(names: &[String]) -> String {
    if names.is_empty() {
        "无".to_string()
    } else {
        names.join("、")
    }
}

/// `2025 年底前` in a list for 2024 -> 2025-12-31.
fn later_year_end(work: &str, plan_year: i32) -> Option<NaiveDate> {
    let compact: String = work.chars().filter(|c| !c.is_whitespace()).collect();
    let mut latest = None;
    for (pos, _) in compact.match_indices("年底前") {
        let digits: String = compact[..pos].chars().rev().take_while(char::is_ascii_digit).collect();
        if digits.len() == 4 {
            let year: i32 = digits.chars().rev().collect::<String>().parse().ok()?;
            if year > plan_year {
                latest = latest.max(NaiveDate::from_ymd_opt(year, 12, 31));
            }
        }
    }
    latest
}
