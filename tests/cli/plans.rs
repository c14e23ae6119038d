//! 推进计划: a lead unit's own monthly plan sets the pace its task is judged against; a change after
//! `[plans] due` counts only with an approval, from its date; a missed node shows until made up.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::*;

const BOM: &str = "\u{feff}";
const MONTHS: &str = "2024-01,2024-02,2024-03,2024-04,2024-05,2024-06,2024-07,2024-08,2024-09,2024-10,2024-11,2024-12";

/// `plans/jtj.csv` for task 2 with these twelve monthly values and nodes.
fn plan_file(values: &str, nodes: &str) -> String {
    format!("{BOM}任务编号,重点任务,{MONTHS},节点说明\r\n2,强化对外互联互通能力,{values},{nodes}\r\n")
}

/// jtj's report on task 2 for `round`, dated `on`.
fn report(round: &str, progress: u32, note: &str, on: &str) -> (String, String) {
    (
        format!("reports/{round}/jtj.csv"),
        format!(
            "{}2,,推进中,{progress},,{note},,,李四,0972-8000002,{on}\n",
            repo::HEADER
        ),
    )
}

fn write(dir: &Path, rel: &str, body: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, body).unwrap();
}

/// The base fixture with its calendar from April, so that spring rounds exist.
fn from_april(dir: &Path, extra: &str) {
    let plan = std::fs::read_to_string(dir.join("tracker.toml")).unwrap();
    let plan = plan.replace("first = \"2024-07\"", "first = \"2024-04\"");
    std::fs::write(dir.join("tracker.toml"), format!("{plan}{extra}")).unwrap();
}

