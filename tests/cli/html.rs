//! The HTML digest as a browser sees it: Chromium loads the page offline, its numbers agree with
//! `status --format json`, it loads nothing from anywhere, and it prints on A4 landscape.

use std::path::Path;
use std::process::Command;

use crate::common::*;
use serde_json::Value;

const AS_OF: &str = "2024-09-10T12:00:00+08:00";

fn chromium(args: &[&str], page: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("timeout")
        .arg("120")
        .arg("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The demo workspace with three rounds (July on-time and late, a missing unit, an invalid file).
fn demo_with_page() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("examples/demo"), dir.path());
    let out = run(dir.path(), &["--as-of", AS_OF, "digest", "--format", "html"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("已写入 reports/digests/2024-09.html"),
        "{}",
        stdout(&out)
    );
    let page = dir.path().join("reports/digests/2024-09.html");
    (dir, page)
}

/// The number in the card `<div … data-key="K"><b>N</b>`.
fn card(dom: &str, attr: &str, key: &str) -> u64 {
    let marker = format!("{attr}=\"{key}\"><b>");
    let at = dom.find(&marker).unwrap_or_else(|| panic!("no card {key}")) + marker.len();
    dom[at..].split('<').next().unwrap().parse().unwrap()
}

/// The task ids of the rows in the section with this id, in order.
fn task_rows(dom: &str, section: &str) -> Vec<u64> {
    let start = dom.find(&format!("<section id=\"{section}\"")).unwrap();
    let end = dom[start..].find("</section>").unwrap() + start;
    dom[start..end]
        .split("<tr data-task=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().parse().unwrap())
        .collect()
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs Chromium and poppler-utils; .ci/run installs them"
)]
fn the_page_agrees_with_status() {
    let (dir, page) = demo_with_page();
    let status: Value =
        serde_json::from_slice(&run(dir.path(), &["--as-of", AS_OF, "status", "--format", "json"]).stdout).unwrap();
    let dom = chromium(&["--dump-dom"], &page);
    assert!(dom.contains("（2024-09 轮）"), "{dom}");
    assert_eq!(
        card(&dom, "data-key", "tasks"),
        status["totals"]["tasks"].as_u64().unwrap()
    );
    for (key, n) in status["totals"]["assessments"].as_object().unwrap() {
        assert_eq!(card(&dom, "data-key", key), n.as_u64().unwrap(), "{key}");
    }
    for (key, n) in status["totals"]["submissions"].as_object().unwrap() {
        assert_eq!(card(&dom, "data-unit-key", key), n.as_u64().unwrap(), "{key}");
    }
    let tasks = status["tasks"].as_array().unwrap();
    let attention: Vec<u64> = tasks
        .iter()
        .filter(|t| {
            ["behind_red", "missing", "invalid", "blocked"].contains(&t["assessment"].as_str().unwrap())
                || t["stale"] == true
        })
        .map(|t| t["id"].as_u64().unwrap())
        .collect();
    assert!(!attention.is_empty());
    assert_eq!(task_rows(&dom, "attention"), attention);
    let all: Vec<u64> = tasks.iter().map(|t| t["id"].as_u64().unwrap()).collect();
    assert_eq!(task_rows(&dom, "all"), all);
    // Each row's progress is the status progress; the units grid has a cell per unit per round.
    for t in tasks {
        let row = format!("<tr data-task=\"{}\">", t["id"]);
        let at = dom.rfind(&row).unwrap();
        let cell = &dom[at..][dom[at..].find("data-field=\"progress\">").unwrap() + 22..];
        let shown = cell.split('<').next().unwrap();
        let expected = t["progress"].as_f64().map_or("—".to_string(), |p| format!("{p}%"));
        assert_eq!(shown, expected, "task {}", t["id"]);
        // Its 研判依据 says what the status table's 说明 says: the reason, that it stands still,
        // and what blocks it.
        let said = &dom[at..][..dom[at..].find("</tr>").unwrap()];
        assert!(said.contains(t["reason"].as_str().unwrap()), "task {}", t["id"]);
        assert_eq!(said.contains("；与上轮相同"), t["stale"] == true, "task {}", t["id"]);
        if t["assessment"] == "blocked" {
            assert!(said.contains("；问题："), "task {}: {said}", t["id"]);
        }
    }
    assert!(tasks.iter().any(|t| t["stale"] == true) && tasks.iter().any(|t| t["assessment"] == "blocked"));
    let units = status["units"].as_array().unwrap().len();
    let units_section = &dom[dom.find("<section id=\"units\"").unwrap()..];
    let units_section = &units_section[..units_section.find("</section>").unwrap()];
    assert_eq!(units_section.matches("<rect").count(), units * 3, "three rounds so far");
    // Each cell says its state in words, for a black-and-white printout.
    for label in ["按时", "逾期", "未报送", "不完整", "有错误", "待报"] {
        let cells = units_section.matches(&format!(">{label}</text>")).count();
        let in_rects = units_section.matches(&format!(" {label}</title>")).count();
        assert_eq!(cells, in_rects, "{label}");
    }
    assert_eq!(
        units_section.matches("</text>").count(),
        units * 3 + units + 3,
        "labels, names, rounds"
    );
    // Each chapter's largest segment names its assessment and count, for the same printout.
    let chapters_section = &dom[dom.find("<section id=\"chapters\"").unwrap()..];
    for ch in status["chapters"].as_array().unwrap() {
        let (label, n) = ASSESSMENTS
            .iter()
            .map(|(key, label)| (*label, ch["assessments"][key].as_u64().unwrap_or(0)))
            .max_by_key(|(_, n)| *n)
            .unwrap();
        assert!(
            chapters_section.contains(&format!(">{label} {n}</text>")),
            "chapter {}",
            ch["number"]
        );
    }
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs Chromium and poppler-utils; .ci/run installs them"
)]
fn the_page_loads_nothing_and_prints_on_a4_landscape() {
    let (dir, page) = demo_with_page();
    let html = std::fs::read_to_string(&page).unwrap();
    for needle in ["<script", "<link", "src=", "href=", "url(", "@import", "https:"] {
        assert!(
            !html.contains(needle),
            "the page must be self-contained, found {needle}"
        );
    }
    let pdf = dir.path().join("digest.pdf");
    chromium(
        &["--no-pdf-header-footer", &format!("--print-to-pdf={}", pdf.display())],
        &page,
    );
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!((2..=8).contains(&pages), "{info}");
    assert!(info.contains("841.92 x 594.96 pts (A4)"), "landscape A4: {info}");
    let text = Command::new("pdftotext")
        .args(["-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let first = String::from_utf8_lossy(&text.stdout);
    assert!(
        first.contains("本月总体情况") && first.contains("各篇章评估"),
        "the first page is the month at a glance: {first}"
    );
}

#[test]
fn html_goes_to_stdout_and_refuses_the_year_end() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("examples/demo"), dir.path());
    let out = run(
        dir.path(),
        &["--as-of", AS_OF, "digest", "--format", "html", "--output", "-"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("<!doctype html>"));
    assert!(!dir.path().join("reports/digests").exists(), "stdout writes no file");
    let out = run(
        dir.path(),
        &["--as-of", AS_OF, "digest", "--format", "html", "--year-end"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("年终版暂只有 CSV 与 XLSX"), "{}", stderr(&out));
}
