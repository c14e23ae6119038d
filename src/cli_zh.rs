//! clap in the users' language: every help page with Chinese headings, flags and placeholders,
//! and every usage error rendered in Chinese in the same shape as `check`'s diagnostics.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

const TEMPLATE: &str = "{about}\n\n用法：{usage}\n\n{all-args}{after-help}";
const ROOT_AFTER: &str = "各命令的说明：tracker <命令> --help；完整说明见仓库中的 README.md。";

/// The command tree with Chinese headings, `-h/--help` and `-V/--version`, on every subcommand.
pub(crate) fn localize(cmd: Command) -> Command {
    let cmd = cmd
        .after_help(ROOT_AFTER)
        .subcommand_required(false)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::SetTrue)
                .help("显示版本、构建所用的提交和当前数据版本"),
        );
    localize_one(cmd)
}

fn localize_one(cmd: Command) -> Command {
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        );
    let ids: Vec<(clap::Id, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().clone(), a.is_positional()))
        .collect();
    for (id, positional) in ids {
        let name = VALUE_NAMES.iter().find(|(k, _)| *k == id.as_str()).map(|(_, v)| *v);
        cmd = cmd.mut_arg(id, |a| {
            let a = a.help_heading(if positional { "参数" } else { "选项" });
            match name {
                Some(n) if a.get_action().takes_values() => a.value_name(n),
                _ => a,
            }
        });
    }
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, localize_one);
    }
    cmd
}

/// Placeholders in usage lines and help, by argument id.
const VALUE_NAMES: [(&str, &str); 14] = [
    ("root", "目录"),
    ("as_of", "时刻"),
    ("color", "何时"),
    ("unit", "单位"),
    ("round", "轮次"),
    ("format", "格式"),
    ("width", "列数"),
    ("style", "样式"),
    ("task", "任务编号"),
    ("output", "路径"),
    ("shell", "SHELL"),
    ("targets", "路径或规则"),
    ("git_dir", "裸仓库目录"),
    ("root_path", "子目录"),
];

/// clap's own words inside help text, in Chinese (longer forms first).
const HELP_WORDS: [(&str, &str); 15] = [
    ("[OPTIONS]", "[选项]"),
    ("[default: ", "[默认："),
    ("[default:", "[默认："),
    ("[possible values: ", "[可选："),
    ("[possible values:", "[可选："),
    ("[env: ", "[环境变量："),
    ("[env:", "[环境变量："),
    ("[aliases: ", "[别名："),
    ("<COMMAND>", "<命令>"),
    ("命令:", "命令："),
    ("选项:", "选项："),
    ("参数:", "参数："),
    ("\n\n\n\n", "\n\n"),
    ("\n\n\n", "\n\n"),
    ("Usage: ", ""),
];

pub(crate) fn help_text(text: &str) -> String {
    let text = HELP_WORDS
        .iter()
        .fold(text.to_string(), |t, (en, zh)| t.replace(en, zh));
    format!("{}\n", text.trim_end())
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    e.get(kind).map(|v| match v {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(list) => list.join("、"),
        other => other.to_string(),
    })
}

/// A usage error as `tracker: 错误: …` with hints, the usage line and where to read more.
pub(crate) fn error_text(e: &clap::Error) -> String {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let message = match e.kind() {
        ErrorKind::InvalidValue => format!("{arg} 的值「{value}」不可用"),
        ErrorKind::ValueValidation => format!("{arg} 的值「{value}」不可用：{}", reason(e)),
        ErrorKind::UnknownArgument => format!("不认识的选项「{arg}」"),
        ErrorKind::InvalidSubcommand => format!(
            "不认识的命令「{}」",
            context(e, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::ArgumentConflict => format!(
            "{arg} 不能与 {} 同时使用",
            context(e, ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 后的值不对")
        }
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        _ => "命令行有误".to_string(),
    };
    let mut hints = Vec::new();
    for kind in [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ] {
        if let Some(s) = context(e, kind) {
            hints.push(format!("是否为「{s}」？"));
        }
    }
    if let Some(valid) = context(e, ContextKind::ValidValue) {
        hints.push(format!("可用的值：{valid}"));
    }
    hints.push("运行 tracker --help 或 tracker <命令> --help 查看说明".to_string());
    let mut text = format!("tracker: 错误: {message}\n");
    for h in hints {
        text.push_str(&format!("  = 提示: {h}\n"));
    }
    if let Some(usage) = context(e, ContextKind::Usage) {
        let usage = usage.trim_start_matches("Usage: ").trim().to_string();
        text.push_str(&format!("\n用法：{}\n", help_text(&usage)));
    }
    text
}

/// Why a value failed to parse, from the parser's (English) words.
fn reason(e: &clap::Error) -> String {
    let source = std::error::Error::source(e).map(|s| s.to_string()).unwrap_or_default();
    if source.contains("invalid digit") || source.contains("cannot parse integer") {
        "应为正整数".to_string()
    } else if source.contains("not in") || source.contains("too large") || source.contains("out of range") {
        source.replace("is not in", "不在").replace("too large", "太大")
    } else if source.is_empty() {
        "格式不对".to_string()
    } else {
        source
    }
}
