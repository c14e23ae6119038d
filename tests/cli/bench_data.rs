//! The benchmark generator stays honest: its workspaces are deterministic (bytes and commits) and
//! pass `tracker check` with no errors, so the benchmarks measure real work on valid data.

#[allow(dead_code)]
use crate::gen_workspace;

use crate::common::*;
use serde_json::Value;

fn generated(dir: &std::path::Path) -> std::path::PathBuf {
    generated_with(dir, true)
}

/// 60 tasks, 8 units, 3 rounds, committed to git or not.
fn generated_with(dir: &std::path::Path, git: bool) -> std::path::PathBuf {
    let out = dir.join("ws");
    let args = gen_workspace::Args {
        tasks: 60,
        units: 8,
        rounds: 3,
        git,
        out: out.clone(),
    };
    gen_workspace::generate(&args).unwrap();
    out
}

fn head(dir: &std::path::Path) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn generated_workspaces_are_deterministic_and_valid() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (wa, wb) = (generated(a.path()), generated(b.path()));
    assert_eq!(head(&wa), head(&wb), "the same commits");
    assert_eq!(head(&wa).len(), 41);
    let files: Vec<_> = walk_files(&wa)
        .into_iter()
        .filter(|p| !p.starts_with(wa.join(".git")))
        .collect();
    assert!(files.len() > 60 + 8 * 2, "{}", files.len());
    for f in &files {
        let rel = f.strip_prefix(&wa).unwrap();
        assert_eq!(
            std::fs::read(f).unwrap(),
            std::fs::read(wb.join(rel)).unwrap(),
            "{}",
            rel.display()
        );
    }
    let check = run(&wa, &["--as-of", "2024-04-01", "check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let status = run(
        &wa,
        &[
            "--as-of",
            "2024-04-01",
            "status",
            "--round",
            "2024-03",
            "--format",
            "json",
        ],
    );
    let s: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(s["totals"]["tasks"], 60);
    assert_eq!(
        s["units"][0]["time_source"], "git",
        "received times from the generated commits"
    );
}

#[test]
fn parsing_on_many_threads_gives_the_same_bytes_as_on_one() {
    let dir = tempfile::tempdir().unwrap();
    let ws = generated(dir.path());
    // A broken file among the good ones, so diagnostics are part of the comparison.
    std::fs::write(ws.join("reports/2024-02/u0003.csv"), "任务编号,状态\n\"未闭合\n").unwrap();
    let outputs = |threads: &str| -> Vec<Vec<u8>> {
        let commands: [&[&str]; 4] = [
            &["status", "--round", "2024-03", "--format", "json"],
            &["units", "--format", "json"],
            &["check", "--all-rounds"],
            &["digest", "--round", "2024-03", "--output", "-"],
        ];
        commands
            .iter()
            .map(|args| {
                let out = tracker(&ws)
                    .env("TRACKER_THREADS", threads)
                    .args(["--as-of", "2024-04-01"])
                    .args(*args)
                    .output()
                    .unwrap();
                [out.stdout, out.stderr].concat()
            })
            .collect()
    };
    let one = outputs("1");
    assert!(String::from_utf8_lossy(&one[2]).contains("reports/2024-02/u0003.csv"));
    for threads in ["2", "7"] {
        assert!(outputs(threads) == one, "TRACKER_THREADS={threads} changed an output");
    }
}

/// What the optimisations of issue #11 must not change: the outputs on a generated workspace, pinned
/// (they were the same before loading went parallel and `units` stopped judging tasks).
#[test]
fn generated_outputs_match_the_golden() {
    let dir = tempfile::tempdir().unwrap();
    let ws = generated(dir.path());
    let commands: [(&str, &[&str]); 4] = [
        ("status.json", &["status", "--round", "2024-03", "--format", "json"]),
        ("units.json", &["units", "--format", "json"]),
        ("check.txt", &["check", "--all-rounds"]),
        ("digest.csv", &["digest", "--round", "2024-03", "--output", "-"]),
    ];
    for (name, args) in commands {
        let out = run(&ws, &[&["--as-of", "2024-04-01"], args].concat());
        assert_snapshot_in("tests/golden/generated", &name.replace('.', "-"), &transcript(&out));
    }
}

