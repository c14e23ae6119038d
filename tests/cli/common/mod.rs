//! Shared test helpers: fixture repositories in temp dirs, running the real binary, golden files.
#![allow(dead_code)]

pub mod repo;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// Every assessment as `status --format json` keys it and as the tables label it, in the order the
/// tables list them.
pub const ASSESSMENTS: [(&str, &str); 10] = [
    ("done", "已完成"),
    ("ahead", "超进度"),
    ("on_pace", "达进度"),
    ("behind_yellow", "欠进度（黄）"),
    ("behind_red", "欠进度（红）"),
    ("blocked", "受阻"),
    ("not_started", "未启动"),
    ("missing", "未报送"),
    ("invalid", "报送有误"),
    ("pending", "待报"),
];

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo_root().join("tests/fixtures")
}

/// Copies `from` into `to` recursively (overwriting files), skipping `expected*` and `remove`.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        if name_str.starts_with("expected") || name_str == "remove" || name_str == "setup.sh" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temp repository: the base fixture with `overlay` laid over it and its `remove` list applied.
pub fn fixture_repo(overlay: Option<&Path>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("base"), dir.path());
    if let Some(overlay) = overlay {
        copy_tree(overlay, dir.path());
        if overlay.join("setup.sh").is_file() {
            let out = git_env(std::process::Command::new("bash"), dir.path())
                .arg(overlay.join("setup.sh"))
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "setup.sh failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        if let Ok(list) = std::fs::read_to_string(overlay.join("remove")) {
            for rel in list.lines().filter(|l| !l.trim().is_empty()) {
                std::fs::remove_file(dir.path().join(rel.trim())).unwrap();
            }
        }
    }
    dir
}

/// The real binary, run in `dir`, with an environment that cannot leak into results.
pub fn tracker(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("tracker").unwrap();
    cmd.current_dir(dir).env_remove("TRACKER_AS_OF").env("NO_COLOR", "1");
    cmd
}

pub fn run(dir: &Path, args: &[&str]) -> Output {
    tracker(dir).args(args).output().unwrap()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// What a run printed and how it ended, as one snapshot text: the exit status, standard output
/// and standard error together (as jj's tests keep them).
pub fn transcript(out: &Output) -> String {
    let code = out.status.code().map_or("signal".to_string(), |c| c.to_string());
    format!(
        "exit: {code}\n----- stdout -----\n{}----- stderr -----\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Compares `text` with the snapshot `name` kept in `dir` (relative to the repository root). A
/// difference fails the test; `cargo insta review` (or `INSTA_UPDATE=always cargo test`) accepts
/// new output. Under CI nothing is written: a snapshot is compared, never rewritten.
pub fn assert_snapshot_in(dir: &str, name: &str, text: &str) {
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    let update = std::env::var("INSTA_UPDATE").unwrap_or_default();
    assert!(
        !(ci && matches!(update.as_str(), "always" | "new" | "unseen")),
        "INSTA_UPDATE={update} under CI: snapshots are compared there, never rewritten"
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo_root().join(dir));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

/// Git with an isolated, pinned configuration: no system or user config, a fixed identity.
pub fn git_env(mut cmd: std::process::Command, home: &Path) -> std::process::Command {
    cmd.env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "测试")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_NAME", "市发展改革委")
        .env("GIT_COMMITTER_EMAIL", "office@example.org")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
    cmd
}

/// Every file below `dir`, recursively, sorted.
pub fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `tracker check --all-rounds --format json` in `dir`: the exit code and the rule of every
/// diagnostic, closed rounds' included.
pub fn check_rules(dir: &Path) -> (Option<i32>, Vec<String>) {
    let out = run(dir, &["check", "--all-rounds", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    (out.status.code(), rules)
}

/// The element of a JSON array whose `key` equals `value` (a unit by id, a task by id).
pub fn find_in<'a>(
    list: &'a serde_json::Value,
    key: &str,
    value: impl Into<serde_json::Value>,
) -> &'a serde_json::Value {
    let value = value.into();
    list.as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"))
        .iter()
        .find(|x| x[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list}"))
}

/// Rewrites each data line of a generated report (header kept; the generator quotes nothing, so a
/// line splits on its commas) with `edit` on its cells.
pub fn edit_rows(path: &Path, edit: impl Fn(&mut Vec<String>)) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for line in lines {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        edit(&mut cells);
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}
