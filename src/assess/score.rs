//! 督查考评: each lead unit's score from the published `[scoring]` rules, every deduction traced
//! to its round, task, `file:row` and commit. The events are read off the same judgements every
//! other output shows (the units' submissions, the tasks' verdicts and missed nodes), so a score
//! never disagrees with `units`, `status` or `escalations`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::{Assessment, RoundStatus, Submission};
use crate::model::scoring::{Appeal, Decision, Event, Scoring};
use crate::model::{Report, Round, UnitRef, Units, Workspace};

/// One deduction (or, with a positive rule, an addition).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deduction {
    pub round: Round,
    pub event: Event,
    pub unit: String,
    pub task: Option<u32>,
    pub file: String,
    /// The Excel row; 0 for the whole file (or a file that never came).
    pub line: usize,
    /// The commit the file's version came from (None: no file, or not in git).
    pub commit: Option<String>,
    pub points: f64,
    /// The decision on an appeal against it, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appeal: Option<AppealNote>,
    /// Counted in the score (false once an appeal withdrew it).
    pub counted: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppealNote {
    pub decision: &'static str,
    pub decided_on: chrono::NaiveDate,
    pub by: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitScore {
    pub unit: String,
    pub name: String,
    #[serde(serialize_with = "crate::text::ser_round2")]
    pub score: f64,
    pub rank: usize,
    pub deductions: Vec<Deduction>,
}

/// Every lead unit's score over `rounds`, ranked, and the appeals that matched no deduction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    pub base: f64,
    pub rounds: Vec<Round>,
    pub units: Vec<UnitScore>,
    /// Lines of `appeals.toml` whose appeal matched no deduction.
    #[serde(skip)]
    pub unmatched_appeals: Vec<usize>,
}

/// Where a file's version came from: the commit of `path` as read at `at` (Unix seconds).
pub(crate) type CommitOf<'a> = dyn Fn(&str, Option<i64>) -> Option<String> + 'a;

/// The scores over `judged` (every round from the calendar's first, in order, each judged with
/// rows), counting the events of the rounds in `counted`.
pub(crate) fn scores(
    ws: &Workspace,
    (scoring, appeals): (&Scoring, &[Appeal]),
    judged: &[RoundStatus],
    counted: &[Round],
    commit_of: &CommitOf,
) -> Scores {
    let mut all = events(ws, scoring, judged, commit_of);
    all.retain(|d| counted.contains(&d.round));
    let appeals: Vec<&Appeal> = appeals.iter().filter(|a| counted.contains(&a.round)).collect();
    let unmatched = apply_appeals(ws.units, &mut all, &appeals);
    let mut units: Vec<UnitScore> = ws
        .reporting_units()
        .map(|u| {
            let deductions: Vec<Deduction> = all.iter().filter(|d| d.unit == u.id).cloned().collect();
            let lost: f64 = deductions.iter().filter(|d| d.counted).map(|d| d.points).sum();
            UnitScore {
                unit: u.id.clone(),
                name: u.name.clone(),
                score: scoring.base + lost,
                rank: 0,
                deductions,
            }
        })
        .collect();
    rank(&mut units);
    Scores {
        base: scoring.base,
        rounds: counted.to_vec(),
        units,
        unmatched_appeals: unmatched,
    }
}

/// Standard competition ranking (1, 2, 2, 4), highest score first; ties keep units.toml's order.
fn rank(units: &mut [UnitScore]) {
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by(|a, b| units[*b].score.total_cmp(&units[*a].score).then(a.cmp(b)));
    let mut previous: Option<(f64, usize)> = None;
    for (place, &i) in order.iter().enumerate() {
        let score = crate::text::round2(units[i].score);
        let rank = match previous {
            Some((s, r)) if s == score => r,
            _ => place + 1,
        };
        previous = Some((score, rank));
        units[i].rank = rank;
    }
}

