//! A list received as a table (XLSX, XLS, ODS or CSV, as offices send next year's list) -> the same
//! tab-separated text the document importer reads, so both take one path: corrections, unit
//! resolution, merged key-task cells and the list of unresolved rows. Columns are found by their
//! header names, in any order; a merged cell reads as empty below its first row, as in the PDF.

use std::collections::BTreeMap;

use chrono::NaiveDate;

/// The columns the importer needs, in the order the document text has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Id,
    KeyTask,
    Work,
    Lead,
    Cooperating,
    Due,
}

/// Header names people use for each column (after removing spaces).
const NAMES: [(Role, &[&str]); 6] = [
    (Role::Id, &["序号", "编号", "任务编号"]),
    (Role::KeyTask, &["重点任务", "主要任务", "任务"]),
    (
        Role::Work,
        &[
            "工作事项和年度目标成果",
            "工作事项",
            "具体任务",
            "工作任务",
            "主要内容",
            "年度目标",
            "工作内容",
        ],
    ),
    (Role::Lead, &["牵头单位", "责任单位", "牵头部门", "牵头"]),
    (Role::Cooperating, &["配合单位", "配合部门", "协同单位", "配合"]),
    (Role::Due, &["完成时限", "完成时间", "时间节点", "时限"]),
];

/// The column a header names: spaces ignored, a parenthetical dropped (牵头单位（部门）), and a
/// header giving two names (完成时限/时间节点) matched by either.
fn role_of(header: &str) -> Option<Role> {
    let mut h = String::new();
    let mut depth = 0usize;
    for c in header.chars().filter(|c| !c.is_whitespace()) {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => h.push(c),
            _ => {}
        }
    }
    let find = |name: &str| NAMES.iter().find(|(_, names)| names.contains(&name)).map(|(r, _)| *r);
    find(&h).or_else(|| h.split(['/', '／', '、']).find_map(find))
}

/// The table as document text, with where each text line came from and each task's 完成时限 cell.
#[derive(Debug, Default)]
pub(crate) struct TableText {
    pub text: String,
    /// Text line (1-based) -> the table's row number.
    pub rows: Vec<usize>,
    /// Task id -> its 完成时限 cell, when the table has that column.
    pub due_cells: BTreeMap<u32, String>,
}

impl TableText {
    /// The table row a text line came from.
    pub(crate) fn row_of(&self, line: usize) -> usize {
        line.checked_sub(1).and_then(|i| self.rows.get(i)).copied().unwrap_or(0)
    }
}

/// `rows`: (table row number, cells). Fails when no row has the needed headers.
pub(crate) fn to_text(rows: &[(usize, Vec<String>)]) -> Result<TableText, String> {
    let header_at = rows
        .iter()
        .position(|(_, cells)| {
            let roles: Vec<Role> = cells.iter().filter_map(|c| role_of(c)).collect();
            [Role::Id, Role::Work, Role::Lead].iter().all(|r| roles.contains(r))
        })
        .ok_or("找不到表头：表格中应有“序号”“工作事项（或具体任务）”“牵头单位”等列")?;
    let columns: BTreeMap<Role, usize> = rows[header_at]
        .1
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((role_of(c)?, i)))
        .fold(BTreeMap::new(), |mut m, (r, i)| {
            m.entry(r).or_insert(i);
            m
        });
    let mut out = TableText::default();
    let mut line = |text: String, row: usize| {
        out.text.push_str(&text);
        out.text.push('\n');
        out.rows.push(row);
    };
    for (row, cells) in &rows[..header_at] {
        let text = joined(cells);
        // The document importer takes the title from 《…清单》.
        let text = if text.ends_with("清单") && !text.contains('《') {
            format!("《{text}》")
        } else {
            text
        };
        line(text, *row);
    }
    line(
        "序号\t重点任务\t工作事项和年度目标成果\t牵头单位\t配合单位".to_string(),
        rows[header_at].0,
    );
    let cell = |cells: &[String], role: Role| -> String {
        columns
            .get(&role)
            .and_then(|i| cells.get(*i))
            .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    let mut dues = BTreeMap::new();
    for (row, cells) in &rows[header_at + 1..] {
        let id = cell(cells, Role::Id);
        match id.parse::<u32>() {
            Ok(n) => {
                let due = cell(cells, Role::Due);
                if !due.is_empty() {
                    dues.insert(n, due);
                }
                // Empty cells are left out, as the PDF's text leaves out a merged cell's empty part.
                let parts: Vec<String> = [Role::Id, Role::KeyTask, Role::Work, Role::Lead, Role::Cooperating]
                    .iter()
                    .map(|r| cell(cells, *r))
                    .filter(|c| !c.is_empty())
                    .collect();
                line(parts.join("\t"), *row);
            }
            // A chapter or section heading row, or anything else: its text, for the document reader.
            Err(_) => line(joined(cells), *row),
        }
    }
    out.due_cells = dues;
    Ok(out)
}

