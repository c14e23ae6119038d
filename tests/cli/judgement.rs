//! The judgement rules, through the library, on a fixture repository with pinned received times.

use std::collections::BTreeMap;

use crate::common::*;
use chrono::{DateTime, FixedOffset};
use tracker::assess::{Assessment, Detail, Received, RoundStatus, Submission, TimeSource, consolidate};

const HEADER: &str = "任务编号,指标,状态,进度,完成值,本月进展,存在问题,下步计划,填报人,联系电话,填报日期\n";

/// Tasks: 3 led by two units, 4 led by the group 各县区政府 (ldq, paq), 5 due in 2025.
fn repo() -> tempfile::TempDir {
    let dir = fixture_repo(None);
    let task = |id: u32, lead: &str, due: &str| {
        format!(
            "id = {id}\nchapter = 1\nsection = 1\nkey_task = \"测试\"\nwork = \"测试任务\"\nlead = [{lead}]\ncooperating = []\ndue = {due}\nnotes = []\n"
        )
    };
    std::fs::write(
        dir.path().join("tasks/003.toml"),
        task(3, "\"市发展改革委\", \"市交通运输局\"", "2024-12-31"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("tasks/004.toml"),
        task(4, "\"各县区政府\"", "2024-12-31"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("tasks/005.toml"),
        task(5, "\"市交通运输局\"", "2025-12-31"),
    )
    .unwrap();
    dir
}

/// Writes a report; a row with an empty 填报日期 gets the round's first day (a file without any
/// date is no submission, and these tests are about received times, not dates).
fn report(dir: &std::path::Path, round: &str, unit: &str, rows: &[&str]) {
    let folder = dir.join("reports").join(round);
    std::fs::create_dir_all(&folder).unwrap();
    let rows: Vec<String> = rows
        .iter()
        .map(|r| match r.ends_with(',') {
            true => format!("{r}{round}-01"),
            false => r.to_string(),
        })
        .collect();
    std::fs::write(
        folder.join(format!("{unit}.csv")),
        format!("{HEADER}{}\n", rows.join("\n")),
    )
    .unwrap();
}

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn judge(dir: &std::path::Path, round: &str, as_of: &str, times: &[(&str, &str)]) -> RoundStatus {
    let mut loaded = tracker::load::load(dir).unwrap();
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    tracker::check::run(&mut loaded, t(as_of));
    let ws = loaded.workspace().unwrap();
    let times: BTreeMap<String, Received> = times
        .iter()
        .map(|(file, at)| {
            (
                file.to_string(),
                Received {
                    at: Some(t(at)),
                    source: TimeSource::Git,
                    ..Received::unknown()
                },
            )
        })
        .collect();
    let round = round.parse().unwrap();
    let full = consolidate(&ws, round, t(as_of), &times, Detail::Rows);
    // Judged without the units' rows (as for JSON and CSV), everything else is the same.
    let mut lean = consolidate(&ws, round, t(as_of), &times, Detail::Verdict);
    assert!(lean.tasks.iter().all(|t| t.rows.is_empty()));
    for (lean, full) in lean.tasks.iter_mut().zip(&full.tasks) {
        lean.rows = full.rows.clone();
    }
    assert_eq!(lean, full);
    full
}

fn task(s: &RoundStatus, id: u32) -> &tracker::assess::TaskStatus {
    s.tasks.iter().find(|t| t.id == id).unwrap()
}

fn unit(s: &RoundStatus, id: &str) -> Submission {
    s.units.iter().find(|u| u.id == id).unwrap().submission
}

#[test]
fn several_leads_mean_progress_worst_state_and_who_is_missing() {
    let dir = repo();
    report(
        dir.path(),
        "2024-08",
        "fgw",
        &["1,,推进中,60,,a,,,,,2024-08-01", "3,,推进中,80,,a,,,,,2024-08-01"],
    );
    report(
        dir.path(),
        "2024-08",
        "jtj",
        &[
            "2,,推进中,60,,a,,,,,2024-08-01",
            "3,,滞后,40,,a,,,,,2024-08-01",
            "5,,推进中,30,,a,,,,,2024-08-01",
        ],
    );
    let s = judge(dir.path(), "2024-08", "2024-08-10T00:00:00+08:00", &[]);
    let t3 = task(&s, 3);
    assert_eq!(t3.progress, Some(60.0), "mean of 80 and 40");
    assert_eq!(
        t3.status,
        Some(tracker::model::Status::Behind),
        "the worst of 推进中 and 滞后"
    );
    assert_eq!(
        t3.assessment,
        Assessment::BehindYellow,
        "a lead reporting 滞后 is at least yellow"
    );
    std::fs::remove_file(dir.path().join("reports/2024-08/jtj.csv")).unwrap();
    let s = judge(dir.path(), "2024-08", "2024-08-10T00:00:00+08:00", &[]);
    assert_eq!(task(&s, 3).assessment, Assessment::Missing);
    assert_eq!(task(&s, 3).missing_units, ["市交通运输局".into()]);
    assert_eq!(
        task(&s, 3).progress,
        Some(80.0),
        "what the reporting lead said is still shown"
    );
}

#[test]
fn a_group_lead_means_every_member_reports() {
    let dir = repo();
    report(dir.path(), "2024-08", "ldq", &["4,,推进中,70,,a,,,,,2024-08-01"]);
    let s = judge(dir.path(), "2024-08", "2024-08-10T00:00:00+08:00", &[]);
    assert_eq!(task(&s, 4).assessment, Assessment::Missing);
    assert_eq!(task(&s, 4).missing_units, ["平安区政府".into()]);
    assert!(
        s.units.iter().any(|u| u.id == "paq"),
        "members of a lead group are expected to report"
    );
    report(dir.path(), "2024-08", "paq", &["4,,推进中,50,,a,,,,,2024-08-01"]);
    let s = judge(dir.path(), "2024-08", "2024-08-10T00:00:00+08:00", &[]);
    assert_eq!(
        (task(&s, 4).assessment, task(&s, 4).progress),
        (Assessment::OnPace, Some(60.0))
    );
}

#[test]
fn received_at_18_00_is_on_time_and_18_01_is_late() {
    let dir = repo();
    report(
        dir.path(),
        "2024-08",
        "fgw",
        &["1,,推进中,60,,a,,,,,", "3,,推进中,60,,a,,,,,"],
    );
    report(
        dir.path(),
        "2024-08",
        "jtj",
        &["2,,推进中,60,,a,,,,,", "3,,推进中,60,,a,,,,,", "5,,推进中,30,,a,,,,,"],
    );
    let s = judge(
        dir.path(),
        "2024-08",
        "2024-08-10T00:00:00+08:00",
        &[
            ("reports/2024-08/fgw.csv", "2024-08-05T18:00:00+08:00"),
            ("reports/2024-08/jtj.csv", "2024-08-05T18:01:00+08:00"),
        ],
    );
    assert_eq!(unit(&s, "fgw"), Submission::OnTime);
    assert_eq!(unit(&s, "jtj"), Submission::Late);
    assert_eq!(s.units.iter().find(|u| u.id == "jtj").unwrap().late_minutes, Some(1));
}

#[test]
fn the_first_round_is_due_on_the_override() {
    let dir = repo();
    report(
        dir.path(),
        "2024-07",
        "fgw",
        &["1,,推进中,60,,a,,,,,", "3,,推进中,60,,a,,,,,"],
    );
    let s = judge(
        dir.path(),
        "2024-07",
        "2024-07-11T00:00:00+08:00",
        &[("reports/2024-07/fgw.csv", "2024-07-09T10:00:00+08:00")],
    );
    assert_eq!(s.due, t("2024-07-10T18:00:00+08:00"));
    assert_eq!(
        unit(&s, "fgw"),
        Submission::OnTime,
        "on time for 7-10 though after the usual 5th"
    );
}

#[test]
fn a_round_with_no_reports_at_all() {
    let dir = repo();
    let s = judge(dir.path(), "2024-08", "2024-08-10T00:00:00+08:00", &[]);
    assert_eq!(s.reports_received, 0);
    assert!(s.tasks.iter().all(|t| t.assessment == Assessment::Missing));
    assert!(s.units.iter().all(|u| u.submission == Submission::Missing));
    assert_eq!(s.totals.assessments.get(Assessment::Missing), 5);
    let ids: Vec<&str> = s.units.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(
        ids,
        ["fgw", "jtj", "ldq", "paq"],
        "only units that lead a task are expected"
    );
}

#[test]
fn a_task_due_in_2025_has_a_longer_window() {
    let dir = repo();
    report(
        dir.path(),
        "2024-07",
        "jtj",
        &["2,,推进中,60,,a,,,,,", "3,,推进中,60,,a,,,,,", "5,,未启动,,,a,,,,,"],
    );
    let s = judge(
        dir.path(),
        "2024-07",
        "2024-07-11T00:00:00+08:00",
        &[("reports/2024-07/jtj.csv", "2024-07-09T10:00:00+08:00")],
    );
    // 2024-07-10 18:00 is 191.75 days in: 52.4% of 2024, 26.2% of 2024–2025.
    assert_eq!(tracker::text::round1(task(&s, 2).expected), 52.4);
    assert_eq!(tracker::text::round1(task(&s, 5).expected), 26.2);
    assert_eq!(
        task(&s, 5).assessment,
        Assessment::NotStarted,
        "未启动 is still early before a third of the window"
    );
    assert_eq!(task(&s, 5).progress, Some(0.0));
    report(
        dir.path(),
        "2024-09",
        "jtj",
        &["2,,推进中,60,,b,,,,,", "3,,推进中,60,,b,,,,,", "5,,未启动,,,b,,,,,"],
    );
    let s = judge(
        dir.path(),
        "2024-09",
        "2024-09-11T00:00:00+08:00",
        &[("reports/2024-09/jtj.csv", "2024-09-01T10:00:00+08:00")],
    );
    assert_eq!(
        task(&s, 5).assessment,
        Assessment::BehindRed,
        "34% of the window has passed"
    );
}

#[test]
fn a_report_received_after_as_of_is_not_there_yet() {
    let dir = repo();
    report(
        dir.path(),
        "2024-08",
        "jtj",
        &["2,,推进中,60,,a,,,,,", "3,,推进中,60,,a,,,,,", "5,,推进中,30,,a,,,,,"],
    );
    let times = [("reports/2024-08/jtj.csv", "2024-08-06T09:00:00+08:00")];
    let before = judge(dir.path(), "2024-08", "2024-08-06T08:00:00+08:00", &times);
    assert_eq!(unit(&before, "jtj"), Submission::Missing);
    let after = judge(dir.path(), "2024-08", "2024-08-06T10:00:00+08:00", &times);
    assert_eq!(unit(&after, "jtj"), Submission::Late);
}

#[test]
fn thresholds_yellow_at_10_red_above_30() {
    let loaded = tracker::load::load(&fixtures().join("base")).unwrap();
    let plan = loaded.plan.as_ref().unwrap();
    let a = |progress: f64| {
        tracker::assess::assess_progress(
            plan,
            &tracker::assess::Judged {
                status: Some(tracker::model::Status::InProgress),
                progress: Some(progress),
                expected: 60.0,
                elapsed: 0.5,
                basis: tracker::assess::Basis::Linear,
            },
        )
    };
    assert_eq!(a(50.1), Assessment::OnPace);
    assert_eq!(a(50.0), Assessment::BehindYellow, "10 points behind is yellow");
    assert_eq!(a(30.0), Assessment::BehindYellow, "30 behind is still yellow");
    assert_eq!(a(29.9), Assessment::BehindRed, "more than 30 behind is red");
    assert_eq!(a(70.0), Assessment::Ahead);
    assert_eq!(a(69.9), Assessment::OnPace);
}
