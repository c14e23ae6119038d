//! The strong colours of the lights in charts (the HTML page and the workbook's chart), so both
//! read alike. 红灯, 受阻, 未报送 and 报送有误 each have their own: red, purple, slate, blue.

use crate::assess::{Assessment, Submission};

const RED: &str = "#d9534f";
const PURPLE: &str = "#8e44ad";
const SLATE: &str = "#5d6d7e";
const BLUE: &str = "#2e86c1";

pub(crate) fn assessment(a: Assessment) -> &'static str {
    match a {
        Assessment::Done | Assessment::Ahead => "#5cb85c",
        Assessment::OnPace => "#9ccc65",
        Assessment::BehindYellow => "#f0ad4e",
        Assessment::BehindRed => RED,
        Assessment::Blocked => PURPLE,
        Assessment::Missing => SLATE,
        Assessment::Invalid => BLUE,
        Assessment::NotStarted | Assessment::Pending => "#bdbdbd",
    }
}

pub(crate) fn submission(s: Submission) -> &'static str {
    match s {
        Submission::OnTime => "#5cb85c",
        Submission::Late | Submission::Incomplete => "#f0ad4e",
        Submission::Missing => SLATE,
        Submission::Invalid => BLUE,
        Submission::Pending => "#bdbdbd",
    }
}