/// Every event of every judged round, by the rules that have a rule in `[scoring]`.
fn events(ws: &Workspace, scoring: &Scoring, judged: &[RoundStatus], commit_of: &CommitOf) -> Vec<Deduction> {
    let mut out = Vec::new();
    let mut streaks: BTreeMap<u32, usize> = BTreeMap::new();
    let mut nodes_seen: BTreeSet<(String, u32, Round)> = BTreeSet::new();
    // Each unit's file by path, once: looked up for every unit of every round.
    let by_file: HashMap<&str, &Report> = ws.reports.iter().map(|r| (r.file.as_str(), r)).collect();
    for s in judged {
        let mut push = |event: Event, unit: &str, task: Option<u32>, (file, line): (String, usize), at: Option<i64>| {
            if let Some(rule) = scoring.rule(event) {
                out.push(Deduction {
                    round: s.round,
                    event,
                    unit: unit.to_string(),
                    task,
                    commit: commit_of(&file, at),
                    file,
                    line,
                    points: rule.points,
                    appeal: None,
                    counted: true,
                });
            }
        };
        submissions(&by_file, s, &mut push);
        copied(ws, s.round, &mut push);
        let red = scoring.rule(Event::RedStreak).map_or(0, |r| r.rounds);
        for t in &s.tasks {
            let streak = streaks.entry(t.id).or_default();
            *streak = if t.assessment == Assessment::BehindRed {
                *streak + 1
            } else {
                0
            };
            if red > 0 && *streak == red {
                for row in t.rows.iter().filter(|r| t.deciding.contains(&r.name)) {
                    push(
                        Event::RedStreak,
                        &row.unit,
                        Some(t.id),
                        (row.file.clone(), row.row),
                        None,
                    );
                }
            }
            for n in &t.nodes_missed {
                if nodes_seen.insert((n.unit.to_string(), t.id, n.month)) {
                    let row = t.rows.iter().find(|r| r.unit == n.unit);
                    let at = row.map_or((String::new(), 0), |r| (r.file.clone(), r.row));
                    push(Event::NodeMissed, &n.unit, Some(t.id), at, None);
                }
            }
        }
    }
    out
}

type Push<'p> = dyn FnMut(Event, &str, Option<u32>, (String, usize), Option<i64>) + 'p;

/// 迟报, 漏报, 不完整 and 有误, as the round's submissions say.
fn submissions(by_file: &HashMap<&str, &Report>, s: &RoundStatus, push: &mut Push) {
    for u in &s.units {
        let file = u
            .file
            .clone()
            .unwrap_or_else(|| format!("{}/{}/{}.csv", crate::load::REPORTS_DIR, s.round, u.id));
        let report = by_file.get(file.as_str()).copied();
        let received = u.received_at.map(|t| t.timestamp());
        match u.submission {
            Submission::Missing => push(Event::Missing, &u.id, None, (file.clone(), 0), None),
            Submission::Incomplete => {
                let task = u.missing_tasks.first().copied();
                let line = report.and_then(|r| r.row(task?)).map_or(0, |r| r.row);
                push(Event::Incomplete, &u.id, task, (file.clone(), line), received);
            }
            Submission::Invalid => {
                let line = report.and_then(|r| r.flaws().first()).map_or(0, |f| f.row);
                push(Event::Invalid, &u.id, None, (file.clone(), line), received);
            }
            _ => {}
        }
        if u.is_late() {
            push(Event::Late, &u.id, None, (file, 0), received);
        }
    }
}

/// 照抄上月: a lead row whose 本月进展 is its unit's previous file's, word for word (the rule
/// `copied-narrative` reads the same test, [`crate::model::MainRow::copies`]).
fn copied(ws: &Workspace, round: Round, push: &mut Push) {
    let mut latest: BTreeMap<&str, &Report> = BTreeMap::new();
    for r in ws.reports.iter().filter(|r| r.round < round) {
        let slot = latest.entry(r.unit.as_str()).or_insert(r);
        if r.round > slot.round {
            *slot = r;
        }
    }
    for report in ws.reports.iter().filter(|r| r.round == round) {
        let Some(previous) = latest.get(report.unit.as_str()) else {
            continue;
        };
        for &task in ws.assignments.led_by(&report.unit) {
            let (Some(row), Some(prev)) = (report.valid_row(task), previous.row(task)) else {
                continue;
            };
            if row.copies(prev) {
                push(
                    Event::CopiedNarrative,
                    &report.unit,
                    Some(task),
                    (report.file.clone(), row.row),
                    None,
                );
            }
        }
    }
}

/// Marks each deduction an appeal decided; gives the lines of appeals that matched none.
fn apply_appeals(units: &Units, all: &mut [Deduction], appeals: &[&Appeal]) -> Vec<usize> {
    let mut unmatched = Vec::new();
    for a in appeals {
        let unit = match units.resolve(&a.unit) {
            Some(UnitRef::Unit(u)) => u.id.clone(),
            _ => a.unit.clone(),
        };
        let task = (a.task != 0).then_some(a.task);
        let found = all.iter_mut().find(|d| {
            d.unit == unit && d.round == a.round && d.event == a.event && d.task == task && d.appeal.is_none()
        });
        let Some(d) = found else {
            unmatched.push(a.line);
            continue;
        };
        d.counted = a.decision == Decision::Upheld;
        d.appeal = Some(AppealNote {
            decision: match a.decision {
                Decision::Withdrawn => "withdrawn",
                Decision::Upheld => "upheld",
            },
            decided_on: a.decided_on,
            by: a.by.clone(),
            reason: a.reason.clone(),
        });
    }
    unmatched
}
