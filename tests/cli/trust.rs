//! Verdicts the office can publish: one month with every kind of bad, blank and late data, in a
//! real git repository with pinned dates, and every output checked against numbers worked out
//! by hand below.

use crate::common::repo::Repo;
use crate::common::*;
use serde_json::{Value, json};

/// Tasks 3 and 4 join the base fixture: 3 led by 乐都区政府 (ldq), 4 by 平安区政府 (paq).
fn month() -> Repo {
    let repo = Repo::new();
    for (id, lead) in [(3, "乐都区政府"), (4, "平安区政府")] {
        std::fs::write(
            repo.path().join(format!("tasks/00{id}.toml")),
            format!(
                "id = {id}\nchapter = 1\nsection = 1\nkey_task = \"测试{id}\"\nwork = \"测试任务\"\nlead = [\"{lead}\"]\ncooperating = []\ndue = 2024-12-31\nnotes = []\n"
            ),
        )
        .unwrap();
    }
    repo.git(&["add", "tasks"]);
    repo.commit("任务 3、4", "2024-08-01T10:00:00+08:00", "2024-08-01T10:00:00+08:00");
    // ldq: the blank template `report new` writes, committed before the deadline...
    let out = repo.tracker(&["report", "new", "--unit", "ldq", "--round", "2024-08"]);
    assert!(out.status.success(), "{}", stderr(&out));
    repo.git(&["add", "reports"]);
    repo.commit("模板", "2024-08-04T09:00:00+08:00", "2024-08-04T09:00:00+08:00");
    // fgw, on time: 已完成 at 90 (an error), and the same metric twice (7, then 97).
    repo.submit(
        "reports/2024-08/fgw.csv",
        "1,,已完成,90,,完成,,,张三,0972-8000001,2024-08-05\n1,和美乡村,,,7,,,,,,\n1,和美乡村,,,97,,,,,,\n",
        "2024-08-05T10:00:00+08:00",
    );
    // jtj, on time: a progress of 约60% (an error), and a metric of a task it has nothing to do with.
    repo.submit(
        "reports/2024-08/jtj.csv",
        "2,,推进中,约60%,,推进,,,李四,0972-8000002,2024-08-05\n1,和美乡村,,,100,,,,,,\n",
        "2024-08-05T11:00:00+08:00",
    );
    // ...ldq fills it in four days later: self-reported 滞后 although ahead, and its share of 和美乡村.
    repo.submit(
        "reports/2024-08/ldq.csv",
        "3,,滞后,70,,推进,,,王五,0972-8000003,2024-08-09\n1,和美乡村,,,4,,,,,,\n",
        "2024-08-09T10:00:00+08:00",
    );
    // paq sends nothing.
    repo
}

fn json_of(repo: &Repo, args: &[&str]) -> Value {
    let out = repo.tracker(args);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{args:?}: {}", stderr(&out)))
}

// By hand: 2024-08-05 18:00 is 217.75 of 366 days into 2024, so 序时进度 is 59.49…%, shown 59.5.
const EXPECTED: f64 = 59.5;

