//! The plan: document metadata, outline, reporting calendar and 序时进度 thresholds.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

use super::Round;
use super::holidays::{Holidays, OnHoliday};

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub title: String,
    pub document: String,
    pub issuer: String,
    pub issued: NaiveDate,
    pub receiver: String,
    pub timezone: FixedOffset,
    /// Start of every task's window for 序时进度 (the plan year's first day).
    pub start: NaiveDate,
    /// The latest due date a task may have.
    pub end: NaiveDate,
    pub default_due: NaiveDate,
    pub outline: Vec<Chapter>,
    pub calendar: Calendar,
    pub thresholds: Thresholds,
    /// The official holidays and make-up working days (`calendar/holidays.toml`), if any.
    pub holidays: Holidays,
    /// `[[escalation]]` rules, in the order written.
    pub escalations: Vec<super::EscalationRule>,
    /// `[server] office`: the office's pushers on its git server.
    pub office_pushers: Vec<String>,
    /// `[server] unit_branches`: `submit --push` pushes to the unit's own branch `units/<id>`
    /// (merged into main by the server on arrival) instead of racing the other units for main.
    pub unit_branches: bool,
    /// `[limits]`: what one report file may hold.
    pub limits: Limits,
    /// `[plans] due`: the date by which each lead unit files its 推进计划; later changes need an
    /// approval in `plan-changes.toml`. None: plans are taken whenever they come.
    pub plans_due: Option<NaiveDate>,
    /// `[scoring]`: the 督查考评 rules; None: no scores.
    pub scoring: Option<super::scoring::Scoring>,
}

/// `[limits]` in tracker.toml: what one report file may hold, checked before it is parsed (on a
/// clone and in the server's pre-receive), so that no file can exhaust the office's machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of one report file (default 5 MB: a province unit's year is under 1 MB).
    pub report_bytes: u64,
    /// Rows of one report file (default 20,000).
    pub report_rows: usize,
    /// Diagnostics listed for one file; the rest are counted (default 200).
    pub diagnostics_per_file: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            report_bytes: 5 * 1024 * 1024,
            report_rows: 20_000,
            diagnostics_per_file: 200,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    pub number: u32,
    pub title: String,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub number: u32,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    pub first: Round,
    pub last: Round,
    pub due_day: u32,
    pub due_time: NaiveTime,
    /// Rounds whose due time differs from the rule (local time in the plan's zone).
    pub overrides: BTreeMap<Round, NaiveDateTime>,
    /// Where a report's received time comes from.
    pub received_from: ReceivedFrom,
    /// What a due date on a holiday or weekend becomes.
    pub on_holiday: OnHoliday,
}

/// `git`: the commit that brought the report onto the main line (the default); `declared`: the
/// 填报日期 typed into the file (for data outside git, such as the demo).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceivedFrom {
    Git,
    Declared,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    /// Percentage points behind 序时进度 that make a task yellow (inclusive).
    pub yellow: f64,
    /// Percentage points behind that make it red (exclusive).
    pub red: f64,
    /// Fraction of a task's window after which 未启动 counts as red.
    pub not_started_red_after: f64,
}

impl Plan {
    /// China Standard Time, for the rare output made before a plan could be read.
    pub(crate) fn default_timezone() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
    }

    pub fn chapter(&self, number: u32) -> Option<&Chapter> {
        self.outline.iter().find(|c| c.number == number)
    }

    pub fn section(&self, chapter: u32, section: u32) -> Option<&Section> {
        self.chapter(chapter)?.sections.iter().find(|s| s.number == section)
    }

    /// The due time of a round as the calendar sets it (the 5th at 18:00, or an override). 序时进度
    /// is measured at this time, whatever a holiday does to the deadline.
    pub(crate) fn nominal_due(&self, round: Round) -> DateTime<FixedOffset> {
        self.at(self.nominal_local(round))
    }

    fn nominal_local(&self, round: Round) -> NaiveDateTime {
        self.calendar.overrides.get(&round).copied().unwrap_or_else(|| {
            let day = self.calendar.due_day.min(last_day(round));
            let date = NaiveDate::from_ymd_opt(round.year, round.month, day)
                .expect("round months are 1..=12 and the day is clamped");
            date.and_time(self.calendar.due_time)
        })
    }

    /// The deadline of a round, in the plan's zone: the nominal due time, moved to the next
    /// working day when `on_holiday = "next_working_day"` (an explicit override is never moved).
    pub fn due(&self, round: Round) -> DateTime<FixedOffset> {
        let nominal = self.nominal_local(round);
        let movable =
            self.calendar.on_holiday == OnHoliday::NextWorkingDay && !self.calendar.overrides.contains_key(&round);
        if !movable {
            return self.at(nominal);
        }
        let day = self.holidays.next_working_day(nominal.date());
        self.at(day.and_time(nominal.time()))
    }

    /// "原定 10-05（国庆节假期），顺延至 10-08" when the deadline was moved.
    pub(crate) fn due_note(&self, round: Round) -> Option<String> {
        let (nominal, due) = (self.nominal_due(round), self.due(round));
        (nominal != due).then(|| {
            format!(
                "原定 {}（{}），顺延至 {}",
                nominal.format("%m-%d"),
                self.holidays.why_off(nominal.date_naive()).unwrap_or_default(),
                due.format("%m-%d")
            )
        })
    }

    fn at(&self, local: NaiveDateTime) -> DateTime<FixedOffset> {
        self.timezone
            .from_local_datetime(&local)
            .single()
            .expect("a fixed offset maps every local time once")
    }

    pub(crate) fn rounds(&self) -> Vec<Round> {
        let mut out = Vec::new();
        let mut r = self.calendar.first;
        while r <= self.calendar.last {
            out.push(r);
            r = r.next();
        }
        out
    }

    /// The years a 填报日期 may fall in: from the plan's start to its end or last round.
    pub(crate) fn report_years(&self) -> std::ops::RangeInclusive<i32> {
        use chrono::Datelike;
        self.start.year()..=self.end.year().max(self.calendar.last.year)
    }

    pub(crate) fn has_round(&self, round: Round) -> bool {
        self.calendar.first <= round && round <= self.calendar.last
    }

    /// The latest round whose due time is at or before `now`, if any.
    pub(crate) fn latest_due_round(&self, now: DateTime<FixedOffset>) -> Option<Round> {
        self.rounds().into_iter().rev().find(|r| self.due(*r) <= now)
    }

    /// The first round still open at `now` (due at or after it; a report at the due minute is on
    /// time), or the last round when all are past.
    pub(crate) fn next_due_round(&self, now: DateTime<FixedOffset>) -> Round {
        self.rounds()
            .into_iter()
            .find(|r| self.due(*r) >= now)
            .unwrap_or(self.calendar.last)
    }
}

fn last_day(round: Round) -> u32 {
    let next = round.next();
    NaiveDate::from_ymd_opt(next.year, next.month, 1)
        .and_then(|d| d.pred_opt())
        .map(|d| chrono::Datelike::day(&d))
        .unwrap_or(28)
}
