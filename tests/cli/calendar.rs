//! The year as an office runs it: deadlines on holidays moved to the next working day (or kept),
//! approved extensions, escalation over the rounds.

use crate::common::*;
use serde_json::Value;

/// The base fixture with this repository's holiday table and `on_holiday` as given, and jtj's
/// report for `round` dated `date`.
fn repo(on_holiday: &str, round: &str, date: &str) -> tempfile::TempDir {
    let dir = fixture_repo(None);
    std::fs::create_dir_all(dir.path().join("calendar")).unwrap();
    std::fs::copy(
        repo_root().join("calendar/holidays.toml"),
        dir.path().join("calendar/holidays.toml"),
    )
    .unwrap();
    let plan = dir.path().join("tracker.toml");
    let text = std::fs::read_to_string(&plan).unwrap().replace(
        "received_from = \"declared\"",
        &format!("received_from = \"declared\"\non_holiday = \"{on_holiday}\""),
    );
    std::fs::write(plan, text).unwrap();
    let folder = dir.path().join("reports").join(round);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("jtj.csv"),
        format!("{}2,,推进中,60,,推进,,,李四,0972,{date}\n", crate::common::repo::HEADER),
    )
    .unwrap();
    dir
}

fn status(dir: &std::path::Path, round: &str, as_of: &str) -> Value {
    let out = run(dir, &["--as-of", as_of, "status", "--round", round, "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_national_day_deadline_moves_to_october_8() {
    let moved = repo("next_working_day", "2024-10", "2024-10-07");
    let s = status(moved.path(), "2024-10", "2024-10-20");
    assert_eq!(s["due"], "2024-10-08T18:00:00+08:00");
    assert_eq!(
        find_in(&s["units"], "id", "jtj")["submission"],
        "on_time",
        "dated 10-07, due 10-08"
    );
    let text = stdout(&run(
        moved.path(),
        &["--as-of", "2024-10-20", "status", "--round", "2024-10"],
    ));
    assert!(
        text.contains("截止 2024-10-08 18:00（原定 10-05（国庆节假期），顺延至 10-08）"),
        "{text}"
    );
    let kept = repo("keep", "2024-10", "2024-10-07");
    let s = status(kept.path(), "2024-10", "2024-10-20");
    assert_eq!(s["due"], "2024-10-05T18:00:00+08:00");
    let jtj = find_in(&s["units"], "id", "jtj");
    assert_eq!(jtj["submission"], "late", "the 2024 notice says only 每月5日前");
    // 序时进度 is measured at the nominal due time either way: 2024-10-05 18:00 is 278.75/366 days.
    let expected = |s: &Value| find_in(&s["tasks"], "id", 2)["expected"].as_f64().unwrap();
    assert_eq!(expected(&s), 76.2);
    assert_eq!(expected(&status(moved.path(), "2024-10", "2024-10-20")), 76.2);
}

#[test]
fn a_sunday_deadline_moves_to_monday_and_a_make_up_saturday_is_a_working_day() {
    let dir = repo("next_working_day", "2025-01", "2025-01-06");
    let s = status(dir.path(), "2025-01", "2025-01-20");
    assert_eq!(s["due"], "2025-01-06T18:00:00+08:00", "2025-01-05 is a Sunday");
    assert_eq!(find_in(&s["units"], "id", "jtj")["submission"], "on_time");
    let text = stdout(&run(
        dir.path(),
        &["--as-of", "2025-01-20", "circular", "--round", "2025-01"],
    ));
    assert!(text.contains("原定 01-05（周日），顺延至 01-06"), "{text}");
}

#[test]
fn the_holiday_table_is_checked() {
    let dir = fixture_repo(Some(&fixtures().join("check/holiday-table")));
    let text = stdout(&run(dir.path(), &["--as-of", "2024-08-20", "check"]));
    assert!(
        text.contains("calendar/holidays.toml:9:24: error[holiday-table]: 国庆节：调休上班日应是 2024 年内的日期"),
        "{text}"
    );
    assert!(
        text.contains("error[holiday-table]: 2024-10-05 既是放假日又是调休上班日"),
        "{text}"
    );
}

fn extension(dir: &std::path::Path, approved_on: &str, new_due: &str) {
    std::fs::write(
        dir.join("extensions.toml"),
        format!(
            "[[extension]]\ntask = 2\nunit = \"市交通运输局\"\napproved_on = {approved_on}\napproved_by = \"市发展改革委\"\nnew_due = {new_due}\nreason = \"征地进度慢\"\n"
        ),
    )
    .unwrap();
}

#[test]
fn an_approved_extension_turns_a_red_task_on_pace() {
    let dir = repo("keep", "2024-09", "2024-09-03");
    let report = dir.path().join("reports/2024-09/jtj.csv");
    std::fs::write(
        &report,
        format!(
            "{}2,,推进中,30,,推进,,,李四,0972,2024-09-03\n",
            crate::common::repo::HEADER
        ),
    )
    .unwrap();
    let task2 = |s: &Value| find_in(&s["tasks"], "id", 2).clone();
    // Without: 2024-09-05 18:00 is 248.75 of 366 days, 68.0% expected; 30 is 38 behind.
    let before = task2(&status(dir.path(), "2024-09", "2024-09-20"));
    assert_eq!(
        (before["assessment"].as_str(), before["expected"].as_f64()),
        (Some("behind_red"), Some(68.0))
    );
    // With an extension to 2025-12-31, approved 2024-08-20: 248.75 of 731 days, 34.0%; 4 behind.
    extension(dir.path(), "2024-08-20", "2025-12-31");
    let s = status(dir.path(), "2024-09", "2024-09-20");
    let after = task2(&s);
    assert_eq!(
        (after["assessment"].as_str(), after["expected"].as_f64()),
        (Some("on_pace"), Some(34.0))
    );
    assert_eq!(after["extended_to"], "2025-12-31");
    assert_eq!(
        after["reason"],
        "已批准延期至 2025-12-31（市发展改革委 批准）；进度 30%，序时进度 34%"
    );
    let circular = stdout(&run(
        dir.path(),
        &["--as-of", "2024-09-20", "circular", "--round", "2024-09"],
    ));
    assert!(circular.contains("本轮批准的延期"), "{circular}");
    // show heads the task with the due date in force, and the original.
    let show = stdout(&run(
        dir.path(),
        &["--as-of", "2024-09-20", "show", "2", "--round", "2024-09"],
    ));
    assert!(
        show.contains("完成时限：2025-12-31（已批准延期；原为 2024-12-31）"),
        "{show}"
    );
    assert!(circular.contains("- 第 2 项 强化对外互联互通能力（市交通运输局）：2024-08-20 批准延期至 2025-12-31（市发展改革委），理由：征地进度慢。"), "{circular}");
    // Approved after the round's due time: not yet in force for that round.
    extension(dir.path(), "2024-09-10", "2025-12-31");
    assert_eq!(
        task2(&status(dir.path(), "2024-09", "2024-09-20"))["assessment"],
        "behind_red"
    );
}

#[test]
fn extensions_are_checked() {
    let dir = repo("keep", "2024-09", "2024-09-03");
    for (approved_on, new_due, needle) in [
        (
            "2024-08-20",
            "2024-11-30",
            "新的完成时限 2024-11-30 不晚于原定的 2024-12-31",
        ),
        (
            "2024-08-20",
            "2026-06-30",
            "新的完成时限 2026-06-30 超出计划期（至 2025-12-31）",
        ),
        ("2024-10-01", "2025-06-30", "批准日期 2024-10-01 晚于现在"),
    ] {
        extension(dir.path(), approved_on, new_due);
        let text = stdout(&run(dir.path(), &["--as-of", "2024-09-20", "check"]));
        assert!(
            text.contains(&format!("extensions.toml:1:1: error[extension]: {needle}")),
            "{text}"
        );
    }
}

/// jtj and fgw's reports for a round (None: no file), dated in the round.
fn month(dir: &std::path::Path, round: &str, date: &str, jtj: Option<u32>, fgw: Option<u32>) {
    let folder = dir.join("reports").join(round);
    std::fs::create_dir_all(&folder).unwrap();
    for (unit, task, progress) in [("jtj", 2, jtj), ("fgw", 1, fgw)] {
        if let Some(p) = progress {
            std::fs::write(
                folder.join(format!("{unit}.csv")),
                format!(
                    "{}{task},,推进中,{p},,{round} 推进,,,,,{date}\n",
                    crate::common::repo::HEADER
                ),
            )
            .unwrap();
        }
    }
}

/// The base repository with `[[escalation]]` rules, each (when, action) over two rounds.
fn with_escalations(rules: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = repo("keep", "2024-07", "2024-07-09");
    let plan = dir.path().join("tracker.toml");
    let mut text = std::fs::read_to_string(&plan).unwrap();
    for (when, action) in rules {
        text.push_str(&format!(
            "\n[[escalation]]\nwhen = \"{when}\"\nrounds = 2\naction = \"{action}\"\n"
        ));
    }
    std::fs::write(&plan, text).unwrap();
    dir
}

#[test]
fn escalation_fires_after_two_red_rounds_and_clears_on_recovery() {
    let dir = with_escalations(&[("red", "督办"), ("missing", "约谈")]);
    // 序时进度 at the due times: 2024-07-10 18:00 52.4%, 08-05 18:00 59.5%, 09-05 18:00 68.0%.
    // jtj: 10 (42.4 behind, red), 20 (39.5 behind, red), 60 (8 behind, on pace). fgw: none, none, 60.
    month(dir.path(), "2024-07", "2024-07-09", Some(10), None);
    month(dir.path(), "2024-08", "2024-08-03", Some(20), None);
    let fired = |as_of: &str, round: &str| -> Value {
        let out = run(
            dir.path(),
            &["--as-of", as_of, "escalations", "--round", round, "--format", "json"],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let after_july = fired("2024-07-20", "2024-07");
    assert_eq!(
        after_july.as_array().unwrap().len(),
        0,
        "one red round is not yet a pattern"
    );
    let august = fired("2024-08-20", "2024-08");
    let list = august.as_array().unwrap();
    assert_eq!(list.len(), 2, "{august}");
    assert_eq!(
        (
            list[0]["action"].as_str(),
            list[0]["task"].as_u64(),
            list[0]["history"].to_string()
        ),
        (
            Some("督办"),
            Some(2),
            r#"[["2024-07","欠进度（红）"],["2024-08","欠进度（红）"]]"#.to_string()
        )
    );
    assert_eq!(
        (list[1]["action"].as_str(), list[1]["subject"].as_str()),
        (Some("约谈"), Some("市发展改革委"))
    );
    let circular = stdout(&run(
        dir.path(),
        &["--as-of", "2024-08-20", "circular", "--round", "2024-08"],
    ));
    assert!(
        circular.contains(
            "- 【督办】第 2 项 强化对外互联互通能力：红灯连续 2 轮（2024-07 欠进度（红）、2024-08 欠进度（红））。"
        ),
        "{circular}"
    );
    let table = stdout(&run(
        dir.path(),
        &[
            "--as-of",
            "2024-08-20",
            "escalations",
            "--round",
            "2024-08",
            "--width",
            "80",
        ],
    ));
    assert!(table.contains("约谈") && table.contains("市发展改革委"), "{table}");
    // September: jtj back on pace and fgw reports: both leave the list.
    month(dir.path(), "2024-09", "2024-09-03", Some(60), Some(60));
    assert_eq!(fired("2024-09-20", "2024-09").as_array().unwrap().len(), 0);
}

/// The circular's words are exactly true (#26): the real length of a streak, each task once under
/// its heaviest measure, the lead whose rows decided a verdict, units counted as units.
#[test]
fn the_circular_says_exactly_what_happened() {
    let dir = with_escalations(&[("red", "督办"), ("yellow", "提醒")]);
    for (id, lead) in [(3, "\"乐都区政府\", \"平安区政府\""), (5, "\"市发展改革委\"")] {
        std::fs::write(
            dir.path().join(format!("tasks/00{id}.toml")),
            format!("id = {id}\nchapter = 1\nsection = 1\nkey_task = \"测试{id}\"\nwork = \"测试\"\nlead = [{lead}]\ncooperating = []\ndue = 2024-12-31\nnotes = []\n"),
        )
        .unwrap();
    }
    // jtj red three rounds running (10, 20, 30 against 52.4, 59.5, 68).
    month(dir.path(), "2024-07", "2024-07-09", Some(10), None);
    month(dir.path(), "2024-08", "2024-08-03", Some(20), None);
    month(dir.path(), "2024-09", "2024-09-03", Some(30), None);
    let write = |unit: &str, rows: &str| {
        std::fs::write(
            dir.path().join(format!("reports/2024-09/{unit}.csv")),
            format!("{}{rows}", crate::common::repo::HEADER),
        )
        .unwrap();
    };
    // Task 3: two leads, ahead on the mean, but 平安区政府 reports 滞后: yellow, because of it.
    write("ldq", "3,,推进中,80,,推进,,,,,2024-09-03\n");
    write("paq", "3,,滞后,75,,推进,,,,,2024-09-03\n");
    // fgw: two rows with a wrong 状态: one unit, two rows left out.
    write(
        "fgw",
        "1,,进行中,60,,推进,,,,,2024-09-03\n5,,进行中,60,,推进,,,,,2024-09-03\n",
    );
    let circular = stdout(&run(
        dir.path(),
        &["--as-of", "2024-09-20", "circular", "--round", "2024-09"],
    ));
    assert!(
        circular.contains("- 【督办】第 2 项 强化对外互联互通能力：红灯连续 3 轮（2024-07 欠进度（红）、2024-08 欠进度（红）、2024-09 欠进度（红））。"),
        "{circular}"
    );
    assert!(
        !circular.contains("【提醒】第 2 项"),
        "once, under its heaviest measure: {circular}"
    );
    assert!(
        circular.contains("### 平安区政府\n\n- 【黄灯】第 3 项 测试3：平安区政府自报滞后"),
        "{circular}"
    );
    assert!(
        circular.contains("本轮有 1 个牵头单位的 2 行因错误未计入"),
        "{circular}"
    );
    let json = stdout(&run(
        dir.path(),
        &[
            "--as-of",
            "2024-09-20",
            "status",
            "--round",
            "2024-09",
            "--format",
            "json",
        ],
    ));
    let status: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        find_in(&status["tasks"], "id", 3)["deciding"],
        serde_json::json!(["平安区政府"])
    );
    assert_eq!(status["totals"]["left_out_units"], 1);
}

/// A round reports the month before its due date: December's results come in the 2025-01 round.
/// A task is done only if the last round still says so, as `status` of that round does, and on
/// time when the month first reported done is within its due date.
fn a_year() -> tempfile::TempDir {
    let dir = repo("keep", "2024-07", "2024-07-09");
    std::fs::remove_file(dir.path().join("reports/2024-07/jtj.csv")).unwrap();
    for (id, lead, due) in [
        (3, "乐都区政府", "2024-12-31"),
        (4, "平安区政府", "2024-12-31"),
        (5, "市发展改革委", "2024-10-31"),
    ] {
        std::fs::write(
            dir.path().join(format!("tasks/00{id}.toml")),
            format!(
                "id = {id}\nchapter = 1\nsection = 1\nkey_task = \"测试{id}\"\nwork = \"测试\"\nlead = [\"{lead}\"]\ncooperating = []\ndue = {due}\nnotes = []\n"
            ),
        )
        .unwrap();
    }
    let write = |round: &str, unit: &str, rows: &str| {
        let folder = dir.path().join("reports").join(round);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join(format!("{unit}.csv")),
            format!("{}{rows}", crate::common::repo::HEADER),
        )
        .unwrap();
    };
    // fgw: task 1 done from the 2024-11 round (October's work) on; task 5 (due 10-31) done only
    // from the 2024-12 round, which reports November: late.
    write(
        "2024-11",
        "fgw",
        "1,,已完成,100,,建成,,,,,2024-11-03\n5,,推进中,90,,推进,,,,,2024-11-03\n",
    );
    for (round, day) in [("2024-12", "2024-12-03"), ("2025-01", "2025-01-03")] {
        write(
            round,
            "fgw",
            &format!("1,,已完成,100,,建成,,,,,{day}\n5,,已完成,100,,完成,,,,,{day}\n"),
        );
    }
    // jtj: done in December, reported in the 2025-01 round: on time, not late.
    write("2025-01", "jtj", "2,,已完成,100,,通车,,,,,2025-01-04\n");
    write("2025-01", "ldq", "3,,推进中,50,,推进,,,,,2025-01-04\n");
    // paq: 已完成 once in October, then 85% in the last round: not done, as status says.
    write("2024-10", "paq", "4,,已完成,100,,完成,,,,,2024-10-03\n");
    write("2025-01", "paq", "4,,推进中,85,,收尾,,,,,2025-01-04\n");
    std::fs::write(
        dir.path().join("extensions.toml"),
        "[[extension]]\ntask = 3\nunit = \"乐都区政府\"\napproved_on = 2024-12-10\napproved_by = \"市发展改革委\"\nnew_due = 2025-06-30\nreason = \"资金未到位\"\n",
    )
    .unwrap();
    dir
}

#[test]
fn the_year_end_account() {
    let dir = a_year();
    let json = |args: &[&str]| -> Value {
        let out = run(dir.path(), &[&["--as-of", "2025-01-20"][..], args].concat());
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)))
    };
    let y = json(&["year", "--format", "json"]);
    assert_eq!(
        (y["round"].as_str(), y["provisional"].as_bool()),
        (Some("2025-01"), Some(false))
    );
    let task = |id: u64| find_in(&y["tasks"], "id", id).clone();
    let state = |id: u64| task(id)["state"].as_str().unwrap().to_string();
    assert_eq!(
        [state(1), state(2), state(3), state(4), state(5)],
        ["done_on_time", "done_on_time", "extended", "not_done", "done_late"]
    );
    assert_eq!(
        (&task(1)["done_month"], &task(1)["done_in"]),
        (&"2024-10".into(), &"2024-11".into())
    );
    assert_eq!(
        (&task(2)["done_month"], &task(2)["done_in"]),
        (&"2024-12".into(), &"2025-01".into())
    );
    assert_eq!(
        task(4)["latest"],
        "behind_yellow",
        "its latest state, not a done from October"
    );
    // year and status of the last round agree on every task.
    let status = json(&["status", "--round", "2025-01", "--format", "json"]);
    for t in y["tasks"].as_array().unwrap() {
        let judged = find_in(&status["tasks"], "id", t["id"].as_u64().unwrap());
        let done = ["done_on_time", "done_late"].contains(&t["state"].as_str().unwrap());
        assert_eq!(done, judged["assessment"] == "done", "task {}: {t} / {judged}", t["id"]);
        assert_eq!(t["latest"], judged["assessment"]);
    }
    let ch1 = find_in(&y["chapters"], "number", 1);
    assert_eq!(
        ch1["states"],
        serde_json::json!({"done_on_time": 1, "done_late": 1, "extended": 1, "not_done": 1})
    );
    let completion = |id: &str| find_in(&y["units"], "id", id)["completion"].as_f64().unwrap();
    assert_eq!(
        [
            completion("fgw"),
            completion("jtj"),
            completion("ldq"),
            completion("paq")
        ],
        [100.0, 100.0, 0.0, 0.0]
    );
    assert_eq!(find_in(&y["units"], "id", "fgw")["done_on_time"], 1);
}

