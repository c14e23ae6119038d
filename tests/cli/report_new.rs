//! `tracker report new`: the unit's template, and what a real spreadsheet program does to it.

use std::path::Path;
use std::process::Command as Process;

use crate::common::*;

fn template(repo: &Path, round: &str, unit: &str) -> String {
    let bytes = std::fs::read(repo.join(format!("reports/{round}/{unit}.csv"))).unwrap();
    String::from_utf8(bytes).unwrap()
}

#[test]
fn writes_bom_crlf_with_roles_targets_and_breakdown() {
    let repo = fixture_repo(None);
    let out = run(
        repo.path(),
        &["report", "new", "--unit", "乐都区", "--round", "2024-08"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("reports/2024-08/ldq.csv"), "{}", stdout(&out));
    let text = template(repo.path(), "2024-08", "ldq");
    assert!(text.starts_with("\u{feff}任务编号,角色,重点任务,工作事项,指标,目标值,计量单位,状态,进度,完成值,本月进展"));
    assert!(
        text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'),
        "CRLF only"
    );
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    // ldq cooperates on task 1 (through the group 各县区政府) and task 2: may report both.
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[1].starts_with("1,配合（选报）,建设宜居宜业和美乡村,"),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[2], "1,配合（选报）,本单位完成数（本单位目标 10 个）,,和美乡村,10,个,,,,,,,,,",
        "the county's own part, against its share of the target"
    );
    assert!(lines[3].starts_with("2,配合（选报）,"));
}

#[test]
fn lead_rows_first_and_liaison_filled_in() {
    let repo = fixture_repo(None);
    run(repo.path(), &["report", "new", "--unit", "fgw", "--round", "2024-08"]);
    let text = template(repo.path(), "2024-08", "fgw");
    assert!(text.contains("\r\n1,牵头（必报）,建设宜居宜业和美乡村,"), "{text}");
    assert!(
        text.contains(",张三,0972-8000001,\r\n"),
        "liaison from units.toml: {text}"
    );
}

