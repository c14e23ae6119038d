//! Commands that judge one round read the reports round by round and keep of the earlier rounds
//! only what judging reads. What they print must be what reading every round gives
//! (`TRACKER_ALL_ROUNDS=1`), on a history with the cases that reach back: a unit that skipped a
//! round, actuals and a liaison given only months before, an error in an old file, an old file
//! changed and not committed.

#[allow(dead_code)]
use crate::gen_workspace;

use std::path::Path;

use crate::common::repo::Repo;
use crate::common::*;

const AS_OF: &str = "2024-07-20T12:00:00+08:00";

/// Six rounds of eight units, with the cases above.
fn history() -> Repo {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let args = gen_workspace::Args {
        tasks: 60,
        units: 8,
        rounds: 6,
        git: true,
        out: ws.clone(),
    };
    gen_workspace::generate(&args).unwrap();
    let repo = Repo { dir, root: ws.clone() };
    let report = |round: &str, unit: &str| ws.join(format!("reports/2024-{round}/{unit}.csv"));
    // u0001 skipped April.
    repo.git(&["rm", "-q", "reports/2024-04/u0001.csv"]);
    // u0002 gave its actuals (完成值) in January only.
    for round in ["02", "03", "04", "05", "06"] {
        edit_rows(&report(round, "u0002"), |c| {
            if !c[1].is_empty() {
                c[4].clear();
            }
        });
    }
    // u0003's liaison is not in units.toml, and its reports name it in January only.
    let units = ws.join("units.toml");
    let text = std::fs::read_to_string(&units).unwrap();
    let text = text
        .replace("liaison = \"联络员0003\"", "liaison = \"\"")
        .replace("phone = \"0971-0000003\"", "phone = \"\"");
    std::fs::write(&units, text).unwrap();
    for round in ["02", "03", "04", "05", "06"] {
        edit_rows(&report(round, "u0003"), |c| {
            c[8].clear();
            c[9].clear();
        });
    }
    // u0004's January file has a state no one knows.
    edit_rows(&report("01", "u0004"), |c| {
        if c[2] == "推进中" {
            c[2] = "差不多".into();
        }
    });
    repo.git(&["add", "-A"]);
    repo.commit("更正", "2024-06-20T10:00:00+08:00", "2024-06-20T10:00:00+08:00");
    // u0005's February file changed after its commit.
    edit_rows(&report("02", "u0005"), |c| c[5].push('。'));
    repo
}

fn both(ws: &Path, args: &[&str]) -> (String, String) {
    both_at(ws, AS_OF, args)
}

/// The command at `as_of`, read round by round and every round: the same exit, standard error
/// and output, handed back.
fn both_at(ws: &Path, as_of: &str, args: &[&str]) -> (String, String) {
    let full = [&["--as-of", as_of][..], args].concat();
    let by_round = tracker(ws).args(&full).output().unwrap();
    let every = tracker(ws).args(&full).env("TRACKER_ALL_ROUNDS", "1").output().unwrap();
    assert_eq!(by_round.status.code(), every.status.code(), "{args:?}");
    same(&stderr(&by_round), &stderr(&every), args);
    same(&stdout(&by_round), &stdout(&every), args);
    (stdout(&by_round), stderr(&by_round))
}

/// Fails at the first line where the two outputs part.
fn same(by_round: &str, every: &str, args: &[&str]) {
    let parted = by_round
        .lines()
        .zip(every.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b);
    if let Some((i, (a, b))) = parted {
        panic!(
            "{args:?}, line {}:\n  round by round: {a}\n  every round:    {b}",
            i + 1
        );
    }
    assert_eq!(by_round.lines().count(), every.lines().count(), "{args:?}");
}

#[test]
fn judging_one_round_prints_what_reading_every_round_prints() {
    let repo = history();
    let ws = repo.path();
    for round in ["2024-01", "2024-02", "2024-05", "2024-06"] {
        for format in ["json", "table", "csv"] {
            both(ws, &["status", "--round", round, "--format", format]);
        }
        both(ws, &["digest", "--round", round, "--output", "-"]);
        both(ws, &["remind", "--round", round, "--format", "json"]);
    }
    // remind picks the round still open when none is asked: before June's due day, June.
    let (open, _) = both_at(ws, "2024-06-03T12:00:00+08:00", &["remind", "--format", "json"]);
    assert!(open.contains("\"round\": \"2024-06\""), "{open}");
    // The cases reach back past what is kept: the comparison above covers them.
    let (json, notes) = both(ws, &["status", "--round", "2024-06", "--format", "json"]);
    assert!(json.contains("reports/2024-01/u0002.csv:"), "an actual from January");
    let (digest, _) = both(ws, &["digest", "--round", "2024-06", "--output", "-"]);
    assert!(
        digest.contains("合成单位0003,联络员0003,0971-0000003"),
        "the liaison named in January"
    );
    assert!(notes.contains("1 个报送文件有错误"), "{notes}");
    assert!(notes.contains("1 个报送文件尚未提交"), "{notes}");
}

/// `check` reads round by round too: every diagnostic, warnings included, in the same order, with
/// the same count of files, for the whole repository and for some of it.
#[test]
fn checking_round_by_round_prints_what_reading_every_round_prints() {
    let repo = history();
    let ws = repo.path();
    // A unit's own slip in an old round, a comparison with the previous file (progress down), and
    // a file that is not a report: each must be found as on a full load.
    edit_rows(&ws.join("reports/2024-02/u0006.csv"), |c| {
        if c[1].is_empty() && c[3] != "100" {
            c[3] = "1".into();
        }
    });
    std::fs::write(ws.join("reports/2024-03/说明.txt"), "不是报送文件\n").unwrap();
    let (text, _) = both(ws, &["check", "--all-rounds"]);
    for (found, what) in [
        ("reports/2024-01/u0004.csv", "the error in January"),
        ("progress-decreased", "a comparison with the previous round"),
        ("说明.txt", "a file that is not a report"),
        ("尚未“收到”", "an old file changed after its commit"),
        ("46 个报送文件", "every file counted, retired ones too"),
    ] {
        assert!(text.contains(found), "{what}: {text}");
    }
    both(ws, &["check"]);
    both(ws, &["check", "--format", "json"]);
    both(ws, &["check", "--unit", "u0004"]);
    both(ws, &["check", "reports/2024-02/u0006.csv"]);
}
