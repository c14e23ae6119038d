//! 督查考评: the published deduction rules (`[scoring]` in tracker.toml) and the appeals
//! (`appeals.toml`) that withdraw a deduction.

use chrono::NaiveDate;

use super::Round;
use crate::labels::labels;

labels! {
    /// What a deduction is for.
    #[derive(PartialOrd, Ord)]
    pub enum Event {
        Late = "late", "迟报";
        Missing = "missing", "漏报";
        Incomplete = "incomplete", "报送不完整";
        Invalid = "invalid", "报送有误";
        CopiedNarrative = "copied_narrative", "照抄上月";
        RedStreak = "red_streak", "连续红灯";
        NodeMissed = "node_missed", "节点滞后";
    }
}

/// One rule: `points` (negative: a deduction) per occurrence of `event`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScoringRule {
    pub event: Event,
    pub points: f64,
    /// For `red_streak`: how many rounds in a row make a streak.
    pub rounds: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scoring {
    pub base: f64,
    pub(crate) rules: Vec<ScoringRule>,
}

impl Scoring {
    pub(crate) fn rule(&self, event: Event) -> Option<&ScoringRule> {
        self.rules.iter().find(|r| r.event == event)
    }
}

/// How an appeal was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// The deduction is withdrawn: listed, struck through, not counted.
    Withdrawn,
    /// The deduction stands.
    Upheld,
}

/// An appeal (申诉) against one deduction, as the office decided it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Appeal {
    pub unit: String,
    pub round: Round,
    pub event: Event,
    /// The task, for events about a task (0: none named).
    pub task: u32,
    pub decided_on: NaiveDate,
    pub by: String,
    pub decision: Decision,
    pub reason: String,
    /// Line in `appeals.toml`.
    pub line: usize,
}

/// An approved change to a unit's plan after the plans' due date (`plan-changes.toml`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlanChange {
    pub unit: String,
    pub task: u32,
    pub approved_on: NaiveDate,
    pub approved_by: String,
    pub reason: String,
    /// Line in `plan-changes.toml`.
    pub line: usize,
}