#[test]
fn status_judges_only_rows_that_passed_the_checks() {
    let repo = month();
    let s = json_of(&repo, &["status", "--round", "2024-08", "--format", "json"]);
    let t1 = find_in(&s["tasks"], "id", 1);
    assert_eq!(
        t1["assessment"], "invalid",
        "已完成 at 90 is left out, never judged 已完成"
    );
    assert_eq!(t1["progress"], Value::Null);
    assert_eq!(
        t1["invalid_units"],
        json!([{"unit": "市发展改革委", "row": 2, "rule": "done-below-100"}])
    );
    assert_eq!(
        t1["reason"],
        "报送有误，待更正：市发展改革委 第 2 行：状态为已完成，但进度只有 90%"
    );
    // 和美乡村: fgw's two rows are both out (duplicate), jtj's is foreign; only ldq's 4 counts.
    let target = &t1["targets"][0];
    assert_eq!(target["actual"], 4.0);
    assert_eq!(target["sources"], json!(["reports/2024-08/ldq.csv:3"]));

    let t2 = find_in(&s["tasks"], "id", 2);
    assert_eq!(t2["assessment"], "invalid");
    assert_eq!(t2["invalid_units"][0]["rule"], "invalid-progress");

    let t3 = find_in(&s["tasks"], "id", 3);
    assert_eq!(
        t3["assessment"], "behind_yellow",
        "a lead that reports 滞后 is at least yellow"
    );
    assert_eq!(t3["progress"], 70.0);
    assert_eq!(t3["expected"], EXPECTED);
    assert_eq!(t3["lag"], Value::Null, "ahead by its numbers: no lag");
    assert_eq!(t3["reason"], "自报滞后（进度 70%，已达序时进度 59.5%）");

    let t4 = find_in(&s["tasks"], "id", 4);
    assert_eq!(t4["assessment"], "missing");
    assert_eq!(t4["missing_units"], json!(["平安区政府"]));

    let a = &s["totals"]["assessments"];
    assert_eq!(
        (
            a["invalid"].as_u64(),
            a["behind_yellow"].as_u64(),
            a["missing"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(s["totals"]["left_out"], 2);
    // Chapter 1 holds tasks 1, 3 and 4: only task 3's valid 70 is in the mean.
    let ch1 = find_in(&s["chapters"], "number", 1);
    assert_eq!(
        (ch1["mean_progress"].as_f64(), ch1["left_out"].as_u64()),
        (Some(70.0), Some(1))
    );
}

#[test]
fn a_blank_template_committed_early_is_late_when_filled_late() {
    let repo = month();
    let s = json_of(&repo, &["status", "--round", "2024-08", "--format", "json"]);
    let ldq = find_in(&s["units"], "id", "ldq");
    assert_eq!(ldq["submission"], "late");
    assert_eq!(ldq["received_at"], "2024-08-09T10:00:00+08:00");
    // 2024-08-05 18:00 to 2024-08-09 10:00: 3 days 16 hours.
    assert_eq!(ldq["late_minutes"], 3 * 1440 + 16 * 60);
    assert!(
        ldq["remark"]
            .as_str()
            .unwrap()
            .contains("2024-08-04 09:00 提交的版本模板未填写，不算报送"),
        "{ldq}"
    );
    let units = json_of(&repo, &["units", "--round", "2024-08", "--format", "json"]);
    let ldq_rounds = &find_in(&units["units"], "id", "ldq")["rounds"];
    assert_eq!(ldq_rounds[1]["submission"], "late", "units agrees with status");
    assert_eq!(find_in(&s["units"], "id", "fgw")["submission"], "invalid");
    assert_eq!(find_in(&s["units"], "id", "jtj")["submission"], "invalid");
    assert_eq!(find_in(&s["units"], "id", "paq")["submission"], "missing");
    // Liaisons: units.toml has none for jtj; its report says 李四.
    let jtj = find_in(&units["units"], "id", "jtj");
    assert_eq!(
        (jtj["liaison"].as_str(), jtj["phone"].as_str()),
        (Some("李四"), Some("0972-8000002"))
    );
}

#[test]
fn before_the_deadline_units_are_pending_and_remind_names_them() {
    let repo = month();
    let early = ["--as-of", "2024-08-04T12:00:00+08:00"];
    let early_json = |args: &[&str]| -> Value {
        let out = repo.tracker_without_as_of(&[&early[..], args].concat());
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)))
    };
    let s = early_json(&["status", "--round", "2024-08", "--format", "json"]);
    assert_eq!(
        s["totals"]["submissions"]["missing"], 0,
        "nobody is missing before the deadline"
    );
    assert_eq!(find_in(&s["units"], "id", "paq")["submission"], "pending");
    assert_eq!(
        find_in(&s["units"], "id", "ldq")["submission"],
        "pending",
        "a blank template is not a report"
    );
    assert_eq!(find_in(&s["tasks"], "id", 4)["assessment"], "pending");
    let table = stdout(&repo.tracker_without_as_of(&[&early[..], &["status", "--round", "2024-08"]].concat()));
    assert!(table.contains("距截止还有 1 天 6 小时"), "{table}");
    let remind = stdout(&repo.tracker_without_as_of(&[&early[..], &["remind"]].concat()));
    assert!(
        remind.contains("截止 2024-08-05 18:00（距截止还有 1 天 6 小时）"),
        "{remind}"
    );
    assert!(
        remind.contains("乐都区政府（联络员未登记）：待报。文件不算报送：模板未填写；应报牵头任务 3。"),
        "{remind}"
    );
    assert!(
        remind.contains("市交通运输局（联络员未登记）"),
        "not from a file not yet received: {remind}"
    );
    assert!(
        remind.contains("平安区政府（联络员未登记）：待报。应报牵头任务 4。"),
        "{remind}"
    );
    assert!(
        remind.contains("市发展改革委（联络员 张三，0972-8000001）：待报"),
        "{remind}"
    );
    let after = json_of(&repo, &["remind", "--round", "2024-08", "--format", "json"]);
    let fgw = find_in(&after["units"], "id", "fgw");
    assert_eq!(fgw["submission"], "invalid");
    assert!(
        fgw["items"][0].as_str().unwrap().starts_with("第 2 行：状态为已完成"),
        "{fgw}"
    );
    assert_eq!(find_in(&after["units"], "id", "paq")["submission"], "missing");
    assert!(
        after["units"].as_array().unwrap().iter().all(|u| u["id"] != "ldq"),
        "late but sent: not chased"
    );
}

