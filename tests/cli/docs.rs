//! The reference pages are generated, and a test fails when they are stale (as jj's
//! `test_generate_md_cli_help`): `docs/commands.md` from every command's `--help`, walking the
//! command tree the binary itself lists, and `docs/checks.md` from the rule registry
//! (`tracker check --list`). `INSTA_UPDATE=always cargo test docs` rewrites them (never under CI).

use std::path::Path;

use crate::common::*;

/// `(path, help)` for the binary and every subcommand below it, in the order `--help` lists them.
fn command_tree(path: &[&str]) -> Vec<(String, String)> {
    let mut args: Vec<&str> = path.to_vec();
    args.push("--help");
    let help = stdout(&run(&repo_root(), &args));
    let mut out = vec![(path.join(" "), help.clone())];
    for name in listed_commands(&help) {
        let child: Vec<&str> = path.iter().copied().chain([name.as_str()]).collect();
        out.extend(command_tree(&child));
    }
    out
}

/// The names under a help text's 命令： heading (less `help`, which only prints the others).
fn listed_commands(help: &str) -> Vec<String> {
    let Some(section) = help.split("命令：\n").nth(1) else {
        return Vec::new();
    };
    section
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("    "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|name| name != "help")
        .collect()
}

fn commands_md() -> String {
    let mut md = String::from(
        "# 命令参考 / Command reference\n\n\
         <!-- Generated from the command line's own --help by tests/cli/docs.rs; do not edit by hand.\n     \
         INSTA_UPDATE=always cargo test docs rewrites it. -->\n\n\
         每个命令的 `--help` 原文。退出码：0 正常；1 数据有问题（检查发现错误、报送文件有错误等）；2 无法运行（用法错误、找不到仓库等）。\n",
    );
    for (path, help) in command_tree(&[]) {
        let title = if path.is_empty() {
            "tracker".to_string()
        } else {
            format!("tracker {path}")
        };
        md.push_str(&format!("\n## `{title}`\n\n```text\n{}\n```\n", help.trim_end()));
    }
    md
}

fn checks_md() -> String {
    let list = stdout(&run(&repo_root(), &["check", "--list"]));
    let mut md = String::from(
        "# 检查规则 / Check rules\n\n\
         <!-- Generated from the rule registry (src/diagnostic/rule.rs, via tracker check --list) by\n     \
         tests/cli/docs.rs; do not edit by hand. INSTA_UPDATE=always cargo test docs rewrites it. -->\n\n\
         `tracker check` 一次列出全部问题；错误（error）使退出码为 1，警告（warning）不影响退出码（`--strict` 时按错误处理）。\
         只查某一规则：`tracker check <规则名>`。每条规则在 `tests/fixtures/check/<规则名>/` 有一个示例仓库和它的检查结果（`expected.snap`）。\n\n\
         | 规则 | 级别 | 查什么 |\n| --- | --- | --- |\n",
    );
    for line in list.lines() {
        let mut parts = line.split_whitespace();
        let (Some(name), Some(severity)) = (parts.next(), parts.next()) else {
            continue;
        };
        let summary: Vec<&str> = parts.collect();
        md.push_str(&format!(
            "| [`{name}`](../tests/fixtures/check/{name}/) | {severity} | {} |\n",
            summary.join(" ").replace('|', "\\|")
        ));
    }
    md
}

/// Compares `generated` with the file at `rel`, or rewrites it with `INSTA_UPDATE=always`.
fn assert_up_to_date(rel: &str, generated: &str) {
    let path = repo_root().join(rel);
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    if std::env::var("INSTA_UPDATE").as_deref() == Ok("always") {
        assert!(
            !ci,
            "INSTA_UPDATE=always under CI: {rel} is compared there, never rewritten"
        );
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    if on_disk != generated {
        let first = on_disk
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or(on_disk.lines().count().min(generated.lines().count()) + 1, |i| i + 1);
        panic!("{rel} is stale from line {first}; run INSTA_UPDATE=always cargo test docs and commit it");
    }
}

#[test]
fn commands_md_is_the_command_lines_own_help() {
    let md = commands_md();
    for command in [
        "tracker status",
        "tracker report new",
        "tracker hook install",
        "tracker check",
    ] {
        assert!(md.contains(&format!("## `{command}`")), "{command} missing");
    }
    assert_up_to_date("docs/commands.md", &md);
}

#[test]
fn checks_md_lists_every_rule_with_its_fixture() {
    let md = checks_md();
    let rules = md.lines().filter(|l| l.starts_with("| [`")).count();
    assert!(rules >= 46, "{rules} rules");
    for line in md.lines().filter(|l| l.starts_with("| [`")) {
        let name = line.split('`').nth(1).unwrap();
        assert!(
            Path::new(&repo_root().join("tests/fixtures/check").join(name)).is_dir(),
            "{name} has no fixture"
        );
    }
    assert_up_to_date("docs/checks.md", &md);
}

/// The README stays one screen and names every command the binary has (its synopses drifted
/// when they were written by hand; the options now live in the generated docs/commands.md).
#[test]
fn the_readme_is_short_and_names_every_command() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    assert!(
        readme.lines().count() <= 200,
        "README.md has {} lines",
        readme.lines().count()
    );
    let top = stdout(&run(&repo_root(), &["--help"]));
    for name in listed_commands(&top) {
        assert!(
            readme.contains(&format!("`tracker {name}")),
            "README.md does not name tracker {name}"
        );
    }
    for link in [
        "docs/commands.md",
        "docs/checks.md",
        "docs/liaison.md",
        "CONTRIBUTING.md",
    ] {
        assert!(readme.contains(link), "README.md does not link {link}");
        assert!(repo_root().join(link).is_file(), "{link} is missing");
    }
}
