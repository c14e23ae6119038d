//! The XLSX digest as openpyxl reads it: the sheets leadership reads (概览, 历次进度), number
//! formats and cell types, the lights as conditional formats, panes and print setup, and every
//! number equal to `status --format json`.

#[allow(dead_code)]
use crate::gen_workspace;

use std::path::Path;
use std::process::Command;

use crate::common::*;
use serde_json::Value;

const AS_OF: &str = "2024-09-10T12:00:00+08:00";

/// What openpyxl sees, as JSON: per sheet its cells (value, type, number format, fill, horizontal
/// alignment), freeze pane, print setup and conditional-format rules.
const INSPECT: &str = r#"
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames}
for ws in wb.worksheets:
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is None:
                continue
            v = c.value.isoformat() if isinstance(c.value, datetime.datetime) else c.value
            fill = c.fill.fgColor.rgb if c.fill and c.fill.fill_type == "solid" else None
            cells[c.coordinate] = [v, c.data_type, c.number_format, fill, c.alignment.horizontal]
    rules = []
    for rng in ws.conditional_formatting:
        for r in rng.rules:
            rules.append([str(rng.sqref), r.type, r.operator, r.text])
    out[ws.title] = {
        "cells": cells,
        "freeze": ws.freeze_panes,
        "landscape": ws.page_setup.orientation,
        "paper": ws.page_setup.paperSize,
        "fit_to_page": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
        "fit_width": ws.page_setup.fitToWidth if ws.page_setup.fitToWidth is not None else 1,
        "fit_height": ws.page_setup.fitToHeight,
        "print_titles": ws.print_title_rows,
        "footer": ws.oddFooter.right.text,
        "charts": len(ws._charts),
        "tallest_row": max([d.height or 0 for d in ws.row_dimensions.values()] + [0]),
        "shortest_row": min([d.height for d in ws.row_dimensions.values() if d.height] + [409]),
        "rules": rules,
    }
print(json.dumps(out, ensure_ascii=False))
"#;

/// The demo's digest workbook and status, both at AS_OF.
fn workbook_and_status() -> (Value, Value) {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("examples/demo"), dir.path());
    let out = run(dir.path(), &["--as-of", AS_OF, "digest", "--format", "xlsx"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let wb = inspect(&dir.path().join("reports/digests/2024-09.xlsx"));
    let status = run(dir.path(), &["--as-of", AS_OF, "status", "--format", "json"]);
    (wb, serde_json::from_slice(&status.stdout).unwrap())
}

/// The workbook at `path` as openpyxl reads it (see [`INSPECT`]).
fn inspect(path: &Path) -> Value {
    let py = Command::new("python3")
        .args(["-c", INSPECT])
        .arg(path)
        .output()
        .unwrap();
    assert!(py.status.success(), "{}", String::from_utf8_lossy(&py.stderr));
    serde_json::from_slice(&py.stdout).unwrap()
}

fn cell<'a>(sheet: &'a Value, at: &str) -> &'a Value {
    &sheet["cells"][at]
}

/// The column letter of the header `name` in row 3.
fn column(sheet: &Value, name: &str) -> String {
    let cells = sheet["cells"].as_object().unwrap();
    let (at, _) = cells
        .iter()
        .find(|(at, v)| at.trim_start_matches(|c: char| c.is_ascii_uppercase()) == "3" && v[0] == name)
        .unwrap_or_else(|| panic!("no header {name}"));
    at.trim_end_matches('3').to_string()
}

