//! `tracker import`: the source document's text -> outline, task files and a list of every row
//! that needed a judgement or could not be resolved.

pub(crate) mod corrections;
pub(crate) mod document;
mod rows;
pub(crate) mod table;
pub(crate) mod targets;
mod unit_cells;
pub(crate) mod write;

use chrono::NaiveDate;

use crate::model::{Chapter, Units};
pub(crate) use corrections::Corrections;
pub(crate) use document::DocMeta;
use targets::ParsedTarget;

#[derive(Debug, Clone)]
pub(crate) struct ImportedTask {
    pub id: u32,
    pub line: usize,
    pub chapter: u32,
    pub section: u32,
    pub key_task: String,
    pub label: Option<String>,
    pub work: String,
    pub lead: Vec<String>,
    pub cooperating: Vec<String>,
    /// `reporter` from the corrections: who reports each target's total.
    pub reporter: Option<String>,
    pub due: NaiveDate,
    pub notes: Vec<String>,
    pub targets: Vec<ParsedTarget>,
}

#[derive(Debug)]
pub(crate) struct Import {
    pub meta: DocMeta,
    pub outline: Vec<Chapter>,
    pub tasks: Vec<ImportedTask>,
    /// `(line in the seed, message)` for every row the importer could not settle.
    pub unresolved: Vec<(usize, String)>,
}

/// Where the text came from: the PDF's text, where lead and cooperating units may run together in
/// one cell, or a table, whose columns keep them apart (an empty 配合单位 cell is just empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Document,
    Table,
}

pub(crate) fn import_from(text: &str, corrections: &Corrections, units: &Units, source: Source) -> Import {
    let doc = document::parse(text);
    let year = doc.meta.year.unwrap_or(2024);
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
        let import = RowImport {
            row: &row,
            fix: by_task.get(&row.id).copied(),
            units,
            source,
            year,
            notes: row.notes.clone(),
            unresolved: &mut unresolved,
        };
        tasks.push(import.task());
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

/// One row of the list made a task: its text, units, due date and targets, each with the
/// correction that applies to it; what it decided in `notes`, what it could not in `unresolved`.
struct RowImport<'a> {
    row: &'a rows::Row,
    fix: Option<&'a corrections::Correction>,
    units: &'a Units,
    source: Source,
    year: i32,
    notes: Vec<String>,
    unresolved: &'a mut Vec<(usize, String)>,
}

