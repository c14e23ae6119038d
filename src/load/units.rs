//! `units.toml` -> [`Units`].

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{UNITS_FILE, toml_file};
use crate::diagnostic::Source;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Group, Unit, UnitKind, Units};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitsFile {
    #[serde(default)]
    unit: Vec<Spanned<UnitFile>>,
    #[serde(default)]
    group: Vec<Spanned<GroupFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitFile {
    id: String,
    name: String,
    kind: Spanned<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    liaison: String,
    #[serde(default)]
    phone: String,
    /// Who may push this unit's reports to the office's server (`TRACKER_PUSHER`, the git host's
    /// account name).
    #[serde(default)]
    pushers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupFile {
    id: String,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    members: Vec<String>,
}

pub fn load(src: &Source) -> Result<Units, Vec<Diagnostic>> {
    let file: UnitsFile = toml_file::parse(src).map_err(|d| vec![d])?;
    let mut diags = Vec::new();
    let mut units = Vec::new();
    for spanned in file.unit {
        let (line, _) = src.position(spanned.span().start);
        let u = spanned.into_inner();
        let kind = UnitKind::parse(u.kind.get_ref()).unwrap_or_else(|| {
            let (l, c) = src.position(u.kind.span().start);
            let allowed: Vec<&str> = UnitKind::ALL.iter().map(|k| k.key()).collect();
            diags.push(
                Diagnostic::new(
                    Rule::InvalidValue,
                    src.path.clone(),
                    format!("单位类别「{}」无法识别", u.kind.get_ref()),
                )
                .at(l, c)
                .width(src.char_len(&u.kind.span()))
                .hint(format!("kind 可选：{}", allowed.join(", "))),
            );
            UnitKind::Department
        });
        units.push(Unit {
            id: u.id,
            name: u.name,
            kind,
            aliases: u.aliases,
            liaison: u.liaison,
            phone: u.phone,
            pushers: u.pushers,
            line,
        });
    }
    let groups = file
        .group
        .into_iter()
        .map(|spanned| {
            let (line, _) = src.position(spanned.span().start);
            let g = spanned.into_inner();
            Group {
                id: g.id,
                name: g.name,
                aliases: g.aliases,
                members: g.members,
                line,
            }
        })
        .collect();
    let units = Units::new(units, groups);
    validate(&units, &mut diags);
    unsafe_text(&units, &mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        Err(diags)
    } else {
        Ok(units)
    }
}

/// Names, aliases and liaison fields with characters that would act on a terminal or document.
fn unsafe_text(units: &Units, out: &mut Vec<Diagnostic>) {
    for u in &units.units {
        let fields = [u.name.as_str(), u.liaison.as_str(), u.phone.as_str()];
        let bad = fields
            .into_iter()
            .chain(u.aliases.iter().map(String::as_str))
            .find_map(crate::text::first_unsafe_char);
        if let Some(c) = bad {
            out.push(
                Diagnostic::new(
                    Rule::ControlChar,
                    UNITS_FILE,
                    format!(
                        "单位「{}」的名称、别名或联络员信息中有控制字符 U+{:04X}",
                        u.id, c as u32
                    ),
                )
                .at(u.line, 1)
                .hint("删去这个字符（多半是从别处粘贴来的）"),
            );
        }
    }
}

/// Ids that are safe file names; no id, name or alias shared by two entries; group members that
/// exist. Checked where units.toml is loaded: an unsafe id must never reach a path.
fn validate(units: &Units, out: &mut Vec<Diagnostic>) {
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
    // key -> (entry, its name): the same key from two entries is a conflict, even with equal names.
    let mut seen: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for (entry, (id, name, aliases, line)) in entries.enumerate() {
        if !crate::model::unit::is_safe_id(id) {
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
            if let Some((other_entry, other)) = seen.insert(key, (entry, name))
                && other_entry != entry
            {
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
                    .hint(crate::text::did_you_mean(&close, "members 中填单位的 id（不是名称）")),
                );
            }
        }
    }
}
