//! Each target counted once (#26): the total from its reporter (the first lead unless the task
//! names one), the parts beside it, the parts' sum only when the total is missing, and what does
//! not add up said in check, show, status, the digest and the page alike.

use serde_json::Value;

use crate::common::*;

const HEADER: &str = crate::common::repo::HEADER;
const AS_OF: &str = "2024-08-20T12:00:00+08:00";

/// fgw leads task 1 (和美乡村 15: 乐都区 10, 平安区 5) and reports the total; the counties their parts.
fn round(total: Option<u32>, ldq: u32, paq: u32) -> tempfile::TempDir {
    let repo = fixture_repo(None);
    let dir = repo.path().join("reports/2024-08");
    std::fs::create_dir_all(&dir).unwrap();
    let total = total.map(|t| format!("1,和美乡村,,,{t},,,,,,\n")).unwrap_or_default();
    let files = [
        (
            "fgw",
            format!("1,,推进中,60,,推进,,,张三,0972-8000001,2024-08-02\n{total}"),
        ),
        (
            "ldq",
            format!("1,,推进中,60,,配合,,,,,2024-08-02\n1,和美乡村,,,{ldq},,,,,,\n"),
        ),
        (
            "paq",
            format!("1,,推进中,60,,配合,,,,,2024-08-02\n1,和美乡村,,,{paq},,,,,,\n"),
        ),
    ];
    for (unit, rows) in files {
        std::fs::write(dir.join(format!("{unit}.csv")), format!("{HEADER}{rows}")).unwrap();
    }
    repo
}

fn target(repo: &tempfile::TempDir) -> Value {
    let out = run(
        repo.path(),
        &["--as-of", AS_OF, "status", "--round", "2024-08", "--format", "json"],
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)));
    find_in(&json["tasks"], "id", 1)["targets"][0].clone()
}

fn digest_cell(repo: &tempfile::TempDir) -> String {
    let out = run(
        repo.path(),
        &["--as-of", AS_OF, "digest", "--round", "2024-08", "--output", "-"],
    );
    let text = stdout(&out);
    text.lines()
        .find(|l| l.starts_with("1,"))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_total_counts_once_and_the_parts_stand_beside_it() {
    let repo = round(Some(12), 10, 6);
    let t = target(&repo);
    assert_eq!(t["actual"], 12.0, "the reporter's total, not 12 + 10 + 6: {t}");
    assert_eq!(
        t["flags"],
        serde_json::json!(["各县区合计 16 大于全市合计 12", "平安区政府 6 超过本单位目标 5"])
    );
    let show = stdout(&run(
        repo.path(),
        &["--as-of", AS_OF, "show", "1", "--round", "2024-08"],
    ));
    assert!(
        show.contains("「和美乡村」累计完成 12：全市合计 市发展改革委 12"),
        "{show}"
    );
    assert!(
        show.contains("其中 乐都区政府 10") && show.contains("（不另计入）"),
        "{show}"
    );
    assert!(show.contains("⚠ 各县区合计 16 大于全市合计 12"), "{show}");
    let cell = digest_cell(&repo);
    assert!(
        cell.contains("和美乡村 12/15 个（⚠ 各县区合计 16 大于全市合计 12）"),
        "{cell}"
    );
    let page = stdout(&run(
        repo.path(),
        &[
            "--as-of", AS_OF, "digest", "--round", "2024-08", "--format", "html", "--output", "-",
        ],
    ));
    assert!(page.contains("各县区合计 16 大于全市合计 12"), "the page says it too");
    let check = stdout(&run(repo.path(), &["--as-of", AS_OF, "check"]));
    assert!(
        check.contains("warning[target-sum]: 「和美乡村」全市合计 12 小于各县区合计 16"),
        "{check}"
    );
    assert!(
        check.contains("warning[target-sum]: 「和美乡村」本单位完成数 6 超过本单位目标 5"),
        "{check}"
    );
}

#[test]
fn without_the_total_the_parts_are_summed_and_say_so() {
    let repo = round(None, 7, 3);
    let t = target(&repo);
    assert_eq!(
        (t["actual"].as_f64(), t["from_parts"].as_bool()),
        (Some(10.0), Some(true)),
        "{t}"
    );
    assert!(digest_cell(&repo).contains("和美乡村 10/15 个（各县区合计，全市合计未报）"));
    let show = stdout(&run(
        repo.path(),
        &["--as-of", AS_OF, "show", "1", "--round", "2024-08"],
    ));
    assert!(show.contains("（各县区合计：全市合计尚未报送）"), "{show}");
}

#[test]
fn the_template_asks_each_unit_for_its_own_figure() {
    let repo = fixture_repo(None);
    let line = |unit: &str| {
        let out = run(
            repo.path(),
            &["--as-of", AS_OF, "report", "new", "--unit", unit, "--round", "2024-08"],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let text = std::fs::read_to_string(repo.path().join(format!("reports/2024-08/{unit}.csv"))).unwrap();
        text.lines()
            .find(|l| l.contains(",和美乡村,") && l.starts_with("1,"))
            .map(str::to_string)
    };
    let fgw = line("fgw").expect("the reporter has the row");
    assert!(fgw.contains("全市合计（含各县区）,,和美乡村,15,个"), "{fgw}");
    let ldq = line("ldq").expect("a county has its part");
    assert!(
        ldq.contains("本单位完成数（本单位目标 10 个）,,和美乡村,10,个"),
        "{ldq}"
    );
}
