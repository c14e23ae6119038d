//! `tracker digest` and `tracker circular`: read back by independent clients, deterministic,
//! safe to open in a spreadsheet.

use std::path::Path;
use std::process::Command as Process;

use crate::common::*;
use calamine::{Data, Reader, Xlsx, open_workbook};

const AS_OF: &str = "2024-09-10T12:00:00+08:00";

/// A copy of the demo outside git, with formula-like text in one narrative.
fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("examples/demo"), dir.path());
    let fgw = dir.path().join("reports/2024-09/fgw.csv");
    let text = std::fs::read_to_string(&fgw).unwrap();
    let text = text
        .replacen(
            "（演示）9月推进第 5 项工作。",
            "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
            1,
        )
        .replacen(",,（演示）10月继续推进。", ",+1+1,（演示）10月继续推进。", 1);
    std::fs::write(&fgw, text).unwrap();
    dir
}

fn t(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut full = vec!["--as-of", AS_OF];
    full.extend_from_slice(args);
    let out = run(dir, &full);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    out
}

#[test]
fn csv_is_deterministic_and_excel_ready() {
    let dir = demo_copy();
    t(dir.path(), &["digest"]);
    let first = std::fs::read(dir.path().join("reports/digests/2024-09.csv")).unwrap();
    let units_first = std::fs::read(dir.path().join("reports/digests/2024-09-units.csv")).unwrap();
    t(dir.path(), &["digest"]);
    assert_eq!(
        first,
        std::fs::read(dir.path().join("reports/digests/2024-09.csv")).unwrap(),
        "byte-identical"
    );
    assert_eq!(
        units_first,
        std::fs::read(dir.path().join("reports/digests/2024-09-units.csv")).unwrap()
    );
    assert!(first.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let text = String::from_utf8(first).unwrap();
    assert!(text.ends_with("\r\n"));
    assert!(
        text.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","),
        "formula neutralised: {text}"
    );
    assert!(text.contains(",'+1+1,"), "{text}");
    assert!(text.contains("数据版本 未纳入 git"));
}

