//! The office's decisions kept beside the plan: `plan-changes.toml` (approved changes to a unit's
//! 推进计划) and `appeals.toml` (申诉 against a deduction, as decided).

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use super::toml_file;
use crate::diagnostic::{Diagnostic, Rule, Source};
use crate::model::Round;
use crate::model::scoring::{Appeal, Decision, Event, PlanChange};

pub(crate) const PLAN_CHANGES_FILE: &str = "plan-changes.toml";
pub(crate) const APPEALS_FILE: &str = "appeals.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanChangesFile {
    #[serde(default)]
    change: Vec<Spanned<PlanChangeFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanChangeFile {
    unit: String,
    task: u32,
    approved_on: Spanned<Datetime>,
    approved_by: String,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AppealsFile {
    #[serde(default)]
    appeal: Vec<Spanned<AppealFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AppealFile {
    unit: String,
    round: Spanned<String>,
    event: Spanned<String>,
    #[serde(default)]
    task: u32,
    decided_on: Spanned<Datetime>,
    by: String,
    decision: Spanned<String>,
    #[serde(default)]
    reason: String,
}

/// A date field, or a diagnostic at it.
fn date(src: &Source, d: &Spanned<Datetime>, diags: &mut Vec<Diagnostic>) -> Option<chrono::NaiveDate> {
    let parsed = super::to_date(d.get_ref());
    if parsed.is_none() {
        diags.push(invalid(src, d.span(), "应是日期", "写成 2024-09-10（不加引号）"));
    }
    parsed
}

fn invalid(src: &Source, span: std::ops::Range<usize>, message: &str, hint: &str) -> Diagnostic {
    let (l, c) = src.position(span.start);
    Diagnostic::new(Rule::InvalidValue, src.path.clone(), message)
        .at(l, c)
        .hint(hint)
}

pub(crate) fn plan_changes(src: &Source) -> Result<Vec<PlanChange>, Vec<Diagnostic>> {
    let file: PlanChangesFile = toml_file::parse(src).map_err(|d| vec![d])?;
    let (mut out, mut diags) = (Vec::new(), Vec::new());
    for spanned in file.change {
        let (line, _) = src.position(spanned.span().start);
        let c = spanned.into_inner();
        let Some(approved_on) = date(src, &c.approved_on, &mut diags) else {
            continue;
        };
        out.push(PlanChange {
            unit: c.unit,
            task: c.task,
            approved_on,
            approved_by: c.approved_by,
            reason: c.reason,
            line,
        });
    }
    if diags.is_empty() { Ok(out) } else { Err(diags) }
}

pub(crate) fn appeals(src: &Source) -> Result<Vec<Appeal>, Vec<Diagnostic>> {
    let file: AppealsFile = toml_file::parse(src).map_err(|d| vec![d])?;
    let (mut out, mut diags) = (Vec::new(), Vec::new());
    for spanned in file.appeal {
        let (line, _) = src.position(spanned.span().start);
        let a = spanned.into_inner();
        let decided_on = date(src, &a.decided_on, &mut diags);
        let round = a.round.get_ref().parse::<Round>().ok();
        if round.is_none() {
            diags.push(invalid(
                src,
                a.round.span(),
                "轮次应写成 YYYY-MM",
                "例如 round = \"2024-08\"",
            ));
        }
        let event = Event::parse(a.event.get_ref());
        if event.is_none() {
            let keys: Vec<&str> = Event::ALL.iter().map(|e| e.key()).collect();
            diags.push(invalid(
                src,
                a.event.span(),
                "event 无法识别",
                &format!("写 {} 之一", keys.join("、")),
            ));
        }
        let decision = match a.decision.get_ref().trim() {
            "withdrawn" | "撤销" => Some(Decision::Withdrawn),
            "upheld" | "维持" => Some(Decision::Upheld),
            _ => {
                let hint = "写 withdrawn（撤销扣分）或 upheld（维持扣分）";
                diags.push(invalid(src, a.decision.span(), "decision 无法识别", hint));
                None
            }
        };
        if let (Some(decided_on), Some(round), Some(event), Some(decision)) = (decided_on, round, event, decision) {
            out.push(Appeal {
                unit: a.unit,
                round,
                event,
                task: a.task,
                decided_on,
                by: a.by,
                decision,
                reason: a.reason,
                line,
            });
        }
    }
    if diags.is_empty() { Ok(out) } else { Err(diags) }
}
