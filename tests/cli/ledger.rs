//! Git as the submission ledger: real repositories in temp dirs, pinned dates, isolated config.

use std::process::{Command, Output};

use crate::common::repo::Repo;
use crate::common::*;

const GOOD: &str = "2,,推进中,60,,完成初步设计,,,李四,0972,2024-08-03\n";
const BAD: &str = "2,,进行中,60,,完成初步设计,,,李四,0972,2024-08-03\n";
const JTJ: &str = "reports/2024-08/jtj.csv";

#[test]
fn on_time_and_one_minute_late_match_git_log() {
    let repo = Repo::new();
    repo.submit(JTJ, GOOD, "2024-08-05T18:00:00+08:00");
    repo.submit(
        "reports/2024-08/fgw.csv",
        "1,,推进中,60,,a,,,,,2024-08-05\n",
        "2024-08-05T18:01:00+08:00",
    );
    let jtj = repo.unit("jtj");
    assert_eq!(
        (jtj["submission"].as_str(), jtj["time_source"].as_str()),
        (Some("on_time"), Some("git"))
    );
    let logged = repo.git(&["log", "-1", "--format=%cI", "--", JTJ]).stdout;
    assert_eq!(
        jtj["received_at"],
        String::from_utf8(logged).unwrap().trim(),
        "the time git log gives"
    );
    let fgw = repo.unit("fgw");
    assert_eq!(
        (fgw["submission"].as_str(), fgw["late_minutes"].as_i64()),
        (Some("late"), Some(1))
    );
}

#[test]
fn a_back_dated_author_date_does_not_make_a_late_report_on_time() {
    let repo = Repo::new();
    repo.write(JTJ, GOOD);
    repo.git(&["add", "reports"]);
    repo.commit("报送", "2024-08-04T10:00:00+08:00", "2024-08-07T10:00:00+08:00");
    let jtj = repo.unit("jtj");
    assert_eq!(jtj["submission"], "late");
    assert_eq!(jtj["received_at"], "2024-08-07T10:00:00+08:00");
    assert!(jtj["remark"].as_str().unwrap().contains("作者时间"), "{jtj}");
    let units = stdout(&repo.tracker(&["units"]));
    assert!(units.contains("逾期1天16时*"), "a marker in units:\n{units}");
    let check = stdout(&repo.tracker(&["check"]));
    assert!(check.contains("warning[backdated]"), "{check}");
}

#[test]
fn amended_after_the_deadline_stays_on_time_and_shows_the_amendment() {
    let repo = Repo::new();
    let jtj = repo.sent_then_corrected();
    assert_eq!(jtj["submission"], "on_time");
    assert_eq!(jtj["received_at"], "2024-08-05T10:00:00+08:00");
    let units: serde_json::Value = serde_json::from_slice(
        &repo
            .tracker(&["units", "--round", "2024-08", "--format", "json"])
            .stdout,
    )
    .unwrap();
    let rounds = &find_in(&units["units"], "id", "jtj")["rounds"];
    let aug = rounds.as_array().unwrap().last().unwrap();
    assert_eq!(aug["amended"], serde_json::json!(["2024-08-06T10:00:00+08:00"]));
}

#[test]
fn invalid_then_fixed_after_the_deadline_is_late_with_the_reason() {
    let repo = Repo::new();
    repo.submit(JTJ, BAD, "2024-08-05T10:00:00+08:00");
    repo.submit(JTJ, GOOD, "2024-08-06T10:00:00+08:00");
    let jtj = repo.unit("jtj");
    assert_eq!(jtj["submission"], "late");
    assert_eq!(jtj["received_at"], "2024-08-06T10:00:00+08:00");
    assert!(
        jtj["remark"]
            .as_str()
            .unwrap()
            .contains("首次填报（2024-08-05 10:00）的版本有错误"),
        "{jtj}"
    );
}

