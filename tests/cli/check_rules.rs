//! `tracker check`: one fixture per rule, each with the exact expected output.

use crate::common::*;

/// "Now" for the rule fixtures: after the 2024-08 round's deadline, before the next one.
const FIXTURE_AS_OF: &str = "2024-08-20T12:00:00+08:00";

fn rule_names() -> Vec<String> {
    let out = run(&repo_root(), &["check", "--list"]);
    assert!(out.status.success());
    stdout(&out)
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect()
}

#[test]
fn every_rule_has_a_fixture() {
    let names = rule_names();
    assert!(
        names.len() >= 18,
        "expected the registry to list its rules, got {names:?}"
    );
    let missing: Vec<_> = names
        .iter()
        .filter(|n| !fixtures().join("check").join(n).is_dir())
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a fixture under tests/fixtures/check/: {missing:?}"
    );
}

#[test]
fn every_fixture_reports_its_rule_exactly() {
    let known = rule_names();
    let mut seen = 0;
    for entry in std::fs::read_dir(fixtures().join("check")).unwrap() {
        let case = entry.unwrap().path();
        let rule = case.file_name().unwrap().to_string_lossy().into_owned();
        assert!(known.contains(&rule), "fixture {rule} names no rule");
        let repo = fixture_repo(Some(&case));
        let out = tracker(repo.path())
            .env("TRACKER_AS_OF", FIXTURE_AS_OF)
            .arg("check")
            .output()
            .unwrap();
        let text = stdout(&out);
        assert!(
            text.contains(&format!("[{rule}]")),
            "{rule}: the rule did not fire:\n{text}"
        );
        let expected_code = if text.contains(": error[") { 1 } else { 0 };
        assert_eq!(out.status.code(), Some(expected_code), "{rule}: exit code\n{text}");
        assert_snapshot_in(&format!("tests/fixtures/check/{rule}"), "expected", &transcript(&out));
        seen += 1;
    }
    assert!(seen >= 46);
}

#[test]
fn base_fixture_is_clean() {
    let repo = fixture_repo(None);
    let out = run(repo.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "检查通过：2 个任务文件、0 个报送文件，没有发现问题。\n");
}

