//! 督查考评: a year of scores recomputed by hand for three units, one appeal withdrawn, and every
//! deduction agreeing with what `units`, `status` and `escalations` say round by round.

use std::path::Path;

use serde_json::Value;

use crate::common::*;

const AS_OF: &str = "2024-10-20";
const ROUNDS: [&str; 4] = ["2024-07", "2024-08", "2024-09", "2024-10"];

const SCORING: &str = r#"
[[escalation]]
when = "red"
rounds = 2
action = "督办"

[scoring]
base = 100
[[scoring.rule]]
event = "late"
points = -0.1
[[scoring.rule]]
event = "missing"
points = -0.5
[[scoring.rule]]
event = "incomplete"
points = -0.2
[[scoring.rule]]
event = "invalid"
points = -0.3
[[scoring.rule]]
event = "copied_narrative"
points = -0.05
[[scoring.rule]]
event = "red_streak"
points = -1
rounds = 2
"#;

const APPEAL: &str = r#"[[appeal]]
unit = "乐都区政府"
round = "2024-09"
event = "missing"
decided_on = 2024-10-12
by = "市政府督查室"
decision = "withdrawn"
reason = "系统故障，已书面报送"
"#;

/// A row of `unit`'s report on `task`.
fn row(task: u32, status: &str, progress: u32, note: &str, on: &str) -> String {
    format!(
        "{}{task},,{status},{progress},,{note},,,某某,0972-8000000,{on}\n",
        repo::HEADER
    )
}

/// The base fixture, task 3 led by 乐都区政府, the scoring rules, and four rounds of reports:
/// - fgw (task 1): on time, late (08-07), on time, nothing in October;
/// - jtj (task 2): red in July and August (streak of 2), copies August's 本月进展 in September,
///   a status that is no status in October;
/// - ldq (task 3): nothing in July, on time, nothing in September (appealed, withdrawn), on time.
fn year(dir: &Path) {
    let plan = std::fs::read_to_string(dir.join("tracker.toml")).unwrap();
    std::fs::write(dir.join("tracker.toml"), format!("{plan}{SCORING}")).unwrap();
    std::fs::write(
        dir.join("tasks/003.toml"),
        "id = 3\nchapter = 1\nsection = 1\nkey_task = \"测试\"\nwork = \"测试任务\"\nlead = [\"乐都区政府\"]\ncooperating = []\ndue = 2024-12-31\nnotes = []\n",
    )
    .unwrap();
    let files = [
        ("2024-07/fgw", row(1, "推进中", 55, "七月工作", "2024-07-08")),
        ("2024-08/fgw", row(1, "推进中", 60, "八月工作", "2024-08-07")),
        ("2024-09/fgw", row(1, "推进中", 68, "九月工作", "2024-09-03")),
        ("2024-07/jtj", row(2, "推进中", 5, "完成前期", "2024-07-08")),
        ("2024-08/jtj", row(2, "推进中", 10, "办理用地", "2024-08-03")),
        ("2024-09/jtj", row(2, "推进中", 65, "办理用地", "2024-09-03")),
        ("2024-10/jtj", row(2, "进行中", 76, "十月施工", "2024-10-03")),
        ("2024-08/ldq", row(3, "推进中", 60, "八月推进", "2024-08-02")),
        ("2024-10/ldq", row(3, "推进中", 77, "十月推进", "2024-10-02")),
    ];
    for (name, body) in files {
        let path = dir.join(format!("reports/{name}.csv"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    std::fs::write(dir.join("appeals.toml"), APPEAL).unwrap();
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let out = tracker(dir).args(["--as-of", AS_OF]).args(args).output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)))
}

