//! `plans/<unit>.csv` -> [`Schedule`]: a lead unit's 推进计划, one row per task it leads, one
//! column per month (`YYYY-MM`, cumulative planned progress), then 节点说明. Rows with an error are
//! left out, so no judgement uses them.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Rule};
use crate::model::schedule::{Node, Schedule, ScheduleRow};
use crate::model::{Assignments, Extension, Limits, Round, Task};

pub(crate) const ID_HEADER: &str = "任务编号";
pub(crate) const TASK_HEADER: &str = "重点任务";
pub(crate) const NODES_HEADER: &str = "节点说明";

/// What a plan file is checked against.
pub(crate) struct Rules<'a> {
    pub tasks: &'a [Task],
    pub assignments: &'a Assignments,
    pub extensions: &'a [Extension],
    pub limits: Limits,
}

/// The unit id a plan file's path names (`plans/jtj.csv` -> `jtj`).
pub(crate) fn unit_of(rel: &str) -> Option<&str> {
    rel.strip_prefix("plans/")?.strip_suffix(".csv")
}

/// Parses and checks one version of a plan file: its valid rows and every problem found.
pub(crate) fn parse(rel: &str, bytes: &[u8], rules: &Rules) -> (Schedule, Vec<Diagnostic>) {
    let unit = unit_of(rel).unwrap_or_default().to_string();
    let mut schedule = Schedule {
        unit: unit.clone(),
        file: rel.to_string(),
        rows: Vec::new(),
    };
    let mut diags = Vec::new();
    let rows = match table_rows(rel, bytes, rules.limits) {
        Ok(rows) => rows,
        Err(d) => return (schedule, vec![d]),
    };
    let Some(((_, header), body)) = rows.split_first() else {
        diags.push(Diagnostic::new(Rule::PlanFormat, rel, "文件是空的").hint("用 tracker plan new 生成模板后填写"));
        return (schedule, diags);
    };
    let Some(columns) = Columns::of(rel, header, &mut diags) else {
        return (schedule, diags);
    };
    let mut seen = BTreeSet::new();
    for (number, cells) in body.iter().take(rules.limits.report_rows) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // A task whose months are all blank is not planned yet (a template's row): no plan, no error.
        if columns
            .months
            .iter()
            .all(|(c, _)| cells.get(*c).is_none_or(|v| v.trim().is_empty()))
        {
            continue;
        }
        let before = diags.len();
        let row = columns.row(rel, (*number, cells), &mut diags);
        let row = row.filter(|r| task_fits(rel, r, (&unit, rules), &mut diags));
        if let Some(row) = row
            && diags.len() == before
        {
            if seen.insert(row.task) {
                schedule.rows.push(row);
            } else {
                diags.push(
                    Diagnostic::new(Rule::PlanFormat, rel, format!("第 {} 项任务重复出现", row.task))
                        .at(*number, 1)
                        .hint("每项任务只写一行；删去重复的一行"),
                );
            }
        }
    }
    (schedule, diags)
}

/// The file's rows as text, or why it cannot be read as a table at all.
fn table_rows(rel: &str, bytes: &[u8], limits: Limits) -> Result<Vec<super::csv_rows::Row>, Diagnostic> {
    let format = |message: String, hint: &str| Diagnostic::new(Rule::PlanFormat, rel, message).hint(hint);
    if bytes.len() as u64 > limits.report_bytes {
        let message = format!("计划文件有 {} 字节，超过上限 {}", bytes.len(), limits.report_bytes);
        return Err(format(message, "每个牵头任务一行即可；删去多余的行"));
    }
    let decoded = super::decode::decode(bytes).map_err(|why| {
        let (rule, message, hint) = match why {
            super::decode::NotText::Workbook => (
                Rule::PlanFormat,
                "这是工作簿，不是 CSV".to_string(),
                "用 tracker plan import 导入工作簿，它会写成 CSV",
            ),
            super::decode::NotText::Mixed { line } => (
                Rule::PlanFormat,
                format!("第 {line} 行起不是 UTF-8 文本"),
                "用 Excel 或 WPS 另存为“CSV UTF-8（逗号分隔）”",
            ),
            super::decode::NotText::Binary => (
                Rule::ControlChar,
                "文件中有控制字符，或不是文本".to_string(),
                "删去从别处粘贴带来的控制字符，或另存为“CSV UTF-8（逗号分隔）”",
            ),
        };
        Diagnostic::new(rule, rel, message).hint(hint)
    })?;
    super::csv_rows::read(&decoded.text, decoded.delimiter).map_err(|_| {
        format(
            "无法按 CSV 读取：有引号没有配对".to_string(),
            "用 Excel 或 WPS 另存为“CSV UTF-8（逗号分隔）”，或用 tracker plan import 导入工作簿",
        )
    })
}

