//! The benchmark generator stays honest: its workspaces are deterministic (bytes and commits) and
//! pass `tracker check` with no errors, so the benchmarks measure real work on valid data.

mod common;

#[allow(dead_code)]
#[path = "../examples/gen_workspace.rs"]
mod gen_workspace;

use common::*;
use serde_json::Value;

fn generated(dir: &std::path::Path) -> std::path::PathBuf {
    let out = dir.join("ws");
    let args = gen_workspace::Args {
        tasks: 60,
        units: 8,
        rounds: 3,
        git: true,
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
            &["check"],
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
        ("check.txt", &["check"]),
        ("digest.csv", &["digest", "--round", "2024-03", "--output", "-"]),
    ];
    for (name, args) in commands {
        let out = run(&ws, &[&["--as-of", "2024-04-01"], args].concat());
        let text = String::from_utf8(out.stdout).unwrap();
        assert_golden(&repo_root().join("tests/golden/generated").join(name), &text);
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