#[test]
fn repository_data_is_clean() {
    let out = run(&repo_root(), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["diagnostics"],
        serde_json::json!([]),
        "the repository's own data must pass tracker check"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn reports_all_problems_in_one_run_sorted_by_file() {
    let repo = fixture_repo(Some(&fixtures().join("check/unknown-unit")));
    std::fs::copy(
        fixtures().join("check/target-value/tasks/001.toml"),
        repo.path().join("tasks/001.toml"),
    )
    .unwrap();
    let out = run(repo.path(), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, &str, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap(),
                d["rule"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("tasks/001.toml", "target-value", 13),
            ("tasks/002.toml", "unknown-unit", 6)
        ]
    );
    assert_eq!(json["errors"], 2);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn rule_filter_and_strict() {
    let repo = fixture_repo(Some(&fixtures().join("check/unknown-unit")));
    let out = run(repo.path(), &["check", "empty-work"]);
    assert_eq!(out.status.code(), Some(0), "filtered to a rule that does not fire");
    let out = run(repo.path(), &["check", "no-such-rule"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no-such-rule"));
}

#[test]
fn carets_sit_under_the_cjk_text() {
    let repo = fixture_repo(Some(&fixtures().join("check/unknown-unit")));
    let text = stdout(&run(repo.path(), &["check"]));
    let lines: Vec<&str> = text.lines().collect();
    let src = lines.iter().position(|l| l.starts_with("6 | lead")).unwrap();
    let (code, carets) = (lines[src], lines[src + 1]);
    let caret_col = unicode_width::UnicodeWidthStr::width(&carets[..carets.find('^').unwrap()]);
    let quote_col = unicode_width::UnicodeWidthStr::width(&code[..code.find('"').unwrap()]);
    assert_eq!(caret_col, quote_col, "carets start under the opening quote");
    let n = carets.matches('^').count();
    assert_eq!(
        n,
        unicode_width::UnicodeWidthStr::width("\"市交通局\""),
        "carets cover the name by display width"
    );
}

#[test]
fn no_repository_is_exit_2_with_advice() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("tracker.toml"), "{}", stderr(&out));
    assert!(stderr(&out).contains("--root"));
}

#[test]
fn root_is_found_from_a_subfolder() {
    let repo = fixture_repo(None);
    let out = run(&repo.path().join("tasks"), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn strict_turns_warnings_into_exit_1() {
    let repo = fixture_repo(Some(&fixtures().join("check/encoding")));
    assert_eq!(
        run(repo.path(), &["check"]).status.code(),
        Some(0),
        "a warning alone passes"
    );
    let out = run(repo.path(), &["check", "--strict", "--all-rounds"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("error[encoding]"), "{}", stdout(&out));
}

fn snapshot(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>, std::time::SystemTime)> {
    walk_files(dir)
        .into_iter()
        .map(|p| {
            let modified = std::fs::metadata(&p).unwrap().modified().unwrap();
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes, modified)
        })
        .collect()
}

#[test]
fn check_is_read_only() {
    for case in ["encoding", "conflict-marker", "not-text", "progress-decreased"] {
        let repo = fixture_repo(Some(&fixtures().join("check").join(case)));
        let before = snapshot(repo.path());
        run(repo.path(), &["check"]);
        run(repo.path(), &["check", "--format", "json"]);
        assert!(
            before == snapshot(repo.path()),
            "{case}: tracker check changed, created or deleted a file"
        );
    }
}

#[test]
fn every_rule_is_documented_in_docs_checks() {
    let checks = std::fs::read_to_string(repo_root().join("docs/checks.md")).unwrap();
    let missing: Vec<String> = rule_names()
        .into_iter()
        .filter(|n| !checks.contains(&format!("| [`{n}`]")))
        .collect();
    assert!(missing.is_empty(), "rules missing from docs/checks.md: {missing:?}");
}

#[test]
fn odd_inputs_are_diagnostics_not_crashes() {
    let repo = fixture_repo(None);
    let dir = repo.path().join("reports/2024-09");
    std::fs::create_dir_all(dir.join("jtj.csv")).unwrap(); // a folder named like a report
    std::fs::write(dir.join("fgw.csv"), b"\xEF\xBB\xBF").unwrap(); // a lone BOM
    std::fs::create_dir_all(repo.path().join("reports/2024-08")).unwrap();
    std::fs::write(
        repo.path().join("reports/2024-08/jtj.csv"),
        "任务编号,指标,状态,进度,完成值,本月进展,存在问题,下步计划,填报人,联系电话,填报日期\n\
         2,,推进中,NaN,,x,,,,,2024-02-30\n2,里程,,,1e400,,,,,,\nabc,,推进中,50,,,,,,,\n",
    )
    .unwrap();
    std::fs::write(
        repo.path().join("reports/2024-08/fgw.csv"),
        "任务编号,指标,状态,进度,完成值,本月进展,存在问题,下步计划,填报人,联系电话,填报日期\n\n\"unterminated,\n1,,推进中,50\n",
    )
    .unwrap();
    let (code, rules) = check_rules(repo.path());
    assert_eq!(code, Some(1), "{rules:?}");
    let text = stdout(&run(repo.path(), &["check", "--all-rounds"]));
    assert!(
        text.contains("reports/2024-08/fgw.csv:3: error[empty-report]: 第 3 行有一个引号没有配对"),
        "the row where the quote opens, counting the blank row as Excel does:\n{text}"
    );
    for rule in [
        "unknown-report-file",
        "empty-report",
        "invalid-progress",
        "invalid-date",
        "invalid-actual",
        "unknown-task",
    ] {
        assert!(rules.iter().any(|r| r == rule), "{rule} missing from {rules:?}");
    }
    let status = run(repo.path(), &["--as-of", "2024-09-10", "status"]);
    assert_eq!(
        status.status.code(),
        Some(0),
        "report problems do not stop status: {}",
        stderr(&status)
    );
}

/// Commands that judge skip the rules that can only warn: every rule fixture, warnings and errors
/// alike, leaves the same flaws on the same reports either way.
#[test]
fn judging_without_warnings_flaws_the_same_rows() {
    let as_of = chrono::DateTime::parse_from_rfc3339(FIXTURE_AS_OF).unwrap();
    let (mut warned, mut flawed) = (0, 0);
    for entry in std::fs::read_dir(fixtures().join("check")).unwrap() {
        let repo = fixture_repo(Some(&entry.unwrap().path()));
        let load = || tracker::load::load(repo.path()).unwrap();
        let (mut all, mut errors) = (load(), load());
        let diags = tracker::check::run(&mut all, as_of);
        warned += diags.iter().filter(|d| !d.is_error()).count();
        tracker::check::flaw_reports(&mut errors, as_of);
        let flaws = |l: &tracker::load::Loaded| -> Vec<_> {
            l.reports.iter().map(|r| (r.file.clone(), r.flaws().to_vec())).collect()
        };
        flawed += all.reports.iter().filter(|r| !r.flaws().is_empty()).count();
        assert_eq!(flaws(&all), flaws(&errors), "{}", repo.path().display());
    }
    assert!(
        warned > 0 && flawed > 0,
        "the fixtures hold warnings to leave out and errors to keep"
    );
}

/// A round is history once the next round's deadline has passed too: the whole repository's check
/// (the server's CI) sums its files' problems up in one block and exits 0 for them; the open
/// round, a scoped check and `--all-rounds` still list and fail.
#[test]
fn closed_rounds_are_summed_up_and_the_open_round_still_fails() {
    let repo = fixture_repo(None);
    let bad = "任务编号,指标,状态,进度,完成值,本月进展,存在问题,下步计划,填报人,联系电话,填报日期\n2,,进行中,60,,推进,,,李四,0972-8000002,2024-08-03\n";
    std::fs::create_dir_all(repo.path().join("reports/2024-08")).unwrap();
    std::fs::write(repo.path().join("reports/2024-08/jtj.csv"), bad).unwrap();
    let check = |as_of: &str, extra: &[&str]| run(repo.path(), &[&["--as-of", as_of, "check"][..], extra].concat());

    let chased = check("2024-08-20", &[]);
    assert_eq!(
        chased.status.code(),
        Some(1),
        "until September is due, August is chased"
    );
    let closed = check("2024-09-10", &[]);
    let text = stdout(&closed);
    assert_eq!(closed.status.code(), Some(0), "{text}");
    assert!(
        text.contains("已截止轮次：1 个文件有问题，已计入各单位记录（2024-08：jtj.csv）"),
        "{text}"
    );
    assert!(!text.contains("error[invalid-status]"), "{text}");
    let all = check("2024-09-10", &["--all-rounds"]);
    assert_eq!(all.status.code(), Some(1));
    assert!(stdout(&all).contains("error[invalid-status]"), "{}", stdout(&all));
    let scoped = check("2024-09-10", &["reports/2024-08/jtj.csv"]);
    assert_eq!(scoped.status.code(), Some(1), "a file asked for is shown in full");

    std::fs::create_dir_all(repo.path().join("reports/2024-09")).unwrap();
    std::fs::write(
        repo.path().join("reports/2024-09/jtj.csv"),
        bad.replace("2024-08-03", "2024-09-03"),
    )
    .unwrap();
    let open = check("2024-09-10", &[]);
    assert_eq!(open.status.code(), Some(1), "the open round's errors still fail");
    assert!(stdout(&open).contains("reports/2024-09/jtj.csv"), "{}", stdout(&open));
}
