//! A task whose leads' text in one round, joined as the digest joins it (each lead's name before
//! its text), would pass the 32,767 characters Excel holds in a cell: the digest workbook will cut
//! that cell, so `check` says so first, naming the task, the round and the field.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Rule};
use crate::load::Loaded;
use crate::model::template::MAX_CELL_CHARS;
use crate::model::{Role, Round};

/// How a row gives one of its texts.
type Field = fn(&crate::model::RowText) -> &str;

/// The digest's text columns, and how a row gives each.
const FIELDS: [(&str, Field); 3] = [
    ("本月进展", |t| t.progress_note()),
    ("存在问题", |t| t.problems()),
    ("下步计划", |t| t.next_steps()),
];

/// Rounds from `from` on (all with None).
pub(crate) fn check(loaded: &Loaded, from: Option<Round>, out: &mut Vec<Diagnostic>) {
    let Some(assignments) = loaded.assignments() else {
        return;
    };
    let mut sums: BTreeMap<(Round, u32), [usize; 3]> = BTreeMap::new();
    for r in loaded.reports.iter().filter(|r| from.is_none_or(|f| r.round >= f)) {
        let roles = assignments.roles_of(&r.unit);
        let name = assignments.unit_name(&r.unit).map_or(0, |n| n.chars().count() + 2);
        for row in r.rows.iter().filter(|row| roles.role(row.task) == Some(Role::Lead)) {
            let sum = sums.entry((r.round, row.task)).or_default();
            for (i, (_, field)) in FIELDS.iter().enumerate() {
                sum[i] += name + field(&row.text).chars().count();
            }
        }
    }
    for ((round, task), sum) in sums {
        for ((label, _), chars) in FIELDS.iter().zip(sum).filter(|(_, n)| *n > MAX_CELL_CHARS) {
            out.push(
                Diagnostic::new(
                    Rule::DigestCell,
                    format!("tasks/{task:03}.toml"),
                    format!(
                        "第 {task} 项 {round} 轮各牵头单位的「{label}」合计约 {chars} 字，超过 Excel 单元格 {MAX_CELL_CHARS} 字的上限，月度汇总表（XLSX）中将截断"
                    ),
                )
                .hint("请有关单位精简；全文仍见 tracker show 和 CSV 汇总表"),
            );
        }
    }
}