#[test]
fn an_uncommitted_file_is_never_on_time_silently() {
    let repo = Repo::new();
    repo.write(JTJ, GOOD);
    let out = repo.tracker(&["status", "--round", "2024-08", "--format", "json"]);
    assert!(stderr(&out).contains("尚未提交"), "{}", stderr(&out));
    let jtj = repo.unit("jtj");
    assert_eq!(
        (jtj["time_source"].as_str(), jtj["submission"].as_str()),
        (Some("uncommitted"), Some("late"))
    );
    assert!(stdout(&repo.tracker(&["check"])).contains("warning[uncommitted]"));
    // Committed, then changed again: still uncommitted until that change is committed.
    repo.git(&["add", "reports"]);
    repo.commit("报送", "2024-08-05T10:00:00+08:00", "2024-08-05T10:00:00+08:00");
    assert_eq!(repo.unit("jtj")["submission"], "on_time");
    repo.write(JTJ, "2,,推进中,70,,改了,,,李四,0972,2024-08-03\n");
    assert_eq!(repo.unit("jtj")["time_source"], "uncommitted");
}

#[test]
fn a_renamed_file_keeps_its_first_arrival_and_chinese_names_survive() {
    let repo = Repo::new();
    repo.submit("reports/2024-08/市交通运输局.csv", GOOD, "2024-08-04T10:00:00+08:00");
    let check = stdout(&repo.tracker(&["check"]));
    assert!(
        check.contains("reports/2024-08/市交通运输局.csv: error[unknown-report-file]"),
        "{check}"
    );
    assert!(check.contains("改名为 jtj.csv"), "{check}");
    repo.git(&["mv", "reports/2024-08/市交通运输局.csv", JTJ]);
    repo.commit("改名", "2024-08-07T10:00:00+08:00", "2024-08-07T10:00:00+08:00");
    let jtj = repo.unit("jtj");
    assert_eq!(jtj["received_at"], "2024-08-04T10:00:00+08:00");
    assert_eq!(jtj["submission"], "on_time");
}

#[test]
fn a_merge_counts_when_the_office_merged_it() {
    let repo = Repo::new();
    repo.git(&["checkout", "-q", "-b", "jtj-2024-08"]);
    repo.submit(JTJ, GOOD, "2024-08-04T10:00:00+08:00");
    repo.git(&["checkout", "-q", "main"]);
    let out = git_env(Command::new("git"), repo.path())
        .args(["merge", "-q", "--no-ff", "-m", "合并 jtj 报送", "jtj-2024-08"])
        .env("GIT_AUTHOR_DATE", "2024-08-06T09:00:00+08:00")
        .env("GIT_COMMITTER_DATE", "2024-08-06T09:00:00+08:00")
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let jtj = repo.unit("jtj");
    assert_eq!(
        jtj["received_at"], "2024-08-06T09:00:00+08:00",
        "the office's merge on the main line"
    );
    assert_eq!(jtj["submission"], "late");
}

