//! The verdict on a task in a round (评估) and its labels.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    Done,
    Ahead,
    OnPace,
    BehindYellow,
    BehindRed,
    Blocked,
    NotStarted,
    Missing,
    /// A lead's row (or file) failed the checks: left out, to be corrected (报送有误，待更正).
    Invalid,
    /// The round is still open and a lead has not reported yet (待报).
    Pending,
}

impl Assessment {
    pub const ALL: [Assessment; 10] = [
        Assessment::Done,
        Assessment::Ahead,
        Assessment::OnPace,
        Assessment::BehindYellow,
        Assessment::BehindRed,
        Assessment::Blocked,
        Assessment::NotStarted,
        Assessment::Missing,
        Assessment::Invalid,
        Assessment::Pending,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Assessment::Done => "已完成",
            Assessment::Ahead => "超进度",
            Assessment::OnPace => "达进度",
            Assessment::BehindYellow => "欠进度（黄）",
            Assessment::BehindRed => "欠进度（红）",
            Assessment::Blocked => "受阻",
            Assessment::NotStarted => "未启动",
            Assessment::Missing => "未报送",
            Assessment::Invalid => "报送有误",
            Assessment::Pending => "待报",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Assessment::Done => "done",
            Assessment::Ahead => "ahead",
            Assessment::OnPace => "on_pace",
            Assessment::BehindYellow => "behind_yellow",
            Assessment::BehindRed => "behind_red",
            Assessment::Blocked => "blocked",
            Assessment::NotStarted => "not_started",
            Assessment::Missing => "missing",
            Assessment::Invalid => "invalid",
            Assessment::Pending => "pending",
        }
    }

    /// Every name people use for it: the key, the label, the chapter table's header, short forms.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Assessment::Done => &["done", "已完成", "完成"],
            Assessment::Ahead => &["ahead", "超进度", "超前"],
            Assessment::OnPace => &["on_pace", "达进度", "正常"],
            Assessment::BehindYellow => &["behind_yellow", "欠进度（黄）", "欠进度(黄)", "黄灯", "黄", "yellow"],
            Assessment::BehindRed => &["behind_red", "欠进度（红）", "欠进度(红)", "红灯", "红", "red"],
            Assessment::Blocked => &["blocked", "受阻"],
            Assessment::NotStarted => &["not_started", "未启动"],
            Assessment::Missing => &["missing", "未报送", "未报"],
            Assessment::Invalid => &["invalid", "报送有误", "有误"],
            Assessment::Pending => &["pending", "待报"],
        }
    }

    /// By any of its [`names`](Self::names).
    pub fn parse(s: &str) -> Option<Assessment> {
        let s = s.trim();
        Assessment::ALL
            .into_iter()
            .find(|a| a.names().iter().any(|n| n.eq_ignore_ascii_case(s)))
    }

    /// Needs the office's attention this round.
    pub fn needs_attention(self) -> bool {
        matches!(
            self,
            Assessment::BehindRed | Assessment::Missing | Assessment::Invalid | Assessment::Blocked
        )
    }
}

/// The tasks [`TaskStatus::needs_attention`] picks, as the tables' and pages' headings say.
pub const ATTENTION: &str = "红灯、未报送、报送有误、受阻、停滞";