/// Where each column is: the months (in order, consecutive) and 节点说明.
struct Columns {
    months: Vec<(usize, Round)>,
    nodes: Option<usize>,
}

impl Columns {
    fn of(rel: &str, header: &[String], diags: &mut Vec<Diagnostic>) -> Option<Columns> {
        let bad = |message: String| {
            Diagnostic::new(Rule::PlanFormat, rel, message)
                .at(1, 1)
                .hint("第一行依次为：任务编号、重点任务、各月份（2024-01、2024-02……）、节点说明；用 tracker plan new 生成模板")
        };
        let named = |i: usize, name: &str| header.get(i).is_some_and(|h| h.trim() == name);
        if !named(0, ID_HEADER) || !named(1, TASK_HEADER) {
            diags.push(bad("前两列应为「任务编号」「重点任务」".to_string()));
            return None;
        }
        let mut months: Vec<(usize, Round)> = Vec::new();
        let mut nodes = None;
        for (i, h) in header.iter().enumerate().skip(2) {
            let h = h.trim();
            if h == NODES_HEADER {
                nodes = Some(i);
            } else if let Some(month) = month_header(h) {
                if months.last().is_some_and(|(_, m)| m.next() != month) {
                    diags.push(bad(format!("第 {} 列「{h}」与前一个月份不相接", i + 1)));
                    return None;
                }
                months.push((i, month));
            } else if !h.is_empty() {
                diags.push(bad(format!("第 {} 列「{h}」不是月份（YYYY-MM）或「节点说明」", i + 1)));
                return None;
            }
        }
        if months.is_empty() {
            diags.push(bad("没有月份列".to_string()));
            return None;
        }
        Some(Columns { months, nodes })
    }

    /// One row: its task, its months with blanks carried, its nodes; None with diagnostics.
    fn row(&self, rel: &str, (number, cells): (usize, &[String]), diags: &mut Vec<Diagnostic>) -> Option<ScheduleRow> {
        let cell = |i: usize| cells.get(i).map_or("", |c| c.trim());
        let at = |col: usize, rule: Rule, message: String, hint: &str| {
            Diagnostic::new(rule, rel, message).at(number, col + 1).hint(hint)
        };
        if let Some((col, c)) = cells
            .iter()
            .enumerate()
            .find_map(|(i, v)| crate::text::first_unsafe_char(v).map(|c| (i, c)))
        {
            let message = format!("单元格中有控制字符 {}", c.escape_unicode());
            diags.push(at(
                col,
                Rule::ControlChar,
                message,
                "删去这个字符（多半是从别处粘贴带来的）",
            ));
            return None;
        }
        let Ok(task) = cell(0).parse::<u32>() else {
            diags.push(at(
                0,
                Rule::PlanFormat,
                format!("任务编号「{}」不是数字", cell(0)),
                "照模板填写任务编号",
            ));
            return None;
        };
        let mut months = Vec::with_capacity(self.months.len());
        let mut carried = 0.0;
        for &(col, month) in &self.months {
            let text = cell(col);
            if !text.is_empty() {
                match plan_value(text) {
                    Ok(v) if v + 1e-9 < carried => {
                        let message = format!("{month} 计划 {text}，低于上月的 {carried}");
                        diags.push(at(col, Rule::PlanValue, message, "计划进度是累计数，只增不减"));
                        return None;
                    }
                    Ok(v) => carried = v,
                    Err(hint) => {
                        let message = format!("{month} 的计划进度「{text}」无效");
                        diags.push(at(col, Rule::PlanValue, message, hint));
                        return None;
                    }
                }
            }
            months.push((month, carried));
        }
        let node_text = self.nodes.map_or("", cell);
        let nodes = match nodes(node_text, &months) {
            Ok(nodes) => nodes,
            Err(message) => {
                let col = self.nodes.unwrap_or(0);
                let hint = "每个节点写成「5月：主体开工」或「2024年5月：主体开工」，用分号隔开；月份须在表头的月份之内";
                diags.push(at(col, Rule::PlanFormat, message, hint));
                return None;
            }
        };
        Some(ScheduleRow {
            task,
            row: number,
            months,
            nodes,
        })
    }
}

/// A cumulative planned progress: 0–100, `%` allowed; a value between 0 and 1 is refused as a
/// likely fraction, as in the reports.
fn plan_value(text: &str) -> Result<f64, &'static str> {
    let number = text.trim_end_matches(['%', '％']).trim();
    let v: f64 = number
        .parse()
        .map_err(|_| "填 0 到 100 的数，例如 40 表示到月底累计完成 40%")?;
    if !(0.0..=100.0).contains(&v) || !v.is_finite() {
        return Err("填 0 到 100 的数");
    }
    if v > 0.0 && v < 1.0 && !text.ends_with(['%', '％']) {
        return Err("是否应为 60 而不是 0.6？确为不足 1% 请写 0.6%");
    }
    Ok(v)
}

