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
                .hint(format!("允许的字段：{}；检查拼写，或删除这一行", expected.replace(" or ", "、").replace(", ", "、")))
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
    let detail = in_chinese(err.message().lines().next().unwrap_or(""));
    let mut d = Diagnostic::new(rule, src.path.clone(), format!("{what}：{detail}"))
        .at(line, col)
        .width(src.char_len(&span));
    if !hint.is_empty() {
        d = d.hint(hint);
    }
    d
}

/// serde's "invalid type: string \"yes\", expected a boolean" as a civil servant reads it: what
/// was written and what belongs there. Anything else is kept as it is.
fn in_chinese(detail: &str) -> String {
    let Some((found, expected)) = ["invalid type: ", "invalid value: "]
        .iter()
        .find_map(|p| detail.strip_prefix(p))
        .and_then(|rest| rest.split_once(", expected "))
    else {
        return detail.to_string();
    };
    let (kind, value) = found.split_once(' ').unwrap_or((found, ""));
    let value = value.trim_matches('`');
    let written = match kind {
        "string" => format!("写的是带引号的文字 {value}"),
        "integer" => format!("写的是整数 {value}"),
        "floating" => format!("写的是小数 {}", value.trim_start_matches("point ").trim_matches('`')),
        "boolean" => format!("写的是 {value}"),
        "sequence" => "写的是列表 [...]".to_string(),
        "map" => "写的是一个表".to_string(),
        _ => format!("写的是 {found}"),
    };
    let wanted = match expected {
        "a boolean" => "应为 true 或 false（不加引号）",
        "a string" => "应为带英文双引号的文字",
        "u8" | "u16" | "u32" | "u64" | "usize" => "应为不小于 0 的整数（不加引号）",
        "i32" | "i64" | "an integer" => "应为整数（不加引号）",
        "f32" | "f64" | "a number" => "应为数字（不加引号）",
        "a sequence" => "应为列表，例如 [\"…\"]",
        _ => return format!("{written}，应为 {expected}"),
    };
    format!("{written}，{wanted}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn serde_type_errors_read_in_chinese() {
        let cases = [
            (
                "invalid type: string \"yes\", expected a boolean",
                "写的是带引号的文字 \"yes\"，应为 true 或 false（不加引号）",
            ),
            (
                "invalid type: string \"二\", expected u32",
                "写的是带引号的文字 \"二\"，应为不小于 0 的整数（不加引号）",
            ),
            (
                "invalid type: integer `3`, expected a string",
                "写的是整数 3，应为带英文双引号的文字",
            ),
            (
                "invalid value: integer `-1`, expected u32",
                "写的是整数 -1，应为不小于 0 的整数（不加引号）",
            ),
            ("data did not match any variant", "data did not match any variant"),
        ];
        for (serde, ours) in cases {
            assert_eq!(super::in_chinese(serde), ours);
        }
    }
}
