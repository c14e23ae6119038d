//! Next year's list arrives as a table: `tracker import` reads it by its header names (in any order
//! and wording, merged cells and all) and gives the same tasks as this year's text import.

use std::path::Path;

use crate::common::*;
use tracker::model::Task;

fn this_years_tasks() -> (Vec<Task>, tracker::model::Plan) {
    let loaded = tracker::load::load(&repo_root()).unwrap();
    (loaded.tasks, loaded.plan.unwrap())
}

/// This year's list as table rows: a title row, the header, chapter and section rows, and a row
/// per task with the key task written only on the first row of its block (a merged cell).
fn table_rows(headers: &[&str], order: &[usize]) -> Vec<Vec<String>> {
    let (tasks, plan) = this_years_tasks();
    let mut rows = vec![
        vec![plan.title.clone()],
        headers.iter().map(|h| h.to_string()).collect(),
    ];
    let (mut chapter, mut section, mut key) = (0, 0, String::new());
    for t in &tasks {
        if t.chapter.value != chapter {
            chapter = t.chapter.value;
            section = 0;
            let ch = plan.chapter(chapter).unwrap();
            rows.push(vec![format!(
                "{}、{}",
                tracker::render::views::status::chinese_numeral(chapter),
                ch.title
            )]);
        }
        if t.section.value != section {
            section = t.section.value;
            let sec = plan.section(chapter, section).unwrap();
            rows.push(vec![format!(
                "（{}）{}",
                tracker::render::views::status::chinese_numeral(section),
                sec.title
            )]);
            key.clear();
        }
        let shown_key = if *t.key_task == key {
            String::new()
        } else {
            t.key_task.to_string()
        };
        key = t.key_task.to_string();
        let due = if t.due.value == plan.default_due {
            "年内".to_string()
        } else {
            format!("{}年底前", t.due.value.format("%Y"))
        };
        let cells = [
            t.id.value.to_string(),
            shown_key,
            t.work.value.to_string(),
            t.lead_names().collect::<Vec<_>>().join("、"),
            t.cooperating_names().collect::<Vec<_>>().join("、"),
            due,
        ];
        rows.push(order.iter().map(|i| cells[*i].clone()).collect());
    }
    rows
}

fn import(table: &Path) -> (tempfile::TempDir, std::process::Output) {
    let out_dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo_root().join("tracker.toml"), out_dir.path().join("tracker.toml")).unwrap();
    let out = run(
        &repo_root(),
        &[
            "import",
            table.to_str().unwrap(),
            "--out",
            out_dir.path().to_str().unwrap(),
            "--units",
            repo_root().join("units.toml").to_str().unwrap(),
            "--corrections",
            repo_root()
                .join("seeds/dongzhengban-2024-69.corrections.toml")
                .to_str()
                .unwrap(),
        ],
    );
    (out_dir, out)
}

/// Every field the text import gave, but the third-level label (a table has no such column) and
/// the notes (which record how each import read its source).
fn assert_same_tasks(dir: &Path) {
    let (expected, _) = this_years_tasks();
    let got = {
        let mut loaded = tracker::load::load(&repo_root()).unwrap();
        loaded.tasks.clear();
        let files = tracker::load::list_dir(dir, "tasks").unwrap();
        assert_eq!(files.len(), expected.len(), "one file per task");
        files
            .iter()
            .map(|f| {
                tracker::load::parse_task(&tracker::diagnostic::Source::new(
                    f.clone(),
                    std::fs::read_to_string(dir.join(f)).unwrap(),
                ))
                .unwrap()
            })
            .collect::<Vec<Task>>()
    };
    for (e, g) in expected.iter().zip(&got) {
        let fields = |t: &Task| {
            (
                t.id.value,
                t.chapter.value,
                t.section.value,
                t.key_task.clone(),
                t.work.value.clone(),
                t.lead_names().map(str::to_string).collect::<Vec<_>>(),
                t.cooperating_names().map(str::to_string).collect::<Vec<_>>(),
                t.due.value,
                t.targets
                    .iter()
                    .map(|x| (x.metric.value.clone(), x.value.value))
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(fields(g), fields(e), "task {}", e.id.value);
    }
}

#[test]
fn a_csv_table_gives_the_same_tasks_as_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let rows = table_rows(
        &[
            "序号",
            "重点任务",
            "工作事项和年度目标成果",
            "牵头单位",
            "配合单位",
            "完成时限",
        ],
        &[0, 1, 2, 3, 4, 5],
    );
    let mut w = csv::Writer::from_path(dir.path().join("清单.csv")).unwrap();
    for r in &rows {
        w.write_record(r.iter().chain(std::iter::repeat_n(&String::new(), 6 - r.len().min(6))))
            .unwrap();
    }
    w.flush().unwrap();
    let (out_dir, out) = import(&dir.path().join("清单.csv"));
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("已导入 194 项任务（8 篇 29 节）"),
        "{}",
        stdout(&out)
    );
    assert_same_tasks(out_dir.path());
}

#[test]
fn an_xlsx_table_with_other_headers_in_another_order_and_merged_cells() {
    let dir = tempfile::tempdir().unwrap();
    // 编号, 牵头部门, 具体任务, 主要任务, 配合部门, 完成时间.
    let order = [0, 3, 2, 1, 4, 5];
    let rows = table_rows(
        &["编号", "牵头部门", "具体任务", "主要任务", "配合部门", "完成时间"],
        &order,
    );
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let mut merge_from: Option<(u32, String)> = None;
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, v).unwrap();
        }
        // Merge the 主要任务 column (index 3) over each block, as offices lay such tables out.
        if row.len() == 6 && r > 1 {
            let key = &row[3];
            if !key.is_empty() {
                if let Some((start, text)) = merge_from.take()
                    && r as u32 - 1 > start
                {
                    ws.merge_range(start, 3, r as u32 - 1, 3, &text, &rust_xlsxwriter::Format::new())
                        .unwrap();
                }
                merge_from = Some((r as u32, key.clone()));
            }
        } else if let Some((start, text)) = merge_from.take()
            && r as u32 - 1 > start
        {
            ws.merge_range(start, 3, r as u32 - 1, 3, &text, &rust_xlsxwriter::Format::new())
                .unwrap();
        }
    }
    wb.save(dir.path().join("清单.xlsx")).unwrap();
    let (out_dir, out) = import(&dir.path().join("清单.xlsx"));
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_same_tasks(out_dir.path());
}

#[test]
fn a_table_without_the_needed_columns_is_refused_and_unknown_units_name_their_row() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.csv"), "标题\n甲,乙\n1,2\n").unwrap();
    let (_, out) = import(&dir.path().join("a.csv"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("找不到表头"), "{}", stderr(&out));
    std::fs::write(
        dir.path().join("b.csv"),
        "海东市2025年重点任务清单\n序号,重点任务,具体任务,牵头单位,配合单位\n一、空间格局\n（一）布局\n1,优化布局,编制方案,市宇宙局,\n",
    )
    .unwrap();
    let (_, out) = import(&dir.path().join("b.csv"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("b.csv:5: 第 1 项：单位「市宇宙局」不在单位名录中"),
        "{}",
        stderr(&out)
    );
}