#[test]
fn a_shallow_clone_is_detected() {
    let repo = Repo::new();
    repo.submit(JTJ, GOOD, "2024-08-05T10:00:00+08:00");
    repo.submit(
        "reports/2024-08/fgw.csv",
        "1,,推进中,60,,a,,,,,\n",
        "2024-08-05T11:00:00+08:00",
    );
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    let out = git_env(Command::new("git"), clone.path())
        .args(["clone", "-q", "--depth", "1", &url, "c"])
        .current_dir(clone.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cloned = Repo::at(clone);
    let out = git_env(Command::new(assert_cmd::cargo::cargo_bin("tracker")), cloned.path())
        .args(["--root", "c", "--as-of", "2024-08-20", "check"])
        .current_dir(cloned.path())
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("warning[git-history]") && stdout(&out).contains("浅克隆"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn without_git_on_path_times_fall_back_to_declared_dates() {
    let repo = Repo::new();
    repo.submit(JTJ, GOOD, "2024-08-07T10:00:00+08:00");
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin("tracker"))
        .env("PATH", empty.path())
        .env("NO_COLOR", "1")
        .args([
            "--as-of",
            "2024-08-20",
            "status",
            "--round",
            "2024-08",
            "--format",
            "json",
        ])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).matches("找不到 git 命令").count(),
        1,
        "one clear warning: {}",
        stderr(&out)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let jtj = find_in(&json["units"], "id", "jtj");
    assert_eq!(
        (jtj["time_source"].as_str(), jtj["submission"].as_str()),
        (Some("declared"), Some("on_time"))
    );
}

#[test]
fn status_prints_the_data_commit() {
    let repo = Repo::new();
    repo.submit(JTJ, GOOD, "2024-08-05T10:00:00+08:00");
    let head = String::from_utf8(repo.git(&["rev-parse", "--short", "HEAD"]).stdout).unwrap();
    let text = stdout(&repo.tracker(&["status"]));
    assert!(text.contains(&format!("数据版本 {}", head.trim())), "{text}");
    repo.write(JTJ, GOOD.replace("60", "61").as_str());
    assert!(stdout(&repo.tracker(&["status"])).contains("（有未提交的修改）"));
}

/// A digest is written from the data, so an uncommitted one leaves the data clean; a report in a
/// round folder git has never seen is uncommitted file by file.
#[test]
fn a_written_digest_is_not_a_change_but_a_new_round_s_report_is() {
    let repo = Repo::new();
    repo.submit(JTJ, GOOD, "2024-08-05T10:00:00+08:00");
    let digest = repo.tracker(&["digest"]);
    assert_eq!(digest.status.code(), Some(0), "{}", stderr(&digest));
    assert!(repo.path().join("reports/digests/2024-08.csv").is_file());
    let text = stdout(&repo.tracker(&["status"]));
    assert!(
        text.contains("数据版本 ") && !text.contains("（有未提交的修改）"),
        "{text}"
    );
    repo.write("reports/2024-09/jtj.csv", &GOOD.replace("2024-08-03", "2024-09-03"));
    let out = repo.tracker_without_as_of(&[
        "--as-of",
        "2024-09-20T12:00:00+08:00",
        "status",
        "--round",
        "2024-09",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["commit"]["dirty"], true, "{json}");
    let jtj = find_in(&json["units"], "id", "jtj");
    assert_eq!(jtj["time_source"], "uncommitted", "{jtj}");
}

fn hook_repo() -> Repo {
    let repo = Repo::new();
    let out = repo.tracker(&["hook", "install"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    repo
}

fn try_commit(repo: &Repo) -> Output {
    git_env(Command::new("git"), repo.path())
        .args(["commit", "-q", "-m", "报送"])
        .env("GIT_COMMITTER_DATE", "2024-08-05T10:00:00+08:00")
        .current_dir(repo.path())
        .output()
        .unwrap()
}

#[test]
fn the_hook_refuses_a_bad_staged_file_even_when_the_working_tree_is_good() {
    let repo = hook_repo();
    repo.write(JTJ, BAD);
    repo.git(&["add", JTJ]);
    repo.write(JTJ, GOOD); // fixed on disk, but not staged
    let out = try_commit(&repo);
    assert!(!out.status.success(), "the bad staged content must be refused");
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        said.contains("error[invalid-status]") && said.contains("进行中"),
        "{said}"
    );
    assert!(
        repo.git(&["log", "--format=%s"]).stdout.starts_with("计划".as_bytes()),
        "nothing was committed"
    );
}

#[test]
fn the_hook_accepts_a_good_staged_file_even_when_the_working_tree_is_bad() {
    let repo = hook_repo();
    repo.write(JTJ, GOOD);
    repo.git(&["add", JTJ]);
    repo.write(JTJ, BAD);
    let out = try_commit(&repo);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn the_hook_never_replaces_another_hook_silently() {
    let repo = Repo::new();
    let hook = repo.path().join(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho their-hook >> \"$(git rev-parse --git-dir)/ran\"\n",
    )
    .unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&hook)
        .status()
        .unwrap();
    let out = repo.tracker(&["hook", "install"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--chain"), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(&hook).unwrap().contains("their-hook"),
        "untouched"
    );
    assert!(repo.tracker(&["hook", "install", "--chain"]).status.success());
    repo.write(JTJ, GOOD);
    repo.git(&["add", JTJ]);
    assert!(try_commit(&repo).status.success());
    assert!(repo.path().join(".git/ran").exists(), "the chained hook ran");
    assert!(repo.tracker(&["hook", "uninstall"]).status.success());
    assert!(
        std::fs::read_to_string(&hook).unwrap().contains("their-hook"),
        "restored"
    );
    let out = repo.tracker(&["hook", "uninstall"]);
    assert_eq!(out.status.code(), Some(2), "their hook is not ours to remove");
}

#[test]
fn submit_commits_that_file_alone_with_a_standard_message() {
    let repo = Repo::new();
    repo.write(JTJ, GOOD);
    std::fs::write(repo.path().join("notes.txt"), "staged, not part of the report").unwrap();
    repo.git(&["add", "notes.txt"]);
    let out = git_env(Command::new(assert_cmd::cargo::cargo_bin("tracker")), repo.path())
        .args(["submit", "--unit", "市交通运输局"])
        .env("GIT_COMMITTER_DATE", "2024-08-05T12:00:00+08:00")
        .env("GIT_AUTHOR_DATE", "2024-08-05T12:00:00+08:00")
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("报送 市交通运输局 2024-08"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("收到时间 2024-08-05 12:00，截止 2024-08-05 18:00：按时"),
        "{}",
        stdout(&out)
    );
    let files = String::from_utf8(repo.git(&["show", "--name-only", "--format=%s", "HEAD"]).stdout).unwrap();
    assert_eq!(files.trim(), format!("报送 市交通运输局 2024-08\n\n{JTJ}"));
    let staged = String::from_utf8(repo.git(&["diff", "--cached", "--name-only"]).stdout).unwrap();
    assert_eq!(staged.trim(), "notes.txt", "what else was staged stays staged");
}

#[test]
fn submit_refuses_as_of_it_commits_at_the_real_time() {
    let repo = Repo::new();
    repo.write(JTJ, GOOD);
    let out = repo.tracker(&["submit", "--unit", "jtj"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("不能使用 --as-of"), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8(repo.git(&["log", "--format=%s"]).stdout)
            .unwrap()
            .trim(),
        "计划",
        "nothing committed"
    );
}

#[test]
fn submit_refuses_a_file_with_errors() {
    let repo = Repo::new();
    repo.write(JTJ, BAD);
    let out = repo.tracker_without_as_of(&["submit", "--unit", "jtj"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("error[invalid-status]") && stdout(&out).contains("未提交"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        String::from_utf8(repo.git(&["log", "--format=%s"]).stdout)
            .unwrap()
            .trim(),
        "计划"
    );
}

#[test]
fn submit_push_failure_is_said_clearly() {
    let repo = Repo::new();
    repo.git(&["remote", "add", "origin", "/nonexistent/office.git"]);
    repo.write(JTJ, GOOD);
    let out = repo.tracker_without_as_of(&["submit", "--unit", "jtj", "--push"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("推送失败：已在本地提交"), "{}", stdout(&out));
}

/// A 填报日期 after the file was received is compared with the receipt and says so.
#[test]
fn a_date_after_the_receipt_says_what_it_was_compared_with() {
    let repo = Repo::new();
    repo.submit(
        JTJ,
        "2,,推进中,60,,完成初步设计,,,李四,0972,2024-08-15\n",
        "2024-08-04T10:00:00+08:00",
    );
    let check = stdout(&repo.tracker(&["check"]));
    assert!(
        check.contains("warning[future-date]: 填报日期 08-15 晚于收到时间 08-04 10:00"),
        "{check}"
    );
}