fn joined(cells: &[String]) -> String {
    cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join("\t")
}

/// A 完成时限 cell as a date: `2025-06-30`, `2025年6月30日`, `2025年底前`, `2025年底`; `年内` and
/// text without a year are None (the plan year's end applies).
pub(crate) fn due_date(cell: &str) -> Option<NaiveDate> {
    let c: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    if let Ok(d) = NaiveDate::parse_from_str(&c, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(&c, "%Y/%m/%d")) {
        return Some(d);
    }
    let (year, rest) = c.split_once('年')?;
    let year: i32 = year.parse().ok()?;
    if rest.starts_with("底") || rest.starts_with("年底") || rest.is_empty() {
        return NaiveDate::from_ymd_opt(year, 12, 31);
    }
    let (month, rest) = rest.split_once('月')?;
    let month: u32 = month.parse().ok()?;
    match rest.split_once('日') {
        Some((day, _)) => NaiveDate::from_ymd_opt(year, month, day.parse().ok()?),
        None => NaiveDate::from_ymd_opt(year, month + 1, 1)
            .and_then(|d| d.pred_opt())
            .or_else(|| NaiveDate::from_ymd_opt(year, 12, 31)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn header_variants_name_their_columns() {
        use super::{Role, role_of};
        for (header, role) in [
            ("牵头单位（部门）", Role::Lead),
            ("牵头部门", Role::Lead),
            ("责任单位", Role::Lead),
            ("配合单位(部门)", Role::Cooperating),
            ("具体任务", Role::Work),
            ("工作任务", Role::Work),
            ("完成时限/时间节点", Role::Due),
            ("时间节点", Role::Due),
            (" 序 号 ", Role::Id),
        ] {
            assert_eq!(role_of(header), Some(role), "{header}");
        }
        assert_eq!(role_of("备注"), None);
    }

    use super::*;

    #[test]
    fn columns_by_name_in_any_order_and_merged_cells_left_out() {
        let rows = vec![
            (1, vec!["海东市 2025年重点任务清单".to_string()]),
            (
                2,
                ["牵头单位", "序号", "具体任务", "重点任务", "配合单位", "完成时限"]
                    .map(String::from)
                    .to_vec(),
            ),
            (3, ["一、空间格局", "", "", "", "", ""].map(String::from).to_vec()),
            (
                4,
                ["市发展改革委", "1", "编制方案", "优化布局", "", "2025年底前"]
                    .map(String::from)
                    .to_vec(),
            ),
            (
                5,
                ["市交通运输局", "2", "建设道路", "", "乐都区政府", ""]
                    .map(String::from)
                    .to_vec(),
            ),
        ];
        let t = to_text(&rows).unwrap();
        assert_eq!(
            t.text,
            "《海东市 2025年重点任务清单》\n序号\t重点任务\t工作事项和年度目标成果\t牵头单位\t配合单位\n一、空间格局\n1\t优化布局\t编制方案\t市发展改革委\n2\t建设道路\t市交通运输局\t乐都区政府\n"
        );
        assert_eq!((t.row_of(4), t.row_of(5)), (4, 5));
        assert_eq!(t.due_cells[&1], "2025年底前");
    }

    #[test]
    fn due_cells() {
        assert_eq!(due_date("2025年底前"), NaiveDate::from_ymd_opt(2025, 12, 31));
        assert_eq!(due_date("2025年6月30日"), NaiveDate::from_ymd_opt(2025, 6, 30));
        assert_eq!(due_date("2025-06-30"), NaiveDate::from_ymd_opt(2025, 6, 30));
        assert_eq!(due_date("2025年6月"), NaiveDate::from_ymd_opt(2025, 6, 30));
        assert_eq!(due_date("年内"), None);
    }
}
