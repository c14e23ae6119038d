//! Reading a TOML file into a typed struct, turning syntax and schema errors into diagnostics.

use serde::de::DeserializeOwned;

use crate::diagnostic::Source;
use crate::diagnostic::{Diagnostic, Rule};

/// Parses `src` as `T`; on failure returns the one diagnostic that says where and why.
pub(crate) fn parse<T: DeserializeOwned>(src: &Source) -> Result<T, Diagnostic> {
    let typed = toml::from_str::<T>(&src.text);
    if typed.is_err() {
        // Parsed again only to tell a syntax error from a schema error.
        if let Err(err) = src.text.parse::<toml::Table>() {
            return Err(diagnostic(
                src,
                Rule::TomlSyntax,
                &err,
                "TOML 语法错误",
                "检查引号、方括号是否成对，字符串须用英文双引号，每个键只能出现一次",
            ));
        }
    }
    typed.map_err(|err| {
        let msg = err.message();
        if let Some(field) = msg.strip_prefix("unknown field `").and_then(|m| m.split('`').next()) {
            let expected = msg
                .split_once("expected")
                .map(|(_, e)| e.trim().trim_start_matches("one of").trim())
                .unwrap_or("");
            diagnostic(src, Rule::UnknownField, &err, "", "")
                .with_message(format!("未知字段 `{field}`"))
                .hint(format!("允许的字段：{expected}；检查拼写，或删除这一行"))
        } else if let Some(field) = msg.strip_prefix("missing field `").and_then(|m| m.split('`').next()) {
            diagnostic(src, Rule::MissingField, &err, "", "")
                .with_message(format!("缺少必填字段 `{field}`"))
                .hint(format!("在这个表中加上 `{field} = …`"))
        } else {
            diagnostic(
                src,
                Rule::InvalidValue,
                &err,
                "字段的值不合要求",
                "参照本仓库 tracker.toml、units.toml 和 tasks/ 中的写法改正这个值（例如数字不加引号，日期写成 2024-12-31）",
            )
        }
    })
}

fn diagnostic(src: &Source, rule: Rule, err: &toml::de::Error, what: &str, hint: &str) -> Diagnostic {
    let span = err.span().unwrap_or(0..0);
    let (line, col) = src.position(span.start);
    let detail = err.message().lines().next().unwrap_or("").to_string();
    let mut d = Diagnostic::new(rule, src.path.clone(), format!("{what}：{detail}"))
        .at(line, col)
        .width(src.char_len(&span));
    if !hint.is_empty() {
        d = d.hint(hint);
    }
    d
}
