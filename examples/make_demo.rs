//! Writes the demo workspace `examples/demo/`: ILLUSTRATIVE DATA ONLY (演示数据，非真实报送).
//!
//! The real plan and units, tasks 1–23 (chapters 一 and 二), and three rounds of made-up reports
//! chosen so that every assessment and every submission state appears. Deterministic: run
//! `cargo run --example make_demo` and `git diff` shows nothing unless this file changed.

use std::fmt::Write as _;
use std::path::Path;

/// (unit id, 填报日期 or None when the unit did not report, rows: (task, 状态, 进度)).
type UnitRound = (
    &'static str,
    Option<&'static str>,
    &'static [(u32, &'static str, &'static str)],
);

const ROUND_07: &[UnitRound] = &[
    ("fgw", Some("2024-07-09"), &[(1, "推进中", "60"), (5, "推进中", "50")]),
    (
        "zrzyj",
        Some("2024-07-10"),
        &[(2, "推进中", "50"), (3, "推进中", "40"), (4, "推进中", "20")],
    ),
    ("zjj", Some("2024-07-10"), &[(6, "推进中", "40"), (7, "推进中", "45")]),
    ("nyncj", Some("2024-07-08"), &[(8, "推进中", "30")]),
    ("yqgwh", None, &[]),
    (
        "hzx",
        Some("2024-07-12"),
        &[
            (16, "推进中", "50"),
            (17, "推进中", "40"),
            (18, "推进中", "45"),
            (19, "推进中", "30"),
        ],
    ),
    (
        "paq",
        Some("2024-07-10"),
        &[
            (20, "推进中", "40"),
            (21, "推进中", "50"),
            (22, "推进中", "45"),
            (23, "未启动", "0"),
        ],
    ),
];

const ROUND_08: &[UnitRound] = &[
    ("fgw", Some("2024-08-02"), &[(1, "推进中", "80"), (5, "推进中", "70")]),
    (
        "zrzyj",
        Some("2024-08-05"),
        &[(2, "推进中", "60"), (3, "推进中", "45"), (4, "推进中", "30")],
    ),
    ("zjj", Some("2024-08-03"), &[(6, "推进中", "50"), (7, "推进中", "55")]),
    ("nyncj", Some("2024-08-09"), &[(8, "推进中", "40")]),
    (
        "yqgwh",
        Some("2024-08-05"),
        &[
            (9, "推进中", "40"),
            (10, "推进中", "60"),
            (11, "推进中", "55"),
            (12, "推进中", "50"),
            (13, "未启动", "0"),
            (14, "推进中", "90"),
            (15, "推进中", "60"),
        ],
    ),
    ("hzx", None, &[]),
    (
        "paq",
        Some("2024-08-04"),
        &[
            (20, "推进中", "50"),
            (21, "推进中", "60"),
            (22, "推进中", "50"),
            (23, "未启动", "0"),
        ],
    ),
];

const ROUND_09: &[UnitRound] = &[
    ("fgw", Some("2024-09-04"), &[(1, "已完成", "100"), (5, "推进中", "90")]),
    (
        "zrzyj",
        Some("2024-09-07"),
        &[(2, "推进中", "70"), (3, "推进中", "50"), (4, "推进中", "30")],
    ),
    // Incomplete: task 7 is missing from the file.
    ("zjj", Some("2024-09-05"), &[(6, "推进中", "65")]),
    ("nyncj", None, &[]),
    // Invalid: task 12's 状态 is not in the vocabulary.
    (
        "yqgwh",
        Some("2024-09-03"),
        &[
            (9, "受阻", "45"),
            (10, "推进中", "70"),
            (11, "滞后", "60"),
            (12, "进行中", "60"),
            (13, "未启动", "0"),
            (14, "已完成", "100"),
            (15, "推进中", "75"),
        ],
    ),
    (
        "hzx",
        Some("2024-09-05"),
        &[
            (16, "推进中", "80"),
            (17, "推进中", "55"),
            (18, "推进中", "68"),
            (19, "推进中", "40"),
        ],
    ),
    // Task 20 unchanged from 2024-08 (stale); task 23 still 未启动 past a third of its window (red).
    (
        "paq",
        Some("2024-09-05"),
        &[
            (20, "推进中", "50"),
            (21, "推进中", "70"),
            (22, "推进中", "60"),
            (23, "未启动", "0"),
        ],
    ),
];

/// Metric rows: (round, unit, task, metric, actual).
const METRICS: &[(&str, &str, u32, &str, &str)] = &[
    ("2024-08", "zjj", 6, "城市排水防涝能力提升改造项目", "5"),
    ("2024-08", "zjj", 6, "改造城镇老旧小区", "900"),
    ("2024-08", "nyncj", 8, "新改建厕所", "4100"),
    ("2024-09", "zjj", 6, "城市排水防涝能力提升改造项目", "8"),
    ("2024-09", "zjj", 6, "改造城镇老旧小区", "1,500"),
    ("2024-09", "hzx", 7, "建设和美乡村", "20"),
    ("2024-09", "paq", 7, "建设和美乡村", "3"),
    ("2024-09", "yqgwh", 12, "引进产业项目", "3"),
];

