//! Splits a 牵头单位/配合单位 cell into unit names and resolves each against the registry.

use crate::model::Units;

const SUFFIXES: &[&str] = &[
    "局",
    "委",
    "政府",
    "管委会",
    "公司",
    "集团",
    "中心",
    "医院",
    "县",
    "区",
    "委员会",
    "办",
];
/// Written after a list of counties: their own park committees, which the counties answer for.
const PARK_SUFFIX: &str = "及园区管委会";

/// The raw tokens of a cell: split on spaces, 、，,；.
pub(crate) fn tokens(cell: &str) -> Vec<String> {
    cell.split(|c: char| c.is_whitespace() || "、，,；;".contains(c))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// True when every token of the cell reads as a unit name (so the cell is a unit column).
pub(crate) fn looks_like_units(cell: &str) -> bool {
    let toks = tokens(cell);
    !toks.is_empty()
        && toks.iter().all(|t| {
            t.chars().count() <= 24 && SUFFIXES.iter().any(|s| t.ends_with(s)) && !t.contains(['。', '《', '“'])
        })
}

/// The result of reading one unit cell.
#[derive(Debug, Default)]
pub(crate) struct UnitCell {
    /// Canonical names (or the raw text where a name could not be resolved).
    pub names: Vec<String>,
    pub notes: Vec<String>,
    pub unresolved: Vec<String>,
}

pub(crate) fn read(cell: &str, units: &Units) -> UnitCell {
    let mut out = UnitCell::default();
    for tok in tokens(cell) {
        let mut name = tok.clone();
        if name.contains(PARK_SUFFIX) {
            name = name.replace(PARK_SUFFIX, "");
            out.notes.push(format!(
                "「{tok}」中的“及园区管委会”指各县区自己的园区管委会，未单列为单位，由所属县区政府一并报送"
            ));
            if name.is_empty() {
                continue;
            }
        }
        match units.resolve(&name) {
            Some(r) => {
                let canonical = r.name().to_string();
                if canonical != name {
                    out.notes
                        .push(format!("「{name}」按 units.toml 的别名记为「{canonical}」"));
                }
                if out.names.contains(&canonical) {
                    out.notes.push(format!("「{canonical}」在同一栏重复出现，只记一次"));
                } else {
                    out.names.push(canonical);
                }
            }
            None => {
                out.unresolved.push(name.clone());
                out.names.push(name);
            }
        }
    }
    out
}
