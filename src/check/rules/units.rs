//! Rules over `units.toml`: safe ids, unique names, known group members.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Rule};
use crate::load::UNITS_FILE;
use crate::model::Units;

const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "lpt1", "lpt2", "lpt3",
];

pub fn is_safe_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('a'..='z'))
        && id.len() <= 32
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '-' | '_'))
        && !RESERVED.contains(&id)
}

pub fn check(units: &Units, out: &mut Vec<Diagnostic>) {
    let entries = units
        .units
        .iter()
        .map(|u| (u.id.as_str(), u.name.as_str(), &u.aliases, u.line))
        .chain(
            units
                .groups
                .iter()
                .map(|g| (g.id.as_str(), g.name.as_str(), &g.aliases, g.line)),
        );
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (id, name, aliases, line) in entries {
        if !is_safe_id(id) {
            out.push(
                Diagnostic::new(
                    Rule::UnsafeUnitId,
                    UNITS_FILE,
                    format!("单位「{name}」的 id「{id}」不能安全地用作文件名"),
                )
                .at(line, 1)
                .hint("id 用小写字母开头，只含小写字母、数字、- 和 _，不超过 32 个字符，例如 jtj"),
            );
        }
        for key in std::iter::once(id)
            .chain(std::iter::once(name))
            .chain(aliases.iter().map(String::as_str))
        {
            if let Some(other) = seen.insert(key, name) {
                if other != name {
                    out.push(
                        Diagnostic::new(
                            Rule::DuplicateUnit,
                            UNITS_FILE,
                            format!("「{key}」同时指向「{other}」和「{name}」"),
                        )
                        .at(line, 1)
                        .hint("每个 id、名称、别名只能属于一个单位；删去或改掉其中一个"),
                    );
                }
            }
        }
    }
    for g in &units.groups {
        for m in &g.members {
            if units.unit_by_id(m).is_none() {
                let close = crate::text::suggest(m, units.units.iter().map(|u| u.id.as_str()), 3);
                out.push(
                    Diagnostic::new(
                        Rule::UnknownMember,
                        UNITS_FILE,
                        format!("单位组「{}」的成员「{m}」不是已知的单位 id", g.name),
                    )
                    .at(g.line, 1)
                    .hint(did_you_mean(&close, "members 中填单位的 id（不是名称）")),
                );
            }
        }
    }
}

/// "是否为「a」或「b」？" when there are suggestions, otherwise the fallback advice.
pub fn did_you_mean(close: &[&str], otherwise: &str) -> String {
    if close.is_empty() {
        otherwise.to_string()
    } else {
        let quoted: Vec<String> = close.iter().map(|c| format!("「{c}」")).collect();
        format!("是否为{}？", quoted.join("或"))
    }
}
