//! 督办: which tasks and units a rule fires on, from their states in the rounds so far. A rule
//! fires while the trailing run of matching rounds is at least its length, and stops as soon as
//! the task or unit recovers.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::Assessment;
use super::received::ReceivedTimes;
use super::submissions::Submission;
use super::trend::{History, PastRound};
use crate::model::Workspace;
use crate::model::{EscalationRule, Round, Trigger};

/// One rule firing on one task or unit, with the rounds behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Fired {
    pub action: String,
    pub when: Trigger,
    pub rounds: usize,
    /// "第 4 项 推动低效用地再开发" or a unit's name.
    pub subject: String,
    /// The task's id, for a task.
    pub task: Option<u32>,
    /// The unit's id, for a unit; the leads' names for a task.
    pub units: Vec<String>,
    /// The trailing run of rounds that matched, oldest first, with the state in each.
    pub history: Vec<(Round, String)>,
}

/// Every firing over the rounds that are due at `as_of`, up to `last`, rules in their order.
pub(crate) fn escalations(
    ws: &Workspace,
    last: Round,
    as_of: DateTime<FixedOffset>,
    times: &dyn ReceivedTimes,
) -> Vec<Fired> {
    if ws.plan.escalations.is_empty() {
        return Vec::new();
    }
    let history = super::trend::history(ws, last, as_of, times);
    // Rounds still open do not count: history() holds one only when no round is due yet (it keeps
    // the first round then).
    if ws.plan.due(history.last.round) > as_of {
        return Vec::new();
    }
    let all: Vec<Fired> = ws
        .plan
        .escalations
        .iter()
        .flat_map(|rule| fire(rule, &history))
        .collect();
    most_severe(all)
}

/// One firing per task or unit: the most severe (red over yellow, missing over late, then the
/// longer rule), so that a task is listed once, under its heaviest measure.
fn most_severe(all: Vec<Fired>) -> Vec<Fired> {
    let weight = |f: &Fired| (matches!(f.when, Trigger::Red | Trigger::Missing), f.rounds);
    let key = |f: &Fired| (f.task, if f.task.is_some() { Vec::new() } else { f.units.clone() });
    // The first of the heaviest firings on each subject.
    let mut best: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for (i, f) in all.iter().enumerate() {
        let at = best.entry(key(f)).or_insert(i);
        if weight(f) > weight(&all[*at]) {
            *at = i;
        }
    }
    let kept: std::collections::HashSet<usize> = best.into_values().collect();
    all.into_iter()
        .enumerate()
        .filter_map(|(i, f)| kept.contains(&i).then_some(f))
        .collect()
}

fn fire(rule: &EscalationRule, history: &History) -> Vec<Fired> {
    let latest = &history.last;
    let streak = |state: &dyn Fn(&PastRound) -> Option<String>| -> Vec<(Round, String)> {
        let mut run: Vec<(Round, String)> = history
            .rounds
            .iter()
            .rev()
            .map_while(|s| state(s).map(|label| (s.round, label)))
            .collect();
        run.reverse();
        run
    };
    let fired = |subject: String, task: Option<u32>, units: Vec<String>, history: Vec<(Round, String)>| Fired {
        action: rule.action.clone(),
        when: rule.when,
        rounds: rule.rounds,
        subject,
        task,
        units,
        history,
    };
    if rule.when.on_tasks() {
        latest
            .tasks
            .iter()
            .filter_map(|t| {
                let run = streak(&|s| {
                    let a = s.task(t.id)?.assessment;
                    task_matches(rule.when, a).then(|| a.label().to_string())
                });
                (run.len() >= rule.rounds).then(|| {
                    fired(
                        format!("第 {} 项 {}", t.id, t.key_task),
                        Some(t.id),
                        t.lead_units.iter().map(|u| u.to_string()).collect(),
                        run,
                    )
                })
            })
            .collect()
    } else {
        latest
            .units
            .iter()
            .filter_map(|u| {
                let run = streak(&|s| {
                    let sub = s.units.iter().find(|x| x.id == u.id)?.submission;
                    unit_matches(rule.when, sub).then(|| sub.label().to_string())
                });
                (run.len() >= rule.rounds).then(|| fired(u.name.clone(), None, vec![u.id.clone()], run))
            })
            .collect()
    }
}

fn task_matches(when: Trigger, a: Assessment) -> bool {
    match when {
        Trigger::Red => a == Assessment::BehindRed,
        Trigger::Yellow => matches!(a, Assessment::BehindYellow | Assessment::BehindRed),
        Trigger::Missing | Trigger::Late => false,
    }
}

fn unit_matches(when: Trigger, s: Submission) -> bool {
    match when {
        Trigger::Missing => s == Submission::Missing,
        Trigger::Late => matches!(s, Submission::Late | Submission::Missing),
        Trigger::Red | Trigger::Yellow => false,
    }
}
