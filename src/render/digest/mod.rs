//! The monthly digest as data: a tasks table and a submissions table of typed cells, built once
//! and written as CSV or XLSX.

pub(crate) mod circular;
pub(crate) mod csv;
pub(crate) mod html;
pub(crate) mod overview;
pub(crate) mod workbook;
pub(crate) mod xlsx;
pub(crate) mod xlsx_style;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};

use crate::assess::submissions::duration_label;
use crate::assess::{RoundStatus, TaskStatus, UnitSubmission};
use crate::model::DataVersion;
use crate::model::Plan;
use crate::model::Role;
use crate::text::{fmt_num, round1};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(String),
    /// Text struck through: a deduction an appeal withdrew (plain text in CSV).
    Struck(String),
    Number(f64),
    /// A percentage 0–100: "59.5" in CSV, a real percentage cell (0.595, `0.0%`) in XLSX.
    Percent(f64),
    /// A time received: its text in CSV, a date-time cell in XLSX.
    Time(DateTime<FixedOffset>, String),
    Empty,
}

impl Value {
    pub(crate) fn text(s: impl Into<String>) -> Value {
        let s = s.into();
        if s.is_empty() { Value::Empty } else { Value::Text(s) }
    }

    /// How the cell reads in a CSV file.
    pub(crate) fn as_csv(&self) -> String {
        match self {
            Value::Text(s) | Value::Struck(s) => s.clone(),
            Value::Number(n) | Value::Percent(n) => fmt_num(*n),
            Value::Time(_, text) => text.clone(),
            Value::Empty => String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sheet {
    pub name: &'static str,
    pub title: String,
    pub headers: &'static [&'static str],
    /// Columns holding long free text (wrapped, width capped).
    pub long: &'static [usize],
    pub rows: Vec<Vec<Value>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Digest {
    /// `2024-09 轮　截止 …　数据截至 …　数据版本 …`: where every number comes from.
    pub meta: String,
    pub tasks: Sheet,
    pub units: Sheet,
    /// 考评: the scores up to this round, when the plan has `[scoring]`.
    pub scores: Option<Sheet>,
}

pub(crate) const TASK_HEADERS: &[&str] = &[
    "任务编号",
    "篇章",
    "重点任务",
    "工作事项",
    "牵头单位",
    "配合单位",
    "状态",
    "评估",
    "进度",
    "序时进度",
    "进度基准",
    "研判依据",
    "节点滞后",
    "目标完成",
    "本月进展",
    "存在问题",
    "下步计划",
    "报送单位",
    "报送时间",
    "来源",
];

pub(crate) const UNIT_HEADERS: &[&str] = &[
    "单位",
    "联络员",
    "联系电话",
    "应报任务数",
    "已报任务数",
    "报送状态",
    "报送时间",
    "逾期时长",
    "逾期小时",
    "说明",
];

pub(crate) fn build(s: &RoundStatus, plan: &Plan, version: &DataVersion) -> Digest {
    let mut meta = format!(
        "{} 轮　截止 {}　数据截至 {}　数据版本 {}",
        s.round,
        s.due_text(),
        s.as_of.format("%Y-%m-%d %H:%M"),
        version.label()
    );
    if s.totals.left_out > 0 {
        meta.push_str(&format!(
            "　有 {}因错误未计入研判（见“研判依据”）",
            crate::render::views::status::left_out_text(s)
        ));
    }
    let received: BTreeMap<&str, Value> = s
        .units
        .iter()
        .filter_map(|u| Some((u.id.as_str(), received_value(u)?)))
        .collect();
    let tasks = Sheet {
        name: "任务进展",
        title: format!("{}进展汇总表（{} 轮）", plan.title, s.round),
        headers: TASK_HEADERS,
        long: &[1, 2, 3, 4, 5, 11, 12, 13, 14, 15, 16, 18, 19],
        rows: s.tasks.iter().map(|t| task_row(t, plan, &received)).collect(),
    };
    let units = Sheet {
        name: "报送情况",
        title: format!("各单位报送情况（{} 轮）", s.round),
        headers: UNIT_HEADERS,
        long: &[9],
        rows: s
            .units
            .iter()
            .map(|u| {
                vec![
                    Value::text(&u.name),
                    Value::text(&u.liaison),
                    Value::text(&u.phone),
                    Value::Number(u.expected_tasks as f64),
                    Value::Number(u.reported_tasks as f64),
                    Value::text(u.submission.label()),
                    received_value(u).unwrap_or(Value::Empty),
                    Value::text(u.late_minutes.map(duration_label).unwrap_or_default()),
                    u.late_minutes
                        .map_or(Value::Empty, |m| Value::Number(round1(m as f64 / 60.0))),
                    Value::text(u.remark.as_deref().unwrap_or_default()),
                ]
            })
            .collect(),
    };
    Digest {
        meta,
        tasks,
        units,
        scores: None,
    }
}

/// When a unit's file counts as received, as a time cell.
fn received_value(u: &UnitSubmission) -> Option<Value> {
    let at = u.received_at?;
    Some(Value::Time(at, u.time_source.format(&at)))
}

/// The lead units' received times: one time cell for one lead, the times as lines for several.
fn received_cell(leads: &[&crate::assess::UnitRow], received: &BTreeMap<&str, Value>) -> Value {
    let times: Vec<&Value> = leads.iter().filter_map(|r| received.get(&*r.unit)).collect();
    match times.as_slice() {
        [] => Value::Empty,
        [one] => (*one).clone(),
        many => Value::text(many.iter().map(|v| v.as_csv()).collect::<Vec<_>>().join("\n")),
    }
}

fn task_row(t: &TaskStatus, plan: &Plan, received: &BTreeMap<&str, Value>) -> Vec<Value> {
    let chapter = plan
        .chapter(t.chapter)
        .map(|c| {
            format!(
                "{}、{}",
                crate::render::views::status::chinese_numeral(c.number),
                c.title
            )
        })
        .unwrap_or_default();
    let leads: Vec<_> = t.rows.iter().filter(|r| r.role == Role::Lead).collect();
    let several = leads.len() > 1;
    let joined = |f: fn(&crate::assess::UnitRow) -> &str| {
        leads
            .iter()
            .filter(|r| !f(r).is_empty())
            .map(|r| {
                if several {
                    format!("{}：{}", r.name, f(r))
                } else {
                    f(r).to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let targets = t
        .targets
        .iter()
        .map(|x| {
            let mut cell = format!(
                "{} {}/{} {}",
                x.metric,
                x.actual.map(fmt_num).unwrap_or_else(|| "—".into()),
                fmt_num(x.target),
                x.unit
            );
            if x.from_parts {
                cell.push_str("（各县区合计，全市合计未报）");
            }
            for flag in &x.flags {
                cell.push_str(&format!("（⚠ {flag}）"));
            }
            cell
        })
        .collect::<Vec<_>>()
        .join("\n");
    let sources: Vec<String> = leads
        .iter()
        .map(|r| format!("{}:{}", r.file, r.row))
        .chain(t.targets.iter().flat_map(|x| x.sources.iter().cloned()))
        .collect();
    vec![
        Value::Number(t.id.into()),
        Value::text(chapter),
        Value::text(&*t.key_task),
        Value::text(&*t.work),
        Value::text(t.lead_units.join("、")),
        Value::text(t.cooperating_units.join("、")),
        Value::text(t.status.map_or("", |s| s.label())),
        Value::text(t.assessment.label()),
        t.progress.map_or(Value::Empty, |p| Value::Percent(round1(p))),
        Value::Percent(round1(t.expected)),
        Value::text(t.basis.label()),
        Value::text(&t.reason),
        Value::text(crate::render::views::status::nodes_missed(t)),
        Value::text(targets),
        Value::text(joined(|r| r.text.progress_note())),
        Value::text(joined(|r| r.text.problems())),
        Value::text(joined(|r| r.text.next_steps())),
        Value::text(leads.iter().map(|r| &*r.name).collect::<Vec<_>>().join("、")),
        received_cell(&leads, received),
        Value::text(sources.join("\n")),
    ]
}

pub(crate) const YEAR_TASK_HEADERS: &[&str] = &[
    "任务编号",
    "篇章",
    "重点任务",
    "牵头单位",
    "完成时限",
    "延期至",
    "最终状态",
    "完成月份",
    "报送轮次",
    "最后进度",
];

pub(crate) const YEAR_UNIT_HEADERS: &[&str] = &["单位", "牵头任务数", "已完成", "按期完成", "完成率（%）"];

/// The year-end account as a digest: every task's final state, and each lead unit's completion.
pub(crate) fn build_year_end(y: &crate::assess::year_end::YearEnd, plan: &Plan, version: &DataVersion) -> Digest {
    let meta = format!(
        "年终情况：据 {} 轮{}　数据版本 {}",
        y.round,
        if y.provisional {
            "（最后一轮尚未截止，数字可能变化）"
        } else {
            ""
        },
        version.label()
    );
    let date = |d: Option<chrono::NaiveDate>| Value::text(d.map(|d| d.to_string()).unwrap_or_default());
    let tasks = Sheet {
        name: "年终任务",
        title: format!("{}年终完成情况", plan.title),
        headers: YEAR_TASK_HEADERS,
        long: &[2, 3],
        rows: y
            .tasks
            .iter()
            .map(|t| {
                vec![
                    Value::Number(t.id.into()),
                    Value::Number(t.chapter.into()),
                    Value::text(&*t.key_task),
                    Value::text(t.lead_units.join("、")),
                    Value::text(t.due.to_string()),
                    date(t.extended_to),
                    Value::text(t.state.label()),
                    Value::text(t.done_month.map(|r| r.to_string()).unwrap_or_default()),
                    Value::text(t.done_in.map(|r| r.to_string()).unwrap_or_default()),
                    t.progress.map_or(Value::Empty, |p| Value::Number(round1(p))),
                ]
            })
            .collect(),
    };
    let units = Sheet {
        name: "年终单位",
        title: "各牵头单位完成率".to_string(),
        headers: YEAR_UNIT_HEADERS,
        long: &[],
        rows: y
            .units
            .iter()
            .map(|u| {
                vec![
                    Value::text(&u.name),
                    Value::Number(u.led as f64),
                    Value::Number(u.done as f64),
                    Value::Number(u.done_on_time as f64),
                    Value::Number(round1(u.completion)),
                ]
            })
            .collect(),
    };
    Digest {
        meta,
        tasks,
        units,
        scores: None,
    }
}