#[test]
fn an_independent_csv_reader_agrees_with_status_json() {
    let dir = demo_copy();
    t(dir.path(), &["digest"]);
    let status: serde_json::Value =
        serde_json::from_slice(&t(dir.path(), &["status", "--format", "json"]).stdout).unwrap();
    let script = r#"
import csv, json, sys
def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        r = list(csv.reader(f))
    header = r[2]
    return [dict(zip(header, row)) for row in r[3:]]
print(json.dumps({"tasks": rows(sys.argv[1]), "units": rows(sys.argv[2])}, ensure_ascii=False))
"#;
    let out = Process::new("python3")
        .args(["-c", script])
        .arg(dir.path().join("reports/digests/2024-09.csv"))
        .arg(dir.path().join("reports/digests/2024-09-units.csv"))
        .output()
        .expect("python3 is needed for this test");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let read: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tasks = read["tasks"].as_array().unwrap();
    let expected = status["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), expected.len());
    assert_eq!(tasks.len(), 23, "every task, reported or not");
    for (row, json) in tasks.iter().zip(expected) {
        assert_eq!(row["任务编号"], json["id"].to_string());
        assert_eq!(row["重点任务"], json["key_task"]);
        let label = ASSESSMENTS.iter().find(|(k, _)| json["assessment"] == *k).unwrap().1;
        assert_eq!(row["评估"], label, "task {}", json["id"]);
        assert_eq!(row["研判依据"], json["reason"], "task {}", json["id"]);
        let progress = json["progress"]
            .as_f64()
            .map(tracker::text::fmt_num)
            .unwrap_or_default();
        assert_eq!(row["进度"], progress, "task {}", json["id"]);
        assert_eq!(
            row["序时进度"],
            tracker::text::fmt_num(json["expected"].as_f64().unwrap())
        );
        assert_eq!(
            row["牵头单位"],
            json["lead_units"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    let t7 = &tasks[6];
    assert_eq!(t7["目标完成"], "建设和美乡村 23/129 个（各县区合计，全市合计未报）");
    let t5 = &tasks[4];
    assert_eq!(
        t5["本月进展"], "'=HYPERLINK(\"http://x\",\"y\")",
        "the reader sees the guard, not a formula"
    );
    let units = read["units"].as_array().unwrap();
    let json_units = status["units"].as_array().unwrap();
    assert_eq!(units.len(), json_units.len());
    for (row, json) in units.iter().zip(json_units) {
        assert_eq!(row["单位"], json["name"]);
        let label = match json["submission"].as_str().unwrap() {
            "on_time" => "按时",
            "late" => "逾期",
            "missing" => "未报送",
            "incomplete" => "不完整",
            _ => "有错误",
        };
        assert_eq!(row["报送状态"], label);
    }
    let zrzyj = units.iter().find(|u| u["单位"] == "市自然资源规划局").unwrap();
    assert_eq!(
        (zrzyj["报送时间"].as_str(), zrzyj["逾期时长"].as_str()),
        (Some("2024-09-07"), Some("1 天 6 小时"))
    );
    assert_eq!(zrzyj["联系电话"], "0972-0000002", "leading zero kept");
}

fn cells(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

#[test]
fn xlsx_reads_back_with_text_as_text() {
    let dir = demo_copy();
    t(dir.path(), &["digest", "--format", "xlsx"]);
    let path = dir.path().join("reports/digests/2024-09.xlsx");
    let tasks = cells(&path, "任务进展");
    assert_eq!(tasks[2][0], Data::String("任务编号".into()));
    assert_eq!(tasks.len(), 3 + 23);
    let t5 = &tasks[3 + 4];
    assert_eq!(t5[0], Data::Float(5.0));
    assert_eq!(t5[8], Data::Float(0.9), "90% as a real percentage");
    assert_eq!(
        t5[14],
        Data::String("=HYPERLINK(\"http://x\",\"y\")".into()),
        "stored as text, exactly"
    );
    assert_eq!(tasks[3][15], Data::String("+1+1".into()), "task 1's 存在问题");
    let t7 = &tasks[3 + 6];
    assert_eq!(
        t7[3].to_string(),
        "稳步推进和美乡村建设，年内建设和美乡村 129 个，其中：乐都区 10 个、平安区 5 个、民和县 34 个、互助县 27 个、化隆县 26 个、循化县 27 个。"
    );
    assert_eq!(t7[8], Data::Empty, "no progress reported: empty, not 0");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let formulas = wb.worksheet_formula("任务进展").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no cell is a formula"
    );
    let units = cells(&path, "报送情况");
    let zrzyj = units
        .iter()
        .find(|r| r[0] == Data::String("市自然资源规划局".into()))
        .unwrap();
    assert_eq!(zrzyj[2], Data::String("0972-0000002".into()));
    assert_eq!(zrzyj[5], Data::String("逾期".into()));
}

/// The demo's digest workbook converted by LibreOffice to `filter`, in a fresh folder.
fn digest_converted(filter: &str) -> tempfile::TempDir {
    let dir = demo_copy();
    t(dir.path(), &["digest", "--format", "xlsx"]);
    let profile = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let status = Process::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--convert-to", filter])
        .arg("--outdir")
        .arg(out_dir.path())
        .arg(dir.path().join("reports/digests/2024-09.xlsx"))
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    out_dir
}

#[test]
#[cfg_attr(not(has_soffice), ignore = "needs LibreOffice (soffice); .ci/run installs it")]
fn xlsx_opens_in_libreoffice() {
    // The 12th token picks the sheet: 2 is 任务进展 (1 is 概览).
    let out_dir = digest_converted("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2");
    let csv = std::fs::read_to_string(out_dir.path().join("2024-09-任务进展.csv")).unwrap();
    assert!(csv.contains("稳步推进和美乡村建设"), "Chinese intact");
    assert!(
        csv.contains("=HYPERLINK(\"\"http://x\"\",\"\"y\"\")"),
        "kept as text, not evaluated: {csv}"
    );
    assert!(
        !csv.contains("\ny\n") && !csv.contains(",y,"),
        "the formula did not run"
    );
}

/// Printed one page wide, every page of the workbook keeps its text legible: 任务进展's columns go
/// on A3, the rest on A4, and no list of names runs past 概览's table to shrink it.
#[test]
#[cfg_attr(not(has_soffice), ignore = "needs LibreOffice (soffice); .ci/run installs it")]
fn the_printed_workbook_is_legible_on_every_page() {
    let out_dir = digest_converted("pdf");
    let pdf = out_dir.path().join("2024-09.pdf");
    let bbox = Process::new("pdftotext")
        .arg("-bbox")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(bbox.status.success(), "{}", String::from_utf8_lossy(&bbox.stderr));
    let xml = String::from_utf8(bbox.stdout).unwrap();
    let pages: Vec<&str> = xml.split("<page ").skip(1).collect();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let number = |text: &str, key: &str| -> f64 {
        let at = text.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
        text[at..].split('"').next().unwrap().parse().unwrap()
    };
    for (i, page) in pages.iter().enumerate() {
        let a3 = (number(page, "width") - 1190.55).abs() < 1.0;
        let words: Vec<&str> = page.split("<word ").skip(1).collect();
        let mut heights: Vec<f64> = words.iter().map(|w| number(w, "yMax") - number(w, "yMin")).collect();
        heights.sort_by(f64::total_cmp);
        let median = heights[heights.len() / 2];
        // 11-point text at 70% or more: a glyph box of about 7.6 points or more.
        assert!(median >= 7.5, "page {}: text {median:.1} pt high", i + 1);
        let task_sheet = page.contains(">工作事项<"); // 任务进展's header, on every page
        assert_eq!(a3, task_sheet, "page {}: only 任务进展 is on A3", i + 1);
    }
}

#[test]
fn output_to_stdout_and_to_a_path() {
    let dir = demo_copy();
    let out = t(dir.path(), &["digest", "--output", "-"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(
        text.contains("任务编号,篇章") && text.contains("单位,联络员,联系电话"),
        "both tables"
    );
    t(dir.path(), &["digest", "--output", "out/x.csv"]);
    assert!(dir.path().join("out/x.csv").is_file() && dir.path().join("out/x-units.csv").is_file());
}

#[test]
fn digest_and_circular_golden() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("examples/demo"), dir.path());
    t(dir.path(), &["digest"]);
    let csv = std::fs::read_to_string(dir.path().join("reports/digests/2024-09.csv")).unwrap();
    assert_snapshot_in("tests/golden/demo", "digest-2024-09-csv", &csv);
    let units = std::fs::read_to_string(dir.path().join("reports/digests/2024-09-units.csv")).unwrap();
    assert_snapshot_in("tests/golden/demo", "digest-2024-09-units-csv", &units);
    let circular = stdout(&t(dir.path(), &["circular"]));
    assert_snapshot_in("tests/golden/demo", "circular-2024-09-md", &circular);
    assert!(circular.contains("逾期报送的单位（1 个）：市自然资源规划局（逾期 1 天 6 小时）"));
    assert!(circular.contains("未报送的单位（1 个）：市农业农村局"));
    assert!(circular.contains("报送不完整的单位（1 个）：市住房建设局（缺第 7 项）"));
    let red = circular.find("【红灯】第 4 项").unwrap();
    let yellow = circular.find("【黄灯】第 3 项").unwrap();
    assert!(red < yellow, "red before yellow");
}

#[test]
fn circular_never_overwrites_an_edited_draft_without_force() {
    let dir = demo_copy();
    t(dir.path(), &["circular", "--output", "通报.md"]);
    let path = dir.path().join("通报.md");
    std::fs::write(&path, "office's edited wording").unwrap();
    let out = run(dir.path(), &["--as-of", AS_OF, "circular", "--output", "通报.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "office's edited wording");
    t(dir.path(), &["circular", "--output", "通报.md", "--force"]);
    assert!(std::fs::read_to_string(&path).unwrap().starts_with("# 关于《"));
}