#[test]
fn show_digest_and_circular_tell_the_same_story() {
    let repo = month();
    let show = stdout(&repo.tracker(&["show", "1", "--round", "2024-08"]));
    assert!(
        show.contains("研判依据：报送有误，待更正：市发展改革委 第 2 行"),
        "{show}"
    );
    assert!(
        show.contains("「和美乡村」累计完成 4 = 乐都区政府 4（2024-08，reports/2024-08/ldq.csv:3）"),
        "{show}"
    );
    assert!(repo.tracker(&["digest", "--round", "2024-08"]).status.success());
    let digest = std::fs::read_to_string(repo.path().join("reports/digests/2024-08.csv")).unwrap();
    // A title row and a meta row come before the header.
    let mut rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(digest.trim_start_matches('\u{feff}').as_bytes());
    let mut records = rows.records().map(Result::unwrap).skip(2);
    let headers = records.next().unwrap();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = records.collect();
    let t3 = records.iter().find(|r| &r[0] == "3").unwrap();
    assert_eq!(
        (&t3[col("评估")], &t3[col("进度")], &t3[col("序时进度")]),
        ("欠进度（黄）", "70", "59.5")
    );
    let t1 = records.iter().find(|r| &r[0] == "1").unwrap();
    assert_eq!(&t1[col("评估")], "报送有误");
    assert_eq!(&t1[col("进度")], "", "no number from a row that failed the checks");
    let circular = stdout(&repo.tracker(&["circular", "--round", "2024-08"]));
    assert!(
        circular.contains("【黄灯】第 3 项 测试3：自报滞后（进度 70%，已达序时进度 59.5%）。"),
        "{circular}"
    );
    assert!(circular.contains("未报送的单位（1 个）：平安区政府。"), "{circular}");
    assert!(
        circular.contains("逾期报送的单位（1 个）：乐都区政府（逾期 3 天 16 小时）。"),
        "{circular}"
    );
    assert!(
        circular.contains("- 第 1 项 建设宜居宜业和美乡村：市发展改革委 第 2 行：状态为已完成，但进度只有 90%。"),
        "{circular}"
    );
    assert!(circular.contains("报送有误待更正 2 项"), "{circular}");
    for text in [&show, &digest, &circular] {
        assert!(
            !text.contains("落后 -") && !text.contains("落后 0 "),
            "no negative or zero lag:\n{text}"
        );
    }
}

