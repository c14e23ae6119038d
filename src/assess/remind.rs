//! 催报: who still has to send (or correct) this round's report, with what and whom to call.

use serde::Serialize;

use super::round_status::RoundStatus;
use super::submissions::Submission;
use crate::model::{Assignments, Report};

/// At most this many problems are listed for one unit; the rest are counted.
const MAX_ITEMS: usize = 8;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Reminder {
    pub id: String,
    pub name: String,
    pub liaison: String,
    pub phone: String,
    pub submission: Submission,
    /// What is missing or wrong, in Chinese, one item each.
    pub items: Vec<String>,
}

/// The units to chase in `status`'s round, in units.toml order: pending, missing, incomplete or
/// with errors.
pub(crate) fn reminders(status: &RoundStatus, reports: &[Report], assignments: &Assignments) -> Vec<Reminder> {
    status
        .units
        .iter()
        .filter(|u| {
            matches!(
                u.submission,
                Submission::Pending | Submission::Missing | Submission::Incomplete | Submission::Invalid
            )
        })
        .map(|u| {
            let file = u.file.as_deref().and_then(|f| reports.iter().find(|r| r.file == f));
            let mut items = Vec::new();
            if let Some(remark) = u.remark.as_deref().filter(|_| file.is_some()) {
                items.push(remark.to_string());
            }
            match (u.submission, file) {
                (Submission::Invalid, Some(r)) => items.extend(flaw_items(r)),
                (Submission::Incomplete, Some(r)) => items.push(unreported(r, assignments)),
                _ => {
                    let led: Vec<String> = assignments.led_by(&u.id).iter().map(u32::to_string).collect();
                    items.push(format!("应报牵头任务 {}", led.join("、")));
                }
            }
            Reminder {
                id: u.id.clone(),
                name: u.name.clone(),
                liaison: u.liaison.clone(),
                phone: u.phone.clone(),
                submission: u.submission,
                items,
            }
        })
        .collect()
}

fn flaw_items(r: &Report) -> Vec<String> {
    let mut items: Vec<String> = r
        .flaws()
        .iter()
        .take(MAX_ITEMS)
        .map(|f| match f.row {
            0 => f.message.to_string(),
            row => format!("第 {row} 行：{}", f.message),
        })
        .collect();
    if r.flaws().len() > MAX_ITEMS {
        items.push(format!("等共 {} 处错误，运行 tracker check 查看全部", r.flaws().len()));
    }
    items
}

fn unreported(r: &Report, assignments: &Assignments) -> String {
    let missing: Vec<String> = super::substance::unfilled_leads(r, assignments)
        .iter()
        .map(u32::to_string)
        .collect();
    format!("牵头任务 {} 未填写", missing.join("、"))
}
