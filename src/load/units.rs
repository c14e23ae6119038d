//! `units.toml` -> [`Units`].

use serde::Deserialize;
use toml::Spanned;

use super::{Source, toml_file};
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
            let allowed: Vec<&str> = UnitKind::ALL.iter().map(|(n, _)| *n).collect();
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
    if diags.is_empty() {
        Ok(Units::new(units, groups))
    } else {
        Err(diags)
    }
}