/// (round, event, unit, task, counted) of every deduction, sorted.
fn deductions(scores: &Value) -> Vec<(String, String, String, Option<u64>, bool)> {
    let mut out: Vec<_> = scores["units"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|u| u["deductions"].as_array().unwrap().iter())
        .map(|d| {
            (
                d["round"].as_str().unwrap().to_string(),
                d["event"].as_str().unwrap().to_string(),
                d["unit"].as_str().unwrap().to_string(),
                d["task"].as_u64(),
                d["counted"].as_bool().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_year_of_scores_adds_up_by_hand() {
    let dir = fixture_repo(None);
    year(dir.path());
    let scores = json(dir.path(), &["score", "--year", "--format", "json"]);
    let d = |round: &str, event: &str, unit: &str, task: Option<u64>, counted: bool| {
        (round.to_string(), event.to_string(), unit.to_string(), task, counted)
    };
    assert_eq!(
        deductions(&scores),
        vec![
            d("2024-07", "missing", "ldq", None, true),
            d("2024-08", "late", "fgw", None, true),
            d("2024-08", "red_streak", "jtj", Some(2), true),
            d("2024-09", "copied_narrative", "jtj", Some(2), true),
            d("2024-09", "missing", "ldq", None, false),
            d("2024-10", "invalid", "jtj", None, true),
            d("2024-10", "missing", "fgw", None, true),
        ]
    );
    // By hand: fgw 100 − 0.1 − 0.5; jtj 100 − 1 − 0.05 − 0.3; ldq 100 − 0.5 (September withdrawn).
    let score = |id: &str| {
        let u = find_in(&scores["units"], "unit", id);
        (u["score"].as_f64().unwrap(), u["rank"].as_u64().unwrap())
    };
    assert_eq!(score("ldq"), (99.5, 1));
    assert_eq!(score("fgw"), (99.4, 2));
    assert_eq!(score("jtj"), (98.65, 3));
    let ldq = find_in(&scores["units"], "unit", "ldq");
    let withdrawn = &ldq["deductions"][1];
    assert_eq!(withdrawn["appeal"]["decision"], "withdrawn");
    assert_eq!(withdrawn["file"], "reports/2024-09/ldq.csv");
    let invalid = find_in(
        &find_in(&scores["units"], "unit", "jtj")["deductions"],
        "event",
        "invalid",
    );
    assert_eq!(
        (invalid["file"].as_str(), invalid["line"].as_u64()),
        (Some("reports/2024-10/jtj.csv"), Some(2))
    );
    // The withdrawn deduction stays listed, struck through, with the decision beside it.
    let table = stdout(&run(
        dir.path(),
        &["--as-of", AS_OF, "score", "--year", "--width", "200"],
    ));
    assert!(
        table.contains("（不计）漏报") && table.contains("申诉撤销（2024-10-12 市政府督查室"),
        "{table}"
    );
    let units = json(dir.path(), &["units", "--format", "json"]);
    assert_eq!(find_in(&units["units"], "id", "jtj")["score"].as_f64(), Some(98.65));
}

#[test]
fn every_deduction_agrees_with_units_status_and_escalations_round_by_round() {
    let dir = fixture_repo(None);
    year(dir.path());
    let year_scores = json(dir.path(), &["score", "--year", "--format", "json"]);
    let all = deductions(&year_scores);
    for round in ROUNDS {
        let scores = json(dir.path(), &["score", "--round", round, "--format", "json"]);
        let these: Vec<_> = all.iter().filter(|d| d.0 == round).cloned().collect();
        assert_eq!(deductions(&scores), these, "{round}: one round's view is the year's");
        let status = json(dir.path(), &["status", "--round", round, "--format", "json"]);
        for u in status["units"].as_array().unwrap() {
            let id = u["id"].as_str().unwrap();
            let has = |event: &str| these.iter().any(|d| d.1 == event && d.2 == id);
            let submission = u["submission"].as_str().unwrap();
            assert_eq!(has("missing"), submission == "missing", "{round} {id}");
            assert_eq!(has("invalid"), submission == "invalid", "{round} {id}");
            assert_eq!(has("incomplete"), submission == "incomplete", "{round} {id}");
            assert_eq!(
                has("late"),
                !u["late_minutes"].is_null() || submission == "late",
                "{round} {id}"
            );
        }
        let fired = json(dir.path(), &["escalations", "--round", round, "--format", "json"]);
        let first_fired: Vec<u64> = fired
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["when"] == "red" && f["history"].as_array().is_some_and(|h| h.len() == 2))
            .map(|f| f["task"].as_u64().unwrap())
            .collect();
        let streaks: Vec<u64> = these
            .iter()
            .filter(|d| d.1 == "red_streak")
            .filter_map(|d| d.3)
            .collect();
        assert_eq!(streaks, first_fired, "{round}: 连续红灯 as escalations fire it");
    }
    let units = json(dir.path(), &["units", "--format", "json"]);
    for u in units["units"].as_array().unwrap() {
        let id = u["id"].as_str().unwrap();
        let count = |event: &str| all.iter().filter(|d| d.1 == event && d.2 == id).count() as u64;
        assert_eq!(u["missing"].as_u64(), Some(count("missing")), "{id}");
        assert_eq!(u["late"].as_u64(), Some(count("late")), "{id}");
    }
}

#[test]
fn an_appeal_that_matches_nothing_is_refused_and_the_digest_carries_the_scores() {
    let dir = fixture_repo(None);
    year(dir.path());
    let wrong = APPEAL.replace("round = \"2024-09\"", "round = \"2024-08\"");
    std::fs::write(dir.path().join("appeals.toml"), wrong).unwrap();
    let out = run(dir.path(), &["--as-of", AS_OF, "check", "appeals.toml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("appeals.toml:1:1: error[appeal]"),
        "{}",
        stdout(&out)
    );
    let out = run(dir.path(), &["--as-of", AS_OF, "score", "--year"]);
    assert_eq!(out.status.code(), Some(1));
    std::fs::write(dir.path().join("appeals.toml"), APPEAL).unwrap();
    let out = run(
        dir.path(),
        &["--as-of", AS_OF, "digest", "--format", "html", "--output", "-"],
    );
    let page = stdout(&out);
    assert!(
        page.contains("督查考评（2024-07 至 2024-10 轮") && page.contains("<s>2024-09 漏报"),
        "{page}"
    );
    let out = run(dir.path(), &["--as-of", AS_OF, "digest", "--format", "xlsx"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(dir.path().join("reports/digests/2024-10.xlsx")).unwrap();
    use calamine::Reader;
    assert!(wb.sheet_names().contains(&"考评".to_string()), "{:?}", wb.sheet_names());
    let sheet = wb.worksheet_range("考评").unwrap();
    assert!(sheet.rows().any(|r| r.contains(&calamine::Data::Float(98.65))));
}
