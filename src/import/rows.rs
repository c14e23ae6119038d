//! Interprets table rows: which cell is the label, the work item and the units, how merged cells
//! carry labels across rows, and every judgement made, as a note on the row.

use super::document::RawRow;
use super::unit_cells;
use crate::text::join_cjk_lines;

/// A row after layout decisions, before units are resolved.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub id: u32,
    pub line: usize,
    pub chapter: u32,
    pub section: u32,
    pub key_task: Option<String>,
    pub label: Option<String>,
    pub work: String,
    /// The unit cells, in order: lead, then cooperating.
    pub unit_cells: Vec<String>,
    pub notes: Vec<String>,
    pub problems: Vec<String>,
}

/// OCR turns 一 into a dash: `大通—互助— 体化` is `大通—互助一体化`.
fn fix_ocr(s: &str, notes: &mut Vec<String>) -> String {
    if s.contains("— 体化") {
        notes.push("原文“— 体化”为 PDF 识别错误，改为“一体化”".to_string());
        s.replace("— 体化", "一体化")
    } else {
        s.to_string()
    }
}

/// How many label columns (重点任务, third-level label) a section's rows use: 2 when any row fills both.
fn section_layout(rows: &[&RawRow]) -> usize {
    let has_third = rows.iter().any(|r| {
        let (labels, _, _) = split_cells(&r.cells);
        labels.len() >= 2 && !labels[0].is_empty() && !labels[1].is_empty()
    });
    if has_third { 2 } else { 1 }
}

/// Splits a row's cells into (label cells, work item, unit cells), reading unit columns from the end.
fn split_cells(cells: &[String]) -> (Vec<String>, String, Vec<String>) {
    let mut end = cells.len();
    let mut units = Vec::new();
    while end > 1 && units.len() < 2 && unit_cells::looks_like_units(&cells[end - 1]) {
        units.insert(0, cells[end - 1].clone());
        end -= 1;
    }
    let work = end.checked_sub(1).map(|i| cells[i].clone()).unwrap_or_default();
    let labels = cells[..end.saturating_sub(1)].to_vec();
    (labels, work, units)
}

pub(crate) fn interpret(raw: &[RawRow]) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let (ch, sec) = (raw[i].chapter, raw[i].section);
        let block: Vec<&RawRow> = raw[i..]
            .iter()
            .take_while(|r| r.chapter == ch && r.section == sec)
            .collect();
        i += block.len();
        section(&block, &mut out);
    }
    for row in &mut out {
        if row.work.is_empty() {
            row.problems.push("找不到工作事项".to_string());
        }
        if row.unit_cells.is_empty() {
            row.problems.push("找不到牵头单位".to_string());
        }
    }
    out
}

/// The labels in force while a section's rows are read: the key task (重点任务) and the third
/// level, as merged cells carry them down the rows.
struct Labels {
    /// How many label columns the section has (1 or 2).
    layout: usize,
    key: Option<String>,
    third: Option<String>,
}

impl Labels {
    /// Takes a row's label cells; what it decided goes into `notes`.
    fn read(&mut self, labels: &[String], notes: &mut Vec<String>) {
        let given_key = labels.first().filter(|l| !l.is_empty()).cloned();
        if labels.len() > self.layout {
            let shifted = labels.iter().rev().find(|l| !l.is_empty()).cloned();
            if let Some(label) = &shifted {
                notes.push(format!("「{label}」印在工作事项栏（本行各栏右移一栏），按重点任务处理"));
                self.key = Some(label.clone());
                self.third = None;
            }
            return;
        }
        if let Some(k) = given_key {
            if self.key.as_ref() != Some(&k) {
                self.third = None;
            }
            self.key = Some(k);
        }
        if self.layout == 2 {
            match labels.get(1).filter(|l| !l.is_empty()) {
                Some(t) => self.third = Some(t.clone()),
                None if labels.len() < 2 => {
                    if let Some(prev) = self.third.take() {
                        notes.push(format!("工作事项跨占第三级标签栏，不归入「{prev}」"));
                    }
                }
                None => {}
            }
        }
    }
}

/// One section's rows into `out`. Rows before the section's first key-task label take the label
/// printed further down (a merged cell), or are a problem when there is none.
fn section(block: &[&RawRow], out: &mut Vec<Row>) {
    let mut labels = Labels {
        layout: section_layout(block),
        key: None,
        third: None,
    };
    let mut waiting: Vec<usize> = Vec::new(); // rows before the section's first label
    for r in block {
        let mut notes = Vec::new();
        let (cells, work, units) = split_cells(&r.cells);
        let cells: Vec<String> = cells.iter().map(|l| fix_ocr(&join_cjk_lines(l), &mut notes)).collect();
        labels.read(&cells, &mut notes);
        let row = Row {
            id: r.id,
            line: r.line,
            chapter: r.chapter,
            section: r.section,
            key_task: labels.key.clone(),
            label: labels.third.clone(),
            work: fix_ocr(&join_cjk_lines(&work), &mut notes),
            unit_cells: units,
            notes,
            problems: Vec::new(),
        };
        match &labels.key {
            None => waiting.push(out.len()),
            Some(label) => {
                for w in waiting.drain(..) {
                    out[w].key_task = Some(label.clone());
                    out[w].notes.push(format!(
                        "本行重点任务栏为空，合并单元格的标签「{label}」印在本块中间的第 {} 项，归入该块",
                        r.id
                    ));
                }
            }
        }
        out.push(row);
    }
    for w in waiting {
        out[w]
            .problems
            .push("本节开头几行没有重点任务标签，后面也没有可归入的标签".to_string());
    }
}
