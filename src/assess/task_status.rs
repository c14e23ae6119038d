//! A task judged in a round, as every output shows it: verdict, reason, rows and targets.

use std::sync::Arc;

use serde::Serialize;

use super::assessment::Assessment;
use crate::diagnostic::Rule;
use crate::labels::labels;
use crate::model::Role;
use crate::model::{Round, RowText, Status};

/// One unit's row for the task this round (rows that passed the checks only).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRow {
    pub unit: Arc<str>,
    pub name: Arc<str>,
    /// Shown (and serialised) in its short form, 牵头 or 配合.
    #[serde(serialize_with = "short_role")]
    pub role: Role,
    pub file: String,
    pub row: usize,
    pub status: Option<Status>,
    pub progress: Option<f64>,
    /// The row's text, shared with the report; JSON shows 本月进展, 存在问题 and 下步计划.
    #[serde(flatten, serialize_with = "notes")]
    pub text: RowText,
    /// The row's 填报日期.
    pub reported_on: Option<chrono::NaiveDate>,
}

fn short_role<S: serde::Serializer>(role: &Role, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(role.short())
}

fn notes<S: serde::Serializer>(text: &RowText, serializer: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&text.first(3), serializer)
}

/// A lead whose row was left out of the judgement, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvalidUnit {
    pub unit: String,
    pub name: String,
    pub file: String,
    /// The Excel row; 0 when the whole file could not be read.
    pub row: usize,
    pub rule: Rule,
    pub message: String,
}

impl InvalidUnit {
    /// "市住房建设局 第 9 行：状态为已完成，但进度只有 90%".
    pub(crate) fn describe(&self) -> String {
        match self.row {
            0 => format!("{}：{}", self.name, self.message),
            row => format!("{} 第 {row} 行：{}", self.name, self.message),
        }
    }
}

/// One unit's part of a target's actual: its own latest valid value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitActual {
    pub unit: Arc<str>,
    pub name: Arc<str>,
    pub actual: f64,
    /// The round the value was reported in (this one, or the unit's latest before it).
    pub round: Round,
    /// `file:row` of the metric row.
    pub source: String,
    /// The value is the total (全市合计) the reporter gives, not a part.
    pub total: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakdownStatus {
    pub unit: String,
    pub target: f64,
    pub actual: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetStatus {
    pub metric: String,
    pub unit: String,
    pub target: f64,
    /// The reporter's total (全市合计); without it, the sum of the parts.
    pub actual: Option<f64>,
    /// `actual` is the sum of the parts: the reporter has not reported the total.
    pub from_parts: bool,
    /// What does not add up (parts above the total, a part above its share, a total above the
    /// target), in Chinese.
    pub flags: Vec<String>,
    pub breakdown: Vec<BreakdownStatus>,
    /// `file:row` of every metric row summed into `actual`.
    pub sources: Vec<String>,
    pub by_unit: Vec<UnitActual>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskStatus {
    pub id: u32,
    pub chapter: u32,
    pub section: u32,
    pub key_task: Arc<str>,
    pub work: Arc<str>,
    /// The units as the task names them (a group by its name), shared with the task.
    pub lead_units: Vec<Arc<str>>,
    /// The lead units whose rows decided the verdict (see `judge::deciding`); empty when ahead
    /// or on pace.
    pub deciding: Vec<Arc<str>>,
    pub cooperating_units: Vec<Arc<str>>,
    pub assessment: Assessment,
    /// Why the task has its assessment, in Chinese, with the numbers behind it.
    pub reason: String,
    /// The worst state the leads reported (valid rows only).
    pub status: Option<Status>,
    /// Mean of the leads' valid progress; null when no lead row counts. Written with one decimal.
    #[serde(serialize_with = "crate::text::ser_round1_opt")]
    pub progress: Option<f64>,
    #[serde(serialize_with = "crate::text::ser_round1")]
    pub expected: f64,
    /// What `expected` was taken from: the leads' plans (计划进度) or the straight line (序时进度).
    pub basis: Basis,
    /// The leads' milestones (节点) passed below their planned value: 节点滞后.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nodes_missed: Vec<MissedNode>,
    /// The due date an approved extension (已批准延期) set, when one is in force.
    pub extended_to: Option<chrono::NaiveDate>,
    /// Points behind 序时进度, only when the task is judged behind by its numbers.
    #[serde(serialize_with = "crate::text::ser_round1_opt")]
    pub lag: Option<f64>,
    /// Names of lead units whose file or row is absent (after the deadline).
    pub missing_units: Vec<Arc<str>>,
    /// Lead units whose row was left out for an error.
    pub invalid_units: Vec<InvalidUnit>,
    /// Names of lead units not reported yet while the round is open.
    pub pending_units: Vec<Arc<str>>,
    pub stale: bool,
    pub targets: Vec<TargetStatus>,
    /// The lead units' rows, then the cooperating units' rows (context).
    pub rows: Vec<UnitRow>,
}

impl TaskStatus {
    /// What the office looks at first: red, missing, invalid, blocked, or the same as last round
    /// ([`ATTENTION`] in words).
    pub(crate) fn needs_attention(&self) -> bool {
        self.assessment.needs_attention() || self.stale
    }
}

labels! {
    /// What the expected progress was taken from.
    pub enum Basis {
        /// The leads' own plans (推进计划) for the month reported.
        Plan = "plan", "计划进度";
        /// The straight line from the plan's start to the task's due date.
        Linear = "linear", "序时进度";
    }
}

/// A milestone of a lead's plan whose month has passed while the lead's progress is still below
/// what the plan had for it (节点滞后).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissedNode {
    pub unit: Arc<str>,
    pub name: Arc<str>,
    pub month: Round,
    pub node: String,
    /// Planned progress by the end of the node's month.
    pub planned: f64,
    pub progress: f64,
}

impl MissedNode {
    /// 「5月 主体开工（计划 30%，现 20%）」.
    pub(crate) fn describe(&self) -> String {
        format!(
            "{}月 {}（计划 {}%，现 {}%）",
            self.month.month,
            self.node,
            crate::text::fmt_pct(self.planned),
            crate::text::fmt_pct(self.progress)
        )
    }
}
