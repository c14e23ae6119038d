//! One verdict, one place: for random valid months, every task's assessment is the same in
//! `status`, `show`, the digest and the circular; and so is each target's actual, counted once.

use crate::common::*;
use proptest::prelude::*;
use serde_json::Value;

const STATUSES: [&str; 5] = ["未启动", "推进中", "已完成", "滞后", "受阻"];
/// Tasks 1–4 and who leads them (3 and 4 are added to the base fixture).
const LEADS: [(u32, &str); 4] = [(1, "fgw"), (2, "jtj"), (3, "ldq"), (4, "paq")];

/// A lead's row: (status index, progress) made consistent the way a careful liaison would.
fn row() -> impl Strategy<Value = Option<(usize, u32)>> {
    prop::option::weighted(0.8, (0..5usize, 0..=100u32))
}

fn consistent(status: usize, progress: u32) -> (&'static str, u32) {
    match STATUSES[status] {
        "未启动" => ("未启动", 0),
        "已完成" => ("已完成", 100),
        s if progress >= 100 => (s, 99),
        s => (s, progress),
    }
}

/// Task 1's 和美乡村 (15: 乐都区 10, 平安区 5): fgw's total, ldq's and paq's parts, each maybe absent.
type Figures = [Option<u32>; 3];

fn write_month(dir: &std::path::Path, rows: &[Option<(usize, u32)>], figures: &Figures) {
    for (id, lead) in [(3, "乐都区政府"), (4, "平安区政府")] {
        std::fs::write(
            dir.join(format!("tasks/00{id}.toml")),
            format!(
                "id = {id}\nchapter = 2\nsection = 1\nkey_task = \"测试{id}\"\nwork = \"测试\"\nlead = [\"{lead}\"]\ncooperating = []\ndue = 2024-12-31\nnotes = []\n"
            ),
        )
        .unwrap();
    }
    std::fs::create_dir_all(dir.join("reports/2024-09")).unwrap();
    let figure = |unit: &str| match unit {
        "fgw" => figures[0],
        "ldq" => figures[1],
        "paq" => figures[2],
        _ => None,
    };
    for ((task, unit), row) in LEADS.iter().zip(rows) {
        let Some((status, progress)) = row else { continue };
        let (status, progress) = consistent(*status, *progress);
        let metric = figure(unit)
            .map(|v| format!("1,和美乡村,,,{v},,,,,,\n"))
            .unwrap_or_default();
        std::fs::write(
            dir.join(format!("reports/2024-09/{unit}.csv")),
            format!(
                "{}{task},,{status},{progress},,本月推进,,,,,2024-09-04\n{metric}",
                crate::common::repo::HEADER
            ),
        )
        .unwrap();
    }
}

/// Task 1's actual as the rules give it: fgw's total when sent, else the parts sent, summed.
fn expected_actual(rows: &[Option<(usize, u32)>], figures: &Figures) -> Option<f64> {
    let sent = |i: usize, lead: usize| rows[lead].and(figures[i]).map(f64::from);
    let parts: Vec<f64> = [sent(1, 2), sent(2, 3)].into_iter().flatten().collect();
    sent(0, 0).or((!parts.is_empty()).then(|| parts.iter().sum()))
}

const AS_OF: &str = "2024-09-20T12:00:00+08:00";

fn out(dir: &std::path::Path, args: &[&str]) -> String {
    let out = run(dir, &[&["--as-of", AS_OF][..], args].concat());
    assert!(out.status.code().is_some_and(|c| c < 2), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn every_output_gives_each_task_the_same_assessment(
        rows in prop::collection::vec(row(), 4),
        figures in prop::array::uniform3(prop::option::of(0..20u32)),
    ) {
        let repo = fixture_repo(None);
        write_month(repo.path(), &rows, &figures);
        let status: Value = serde_json::from_str(&out(repo.path(), &["status", "--format", "json"])).unwrap();
        out(repo.path(), &["digest"]);
        let digest = std::fs::read_to_string(repo.path().join("reports/digests/2024-09.csv")).unwrap();
        let circular = out(repo.path(), &["circular"]);
        for task in status["tasks"].as_array().unwrap() {
            let id = task["id"].as_u64().unwrap();
            let key = task["assessment"].as_str().unwrap();
            let label = tracker::assess::Assessment::ALL.iter().find(|a| a.key() == key).unwrap().label();
            let show: Value = serde_json::from_str(&out(repo.path(), &["show", &id.to_string(), "--format", "json"])).unwrap();
            prop_assert_eq!(show["current"]["assessment"].as_str(), Some(key), "show, task {}", id);
            let line = digest.lines().find(|l| l.starts_with(&format!("{id},"))).unwrap();
            prop_assert!(line.contains(&format!(",{label},")), "digest, task {}: {}", id, line);
            let red = circular.contains(&format!("【红灯】第 {id} 项"));
            let yellow = circular.contains(&format!("【黄灯】第 {id} 项"));
            prop_assert_eq!(red, key == "behind_red", "circular red, task {}", id);
            prop_assert_eq!(yellow, key == "behind_yellow", "circular yellow, task {}", id);
            prop_assert!(!circular.contains("落后 -"), "negative lag");
        }
        // Task 1's target: the same actual everywhere, and the one the rules give.
        let t1 = &status["tasks"][0]["targets"][0];
        let actual = t1["actual"].as_f64();
        prop_assert_eq!(actual, expected_actual(&rows, &figures), "status: {}", t1);
        let show: Value = serde_json::from_str(&out(repo.path(), &["show", "1", "--format", "json"])).unwrap();
        prop_assert_eq!(show["current"]["targets"][0]["actual"].as_f64(), actual);
        let line = digest.lines().find(|l| l.starts_with("1,")).unwrap();
        let shown = actual.map_or("—".to_string(), tracker::text::fmt_num);
        prop_assert!(line.contains(&format!("和美乡村 {shown}/15 个")), "digest: {}", line);
    }
}