#[test]
fn carries_the_previous_round_forward_but_not_the_narrative() {
    let repo = fixture_repo(Some(&fixtures().join("check/copied-narrative")));
    let out = run(repo.path(), &["report", "new", "--unit", "jtj", "--round", "2024-09"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("已带入 2024-08 轮"), "{}", stdout(&out));
    let text = template(repo.path(), "2024-09", "jtj");
    let row = text.split("\r\n").nth(1).unwrap();
    assert!(row.starts_with("2,牵头（必报）,强化对外互联互通能力,"), "{row}");
    assert!(
        row.ends_with(",推进中,60,,,征地进度慢,开工准备,李四,0972-8000002,"),
        "{row}"
    );
}

#[test]
fn refuses_to_overwrite_without_force() {
    let repo = fixture_repo(None);
    assert!(
        run(repo.path(), &["report", "new", "--unit", "jtj", "--round", "2024-08"])
            .status
            .success()
    );
    let path = repo.path().join("reports/2024-08/jtj.csv");
    std::fs::write(&path, "liaison's work").unwrap();
    let out = run(repo.path(), &["report", "new", "--unit", "jtj", "--round", "2024-08"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "liaison's work");
    let out = run(
        repo.path(),
        &["report", "new", "--unit", "jtj", "--round", "2024-08", "--force"],
    );
    assert!(out.status.success());
    assert!(std::fs::read_to_string(&path).unwrap().starts_with('\u{feff}'));
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left behind");
}

#[test]
fn groups_and_unknown_units_are_explained() {
    let repo = fixture_repo(None);
    let out = run(
        repo.path(),
        &["report", "new", "--unit", "各县区政府", "--round", "2024-08"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("是单位组") && stderr(&out).contains("乐都区政府（ldq）"),
        "{}",
        stderr(&out)
    );
    let out = run(
        repo.path(),
        &["report", "new", "--unit", "交通局", "--round", "2024-08"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("市交通运输局"),
        "suggests the closest: {}",
        stderr(&out)
    );
}

#[test]
fn default_round_is_the_next_one_due_after_as_of() {
    let repo = fixture_repo(None);
    let filled = "任务编号,指标,状态,进度,完成值,本月进展,存在问题,下步计划,填报人,联系电话,填报日期\n2,,推进中,10,,开工,,,李四,0972-8000002,2024-07-09\n";
    for (as_of, round) in [
        ("2024-07-10T18:00:00+08:00", "2024-07"),
        ("2024-07-10T18:01:00+08:00", "2024-08"),
        ("2024-08-05", "2024-09"),
    ] {
        let dir = repo.path().join("reports/2024-07");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("jtj.csv"), filled).unwrap();
        std::fs::write(
            repo.path().join("reports/2024-08/jtj.csv"),
            filled.replace("2024-07-09", "2024-08-04"),
        )
        .ok();
        let out = run(
            repo.path(),
            &["--as-of", as_of, "report", "new", "--unit", "jtj", "--force"],
        );
        assert!(
            stdout(&out).contains(&format!("reports/{round}/jtj.csv")),
            "{as_of}: {}",
            stdout(&out)
        );
        assert!(!stdout(&out).contains("补报"), "{}", stdout(&out));
    }
}

/// A unit that has not reported a closed round gets that round until the next one is due, and is
/// told it is late (补报); the same for `report import` of a CSV that names no round.
#[test]
fn after_a_deadline_an_owed_round_comes_first() {
    let repo = fixture_repo(None);
    let out = run(
        repo.path(),
        &["--as-of", "2024-07-12T08:00", "report", "new", "--unit", "jtj"],
    );
    let text = stdout(&out);
    assert!(text.contains("reports/2024-07/jtj.csv"), "{text}");
    assert!(text.starts_with("补报 2024-07 轮（已逾期 1 天 14 小时）"), "{text}");
    // Once the next round is due, July is a missing report, no longer the default: August is.
    let out = run(
        repo.path(),
        &["--as-of", "2024-08-06T08:00", "report", "new", "--unit", "jtj"],
    );
    let text = stdout(&out);
    assert!(
        text.contains("补报 2024-08 轮") && text.contains("reports/2024-08/jtj.csv"),
        "{text}"
    );
    // A unit that leads nothing owes nothing: the next round.
    let out = run(
        repo.path(),
        &["--as-of", "2024-08-06T08:00", "report", "new", "--unit", "ldq"],
    );
    let text = stdout(&out);
    assert!(
        text.contains("reports/2024-09/ldq.csv") && !text.contains("补报"),
        "{text}"
    );
}

/// Fills the template's lead row the way a liaison would.
fn fill(text: &str) -> String {
    text.replace(",牵头（必报）,强化对外互联互通能力,推进 G0601 西宁绕城高速北环线项目。,,,,,,,,,,,,", ",牵头（必报）,强化对外互联互通能力,推进 G0601 西宁绕城高速北环线项目。,,,,推进中,45%,,\"完成初步设计，\n=启动征地\",,,李四,0972,2024/8/3")
}

fn soffice_convert(input: &Path, charset: u32, out_dir: &Path) -> Option<std::path::PathBuf> {
    let profile = tempfile::tempdir().unwrap();
    let status = Process::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--infilter=CSV:44,34,76,1"])
        .arg("--convert-to")
        .arg(format!("csv:Text - txt - csv (StarCalc):44,34,{charset},1"))
        .arg("--outdir")
        .arg(out_dir)
        .arg(input)
        .output()
        .ok()?;
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    Some(out_dir.join(input.file_name().unwrap()))
}

#[test]
#[cfg_attr(not(has_soffice), ignore = "needs LibreOffice (soffice); .ci/run installs it")]
fn a_template_saved_by_libreoffice_reads_back() {
    let repo = fixture_repo(None);
    run(repo.path(), &["report", "new", "--unit", "jtj", "--round", "2024-08"]);
    let path = repo.path().join("reports/2024-08/jtj.csv");
    let filled = fill(&template(repo.path(), "2024-08", "jtj"));
    assert!(filled.contains("推进中,45%"), "the fixture row was filled");
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("jtj.csv");
    std::fs::write(&input, &filled).unwrap();
    for (charset, label, warning) in [(76, "UTF-8", false), (85, "GB18030", true)] {
        let out_dir = work.path().join(label);
        let saved = soffice_convert(&input, charset, &out_dir).unwrap();
        std::fs::copy(&saved, &path).unwrap();
        let (code, rules) = check_rules(repo.path());
        let expected: Vec<String> = if warning { vec!["encoding".into()] } else { vec![] };
        assert_eq!(rules, expected, "{label}");
        assert_eq!(code, Some(0), "{label}");
        let (report, _) = tracker::load::report::parse(
            &tracker::load::report::FileInfo {
                path: "x",
                round: "2024-08".parse().unwrap(),
                unit: "jtj",
                years: 2024..=2025,
                limits: Default::default(),
            },
            &std::fs::read(&path).unwrap(),
        );
        let row = &report.unwrap().rows[0];
        assert_eq!(row.progress, Some(45.0), "{label}");
        assert_eq!(row.text.progress_note(), "完成初步设计，\n=启动征地", "{label}");
        assert_eq!(row.reported_on, chrono::NaiveDate::from_ymd_opt(2024, 8, 3), "{label}");
    }
}

/// A unit that neither leads nor cooperates on any task has nothing to report: `report new` says
/// so and writes nothing, rather than an empty template to fill.
#[test]
fn a_unit_with_nothing_to_report_gets_no_template() {
    let repo = fixture_repo(None);
    let units = std::fs::read_to_string(repo.path().join("units.toml")).unwrap();
    let idle = "\n[[unit]]\nid = \"tjj\"\nname = \"市统计局\"\nkind = \"department\"\n";
    std::fs::write(repo.path().join("units.toml"), format!("{units}{idle}")).unwrap();
    let args = [
        "--as-of",
        "2024-08-01",
        "report",
        "new",
        "--unit",
        "tjj",
        "--round",
        "2024-08",
    ];
    let out = run(repo.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("市统计局（tjj）在 2024-08 轮没有要报送的任务"), "{said}");
    assert!(!repo.path().join("reports").exists(), "nothing written");
}
