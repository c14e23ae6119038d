//! A round as it was received and as it was published (#27): `publish` records the commit, every
//! output of the round shows that state with its corrections listed, and `--as-of` replays what
//! the office had received by then, byte for byte.

use std::process::{Command, Output};

use serde_json::Value;

use crate::common::repo::Repo;
use crate::common::*;

const JTJ: &str = "reports/2024-08/jtj.csv";
const FGW: &str = "reports/2024-08/fgw.csv";

fn jtj_at(progress: u32) -> String {
    format!("2,,推进中,{progress},,完成初步设计,,,李四,0972,2024-08-03\n")
}

/// The office runs `publish` at a pinned time (the tag's date).
fn publish(dir: &std::path::Path, args: &[&str], at: &str) -> Output {
    git_env(Command::new(assert_cmd::cargo::cargo_bin("tracker")), dir)
        .env("GIT_COMMITTER_DATE", at)
        .env_remove("TRACKER_AS_OF")
        .env("NO_COLOR", "1")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn json(repo: &Repo, args: &[&str]) -> Value {
    let out = repo.tracker(args);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)))
}

fn task_progress(status: &Value, id: u64) -> f64 {
    find_in(&status["tasks"], "id", id)["progress"].as_f64().unwrap()
}

/// 市交通运输局 reports task 2 at 45% on 08-05; the office publishes August on 08-09.
fn august_published() -> (Repo, Output) {
    let repo = Repo::new();
    repo.submit(JTJ, &jtj_at(45), "2024-08-05T10:00:00+08:00");
    let out = publish(
        repo.path(),
        &["publish", "--round", "2024-08"],
        "2024-08-09T09:00:00+08:00",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    (repo, out)
}

#[test]
fn a_published_round_keeps_its_numbers_and_lists_each_correction() {
    let (repo, out) = august_published();
    assert!(stdout(&out).contains("git push origin refs/tags/tracker/published/2024-08"));
    let tag = repo.git(&["cat-file", "-t", "refs/tags/tracker/published/2024-08"]);
    assert_eq!(String::from_utf8_lossy(&tag.stdout).trim(), "tag", "an annotated tag");
    // 市交通运输局 changes its August file after the circular went out.
    repo.submit(JTJ, &jtj_at(60), "2024-08-12T14:00:00+08:00");

    let status = json(&repo, &["status", "--round", "2024-08", "--format", "json"]);
    assert_eq!(task_progress(&status, 2), 45.0, "the published value");
    assert_eq!(status["published"]["at"], "2024-08-09T09:00:00+08:00");
    let c = &status["corrections"][0];
    assert_eq!(
        (
            &c["task"],
            &c["unit"],
            &c["field"],
            &c["old"],
            &c["new"],
            &c["received"]
        ),
        (
            &2.into(),
            &"jtj".into(),
            &"进度".into(),
            &"45%".into(),
            &"60%".into(),
            &"2024-08-12T14:00:00+08:00".into()
        )
    );
    assert_eq!(status["corrections"].as_array().unwrap().len(), 1, "{status}");
    let table = stdout(&repo.tracker(&["status", "--round", "2024-08"]));
    assert!(table.contains("已发布：2024-08-09 09:00"), "{table}");
    assert!(
        table
            .contains("发布后更正：1 处\n  第 2 项　市交通运输局　进度 45% → 60%（发布后更正，2024-08-12 14:00 收到）"),
        "{table}"
    );
    let circular = stdout(&repo.tracker(&["circular", "--round", "2024-08"]));
    let (body, corrections) = circular.split_once("、发布后更正").expect("a section of corrections");
    assert!(body.contains("45%") && !body.contains("60%"), "{circular}");
    assert!(corrections.contains("进度 45% → 60%"), "{circular}");

    let latest = json(&repo, &["--latest", "status", "--round", "2024-08", "--format", "json"]);
    assert_eq!(task_progress(&latest, 2), 60.0, "--latest shows the new value");
    assert!(latest.get("published").is_none());
    assert_eq!(latest["corrections"][0]["since"], "deadline", "{latest}");

    let again = publish(
        repo.path(),
        &["publish", "--round", "2024-08"],
        "2024-08-13T09:00:00+08:00",
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("已于 2024-08-09 09:00 发布"),
        "{}",
        stderr(&again)
    );
    let forced = publish(
        repo.path(),
        &["publish", "--round", "2024-08", "--force"],
        "2024-08-13T09:00:00+08:00",
    );
    assert!(forced.status.success(), "{}", stderr(&forced));
    let status = json(&repo, &["status", "--round", "2024-08", "--format", "json"]);
    assert_eq!(task_progress(&status, 2), 60.0, "republished with the correction");
    assert!(status.get("corrections").is_none(), "{status}");
}

#[test]
fn before_publication_a_change_after_the_deadline_is_marked() {
    let repo = Repo::new();
    repo.submit(JTJ, &jtj_at(45), "2024-08-05T10:00:00+08:00");
    repo.submit(JTJ, &jtj_at(60), "2024-08-07T14:00:00+08:00");
    let table = stdout(&repo.tracker(&["status", "--round", "2024-08"]));
    assert!(
        table.contains(
            "截止后修改：1 处\n  第 2 项　市交通运输局　进度 60%（截止后修改，原为 45%，2024-08-07 14:00 收到）"
        ),
        "{table}"
    );
}

#[test]
fn publishing_refuses_uncommitted_data_and_a_made_up_time() {
    let repo = Repo::new();
    repo.write(JTJ, &jtj_at(45));
    let out = publish(
        repo.path(),
        &["publish", "--round", "2024-08"],
        "2024-08-09T09:00:00+08:00",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("未提交的数据修改"), "{}", stderr(&out));
    std::fs::write(repo.path().join("notes.txt"), "会议记录").unwrap();
    repo.git(&["add", JTJ]);
    repo.commit("报送", "2024-08-05T10:00:00+08:00", "2024-08-05T10:00:00+08:00");
    let out = publish(
        repo.path(),
        &["publish", "--round", "2024-08"],
        "2024-08-09T09:00:00+08:00",
    );
    assert!(
        out.status.success(),
        "a note beside the data is no data: {}",
        stderr(&out)
    );
    let out = publish(
        repo.path(),
        &["--as-of", "2024-08-09", "publish", "--round", "2024-08", "--force"],
        "2024-08-09T09:00:00+08:00",
    );
    assert!(
        stderr(&out).contains("不能使用 --as-of"),
        "a publication is dated by the clock: {}",
        stderr(&out)
    );
    // A round nobody reported on: most likely the wrong round was named.
    let out = publish(
        repo.path(),
        &["publish", "--round", "2024-09"],
        "2024-09-09T09:00:00+08:00",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("reports/2024-09/ 中没有任何报送文件"),
        "{}",
        stderr(&out)
    );
}

/// The days of a season as the office lived them: each day's commits, then what it printed.
const SEASON: [(&str, &[(&str, &str)]); 6] = [
    ("2024-08-02", &[]),
    ("2024-08-04", &[(FGW, "1,,推进中,50,,推进,,,张三,0972,2024-08-04\n")]),
    ("2024-08-05", &[(JTJ, "2,,推进中,45,,推进,,,李四,0972,2024-08-05\n")]),
    ("2024-08-06", &[(JTJ, "2,,推进中,70,,补充,,,李四,0972,2024-08-06\n")]),
    (
        "2024-08-08",
        &[("reports/2024-08/ldq.csv", "1,,滞后,10,,推进,,,王五,0972,2024-08-08\n")],
    ),
    ("2024-08-12", &[(FGW, "1,,推进中,约50,,推进,,,张三,0972,2024-08-12\n")]),
];

const VIEWS: [&[&str]; 4] = [
    &["status", "--round", "2024-08", "--all"],
    &["status", "--round", "2024-08", "--format", "json"],
    &["units", "--round", "2024-08"],
    &["circular", "--round", "2024-08"],
];

#[test]
fn as_of_replays_each_day_of_a_season_byte_for_byte() {
    let repo = Repo::new();
    let mut saved = Vec::new();
    for (day, files) in SEASON {
        for (i, (file, body)) in files.iter().enumerate() {
            repo.submit(file, body, &format!("{day}T1{i}:00:00+08:00"));
        }
        let evening = format!("{day}T20:00:00+08:00");
        for view in VIEWS {
            let out = repo.tracker_without_as_of(&[&["--as-of", &evening][..], view].concat());
            saved.push((evening.clone(), view, transcript(&out)));
        }
    }
    for (evening, view, then) in &saved {
        let now = repo.tracker_without_as_of(&[&["--as-of", evening.as_str()][..], view].concat());
        assert_eq!(&transcript(&now), then, "{view:?} as of {evening}");
    }
    // And a replay is no tip's view: files received later are not there at all.
    let early = transcript(&repo.tracker_without_as_of(&["--as-of", "2024-08-04T20:00:00+08:00", "check"]));
    assert!(!early.contains("future-date") && !early.contains("jtj.csv"), "{early}");
}

/// The publication travels with the repository: the office pushes it, the server takes it from the
/// office's pushers only, and a liaison's clone that fetches it shows the round as published.
#[test]
fn the_server_takes_a_publication_from_the_office_only_and_clones_fetch_it() {
    use crate::server::{GOOD_JTJ, commit, git, ok, push, push_as, server};
    let server = server("2024-08-05T17:00:00+08:00");
    let jtj = server.clone("jtj", &server.url());
    commit(&jtj, JTJ, GOOD_JTJ, "2024-08-05T16:00:00+08:00");
    ok(push(&jtj));
    let office = server.clone("office", &server.url());
    let out = publish(&office, &["publish", "--round", "2024-08"], "2024-08-09T09:00:00+08:00");
    assert!(out.status.success(), "{}", stderr(&out));
    let tag = "refs/tags/tracker/published/2024-08";
    // A unit cannot publish, nor move the office's record.
    ok(git(&jtj, &["tag", "-a", "-m", "伪造", "tracker/published/2024-08"]));
    let forged = push_as(&jtj, Some("jtj"), &[tag]);
    assert!(!forged.status.success(), "a unit's publication is refused");
    assert!(
        git(&server.bare, &["rev-parse", "-q", "--verify", tag])
            .stdout
            .is_empty()
    );
    ok(push_as(&office, Some("office"), &[tag]));
    ok(git(&jtj, &["tag", "-d", "tracker/published/2024-08"]));
    ok(git(&jtj, &["fetch", "-q", "--tags", "origin"]));
    let status = git_env(Command::new(assert_cmd::cargo::cargo_bin("tracker")), &jtj)
        .args(["--as-of", "2024-08-20T12:00:00+08:00", "status", "--round", "2024-08"])
        .current_dir(&jtj)
        .output()
        .unwrap();
    assert!(
        stdout(&status).contains("已发布：2024-08-09 09:00"),
        "{}",
        stdout(&status)
    );
}

/// The history a later round shows keeps what was published: August corrected after its
/// publication still reads 45% in September's trend, and August's own outputs list the correction.
#[test]
fn a_later_round_s_history_keeps_the_published_numbers() {
    let (repo, _) = august_published();
    repo.submit(JTJ, &jtj_at(60), "2024-08-12T14:00:00+08:00");
    repo.submit(
        "reports/2024-09/jtj.csv",
        "2,,推进中,70,,推进,,,李四,0972,2024-09-03\n",
        "2024-09-04T10:00:00+08:00",
    );
    let trend = |extra: &[&str]| {
        let args = [
            &["--as-of", "2024-09-20T12:00:00+08:00"][..],
            extra,
            &["status", "--round", "2024-09", "--trend", "--all", "--style", "ascii"],
        ]
        .concat();
        stdout(&repo.tracker_without_as_of(&args))
    };
    let kept = trend(&[]);
    let row = kept.lines().find(|l| l.starts_with("| 2 ")).unwrap_or_default();
    assert!(row.contains("45 70"), "August as published, then September: {kept}");
    let latest = trend(&["--latest"]);
    let row = latest.lines().find(|l| l.starts_with("| 2 ")).unwrap_or_default();
    assert!(row.contains("60 70"), "--latest shows the correction: {latest}");
}
