//! What every command may need from the command line and the environment, read once, and "now".

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

use crate::model::Plan;

/// What every command may need from the command line and the environment, read once here.
pub(crate) struct Context {
    pub terminal: bool,
    pub root: Option<PathBuf>,
    pub as_of: Option<String>,
    pub now: DateTime<Utc>,
    pub color: bool,
    /// `--latest`: a published round shows its latest data, not the data it was published from.
    pub latest: bool,
}

impl Context {
    pub(crate) fn root(&self) -> Result<PathBuf> {
        crate::load::root_from(self.root.as_deref())
    }

    /// "Now" in the plan's zone: `--as-of` (RFC 3339, a local date-time, or a date meaning the end
    /// of that day) or the clock reading `main` passed in.
    pub(crate) fn as_of(&self, plan: &Plan) -> Result<DateTime<FixedOffset>> {
        let Some(text) = self.as_of.as_deref() else {
            return Ok(self.now.with_timezone(&plan.timezone));
        };
        let local = |naive: NaiveDateTime| plan.timezone.from_local_datetime(&naive).single();
        DateTime::parse_from_rfc3339(text)
            .ok()
            .or_else(|| {
                NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
                    .ok()
                    .and_then(local)
            })
            .or_else(|| {
                NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
                    .ok()
                    .and_then(local)
            })
            .or_else(|| {
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| local(d.and_hms_opt(23, 59, 59)?))
            })
            .ok_or_else(|| anyhow!("--as-of「{text}」无法识别；写成 2024-08-05T18:00:00+08:00 或 2024-08-05"))
    }
}
