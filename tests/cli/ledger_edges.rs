//! The git ledger where it used to go wrong: the tracker root inside a larger repository, a git
//! that fails or is too old, and read-only commands that must not touch `.git/`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::repo::Repo;
use crate::common::*;

const JTJ: &str = "reports/2024-08/jtj.csv";
const GOOD: &str = "2,,推进中,60,,完成初步设计,,,李四,0972,2024-08-03\n";

#[test]
fn a_root_inside_the_repository_reads_earlier_versions_right() {
    let repo = Repo::in_subfolder();
    let jtj = repo.sent_then_corrected();
    assert_eq!(jtj["submission"], "on_time", "sent on time, corrected later: {jtj}");
    assert_eq!(jtj["received_at"], "2024-08-05T10:00:00+08:00");
    assert_eq!(
        jtj["remark"], "此后修改 1 次，最近一次 2024-08-06 10:00",
        "no false remark about an invalid first version"
    );
    let fgw = "reports/2024-08/fgw.csv";
    repo.submit(fgw, "1,,进行中,60,,a,,,,,2024-08-05\n", "2024-08-05T11:00:00+08:00");
    repo.submit(fgw, "1,,推进中,60,,a,,,,,2024-08-05\n", "2024-08-07T11:00:00+08:00");
    let fgw = repo.unit("fgw");
    assert_eq!(fgw["submission"], "late");
    assert!(
        fgw["remark"]
            .as_str()
            .unwrap()
            .contains("首次填报（2024-08-05 11:00）的版本有错误"),
        "{fgw}"
    );
}

/// A `git` that runs the real one, except for the subcommand `fail` (which fails) and `--version`
/// (which says `version`).
fn fake_git(dir: &Path, fail: &str, version: &str) -> String {
    let bin = dir.join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let real = String::from_utf8(
        std::process::Command::new("sh")
            .args(["-c", "command -v git"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let script = format!(
        "#!/bin/sh\nfor a in \"$@\"; do\n  [ \"$a\" = \"{fail}\" ] && {{ echo 'fatal: simulated failure' >&2; exit 128; }}\n  [ \"$a\" = --version ] && {{ echo 'git version {version}'; exit 0; }}\ndone\nexec {} \"$@\"\n",
        real.trim()
    );
    let path = bin.join("git");
    std::fs::write(&path, script).unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&path)
        .status()
        .unwrap();
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap())
}

fn with_path(repo: &Repo, path: &str, args: &[&str]) -> std::process::Output {
    git_env(
        std::process::Command::new(assert_cmd::cargo::cargo_bin("tracker")),
        repo.path(),
    )
    .env("PATH", path)
    .env("NO_COLOR", "1")
    .args([&["--as-of", "2024-08-20T12:00:00+08:00"][..], args].concat())
    .current_dir(repo.path())
    .output()
    .unwrap()
}

#[test]
fn a_failing_git_is_said_never_swallowed() {
    let repo = Repo::new();
    repo.submit(JTJ, GOOD, "2024-08-05T10:00:00+08:00");
    let path = fake_git(repo.dir.path(), "log", "2.47.0");
    let out = with_path(&repo, &path, &["status", "--round", "2024-08", "--format", "json"]);
    assert!(
        stderr(&out).contains("读取 git 历史失败（git log 失败：fatal: simulated failure）"),
        "{}",
        stderr(&out)
    );
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let jtj = find_in(&s["units"], "id", "jtj");
    assert_eq!(
        (jtj["time_source"].as_str(), jtj["submission"].as_str()),
        (Some("declared"), Some("on_time")),
        "an explicit fallback to the declared date, not every report late"
    );
    let check = stdout(&with_path(&repo, &path, &["check"]));
    assert!(
        check.contains("warning[git-history]") && check.contains("simulated failure"),
        "{check}"
    );
}

#[test]
fn a_git_older_than_2_31_is_named() {
    let repo = Repo::new();
    repo.submit(JTJ, GOOD, "2024-08-05T10:00:00+08:00");
    // What a git before 2.31 does with the option the ledger needs.
    let path = fake_git(repo.dir.path(), "--diff-merges=first-parent", "2.20.1");
    let out = with_path(&repo, &path, &["status", "--round", "2024-08"]);
    assert!(
        stderr(&out).contains("git 版本 2.20 太旧（至少需要 2.31）"),
        "{}",
        stderr(&out)
    );
}

/// Every file under `.git/`, with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    walk_files(&dir.join(".git"))
        .into_iter()
        .map(|p| {
            let meta = std::fs::metadata(&p).unwrap();
            (
                p.display().to_string(),
                (std::fs::read(&p).unwrap(), meta.modified().unwrap()),
            )
        })
        .collect()
}

