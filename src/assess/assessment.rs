//! The verdict on a task in a round (评估) and its labels.

use crate::labels::labels;

labels! {
    /// The verdict on a task in a round (评估).
    #[derive(PartialOrd, Ord)]
    pub enum Assessment {
        Done = "done", "已完成", ["完成"];
        Ahead = "ahead", "超进度", ["超前"];
        OnPace = "on_pace", "达进度", ["正常"];
        BehindYellow = "behind_yellow", "欠进度（黄）", ["欠进度(黄)", "黄灯", "黄", "yellow"];
        BehindRed = "behind_red", "欠进度（红）", ["欠进度(红)", "红灯", "红", "red"];
        Blocked = "blocked", "受阻";
        NotStarted = "not_started", "未启动";
        Missing = "missing", "未报送", ["未报"];
        /// A lead's row (or file) failed the checks: left out, to be corrected (报送有误，待更正).
        Invalid = "invalid", "报送有误", ["有误"];
        /// The round is still open and a lead has not reported yet (待报).
        Pending = "pending", "待报";
    }
}

impl Assessment {
    /// Needs the office's attention this round.
    pub(crate) fn needs_attention(self) -> bool {
        matches!(
            self,
            Assessment::BehindRed | Assessment::Missing | Assessment::Invalid | Assessment::Blocked
        )
    }
}

/// The tasks [`TaskStatus::needs_attention`] picks, as the tables' and pages' headings say.
pub(crate) const ATTENTION: &str = "红灯、未报送、报送有误、受阻、停滞";