#[test]
fn a_thread_count_that_is_not_a_count_is_named_and_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let ws = generated(dir.path());
    let status = |threads: &str| {
        tracker(&ws)
            .env("TRACKER_THREADS", threads)
            .args(["--as-of", "2024-04-01", "status", "--format", "json"])
            .output()
            .unwrap()
    };
    let (given, counted) = (status("abc"), status("2"));
    assert_eq!(given.status.code(), counted.status.code());
    assert_eq!(given.stdout, counted.stdout);
    let notice = "注意：TRACKER_THREADS「abc」不是 1–64 之间的整数，已忽略，按处理器核数运行。";
    assert!(stderr(&given).contains(notice), "{}", stderr(&given));
    assert!(!stderr(&counted).contains("TRACKER_THREADS"));
    assert!(stderr(&status("0")).contains("TRACKER_THREADS「0」"));
}

/// Sets the 状态 and 进度 of task `id`'s main row in every file of `round`.
fn set_row(ws: &std::path::Path, round: &str, id: u32, status: &str, progress: &str) {
    for file in walk_files(&ws.join("reports").join(round)) {
        edit_rows(&file, |cells| {
            if cells[0] == id.to_string() && cells[1].is_empty() {
                (cells[2], cells[3]) = (status.to_string(), progress.to_string());
            }
        });
    }
}

/// bench/consolidate.py is the yardstick `status` is timed against: it must judge as `status`
/// does, or the comparison measures different work. On a generated workspace given every kind of
/// verdict, its totals equal tracker's, round by round.
#[test]
#[cfg_attr(not(has_python3), ignore = "needs python3")]
fn the_python_yardstick_judges_as_status_does() {
    let dir = tempfile::tempdir().unwrap();
    // Not committed: the edits below would make the files uncommitted, so not received.
    let ws = generated_with(dir.path(), false);
    // Task 1 due at the end of March, so that little progress on 2024-03-05 is far behind.
    let task = ws.join("tasks/001.toml");
    let text = std::fs::read_to_string(&task).unwrap();
    std::fs::write(&task, text.replace("due = 2024-12-31", "due = 2024-03-31")).unwrap();
    for (id, status, progress) in [
        (1, "推进中", "10"),
        (2, "滞后", "20"),
        (3, "未启动", ""),
        (4, "受阻", "20"),
        (5, "已完成", "100"),
        (6, "推进中", "5"),
    ] {
        set_row(&ws, "2024-03", id, status, progress);
    }
    // Task 5 done a round earlier too: a done task is never stale, however unchanged.
    set_row(&ws, "2024-02", 5, "已完成", "100");
    let (mut kinds, mut stale) = (std::collections::BTreeSet::new(), 0);
    for round in ["2024-01", "2024-02", "2024-03"] {
        let out = run(
            &ws,
            &["--as-of", "2024-04-01", "status", "--round", round, "--format", "json"],
        );
        let status: Value = serde_json::from_slice(&out.stdout).unwrap();
        let totals = &status["totals"];
        assert_eq!(totals["assessments"]["invalid"], 0, "the edits keep the rows valid");
        let python = std::process::Command::new("python3")
            .arg(repo_root().join("bench/consolidate.py"))
            .args([ws.as_os_str(), round.as_ref()])
            .output()
            .expect("python3 is needed for this test");
        assert!(python.status.success(), "{}", stderr(&python));
        let yardstick: Value = serde_json::from_slice(&python.stdout).unwrap();
        assert_eq!(yardstick["assessments"], totals["assessments"], "{round}");
        assert_eq!(yardstick["stale"], totals["stale"], "{round}");
        stale += totals["stale"].as_u64().unwrap();
        let counted = totals["assessments"].as_object().unwrap();
        kinds.extend(counted.iter().filter(|(_, n)| **n != 0).map(|(k, _)| k.clone()));
    }
    let expected = [
        "ahead",
        "behind_red",
        "behind_yellow",
        "blocked",
        "done",
        "missing",
        "not_started",
        "on_pace",
    ];
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), expected);
    assert!(stale > 0, "stale rows compared too");
}