#[test]
fn read_only_commands_change_no_byte_of_git() {
    let repo = Repo::new();
    repo.submit(JTJ, GOOD, "2024-08-05T10:00:00+08:00");
    // Same content, new file time: git's status would refresh the index if it were allowed to.
    let touched = std::process::Command::new("touch")
        .args(["-d", "2024-09-01 10:00"])
        .arg(repo.path().join(JTJ))
        .status()
        .unwrap();
    assert!(touched.success());
    let before = snapshot(repo.path());
    for args in [
        &["status"][..],
        &["status", "--round", "2024-08", "--format", "json"],
        &["units"],
        &["show", "2"],
        &["check"],
        &["digest", "--output", "-"],
        &["circular"],
        &["remind"],
    ] {
        let out = repo.tracker(args);
        assert!(out.status.code().is_some_and(|c| c < 2), "{args:?}: {}", stderr(&out));
        assert!(
            before == snapshot(repo.path()),
            "{args:?} changed something under .git/"
        );
    }
}

#[test]
fn a_hook_that_is_not_utf8_is_never_replaced() {
    let repo = Repo::new();
    let hook = repo.path().join(".git/hooks/pre-commit");
    let theirs = b"#!/bin/sh\n# \xb1\xbe\xb5\xa5\xce\xbb GBK comment\nexit 0\n".to_vec();
    std::fs::write(&hook, &theirs).unwrap();
    let out = repo.tracker(&["hook", "install"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--chain"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&hook).unwrap(), theirs, "untouched");
    let out = repo.tracker(&["hook", "uninstall"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&hook).unwrap(), theirs, "not ours: not removed");
}

#[test]
fn one_units_errors_never_block_another_units_commit() {
    let repo = Repo::new();
    assert!(repo.tracker(&["hook", "install"]).status.success());
    // jtj's file with an error got in anyway (committed without the hook).
    repo.write(JTJ, "2,,进行中,60,,完成初步设计,,,李四,0972,2024-08-03\n");
    repo.git(&["add", JTJ]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "jtj"]);
    // fgw commits its own clean file: the hook judges the staged file, not jtj's.
    repo.write(
        "reports/2024-08/fgw.csv",
        "1,,推进中,60,,a,,,张三,0972-8000001,2024-08-05\n",
    );
    repo.git(&["add", "reports/2024-08/fgw.csv"]);
    let out = git_env(std::process::Command::new("git"), repo.path())
        .args(["commit", "-q", "-m", "fgw"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(out.status.success(), "{said}");
    assert!(
        !said.contains("error[invalid-status]"),
        "no dump of others' problems:\n{said}"
    );
    assert!(
        said.contains("另有 1 个其他文件共 1 个错误，不在本次检查范围内"),
        "{said}"
    );
}

#[test]
fn check_takes_paths_and_units() {
    let repo = Repo::new();
    repo.write(JTJ, "2,,进行中,60,,a,,,李四,0972,2024-08-03\n");
    repo.write(
        "reports/2024-08/fgw.csv",
        "1,,推进中,60,,a,,,张三,0972-8000001,2024-08-05\n",
    );
    let fgw = repo.tracker(&["check", "reports/2024-08/fgw.csv", "invalid-status"]);
    assert_eq!(fgw.status.code(), Some(0), "{}", stdout(&fgw));
    assert!(
        stdout(&fgw).contains("另有 1 个其他文件共 1 个错误"),
        "{}",
        stdout(&fgw)
    );
    let jtj = repo.tracker(&["check", "--unit", "市交通运输局"]);
    assert_eq!(jtj.status.code(), Some(1));
    assert!(
        stdout(&jtj).contains("reports/2024-08/jtj.csv:2:3: error[invalid-status]"),
        "{}",
        stdout(&jtj)
    );
    let from_inside = repo.tracker_in("reports/2024-08", &["check", "jtj.csv"]);
    assert!(
        stdout(&from_inside).contains("error[invalid-status]"),
        "{}",
        stdout(&from_inside)
    );
    let outside = repo.tracker(&["check", "../elsewhere.csv"]);
    assert_eq!(outside.status.code(), Some(2), "{}", stderr(&outside));
    // A mistyped file is not "checked and passed": it is named, with the file meant.
    let typo = repo.tracker(&["check", "reports/2024-08/jtjj.csv"]);
    assert_eq!(typo.status.code(), Some(2), "{}", stdout(&typo));
    assert!(
        stderr(&typo).contains("找不到要检查的文件「reports/2024-08/jtjj.csv」，是否为 reports/2024-08/jtj.csv？"),
        "{}",
        stderr(&typo)
    );
    let nowhere = repo.tracker(&["check", "reports/2099-01/jtj.csv"]);
    assert_eq!(nowhere.status.code(), Some(2));
    assert!(!stderr(&nowhere).contains("是否为"), "{}", stderr(&nowhere));
}