const LIAISONS: &[(&str, &str, &str)] = &[
    ("fgw", "王演示", "0972-0000001"),
    ("zrzyj", "李演示", "0972-0000002"),
    ("zjj", "张演示", "0972-0000003"),
    ("nyncj", "赵演示", "0972-0000004"),
    ("yqgwh", "刘演示", "0972-0000005"),
    ("hzx", "陈演示", "0972-0000006"),
    ("paq", "杨演示", "0972-0000007"),
];

fn narrative(round: &str, task: u32, status: &str) -> (String, String, String) {
    let month = round[5..].trim_start_matches('0');
    let note = match (task, round) {
        (20, "2024-09") => "（演示）完成线路踏勘，编制方案初稿。".to_string(), // copied from 2024-08: 照抄上月
        (20, "2024-08") => "（演示）完成线路踏勘，编制方案初稿。".to_string(),
        _ => format!("（演示）{month}月推进第 {task} 项工作。"),
    };
    let problems = match status {
        "受阻" => "（演示）项目用地指标尚未落实，需省级部门协调。".to_string(),
        "滞后" => "（演示）资金到位较晚。".to_string(),
        _ => String::new(),
    };
    let next = format!("（演示）{}月继续推进。", month.parse::<u32>().unwrap_or(0) + 1);
    (note, problems, next)
}

fn csv_cell(c: &str) -> String {
    if c.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c.to_string()
    }
}

fn report(round: &str, unit: &str, date: &str, rows: &[(u32, &str, &str)]) -> String {
    let (_, reporter, phone) = LIAISONS
        .iter()
        .find(|(id, _, _)| *id == unit)
        .copied()
        .unwrap_or(("", "", ""));
    let mut out =
        String::from("\u{feff}任务编号,指标,状态,进度,完成值,本月进展,存在问题,下步计划,填报人,联系电话,填报日期\r\n");
    for &(task, status, progress) in rows {
        let (note, problems, next) = narrative(round, task, status);
        let cells = [
            task.to_string(),
            String::new(),
            status.into(),
            progress.into(),
            String::new(),
            note,
            problems,
            next,
            reporter.into(),
            phone.into(),
            date.into(),
        ];
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    for &(r, u, task, metric, actual) in METRICS {
        if r == round && u == unit {
            let cells = [
                task.to_string(),
                metric.into(),
                String::new(),
                String::new(),
                actual.into(),
            ];
            let _ = write!(
                out,
                "{},,,,,,\r\n",
                cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",")
            );
        }
    }
    out
}

/// Writes the demo under `out`, reading the real plan, units and tasks from `repo`.
pub fn generate(repo: &Path, out: &Path) -> std::io::Result<()> {
    let write = |rel: &str, text: &str| -> std::io::Result<()> {
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().expect("relative paths have a parent"))?;
        std::fs::write(path, text)
    };
    // The demo lives inside this repository's git history, whose commit times say nothing about
    // the made-up rounds: it takes received times from the declared dates.
    let plan = std::fs::read_to_string(repo.join("tracker.toml"))?
        .replace("received_from = \"git\"", "received_from = \"declared\"");
    write(
        "tracker.toml",
        &format!("# 演示数据（ILLUSTRATIVE DATA）：由 cargo run --example make_demo 生成，报送内容均为虚构。\n{plan}"),
    )?;
    let mut units = std::fs::read_to_string(repo.join("units.toml"))?;
    for (id, name, phone) in LIAISONS {
        let marker = format!("id = \"{id}\"\n");
        if let Some(pos) = units.find(&marker) {
            let rest = &units[pos..];
            let l = rest.find("liaison = \"\"").map(|p| pos + p);
            if let Some(l) = l {
                units.replace_range(l..l + "liaison = \"\"".len(), &format!("liaison = \"{name}\""));
            }
            let rest = &units[pos..];
            if let Some(p) = rest.find("phone = \"\"").map(|p| pos + p) {
                units.replace_range(p..p + "phone = \"\"".len(), &format!("phone = \"{phone}\""));
            }
        }
    }
    write(
        "units.toml",
        &format!("# 演示数据：联络员姓名和电话均为虚构。\n{units}"),
    )?;
    for id in 1..=23u32 {
        let rel = format!("tasks/{id:03}.toml");
        let mut text = std::fs::read_to_string(repo.join(&rel))?;
        if id == 23 {
            text = text.replace("due = 2024-12-31", "due = 2025-12-31").replace(
                "notes = []",
                "notes = [\n  \"演示数据：完成时限改为 2025 年底，用于展示时间窗前期的“未启动”。\",\n]",
            );
        }
        write(&rel, &text)?;
    }
    for (round, data) in [("2024-07", ROUND_07), ("2024-08", ROUND_08), ("2024-09", ROUND_09)] {
        for &(unit, date, rows) in data {
            if let Some(date) = date {
                write(&format!("reports/{round}/{unit}.csv"), &report(round, unit, date, rows))?;
            }
        }
    }
    write(
        "README.md",
        "# 演示工作区（ILLUSTRATIVE DATA）\n\n报送内容、联络员和日期均为虚构，仅用于展示 tracker 的各种状态。\n\
         由 `cargo run --example make_demo` 生成；试用：`tracker --root examples/demo --as-of 2024-09-10T12:00:00+08:00 status`。\n",
    )
}

#[allow(dead_code)]
fn main() -> std::io::Result<()> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = repo.join("examples/demo");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    generate(repo, &out)?;
    println!("wrote {}", out.display());
    Ok(())
}