/// A month header as people and Excel write it: `2024-05`, `2024/5`, `2024/5/1`, `2024-05-01`,
/// `2024年5月`.
pub(crate) fn month_header(h: &str) -> Option<Round> {
    let h = h.trim().trim_end_matches('月');
    let mut parts = h.split(['-', '/', '年', '.']);
    let year: i32 = parts.next()?.trim().parse().ok()?;
    let month: u32 = parts.next()?.trim().parse().ok()?;
    let rest: Vec<&str> = parts.collect();
    if rest.len() > 1
        || rest.first().is_some_and(|d| d.trim().parse::<u32>().is_err())
        || !(2000..=2100).contains(&year)
    {
        return None;
    }
    Round::new(year, month)
}

/// The nodes in 节点说明: `5月：主体开工；9月：主体完工` (or `2024年5月：…`, `2024-05：…`).
fn nodes(text: &str, months: &[(Round, f64)]) -> Result<Vec<Node>, String> {
    let mut out = Vec::new();
    for part in text.split(['；', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let (when, what) = part
            .split_once(['：', ':'])
            .ok_or_else(|| format!("节点「{part}」没有写月份"))?;
        let month = node_month(when.trim(), months)
            .ok_or_else(|| format!("节点「{part}」的月份「{when}」不在计划的月份之内或不明确"))?;
        out.push(Node {
            month,
            text: what.trim().to_string(),
        });
    }
    Ok(out)
}

fn node_month(when: &str, months: &[(Round, f64)]) -> Option<Round> {
    let in_plan = |m: Round| months.iter().any(|(c, _)| *c == m);
    if let Some(m) = month_header(when) {
        return in_plan(m).then_some(m);
    }
    let number: u32 = when.strip_suffix('月')?.trim().parse().ok()?;
    let mut matching = months.iter().map(|(m, _)| *m).filter(|m| m.month == number);
    let first = matching.next()?;
    matching.next().is_none().then_some(first)
}

/// The task exists, `unit` leads it, and the plan reaches 100 by its due month (the latest
/// extension's, when one was approved).
fn task_fits(rel: &str, row: &ScheduleRow, (unit, rules): (&str, &Rules), diags: &mut Vec<Diagnostic>) -> bool {
    let at = |message: String, rule: Rule, hint: &str| Diagnostic::new(rule, rel, message).at(row.row, 1).hint(hint);
    let Some(task) = rules.tasks.iter().find(|t| t.id.value == row.task) else {
        diags.push(at(
            format!("第 {} 项任务不在清单中", row.task),
            Rule::PlanTask,
            "核对任务编号",
        ));
        return false;
    };
    if !rules.assignments.leads(row.task).any(|l| **l == *unit) {
        let message = format!("本单位不是第 {} 项任务的牵头单位", row.task);
        diags.push(at(message, Rule::PlanTask, "推进计划只写本单位牵头的任务；删去这一行"));
        return false;
    }
    let due = rules
        .extensions
        .iter()
        .filter(|e| e.task == row.task)
        .map(|e| e.new_due)
        .max()
        .map_or(task.due.value, |d| d.max(task.due.value));
    let due_month = Round::new(chrono::Datelike::year(&due), chrono::Datelike::month(&due)).expect("a date's month");
    let by_due = row.planned(due_month);
    if by_due < 100.0 {
        let message = format!(
            "第 {} 项任务完成时限为 {due}，计划到 {due_month} 只有 {by_due}%",
            row.task
        );
        diags.push(at(message, Rule::PlanValue, "完成时限所在的月份应达到 100"));
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_month_headers_as_excel_writes_them() {
        let may = Round::new(2024, 5);
        for h in ["2024-05", "2024/5", "2024/5/1", "2024-05-01", "2024年5月"] {
            assert_eq!(month_header(h), may, "{h}");
        }
        assert_eq!(month_header("节点说明"), None);
        assert_eq!(month_header("2024-13"), None);
    }

    #[test]
    fn nodes_name_their_months() {
        let months: Vec<_> = (1..=12).map(|m| (Round::new(2024, m).unwrap(), 0.0)).collect();
        let found = nodes("5月：主体开工；2024年9月：主体完工", &months).unwrap();
        assert_eq!(found.iter().map(|n| n.month.month).collect::<Vec<_>>(), [5, 9]);
        assert_eq!(found[1].text, "主体完工");
        assert!(nodes("主体开工", &months).is_err());
        assert!(nodes("13月：x", &months).is_err());
    }

    #[test]
    fn values_are_percentages() {
        assert_eq!(plan_value("40"), Ok(40.0));
        assert_eq!(plan_value("40%"), Ok(40.0));
        assert!(plan_value("0.4").is_err());
        assert!(plan_value("120").is_err());
        assert!(plan_value("abc").is_err());
    }
}
