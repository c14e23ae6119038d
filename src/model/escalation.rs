//! Escalation rules (督办): what fires when a task or a unit stays in a bad state rounds running.

use serde::Serialize;

use crate::labels::labels;

labels! {
    /// The state a rule watches.
    #[derive(PartialOrd, Ord)]
    pub enum Trigger {
        /// A task judged 欠进度（红）.
        Red = "red", "红灯";
        /// A task judged yellow or worse (欠进度（黄）or（红）).
        Yellow = "yellow", "黄灯及以上";
        /// A unit that sent nothing by the deadline.
        Missing = "missing", "未报送";
        /// A unit that sent late (or not at all).
        Late = "late", "逾期或未报送";
    }
}

impl Trigger {
    /// Whether it watches tasks (else units).
    pub(crate) fn on_tasks(self) -> bool {
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