#[test]
#[cfg_attr(not(has_openpyxl), ignore = "needs python3 with openpyxl; .ci/run installs it")]
fn the_tasks_sheet_types_its_cells_and_lights_its_assessments() {
    let (wb, status) = workbook_and_status();
    assert_eq!(wb["sheets"].to_string(), r#"["概览","任务进展","报送情况","历次进度"]"#);
    let sheet = &wb["任务进展"];
    let (progress, expected, received) = (
        column(sheet, "进度"),
        column(sheet, "序时进度"),
        column(sheet, "报送时间"),
    );
    for (i, t) in status["tasks"].as_array().unwrap().iter().enumerate() {
        let row = i + 4;
        let id = cell(sheet, &format!("A{row}"));
        assert_eq!(id[0], t["id"], "one row per task in order");
        assert_eq!(id[4], "center", "set right, 任务编号 ran into 篇章 on paper");
        let p = cell(sheet, &format!("{progress}{row}"));
        match t["progress"].as_f64() {
            Some(v) => {
                assert!((p[0].as_f64().unwrap() * 100.0 - v).abs() < 1e-9, "task {}", t["id"]);
                assert_eq!(p[1], "n");
                assert!(p[2].as_str().unwrap().ends_with('%'), "{p}");
            }
            None => assert!(p.is_null(), "no progress: an empty cell, task {}", t["id"]),
        }
        let e = cell(sheet, &format!("{expected}{row}"));
        assert!((e[0].as_f64().unwrap() * 100.0 - t["expected"].as_f64().unwrap()).abs() < 1e-9);
    }
    let time = cell(sheet, &format!("{received}4"));
    assert_eq!(
        (time[1].as_str(), time[2].as_str()),
        (Some("d"), Some("yyyy-mm-dd")),
        "{time}"
    );
    // 评估 is coloured by conditional formats on its words, red first.
    let assessment = column(sheet, "评估");
    let rules = sheet["rules"].as_array().unwrap();
    let last = status["tasks"].as_array().unwrap().len() + 3;
    let range = format!("{assessment}4:{assessment}{last}");
    let on_assessment: Vec<&str> = rules
        .iter()
        .filter(|r| r[0] == range.as_str() && r[1] == "containsText")
        .map(|r| r[3].as_str().unwrap())
        .collect();
    // The alarms first, each its own colour: 未报送, 报送有误, 受阻 before 红 (red) and 黄.
    assert_eq!(on_assessment[..4], ["未报送", "有误", "有错误", "受阻"], "{rules:?}");
    assert!(on_assessment.contains(&"红") && on_assessment.contains(&"黄") && on_assessment.contains(&"达进度"));
    assert_eq!(sheet["freeze"], "D4", "panes frozen after 重点任务");
    assert_eq!(sheet["landscape"], "landscape");
    assert_eq!(sheet["paper"], 8, "A3: seventeen columns on A4 printed at half size");
    assert_eq!(wb["报送情况"]["paper"], 9, "a narrow sheet stays on A4");
    assert_eq!(sheet["fit_to_page"], true);
    assert_eq!(
        (sheet["fit_width"].as_u64(), sheet["fit_height"].as_u64()),
        (Some(1), Some(0)),
        "one page wide"
    );
    assert_eq!(sheet["print_titles"], "$3:$3", "the header repeats on every page");
    assert_eq!(sheet["footer"], "第 &P 页，共 &N 页");
}

#[test]
#[cfg_attr(not(has_openpyxl), ignore = "needs python3 with openpyxl; .ci/run installs it")]
fn the_overview_answers_how_the_month_went() {
    let (wb, status) = workbook_and_status();
    let sheet = &wb["概览"];
    assert_eq!(sheet["charts"], 1, "the lights per chapter as a chart");
    let chapters = status["chapters"].as_array().unwrap();
    for (i, ch) in chapters.iter().enumerate() {
        let row = i + 4;
        assert_eq!(cell(sheet, &format!("B{row}"))[0], ch["tasks"]);
        for (key, label) in ASSESSMENTS {
            let col = column(sheet, label);
            let shown = cell(sheet, &format!("{col}{row}"));
            assert_eq!(shown[0], ch["assessments"][key], "chapter {} {label}", ch["number"]);
            let coloured = !shown[3].is_null();
            assert_eq!(coloured, shown[0] != 0, "only non-zero counts are lit: {shown}");
        }
    }
    let total_row = chapters.len() + 4;
    assert_eq!(cell(sheet, &format!("A{total_row}"))[0], "合计");
    let red = column(sheet, "欠进度（红）");
    assert_eq!(
        cell(sheet, &format!("{red}{total_row}"))[0],
        status["totals"]["assessments"]["behind_red"]
    );
    assert_eq!(cell(sheet, &format!("{red}{total_row}"))[3], "FFFFC7CE", "red is red");
    // Who is late: the units by submission status, with names.
    let cells = sheet["cells"].as_object().unwrap();
    let late_row = cells
        .iter()
        .find(|(at, v)| at.starts_with('A') && v[0] == "逾期")
        .map(|(at, _)| at[1..].to_string())
        .unwrap();
    let late: Vec<&str> = status["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["submission"] == "late")
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(cell(sheet, &format!("B{late_row}"))[0], late.len());
    assert_eq!(cell(sheet, &format!("C{late_row}"))[0], late.join("、"));
    // The tasks needing attention say why they are listed: the heading names the criteria, and
    // a task listed for standing still (its light may be any) is marked 停滞.
    let (heading, _) = cells
        .iter()
        .find(|(_, v)| v[0].as_str().is_some_and(|t| t.starts_with("需关注的任务")))
        .unwrap();
    let first = heading[1..].parse::<usize>().unwrap() + 2;
    assert!(
        cells[heading][0]
            .as_str()
            .unwrap()
            .ends_with("：红灯、未报送、报送有误、受阻、停滞）")
    );
    assert_eq!(cell(sheet, &format!("F{}", first - 1))[0], "停滞");
    let listed: Vec<&Value> = status["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| {
            let attention =
                ["behind_red", "missing", "invalid", "blocked"].contains(&t["assessment"].as_str().unwrap());
            attention || t["stale"] == true
        })
        .collect();
    assert!(listed.iter().any(|t| t["stale"] == true), "the demo has a stale task");
    for (i, t) in listed.iter().enumerate() {
        let row = first + i;
        assert_eq!(cell(sheet, &format!("B{row}"))[0], t["id"]);
        let marked = cell(sheet, &format!("F{row}"))[0] == "是";
        assert_eq!(marked, t["stale"] == true, "task {}", t["id"]);
    }
    assert_eq!(sheet["freeze"], "B4");
    assert!(
        sheet["print_titles"].is_null(),
        "several tables: no one header to repeat"
    );
}

#[test]
#[cfg_attr(not(has_openpyxl), ignore = "needs python3 with openpyxl; .ci/run installs it")]
fn the_history_sheet_has_every_round_so_far() {
    let (wb, status) = workbook_and_status();
    let sheet = &wb["历次进度"];
    for (col, round) in [("D", "2024-07"), ("E", "2024-08"), ("F", "2024-09")] {
        assert_eq!(cell(sheet, &format!("{col}3"))[0], round);
    }
    assert!(cell(sheet, "G3").is_null(), "no round after the digest's");
    // The last column is this round's status, cell by cell, coloured by its light.
    for (i, t) in status["tasks"].as_array().unwrap().iter().enumerate() {
        let shown = cell(sheet, &format!("F{}", i + 4));
        match t["progress"].as_f64() {
            Some(p) => assert!((shown[0].as_f64().unwrap() * 100.0 - p).abs() < 1e-9, "{shown}"),
            None => assert_eq!(
                shown[0],
                ASSESSMENTS.iter().find(|(k, _)| t["assessment"] == *k).unwrap().1,
                "no progress: the assessment in words"
            ),
        }
        let fill = shown[3].as_str().unwrap();
        let expected_fill = match t["assessment"].as_str().unwrap() {
            "behind_red" => "FFFFC7CE",
            "blocked" => "FFE8DAEF",
            "missing" => "FFD5D8DC",
            "invalid" => "FFD6EAF8",
            "behind_yellow" => "FFFFEB9C",
            "done" | "ahead" | "on_pace" => "FFC6EFCE",
            _ => "FFEDEDED",
        };
        assert_eq!(fill, expected_fill, "task {}", t["id"]);
    }
    assert_eq!(sheet["freeze"], "C4");
}

#[test]
#[cfg_attr(not(has_openpyxl), ignore = "needs python3 with openpyxl; .ci/run installs it")]
fn the_units_sheet_has_times_and_hours_late_as_numbers() {
    let (wb, status) = workbook_and_status();
    let sheet = &wb["报送情况"];
    let (time, hours, text) = (
        column(sheet, "报送时间"),
        column(sheet, "逾期小时"),
        column(sheet, "逾期时长"),
    );
    for (i, u) in status["units"].as_array().unwrap().iter().enumerate() {
        let row = i + 4;
        match u["late_minutes"].as_i64() {
            Some(m) => {
                let shown = cell(sheet, &format!("{hours}{row}"));
                assert_eq!(shown[1], "n");
                assert!((shown[0].as_f64().unwrap() - m as f64 / 60.0).abs() < 0.05, "{shown}");
                assert!(cell(sheet, &format!("{text}{row}"))[0].as_str().unwrap().contains('天'));
            }
            None => assert!(cell(sheet, &format!("{hours}{row}")).is_null()),
        }
        match u["received_at"].as_str() {
            Some(at) => {
                let shown = cell(sheet, &format!("{time}{row}"));
                assert_eq!(shown[1], "d", "a date-time cell");
                assert_eq!(shown[0].as_str().unwrap()[..10], at[..10]);
            }
            None => assert!(cell(sheet, &format!("{time}{row}")).is_null()),
        }
    }
}

/// A province's 512 units listed in one 概览 cell: the row is as tall as Excel allows (409
/// points), not taller.
#[test]
#[cfg_attr(not(has_openpyxl), ignore = "needs python3 with openpyxl; .ci/run installs it")]
fn a_province_s_lists_stay_within_excel_s_row_height() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let args = gen_workspace::Args {
        tasks: 600,
        units: 512,
        rounds: 1,
        git: false,
        out: ws.clone(),
    };
    gen_workspace::generate(&args).unwrap();
    let out = run(&ws, &["--as-of", "2024-01-20", "digest", "--format", "xlsx"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let wb = inspect(&ws.join("reports/digests/2024-01.xlsx"));
    for sheet in ["概览", "任务进展", "报送情况", "历次进度"] {
        let tallest = wb[sheet]["tallest_row"].as_f64().unwrap();
        assert!(tallest <= 409.0, "{sheet}: a row {tallest} points tall");
        let shortest = wb[sheet]["shortest_row"].as_f64().unwrap();
        assert!(
            shortest >= 15.0,
            "{sheet}: a row {shortest} points tall, less than a line"
        );
    }
    // The on-time units do not fit one row: as many as fit, then how many there are in all.
    let sheet = &wb["概览"];
    let row = sheet["cells"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(at, v)| at.starts_with('A') && v[0] == "按时")
        .map(|(at, _)| at[1..].to_string())
        .unwrap();
    let count = cell(sheet, &format!("B{row}"))[0].as_u64().unwrap();
    let on_time = cell(sheet, &format!("C{row}"))[0].as_str().unwrap();
    assert!(count > 300, "{count}");
    let tail = format!("等 {count} 个单位（全部名单见“报送情况”）");
    let end = on_time
        .char_indices()
        .rev()
        .nth(40)
        .map_or(on_time, |(i, _)| &on_time[i..]);
    assert!(on_time.starts_with("合成单位") && on_time.ends_with(&tail), "…{end}");
    let shown = on_time.matches("合成单位").count() as u64;
    assert!(shown > 100 && shown < count, "{shown} of {count} named");
}
