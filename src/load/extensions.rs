//! `extensions.toml` -> [`Extension`]s: one `[[extension]]` per approval.

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use super::toml_file;
use crate::diagnostic::Source;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Extension;

pub(crate) const EXTENSIONS_FILE: &str = "extensions.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtensionsFile {
    #[serde(default)]
    extension: Vec<Spanned<ExtensionFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtensionFile {
    task: u32,
    unit: String,
    approved_on: Spanned<Datetime>,
    approved_by: String,
    new_due: Spanned<Datetime>,
    #[serde(default)]
    reason: String,
}

pub(crate) fn load(src: &Source) -> Result<Vec<Extension>, Vec<Diagnostic>> {
    let file: ExtensionsFile = toml_file::parse(src).map_err(|d| vec![d])?;
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for spanned in file.extension {
        let (line, _) = src.position(spanned.span().start);
        let e = spanned.into_inner();
        let date = |d: &Spanned<Datetime>, diags: &mut Vec<Diagnostic>| {
            let parsed = super::to_date(d.get_ref());
            if parsed.is_none() {
                let (l, c) = src.position(d.span().start);
                diags.push(
                    Diagnostic::new(Rule::InvalidValue, src.path.clone(), "应是日期")
                        .at(l, c)
                        .hint("写成 2025-06-30（不加引号）"),
                );
            }
            parsed
        };
        let (Some(approved_on), Some(new_due)) = (date(&e.approved_on, &mut diags), date(&e.new_due, &mut diags))
        else {
            continue;
        };
        out.push(Extension {
            task: e.task,
            unit: e.unit,
            approved_on,
            approved_by: e.approved_by,
            new_due,
            reason: e.reason,
            line,
        });
    }
    if diags.is_empty() { Ok(out) } else { Err(diags) }
}