#[test]
fn check_names_every_bad_cell_and_rows_never_count() {
    let repo = month();
    let out = repo.tracker(&["check"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for needle in [
        "reports/2024-08/fgw.csv:2:3: error[done-below-100]",
        "reports/2024-08/fgw.csv:3:2: error[duplicate-metric]",
        "reports/2024-08/fgw.csv:4:2: error[duplicate-metric]",
        "reports/2024-08/jtj.csv:2:4: error[invalid-progress]",
        "reports/2024-08/jtj.csv:3:1: error[not-assigned]",
        "reports/2024-08/jtj.csv:3:5: warning[implausible-actual]",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
}

#[test]
fn a_future_date_is_a_diagnostic_never_a_silent_drop() {
    let repo = fixture_repo(None);
    let rel = "reports/2024-08/jtj.csv";
    std::fs::create_dir_all(repo.path().join("reports/2024-08")).unwrap();
    std::fs::write(
        repo.path().join(rel),
        format!(
            "{}2,,推进中,60,,推进,,,李四,0972,2024-08-25\n",
            crate::common::repo::HEADER
        ),
    )
    .unwrap();
    let as_of = ["--as-of", "2024-08-20T12:00:00+08:00"];
    let check = stdout(&run(repo.path(), &[&as_of[..], &["check"]].concat()));
    assert!(
        check.contains("reports/2024-08/jtj.csv:2:11: error[future-date]: 填报日期 2024-08-25 晚于现在"),
        "{check}"
    );
    let out = run(
        repo.path(),
        &[&as_of[..], &["status", "--round", "2024-08", "--format", "json"]].concat(),
    );
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    let jtj = find_in(&s["units"], "id", "jtj");
    assert_eq!(
        jtj["submission"], "invalid",
        "a row dated in the future is 有误 for that row, never a vanished file"
    );
    assert_eq!(jtj["file"], rel, "the file is named, not dropped");
    assert_eq!(find_in(&s["tasks"], "id", 2)["assessment"], "invalid");
}

#[test]
fn submit_says_what_units_says() {
    for (committed, expected) in [
        ("2024-08-05T18:00:00+08:00", "on_time"),
        ("2024-08-06T09:30:00+08:00", "late"),
    ] {
        let (repo, out) = submit_committed_at(committed);
        assert!(out.status.success(), "{}", stderr(&out));
        let said = stdout(&out);
        let units = json_of(&repo, &["units", "--round", "2024-08", "--format", "json"]);
        let jtj = &find_in(&units["units"], "id", "jtj")["rounds"][1];
        assert_eq!(jtj["submission"], expected);
        let label = if expected == "on_time" {
            "：按时"
        } else {
            "：逾期 15 小时 30 分钟"
        };
        assert!(said.contains(label), "submit said:\n{said}\nunits: {jtj}");
    }
}

/// submit judges its own commit at the commit's time: a commit timed after the moment submit
/// started (here, far after) is never called 未报送 by the submit that made it.
#[test]
fn submit_judges_after_it_commits() {
    let (_repo, out) = submit_committed_at("2099-01-01T09:00:00+08:00");
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("：逾期") && !said.contains("未报送") && !said.contains("待报"),
        "submit said:\n{said}"
    );
}

/// `submit --unit jtj --round 2024-08` of a filled report, the commit timed `committed`.
fn submit_committed_at(committed: &str) -> (Repo, std::process::Output) {
    let repo = Repo::new();
    repo.write("reports/2024-08/jtj.csv", "2,,推进中,60,,推进,,,李四,0972,2024-08-05\n");
    let out = git_env(
        std::process::Command::new(assert_cmd::cargo::cargo_bin("tracker")),
        repo.path(),
    )
    .args(["submit", "--unit", "jtj", "--round", "2024-08"])
    .env("NO_COLOR", "1")
    .env("GIT_COMMITTER_DATE", committed)
    .env("GIT_AUTHOR_DATE", committed)
    .current_dir(repo.path())
    .output()
    .unwrap();
    (repo, out)
}