fn status(dir: &Path, round: &str, as_of: &str) -> Value {
    let out = run(dir, &["--as-of", as_of, "status", "--round", round, "--format", "json"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn task2(s: &Value) -> &Value {
    find_in(&s["tasks"], "id", 2)
}

#[test]
fn a_seasonal_plan_keeps_spring_green_and_autumn_honest() {
    let dir = fixture_repo(None);
    from_april(dir.path(), "");
    // Slow in spring, done by September, as building in Qinghai goes.
    write(
        dir.path(),
        "plans/jtj.csv",
        &plan_file("0,0,0,5,10,40,60,80,100,100,100,100", ""),
    );
    let (june, body) = report("2024-06", 10, "完成招标", "2024-06-03");
    write(dir.path(), &june, &body);
    let (october, body) = report("2024-10", 68, "主体施工", "2024-10-03");
    write(dir.path(), &october, &body);
    let spring = status(dir.path(), "2024-06", "2024-06-20");
    let autumn = status(dir.path(), "2024-10", "2024-10-20");
    assert_eq!(
        (task2(&spring)["basis"].as_str(), task2(&spring)["expected"].as_f64()),
        (Some("plan"), Some(10.0)),
        "June's round reports May: the plan's 10"
    );
    assert_eq!(task2(&spring)["assessment"], "on_pace", "{}", task2(&spring));
    assert!(task2(&spring)["reason"].as_str().unwrap().contains("计划进度 10%"));
    assert_eq!(task2(&autumn)["expected"].as_f64(), Some(100.0));
    assert_eq!(task2(&autumn)["assessment"], "behind_red", "{}", task2(&autumn));
    // The same reports against the straight line: red in spring, fine in autumn.
    std::fs::remove_file(dir.path().join("plans/jtj.csv")).unwrap();
    let spring = status(dir.path(), "2024-06", "2024-06-20");
    let autumn = status(dir.path(), "2024-10", "2024-10-20");
    assert_eq!(task2(&spring)["basis"], "linear");
    assert_eq!(task2(&spring)["assessment"], "behind_red", "{}", task2(&spring));
    assert_eq!(task2(&autumn)["assessment"], "on_pace", "{}", task2(&autumn));
    assert!(task2(&autumn)["reason"].as_str().unwrap().contains("序时进度"));
}

/// A git repository of the base fixture (times from git, plans due 2024-07-31) whose first commit,
/// on 2024-07-20, holds jtj's plan.
fn planned_repo(plan: &str) -> repo::Repo {
    let r = repo::Repo::new();
    let text = std::fs::read_to_string(r.path().join("tracker.toml")).unwrap();
    std::fs::write(
        r.path().join("tracker.toml"),
        format!("{text}\n[plans]\ndue = 2024-07-31\n"),
    )
    .unwrap();
    write(r.path(), "plans/jtj.csv", plan);
    r.git(&["add", "-A"]);
    r.commit("推进计划", "2024-07-20T10:00:00+08:00", "2024-07-20T10:00:00+08:00");
    r
}

fn commit_file(r: &repo::Repo, rel: &str, body: &str, at: &str) {
    write(r.path(), rel, body);
    r.git(&["add", "-A"]);
    r.commit(&format!("更新 {rel}"), at, at);
}

#[test]
fn a_change_after_the_due_date_counts_only_with_an_approval_and_from_its_date() {
    let a = plan_file("0,0,0,10,20,30,40,50,60,70,80,100", "");
    let b = plan_file("0,0,0,5,10,15,20,25,30,60,90,100", "");
    let r = planned_repo(&a);
    for (round, on) in [
        ("2024-08", "2024-08-03"),
        ("2024-09", "2024-09-03"),
        ("2024-10", "2024-10-03"),
    ] {
        let (rel, body) = report(round, 40, &format!("{round} 施工"), on);
        commit_file(&r, &rel, &body, &format!("{on}T10:00:00+08:00"));
    }
    commit_file(&r, "plans/jtj.csv", &b, "2024-08-20T10:00:00+08:00");
    let as_of = "2024-10-20";
    let before = [status(r.path(), "2024-09", as_of), status(r.path(), "2024-10", as_of)];
    assert_eq!(task2(&before[0])["expected"].as_f64(), Some(50.0), "August by plan A");
    assert_eq!(
        task2(&before[1])["expected"].as_f64(),
        Some(60.0),
        "unapproved: plan A stays"
    );
    let (code, rules) = check_rules(r.path());
    assert_eq!((code, rules), (Some(1), vec!["plan-change".to_string()]));
    let approval = "[[change]]\nunit = \"市交通运输局\"\ntask = 2\napproved_on = 2024-09-10\napproved_by = \"东发改函〔2024〕9号\"\nreason = \"征地推迟\"\n";
    commit_file(&r, "plan-changes.toml", approval, "2024-09-10T16:00:00+08:00");
    let out = run(r.path(), &["--as-of", as_of, "check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let after = [status(r.path(), "2024-09", as_of), status(r.path(), "2024-10", as_of)];
    assert_eq!(
        task2(&after[0]),
        task2(&before[0]),
        "September's round was due before the approval"
    );
    assert_eq!(
        task2(&after[1])["expected"].as_f64(),
        Some(30.0),
        "October's round: plan B"
    );
    assert_eq!(task2(&after[1])["assessment"], "ahead");
}

#[test]
fn a_missed_node_shows_until_it_is_made_up() {
    let r = planned_repo(&plan_file(
        "0,0,0,10,20,40,50,60,80,90,100,100",
        "7月：主体开工；9月：主体完工",
    ));
    let (rel, body) = report("2024-08", 45, "完成招标", "2024-08-03");
    commit_file(&r, &rel, &body, "2024-08-03T10:00:00+08:00");
    let (rel, body) = report("2024-09", 55, "开始施工", "2024-09-03");
    commit_file(&r, &rel, &body, "2024-09-03T10:00:00+08:00");
    // August's round reports July: 45 below the node's 50.
    let (as_of, round) = ("2024-08-20", "2024-08");
    let august = status(r.path(), round, as_of);
    let missed = &task2(&august)["nodes_missed"];
    assert_eq!(missed[0]["node"], "主体开工", "{august}");
    assert_eq!(
        (missed[0]["planned"].as_f64(), missed[0]["progress"].as_f64()),
        (Some(50.0), Some(45.0))
    );
    let line = "节点滞后：市交通运输局 7月 主体开工（计划 50%，现 45%）";
    let table = stdout(&run(
        r.path(),
        &["--as-of", as_of, "status", "--round", round, "--all", "--width", "250"],
    ));
    assert!(table.contains(line), "{table}");
    let circular = stdout(&run(r.path(), &["--as-of", as_of, "circular", "--round", round]));
    assert!(
        circular.contains("、节点滞后的任务") && circular.contains("7月 主体开工"),
        "{circular}"
    );
    let show = stdout(&run(r.path(), &["--as-of", as_of, "show", "2", "--round", round]));
    assert!(show.contains(line) && show.contains("推进计划（市交通运输局"), "{show}");
    let digest = stdout(&run(
        r.path(),
        &["--as-of", as_of, "digest", "--round", round, "--output", "-"],
    ));
    assert!(digest.contains("7月 主体开工（计划 50%，现 45%）"), "{digest}");
    // September: 55 is past July's 50; September's own node is not due until October's round.
    let (as_of, round) = ("2024-09-20", "2024-09");
    let september = status(r.path(), round, as_of);
    assert!(task2(&september).get("nodes_missed").is_none(), "{}", task2(&september));
    let circular = stdout(&run(r.path(), &["--as-of", as_of, "circular", "--round", round]));
    assert!(!circular.contains("节点滞后"), "{circular}");
}

#[test]
fn units_and_remind_name_a_unit_without_a_plan_after_the_due_date() {
    let r = planned_repo(&plan_file("0,0,0,10,20,30,40,50,60,70,80,100", ""));
    let units = stdout(&run(r.path(), &["--as-of", "2024-08-10", "units", "--format", "json"]));
    let units: Value = serde_json::from_str(&units).unwrap();
    assert_eq!(find_in(&units["units"], "id", "jtj")["plan"], "已报");
    assert_eq!(find_in(&units["units"], "id", "fgw")["plan"], "未报");
    let remind = stdout(&run(r.path(), &["--as-of", "2024-08-10", "remind"]));
    assert!(
        remind.contains("【推进计划】已于 2024-07-31 截止") && remind.contains("- 市发展改革委"),
        "{remind}"
    );
    assert!(!remind.contains("- 市交通运输局（"), "{remind}");
    let before = stdout(&run(r.path(), &["--as-of", "2024-07-25", "remind"]));
    assert!(!before.contains("推进计划"), "not due yet: {before}");
}

/// Fills the plan workbook as a person would: May 20, September 100 (a percent cell), a node.
const FILL: &str = r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["推进计划"]
assert [c.value for c in ws[1]][:3] == ["任务编号", "重点任务", "2024-01"], [c.value for c in ws[1]]
ws["G2"] = 20
ws["K2"] = 1; ws["K2"].number_format = "0%"
ws["O2"] = "5月：主体开工"
wb.save(sys.argv[2])
"#;

#[test]
#[cfg_attr(not(has_openpyxl), ignore = "needs python3 with openpyxl; .ci/run installs it")]
fn a_plan_filed_through_the_workbook_reads_back() {
    let r = repo::Repo::new();
    let out = run(
        r.path(),
        &[
            "--as-of",
            "2024-07-20",
            "plan",
            "new",
            "--unit",
            "jtj",
            "--format",
            "xlsx",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("已生成") && stdout(&out).contains("jtj-计划.xlsx"),
        "{}",
        stdout(&out)
    );
    let filled = r.path().join("填好的计划.xlsx");
    let py = Command::new("python3")
        .arg("-c")
        .arg(FILL)
        .arg(r.path().join("jtj-计划.xlsx"))
        .arg(&filled)
        .output()
        .unwrap();
    assert!(py.status.success(), "{}", String::from_utf8_lossy(&py.stderr));
    // submit takes no --as-of (it commits at the real time): the commit's date is pinned instead.
    let out = tracker(r.path())
        .args(["submit", "--unit", "jtj", filled.to_str().unwrap()])
        .env("GIT_COMMITTER_DATE", "2024-07-20T10:00:00+08:00")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("已提交"), "{}", stdout(&out));
    let csv = std::fs::read_to_string(r.path().join("plans/jtj.csv")).unwrap();
    assert_eq!(
        csv,
        format!(
            "{BOM}任务编号,重点任务,{MONTHS},节点说明\r\n2,强化对外互联互通能力：推进 G0601 西宁绕城高速北环线项目。,,,,,20,,,,100,,,,5月：主体开工\r\n"
        )
    );
    let show = stdout(&run(
        r.path(),
        &[
            "--as-of",
            "2024-08-20",
            "show",
            "2",
            "--round",
            "2024-08",
            "--width",
            "120",
        ],
    ));
    assert!(show.contains("│ 2024-05 ┆ 20%"), "{show}");
    // A plan that never reaches 100 by its due month is refused at its cell, and nothing is written.
    let bad = r.path().join("bad.csv");
    std::fs::write(&bad, plan_file("0,0,0,10,20,30,40,50,60,70,80,90", "")).unwrap();
    let out = run(r.path(), &["plan", "import", bad.to_str().unwrap(), "--unit", "jtj"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("error[plan-value]") && stdout(&out).contains("未导入"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read_to_string(r.path().join("plans/jtj.csv")).unwrap(), csv);
}

#[test]
fn a_plan_cell_that_would_act_on_a_terminal_is_an_error_and_never_shown() {
    let dir = fixture_repo(None);
    write(
        dir.path(),
        "plans/jtj.csv",
        &plan_file("0,0,0,10,20,30,40,50,60,70,80,100", "5月：\u{1b}[2J开工"),
    );
    let out = run(dir.path(), &["--as-of", "2024-08-20", "check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("plans/jtj.csv: error[control-char]"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains('\u{1b}'));
    let show = run(dir.path(), &["--as-of", "2024-08-20", "show", "2"]);
    assert!(
        !stdout(&show).contains('\u{1b}') && !stdout(&show).contains("推进计划（"),
        "the row is left out"
    );
}

#[test]
fn a_replay_sees_only_the_plan_that_had_arrived() {
    let r = planned_repo(&plan_file("0,0,0,10,20,30,40,50,60,70,80,100", ""));
    let (rel, body) = report("2024-08", 40, "施工", "2024-08-03");
    commit_file(&r, &rel, &body, "2024-08-03T10:00:00+08:00");
    let before = status(r.path(), "2024-08", "2024-07-15");
    assert_eq!(
        task2(&before)["basis"],
        "linear",
        "on 07-15 no plan had come: {}",
        task2(&before)
    );
    let after = status(r.path(), "2024-08", "2024-08-20");
    assert_eq!(task2(&after)["basis"], "plan");
}

#[test]
fn an_approval_recorded_late_never_reaches_back_into_a_round_already_due() {
    let a = plan_file("0,0,0,10,20,30,40,50,60,70,80,100", "");
    let b = plan_file("0,0,0,5,10,15,20,25,30,60,90,100", "");
    let r = planned_repo(&a);
    let (rel, body) = report("2024-09", 40, "施工", "2024-09-03");
    commit_file(&r, &rel, &body, "2024-09-03T10:00:00+08:00");
    commit_file(&r, "plans/jtj.csv", &b, "2024-08-20T10:00:00+08:00");
    let september = status(r.path(), "2024-09", "2024-09-15");
    assert_eq!(task2(&september)["expected"].as_f64(), Some(50.0));
    // Dated 08-25, before September's deadline, but written into plan-changes.toml on 09-20.
    let approval =
        "[[change]]\nunit = \"jtj\"\ntask = 2\napproved_on = 2024-08-25\napproved_by = \"东发改函〔2024〕9号\"\n";
    commit_file(&r, "plan-changes.toml", approval, "2024-09-20T10:00:00+08:00");
    let later = status(r.path(), "2024-09", "2024-10-20");
    assert_eq!(
        task2(&later),
        task2(&september),
        "September's round keeps the plan of its day"
    );
    let october = status(r.path(), "2024-10", "2024-10-20");
    assert_eq!(task2(&october)["expected"].as_f64(), Some(30.0), "from then on, plan B");
}

#[test]
fn an_import_names_a_wrong_workbook_and_says_from_when_the_plan_counts() {
    let r = repo::Repo::new();
    // A report's workbook handed in as a plan is named for what it is.
    let args = [
        "--as-of",
        "2024-08-01",
        "report",
        "new",
        "--unit",
        "jtj",
        "--round",
        "2024-08",
        "--format",
        "xlsx",
    ];
    assert!(run(r.path(), &args).status.success());
    let wrong = run(r.path(), &["plan", "import", "jtj-2024-08.xlsx"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("这是月度报送的工作簿"), "{}", stderr(&wrong));
    // A plan filed now counts from the next round due; the rounds already due keep theirs.
    let good = r.path().join("good.csv");
    std::fs::write(&good, plan_file("0,0,0,10,20,30,40,50,60,70,80,100", "")).unwrap();
    let args = [
        "--as-of",
        "2024-08-20",
        "plan",
        "import",
        good.to_str().unwrap(),
        "--unit",
        "jtj",
        "--force",
    ];
    let out = run(r.path(), &args);
    assert!(
        stdout(&out).contains("提交后，自 2024-09 轮（截止 2024-09-05 18:00）起按这份计划研判"),
        "{}",
        stdout(&out)
    );
}
