//! Escalation rules (督办): what fires when a task or a unit stays in a bad state rounds running.

use serde::Serialize;

/// The state a rule watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A task judged 欠进度（红）.
    Red,
    /// A task judged yellow or worse (欠进度（黄）or（红）).
    Yellow,
    /// A unit that sent nothing by the deadline.
    Missing,
    /// A unit that sent late (or not at all).
    Late,
}

impl Trigger {
    pub const ALL: [Trigger; 4] = [Trigger::Red, Trigger::Yellow, Trigger::Missing, Trigger::Late];

    pub fn key(self) -> &'static str {
        match self {
            Trigger::Red => "red",
            Trigger::Yellow => "yellow",
            Trigger::Missing => "missing",
            Trigger::Late => "late",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Trigger::Red => "红灯",
            Trigger::Yellow => "黄灯及以上",
            Trigger::Missing => "未报送",
            Trigger::Late => "逾期或未报送",
        }
    }

    pub fn parse(s: &str) -> Option<Trigger> {
        Trigger::ALL.into_iter().find(|t| t.key() == s || t.label() == s)
    }

    /// Whether it watches tasks (else units).
    pub fn on_tasks(self) -> bool {
        matches!(self, Trigger::Red | Trigger::Yellow)
    }
}

/// `[[escalation]]` in tracker.toml: `when` for `rounds` rounds running -> `action`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EscalationRule {
    pub when: Trigger,
    pub rounds: usize,
    /// What the office does: 督办, 约谈, 提醒.
    pub action: String,
}