#[test]
fn the_year_end_account_in_words_and_in_the_digest() {
    let dir = a_year();
    let text = stdout(&run(dir.path(), &["--as-of", "2025-01-20", "year", "--width", "100"]));
    assert!(text.contains("年终情况（据 2025-01 轮）"), "{text}");
    assert!(text.contains("2024-11 完成（2024-12 轮报送）"), "{text}");
    assert!(!text.contains("2025-01-0"), "no 填报日期 dates a completion: {text}");
    let out = run(dir.path(), &["--as-of", "2025-01-20", "digest", "--year-end"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = std::fs::read_to_string(dir.path().join("reports/digests/2025-01-year-end.csv")).unwrap();
    assert!(
        csv.contains("2,3,强化对外互联互通能力,市交通运输局,2024-12-31,,按期完成,2024-12,2025-01,100"),
        "{csv}"
    );
    let early = run(dir.path(), &["--as-of", "2024-12-20", "year", "--format", "json"]);
    let y: Value = serde_json::from_slice(&early.stdout).unwrap();
    assert_eq!(
        (y["round"].as_str(), y["provisional"].as_bool()),
        (Some("2024-12"), Some(true))
    );
}

#[test]
fn the_status_trend_column_shows_each_round_so_far() {
    let dir = repo("keep", "2024-07", "2024-07-09");
    month(dir.path(), "2024-07", "2024-07-09", Some(10), None);
    month(dir.path(), "2024-08", "2024-08-03", Some(20), None);
    month(dir.path(), "2024-09", "2024-09-03", Some(60), Some(60));
    let trend = |style: &str| {
        let out = run(
            dir.path(),
            &[
                "--as-of",
                "2024-09-20",
                "status",
                "--round",
                "2024-09",
                "--all",
                "--trend",
                "--style",
                style,
                "--width",
                "200",
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let ascii = trend("ascii");
    let row = |text: &str, id: &str| -> String {
        text.lines()
            .find(|l| l.split(['|', '│', '┆']).nth(1).map(str::trim) == Some(id))
            .unwrap_or_else(|| panic!("no row {id}:\n{text}"))
            .to_string()
    };
    // jtj's task 2 went 10 → 20 → 60; fgw's task 1 was missing twice, then 60.
    assert!(row(&ascii, "2").contains("10 20 60"), "{ascii}");
    assert!(row(&ascii, "1").contains("- - 60"), "{ascii}");
    let bars = trend("utf8");
    assert!(row(&bars, "2").contains("▂▂▅"), "{bars}");
    // A round in the future is not in the trend.
    let early = stdout(&run(
        dir.path(),
        &[
            "--as-of",
            "2024-08-20",
            "status",
            "--round",
            "2024-08",
            "--all",
            "--trend",
            "--style",
            "ascii",
            "--width",
            "200",
        ],
    ));
    assert!(
        row(&early, "2").contains("10 20") && !row(&early, "2").contains("60"),
        "{early}"
    );
}

/// After a deadline `remind` chases the overdue round first (补报), then the open one; and it
/// names a holiday that falls before the open round's deadline.
#[test]
fn remind_puts_the_overdue_round_first_and_names_the_holiday() {
    let dir = repo("next_working_day", "2024-07", "2024-07-09");
    month(dir.path(), "2024-08", "2024-08-03", Some(20), Some(20));
    let remind = |as_of: &str| stdout(&run(dir.path(), &["--as-of", as_of, "remind"]));
    // Before September's deadline: only September, no 补报.
    let early = remind("2024-09-03T09:00:00+08:00");
    assert!(
        early.starts_with("【催报】") && early.contains("2024-09 轮") && !early.contains("【补报】"),
        "{early}"
    );
    // After it, in the week before 国庆: September first (nobody sent it), then October.
    let late = remind("2024-09-28T09:00:00+08:00");
    let (overdue, open) = late.split_once("【催报】").expect("two sections");
    assert!(
        overdue.starts_with("【补报】") && overdue.contains("2024-09 轮进展报送已于 2024-09-05 18:00 截止"),
        "{late}"
    );
    assert!(
        overdue.contains("市交通运输局") && overdue.contains("市发展改革委"),
        "{late}"
    );
    assert!(open.contains("2024-10 轮"), "{late}");
    assert!(open.contains("假期提醒：国庆节 10-01 至 10-07 放假"), "{late}");
    let json: Value = serde_json::from_str(&stdout(&run(
        dir.path(),
        &["--as-of", "2024-09-28T09:00:00+08:00", "remind", "--format", "json"],
    )))
    .unwrap();
    assert_eq!(
        (&json["round"], &json["overdue"]["round"]),
        (&"2024-10".into(), &"2024-09".into())
    );
    assert_eq!(json["holidays"][0]["name"], "国庆节");
}
