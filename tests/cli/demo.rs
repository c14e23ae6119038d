//! The demo workspace: generated exactly by its script, and the golden output of status, show
//! and units at a pinned --as-of.

#[path = "../../examples/make_demo.rs"]
mod make_demo;

use std::path::Path;

use crate::common::*;

const AS_OF: &str = "2024-09-10T12:00:00+08:00";

fn demo() -> std::path::PathBuf {
    repo_root().join("examples/demo")
}

fn files(dir: &Path) -> Vec<String> {
    walk_files(dir)
        .iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"))
        .collect()
}

#[test]
fn demo_is_exactly_what_the_generator_writes() {
    let tmp = tempfile::tempdir().unwrap();
    make_demo::generate(&repo_root(), tmp.path()).unwrap();
    assert_eq!(files(tmp.path()), files(&demo()));
    for rel in files(&demo()) {
        let a = std::fs::read(demo().join(&rel)).unwrap();
        let b = std::fs::read(tmp.path().join(&rel)).unwrap();
        assert!(
            a == b,
            "examples/demo/{rel} differs from the generator: run cargo run --example make_demo"
        );
    }
}

/// The demo copied outside git, so the data version is stable ("未纳入 git").
fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&demo(), dir.path());
    dir
}

fn golden(name: &str, args: &[&str]) -> String {
    let dir = demo_copy();
    let mut full = vec!["--as-of", AS_OF];
    full.extend_from_slice(args);
    let out = run(dir.path(), &full);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    assert_snapshot_in(
        "tests/golden/demo",
        &name.replace(".txt", "").replace('.', "-"),
        &transcript(&out),
    );
    stdout(&out)
}

#[test]
fn status_golden() {
    golden("status.txt", &["status"]);
    golden("status-all.txt", &["status", "--all", "--style", "ascii"]);
    golden("status-2024-07.txt", &["status", "--round", "2024-07", "--all"]);
    golden("status.json", &["status", "--format", "json"]);
    golden("status.csv", &["status", "--format", "csv"]);
    golden(
        "status-chapter-1-red.txt",
        &["status", "--chapter", "1", "--assessment", "behind_red", "--all"],
    );
}

#[test]
fn show_golden() {
    golden("show-7.txt", &["show", "7"]);
    golden("show-9.txt", &["show", "9"]);
    golden("show-20.json", &["show", "20", "--format", "json"]);
}

#[test]
fn units_golden() {
    golden("units.txt", &["units"]);
    golden("units.json", &["units", "--format", "json"]);
    golden("units.csv", &["units", "--format", "csv"]);
}

fn status_json(extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "--root",
        "examples/demo",
        "--as-of",
        AS_OF,
        "status",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    serde_json::from_slice(&run(&repo_root(), &args).stdout).unwrap()
}

#[test]
fn json_has_the_agreed_names_and_hand_computed_numbers() {
    let j = status_json(&[]);
    assert_eq!(j["round"], "2024-09");
    assert_eq!(j["due"], "2024-09-05T18:00:00+08:00");
    assert_eq!(j["as_of"], AS_OF);
    // By hand from the CSV files: see the comments in examples/make_demo.rs.
    let a = &j["totals"]["assessments"];
    let counts: Vec<u64> = [
        "done",
        "ahead",
        "on_pace",
        "behind_yellow",
        "behind_red",
        "blocked",
        "not_started",
        "missing",
        "invalid",
        "pending",
    ]
    .iter()
    .map(|k| a[k].as_u64().unwrap())
    .collect();
    // zjj's file fills task 6 and leaves its lead task 7 empty: a submission, 不完整, so task 6
    // counts and only task 7 is missing; yqgwh's task 12 has an invalid 状态, so that row is left
    // out and task 12 is invalid.
    assert_eq!(counts, [2, 2, 7, 5, 3, 1, 0, 2, 1, 0]);
    assert_eq!(j["totals"]["left_out"], 1);
    let s = &j["totals"]["submissions"];
    assert_eq!(
        (s["on_time"].as_u64(), s["late"].as_u64(), s["missing"].as_u64()),
        (Some(3), Some(1), Some(1))
    );
    assert_eq!((s["incomplete"].as_u64(), s["invalid"].as_u64()), (Some(1), Some(1)));
    let zjj = find_in(&j["units"], "id", "zjj");
    assert_eq!(
        (&zjj["submission"], &zjj["remark"]),
        (&"incomplete".into(), &"不完整，缺第 7 项".into())
    );
}

