//! The year-end account (年终): each task's final state from the rounds that cover the year — done
//! on time, done late, not done, or extended to a later date — by chapter and by lead unit.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use super::received::ReceivedTimes;
use super::trend::PastRound;
use super::{Assessment, TaskStatus};
use crate::labels::{Counts, labels};
use crate::model::Workspace;
use crate::model::{Round, Task};

labels! {
    /// A task's state at the year's end.
    #[derive(PartialOrd, Ord)]
    pub(crate) enum Final {
        DoneOnTime = "done_on_time", "按期完成";
        DoneLate = "done_late", "逾期完成";
        Extended = "extended", "已批准延期";
        NotDone = "not_done", "未完成";
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct TaskFinal {
    pub id: u32,
    pub chapter: u32,
    pub key_task: std::sync::Arc<str>,
    pub lead_units: Vec<std::sync::Arc<str>>,
    pub due: NaiveDate,
    pub extended_to: Option<NaiveDate>,
    pub state: Final,
    /// Where it stands in the last round, as `status` of that round says (done or not).
    pub latest: Assessment,
    /// The round that first reported it done (of the run of rounds, up to the last, that all say
    /// so), and the month that round reports: a round reports the month before its due date.
    pub done_in: Option<Round>,
    pub done_month: Option<Round>,
    /// The last progress reported (valid rows only).
    #[serde(serialize_with = "crate::text::ser_round1_opt")]
    pub progress: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ChapterFinal {
    pub number: u32,
    pub title: String,
    pub tasks: usize,
    pub states: Counts<Final>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct UnitFinal {
    pub id: String,
    pub name: String,
    pub led: usize,
    pub done: usize,
    pub done_on_time: usize,
    /// Done / led, 0–100.
    #[serde(serialize_with = "crate::text::ser_round1")]
    pub completion: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct YearEnd {
    /// The round the account is judged from: the calendar's last, or the latest due so far.
    pub round: Round,
    /// True when the calendar's last round is not due yet: the account may still change.
    pub provisional: bool,
    pub tasks: Vec<TaskFinal>,
    pub chapters: Vec<ChapterFinal>,
    pub units: Vec<UnitFinal>,
}

pub(crate) fn year_end(ws: &Workspace, as_of: DateTime<FixedOffset>, times: &dyn ReceivedTimes) -> YearEnd {
    let plan = ws.plan;
    let history = super::trend::history(ws, plan.calendar.last, as_of, times);
    let last = &history.last;
    let by_id: HashMap<u32, &Task> = ws.tasks.iter().map(|t| (t.id.value, t)).collect();
    let tasks: Vec<TaskFinal> = last
        .tasks
        .iter()
        .map(|t| task_final(t, by_id.get(&t.id).expect("judged tasks exist"), &history.rounds))
        .collect();
    YearEnd {
        round: last.round,
        provisional: last.round != plan.calendar.last,
        chapters: chapters(ws, &tasks),
        units: units(ws, &tasks),
        tasks,
    }
}

/// A task's final state. Done only when the last round still says so (as `status` of that round
/// does); on time when the first round of that unbroken run reports a month within its due date.
fn task_final(t: &TaskStatus, task: &Task, history: &[PastRound]) -> TaskFinal {
    let is_done = |s: &PastRound| s.task(t.id).is_some_and(|st| st.assessment == Assessment::Done);
    let run = history.iter().rev().take_while(|s| is_done(s)).count();
    let done_in = (run > 0).then(|| history[history.len() - run].round);
    let done_month = done_in.map(Round::prev);
    let due = t.extended_to.unwrap_or(task.due.value);
    let within =
        |month: Round| (month.year, month.month) <= (chrono::Datelike::year(&due), chrono::Datelike::month(&due));
    let state = match done_month {
        Some(m) if within(m) => Final::DoneOnTime,
        Some(_) => Final::DoneLate,
        None if t.extended_to.is_some() => Final::Extended,
        None => Final::NotDone,
    };
    let progress = history.iter().rev().find_map(|s| s.task(t.id)?.progress);
    TaskFinal {
        id: t.id,
        chapter: t.chapter,
        key_task: t.key_task.clone(),
        lead_units: t.lead_units.clone(),
        due: task.due.value,
        extended_to: t.extended_to,
        state,
        latest: t.assessment,
        done_in,
        done_month,
        progress,
    }
}

impl TaskFinal {
    /// 「2024-12 完成（2025-01 轮报送）」.
    pub(crate) fn done_label(&self) -> Option<String> {
        Some(format!("{} 完成（{} 轮报送）", self.done_month?, self.done_in?))
    }
}

fn count(tasks: &[&TaskFinal]) -> Counts<Final> {
    Counts::of(tasks.iter().map(|t| t.state))
}

fn chapters(ws: &Workspace, tasks: &[TaskFinal]) -> Vec<ChapterFinal> {
    ws.plan
        .outline
        .iter()
        .filter_map(|ch| {
            let of: Vec<&TaskFinal> = tasks.iter().filter(|t| t.chapter == ch.number).collect();
            (!of.is_empty()).then(|| ChapterFinal {
                number: ch.number,
                title: ch.title.clone(),
                tasks: of.len(),
                states: count(&of),
            })
        })
        .collect()
}

fn units(ws: &Workspace, tasks: &[TaskFinal]) -> Vec<UnitFinal> {
    let assignments = ws.assignments;
    ws.reporting_units()
        .map(|u| {
            let led: Vec<&TaskFinal> = assignments
                .led_by(&u.id)
                .iter()
                // `tasks` is in id order, as the round it comes from.
                .filter_map(|id| tasks.binary_search_by_key(id, |t| t.id).ok().map(|i| &tasks[i]))
                .collect();
            let done = led
                .iter()
                .filter(|t| matches!(t.state, Final::DoneOnTime | Final::DoneLate))
                .count();
            UnitFinal {
                id: u.id.clone(),
                name: u.name.clone(),
                led: led.len(),
                done,
                done_on_time: led.iter().filter(|t| t.state == Final::DoneOnTime).count(),
                completion: if led.is_empty() {
                    0.0
                } else {
                    done as f64 * 100.0 / led.len() as f64
                },
            }
        })
        .collect()
}