impl RowImport<'_> {
    fn task(mut self) -> ImportedTask {
        let (key_task, label, work) = self.texts();
        let (lead, cooperating) = self.unit_lists();
        for p in &self.row.problems {
            self.unresolved
                .push((self.row.line, format!("第 {} 项：{p}", self.row.id)));
        }
        let due = self.due(&work);
        let targets = self.targets(&work);
        let reporter = self.fix.and_then(|f| f.reporter.clone());
        if let Some(r) = &reporter {
            let note = self.fixed(&format!("由 {r} 报各指标的全市合计"));
            self.notes.push(note);
        }
        let row = self.row;
        ImportedTask {
            id: row.id,
            line: row.line,
            chapter: row.chapter,
            section: row.section,
            key_task,
            label,
            work,
            lead,
            cooperating,
            reporter,
            due,
            notes: self.notes,
            targets,
        }
    }

    /// A note that a correction was applied, with its reason.
    fn fixed(&self, field: &str) -> String {
        format!("更正：{field}（{}）", self.fix.map_or("", |f| f.why.as_str()))
    }

    /// 重点任务, the third-level label and 工作事项, as corrected.
    fn texts(&mut self) -> (String, Option<String>, String) {
        let fix = self.fix;
        let mut key_task = self.row.key_task.clone().unwrap_or_default();
        if let Some(k) = fix.and_then(|f| f.key_task.clone()) {
            self.notes.push(self.fixed(&format!("重点任务改为「{k}」")));
            key_task = k;
        }
        let mut label = self.row.label.clone();
        if let Some(l) = fix.and_then(|f| f.label.clone()) {
            self.notes.push(self.fixed(&format!("第三级标签改为「{l}」")));
            label = (!l.is_empty()).then_some(l);
        }
        let mut work = self.row.work.clone();
        if let Some(w) = fix.and_then(|f| f.work.clone()) {
            self.notes.push(self.fixed("工作事项按更正文本"));
            work = w;
        }
        (key_task, label, work)
    }

    /// The lead and cooperating units, as read from the cells or corrected; a unit not in the
    /// directory, or lead and cooperating units run together, is unresolved.
    fn unit_lists(&mut self) -> (Vec<String>, Vec<String>) {
        let (row, fix, units) = (self.row, self.fix, self.units);
        let cells: Vec<_> = row.unit_cells.iter().map(|c| unit_cells::read(c, units)).collect();
        let mut lead = cells.first().map(|c| c.names.clone()).unwrap_or_default();
        let mut cooperating = cells.get(1).map(|c| c.names.clone()).unwrap_or_default();
        let mut unknown: Vec<String> = cells.iter().flat_map(|c| c.unresolved.clone()).collect();
        for c in &cells {
            self.notes.extend(c.notes.iter().cloned());
        }
        let run_together = self.source == Source::Document && cells.len() == 1 && lead.len() > 1;
        let (fix_lead, fix_coop) = (
            fix.and_then(|f| f.lead.clone()),
            fix.and_then(|f| f.cooperating.clone()),
        );
        if fix_lead.is_some() || fix_coop.is_some() {
            for (fixed, list) in [(fix_lead, &mut lead), (fix_coop, &mut cooperating)] {
                if let Some(names) = fixed {
                    let read = unit_cells::read(&names.join("、"), units);
                    unknown.extend(read.unresolved);
                    *list = read.names;
                }
            }
            let said = format!("牵头单位 {}；配合单位 {}", lead.join("、"), or_none(&cooperating));
            self.notes.push(self.fixed(&said));
        } else if run_together {
            self.unresolved.push((
                row.line,
                format!(
                    "第 {} 项：牵头与配合单位挤在同一栏（{}），无法区分；请在更正文件中写明 lead 与 cooperating",
                    row.id,
                    lead.join("、")
                ),
            ));
        } else if cells.len() == 1 && !lead.is_empty() {
            self.notes.push("原文配合单位栏为空".to_string());
        }
        let before = cooperating.len();
        cooperating.retain(|c| !lead.contains(c));
        if cooperating.len() < before {
            self.notes
                .push("配合单位中与牵头单位相同的单位已去掉（牵头单位已负总责）".to_string());
        }
        for name in unknown {
            self.unresolved.push((
                row.line,
                format!(
                    "第 {} 项：单位「{name}」不在单位名录中；请在 units.toml 中新增，或加为已有单位的别名",
                    row.id
                ),
            ));
        }
        (lead, cooperating)
    }

    /// The year's end, a later year's end the work names, or the corrected date.
    fn due(&mut self, work: &str) -> NaiveDate {
        let mut due = NaiveDate::from_ymd_opt(self.year, 12, 31).unwrap_or_default();
        if let Some(later) = later_year_end(work, self.year) {
            due = later;
            self.notes.push(format!(
                "工作事项写明“{} 年底前”，完成时限记为 {later}",
                later.format("%Y")
            ));
        }
        if let Some(d) = self.fix.and_then(|f| f.due.as_ref()).and_then(crate::load::to_date) {
            self.notes.push(self.fixed(&format!("完成时限改为 {d}")));
            due = d;
        }
        due
    }

    /// The targets the work states, less those the corrections drop, renamed as they say.
    fn targets(&mut self, work: &str) -> Vec<ParsedTarget> {
        let fix = self.fix;
        let mut targets = targets::extract(work, self.units);
        if let Some(drop) = fix.and_then(|f| f.drop_targets.clone()) {
            targets.retain(|t| !drop.contains(&t.metric));
            self.notes
                .push(self.fixed(&format!("不作为年度指标：{}", drop.join("、"))));
        }
        for (from, to) in fix.and_then(|f| f.rename_targets.clone()).unwrap_or_default() {
            match targets.iter_mut().find(|t| t.metric == from) {
                Some(t) => {
                    t.metric = to.clone();
                    self.notes.push(self.fixed(&format!("指标「{from}」改称「{to}」")));
                }
                None => self.unresolved.push((
                    self.row.line,
                    format!("第 {} 项：更正文件要改名的指标「{from}」不存在", self.row.id),
                )),
            }
        }
        targets
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