#[test]
fn json_tasks_and_units_carry_hand_computed_numbers() {
    let j = status_json(&[]);
    let task = |id: u64| {
        j["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .unwrap()
            .clone()
    };
    // 2024-09-05 18:00 is 248.75 of 366 days into 2024: 序时进度 68.0%.
    assert_eq!(task(5)["expected"], 68.0);
    assert_eq!(
        (task(5)["assessment"].as_str(), task(5)["progress"].as_f64()),
        (Some("ahead"), Some(90.0))
    );
    assert_eq!(task(3)["assessment"], "behind_yellow"); // 50 vs 68: 18 points behind
    assert_eq!(task(4)["assessment"], "behind_red"); // 30 vs 68: 38 behind
    assert_eq!(task(11)["assessment"], "behind_yellow"); // on pace by numbers, but the lead says 滞后
    assert_eq!(
        task(11)["lag"],
        serde_json::Value::Null,
        "no lag: not behind by its numbers"
    );
    assert_eq!(
        task(11)["reason"],
        "自报滞后（进度 60%，序时进度 68%，差 8 个百分点，未到黄灯线）"
    );
    assert_eq!(task(3)["lag"], 18.0);
    assert_eq!(task(12)["assessment"], "invalid");
    assert_eq!(
        task(12)["invalid_units"],
        serde_json::json!([{"unit": "海东工业园区管委会", "row": 5, "rule": "invalid-status"}])
    );
    assert_eq!(task(23)["expected"], 34.0); // due 2025-12-31: 248.75 of 731 days
    assert_eq!(task(23)["assessment"], "behind_red"); // 未启动 past a third of its window
    assert_eq!(task(20)["stale"], true);
    assert_eq!(task(7)["missing_units"], serde_json::json!(["市住房建设局"]));
    assert_eq!(task(7)["progress"], serde_json::Value::Null);
    let target = &task(7)["targets"][0];
    assert_eq!(
        (
            target["metric"].as_str(),
            target["target"].as_f64(),
            target["actual"].as_f64()
        ),
        (Some("建设和美乡村"), Some(129.0), Some(23.0))
    );
    // zjj's 2024-09 file is 不完整 but a submission: its value counts (1,500 read as 1500).
    let t6 = &task(6)["targets"][1];
    assert_eq!(t6["actual"], 1500.0);
    assert_eq!(
        t6["sources"][0]
            .as_str()
            .map(|s| s.starts_with("reports/2024-09/zjj.csv:")),
        Some(true)
    );
    let unit = |id: &str| find_in(&j["units"], "id", id).clone();
    assert_eq!(unit("zrzyj")["submission"], "late");
    assert_eq!(unit("zrzyj")["received_at"], "2024-09-07T00:00:00+08:00");
    assert_eq!(unit("zrzyj")["time_source"], "declared");
    assert_eq!(unit("zrzyj")["late_minutes"], 1800);
    assert_eq!(unit("paq")["submission"], "on_time", "dated on the due day");
    assert_eq!(unit("nyncj")["received_at"], serde_json::Value::Null);
}

/// Looking back at an earlier month once the year is over: the calendar's last round is the one
/// named as last, not the month shown.
#[test]
fn an_earlier_round_after_the_calendar_names_the_calendars_last_round() {
    let out = run(&demo(), &["--as-of", "2025-03-01", "status", "--round", "2024-08"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("轮次 2024-08"), "{text}");
    assert!(
        text.contains("报送日历已结束：最后一轮 2025-01 已于 2025-01-05 18:00 截止"),
        "{text}"
    );
}

#[test]
fn the_first_round_shows_not_started_as_still_early() {
    let j = status_json(&["--round", "2024-07"]);
    assert_eq!(j["due"], "2024-07-10T18:00:00+08:00", "the first round's override");
    let t23 = j["tasks"].as_array().unwrap().iter().find(|t| t["id"] == 23).unwrap();
    assert_eq!(t23["assessment"], "not_started");
}

#[test]
fn filters_narrow_tasks_and_totals() {
    let j = status_json(&["--unit", "平安区", "--chapter", "2"]);
    let ids: Vec<u64> = j["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_u64().unwrap())
        .collect();
    // paq leads 20-23 and cooperates on 1-8 (chapter 1, filtered out).
    assert_eq!(ids, [20, 21, 22, 23]);
    assert_eq!(j["totals"]["tasks"], 4);
    assert_eq!(j["units"].as_array().unwrap().len(), 1);
}

#[test]
fn every_table_line_has_the_same_display_width() {
    for args in [
        &["status", "--all"][..],
        &["show", "7"],
        &["units"],
        &["status", "--all", "--style", "ascii"],
    ] {
        let mut full = vec!["--root", "examples/demo", "--as-of", AS_OF];
        full.extend_from_slice(args);
        let text = stdout(&run(&repo_root(), &full));
        let mut widths: Vec<usize> = Vec::new();
        let mut tables = 0;
        for line in text.lines() {
            let is_table = line.starts_with(['┌', '│', '╞', '├', '└', '+', '|']);
            if is_table {
                widths.push(unicode_width::UnicodeWidthStr::width(line));
            } else if !widths.is_empty() {
                assert!(
                    widths.iter().all(|w| *w == widths[0]),
                    "{args:?}: ragged table {widths:?}\n{text}"
                );
                widths.clear();
                tables += 1;
            }
        }
        assert!(tables > 0 || !widths.is_empty(), "{args:?} printed no table");
        assert!(
            widths.iter().all(|w| widths.first() == Some(w)),
            "{args:?}: ragged last table"
        );
    }
}

#[test]
fn width_option_wraps_to_the_given_width() {
    let text = stdout(&run(
        &repo_root(),
        &["--root", "examples/demo", "--as-of", AS_OF, "status", "--width", "80"],
    ));
    for line in text.lines().filter(|l| l.starts_with(['┌', '│', '└'])) {
        assert!(unicode_width::UnicodeWidthStr::width(line) <= 80, "{line}");
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    for args in [
        &["status", "--all"][..],
        &["status", "--format", "json"],
        &["status", "--format", "csv"],
        &["show", "7", "--format", "json"],
        &["units", "--format", "json"],
        &["units", "--format", "csv"],
        &["remind", "--format", "json"],
        &["check", "--format", "json"],
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tracker"))
            .args(["--root", "examples/demo", "--as-of", AS_OF])
            .args(args)
            .current_dir(repo_root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // like `| head -0`: the reader is gone before anything is written
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.code().is_some_and(|c| c < 2), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn repository_status_without_reports_says_how_to_start() {
    let out = run(&repo_root(), &["--as-of", "2024-08-01T09:00:00+08:00", "status"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("轮次 2024-07　截止 2024-07-10 18:00"), "{text}");
    assert!(text.contains("下一轮 2024-08 截止 2024-08-05 18:00"), "{text}");
    assert!(
        text.contains("本轮尚未收到任何报送。应报单位（牵头单位）32 个"),
        "{text}"
    );
    assert!(text.contains("tracker report new --unit"), "{text}");
    // The same next steps as report new and the liaison's page: both routes, delivered with --push.
    assert!(text.contains("tracker submit --unit <单位id> --push 提交"), "{text}");
    assert!(
        text.contains("用 tracker submit --unit <单位id> <工作簿> --push 交回"),
        "{text}"
    );
}

/// `--assessment` lists every task it counts: the chapter table's count and the list agree.
#[test]
fn an_assessment_filter_lists_every_task_it_counts() {
    let j = status_json(&["--assessment", "黄"]);
    let counted = j["totals"]["assessments"]["behind_yellow"].as_u64().unwrap();
    let listed = j["tasks"].as_array().unwrap().len() as u64;
    assert_eq!(counted, listed, "{j}");
    let out = run(
        &repo_root().join("examples/demo"),
        &["--as-of", AS_OF, "status", "--assessment", "黄", "--width", "120"],
    );
    let text = stdout(&out);
    assert!(
        text.contains(&format!("评估为「欠进度（黄）」的任务：{counted} 项")),
        "{text}"
    );
    let rows = text
        .lines()
        .filter(|l| l.contains("欠进度（黄）") && l.starts_with('│'))
        .count() as u64;
    assert_eq!(rows, counted, "{text}");
}
