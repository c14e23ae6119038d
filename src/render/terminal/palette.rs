//! The strong colours of the lights in charts (the HTML page and the workbook's chart), so both
//! read alike.

use crate::assess::{Assessment, Submission};

pub(crate) fn assessment(a: Assessment) -> &'static str {
    match a {
        Assessment::Done | Assessment::Ahead => "#5cb85c",
        Assessment::OnPace => "#9ccc65",
        Assessment::BehindYellow => "#f0ad4e",
        Assessment::BehindRed | Assessment::Missing | Assessment::Invalid | Assessment::Blocked => "#d9534f",
        Assessment::NotStarted | Assessment::Pending => "#bdbdbd",
    }
}

pub(crate) fn submission(s: Submission) -> &'static str {
    match s {
        Submission::OnTime => "#5cb85c",
        Submission::Late | Submission::Incomplete => "#f0ad4e",
        Submission::Missing | Submission::Invalid => "#d9534f",
        Submission::Pending => "#bdbdbd",
    }
}
