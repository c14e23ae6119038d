//! `tracker.toml` -> [`Plan`].

use std::collections::BTreeMap;

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use super::toml_file;
use crate::diagnostic::Source;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::scoring::{Event, Scoring, ScoringRule};
use crate::model::{
    Calendar, Chapter, EscalationRule, Holidays, Limits, OnHoliday, Plan, ReceivedFrom, Round, Section, Thresholds,
    Trigger,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    plan: MetaFile,
    calendar: CalendarFile,
    thresholds: ThresholdsFile,
    #[serde(default)]
    chapter: Vec<ChapterFile>,
    #[serde(default)]
    escalation: Vec<EscalationFile>,
    #[serde(default)]
    server: ServerFile,
    #[serde(default)]
    limits: LimitsFile,
    #[serde(default)]
    plans: Option<PlansFile>,
    #[serde(default)]
    scoring: Option<ScoringFile>,
}

/// `[plans]`: when the units' 推进计划 are due.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlansFile {
    due: Spanned<Datetime>,
}

/// `[scoring]`: the base score and a rule per event.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoringFile {
    base: Spanned<f64>,
    #[serde(default)]
    rule: Vec<ScoringRuleFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoringRuleFile {
    event: Spanned<String>,
    points: Spanned<f64>,
    #[serde(default)]
    rounds: Option<Spanned<i64>>,
}

impl Bad<'_> {
    fn scoring(&mut self, file: &ScoringFile) -> Scoring {
        if !file.base.get_ref().is_finite() {
            self.push(file.base.span(), "base 应是一个数".to_string(), "例如 base = 100");
        }
        let mut rules: Vec<ScoringRule> = Vec::new();
        for r in &file.rule {
            let Some(event) = Event::parse(r.event.get_ref()) else {
                let keys: Vec<&str> = Event::ALL.iter().map(|e| e.key()).collect();
                let hint = format!("写 {} 之一", keys.join("、"));
                self.push(r.event.span(), format!("event「{}」无法识别", r.event.get_ref()), &hint);
                continue;
            };
            if rules.iter().any(|x| x.event == event) {
                self.push(
                    r.event.span(),
                    format!("event「{}」写了两次", r.event.get_ref()),
                    "每种事件只写一条规则",
                );
            }
            let points = *r.points.get_ref();
            if !points.is_finite() || points.abs() > 1000.0 {
                self.push(
                    r.points.span(),
                    format!("points = {points} 无效"),
                    "每次扣的分，例如 points = -0.5",
                );
            }
            let rounds = r.rounds.as_ref().map_or(2, |v| *v.get_ref());
            match &r.rounds {
                Some(v) if !(1..=24).contains(v.get_ref()) => {
                    self.push(
                        v.span(),
                        format!("rounds = {} 不在 1–24 之间", v.get_ref()),
                        "连续几轮，例如 rounds = 2",
                    );
                }
                Some(v) if event != Event::RedStreak => {
                    self.push(v.span(), "只有 red_streak 用 rounds".to_string(), "删去这一行");
                }
                _ => {}
            }
            rules.push(ScoringRule {
                event,
                points,
                rounds: rounds.clamp(1, 24) as usize,
            });
        }
        Scoring {
            base: *file.base.get_ref(),
            rules,
        }
    }
}

/// `[limits]`: each value optional, the defaults of [`Limits`] otherwise.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct LimitsFile {
    report_mb: Option<Spanned<u64>>,
    report_rows: Option<Spanned<u64>>,
    diagnostics_per_file: Option<Spanned<u64>>,
}

impl Bad<'_> {
    /// `[limits]`: each a whole number from 1 up; a 0 would refuse every file, so it is an error.
    fn limits(&mut self, file: &LimitsFile) -> Limits {
        let default = Limits::default();
        let mut value = |v: &Option<Spanned<u64>>, key: &str, default: u64| match v {
            Some(v) if *v.get_ref() == 0 => {
                let hint = format!("{key} 写 1 以上的整数，或删去这一行用默认值 {default}");
                self.push(v.span(), format!("[limits] {key} 不能是 0"), &hint);
                default
            }
            Some(v) => *v.get_ref(),
            None => default,
        };
        let mb = value(&file.report_mb, "report_mb", default.report_bytes >> 20);
        let rows = value(&file.report_rows, "report_rows", default.report_rows as u64);
        let cap = value(
            &file.diagnostics_per_file,
            "diagnostics_per_file",
            default.diagnostics_per_file as u64,
        );
        Limits {
            report_bytes: mb.saturating_mul(1024 * 1024),
            report_rows: usize::try_from(rows).unwrap_or(usize::MAX),
            diagnostics_per_file: usize::try_from(cap).unwrap_or(usize::MAX),
        }
    }
}

/// `[server]`: who the office is on its git server.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ServerFile {
    /// The office's pushers: they may change every file and push publication records.
    #[serde(default)]
    office: Vec<String>,
    /// Units push to their own branch `units/<id>`, which the server merges into main.
    #[serde(default)]
    unit_branches: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EscalationFile {
    when: Spanned<String>,
    rounds: Spanned<i64>,
    action: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaFile {
    title: String,
    document: String,
    issuer: String,
    issued: Spanned<Datetime>,
    receiver: String,
    timezone: Spanned<String>,
    start: Spanned<Datetime>,
    end: Spanned<Datetime>,
    default_due: Spanned<Datetime>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    first: Spanned<String>,
    last: Spanned<String>,
    due_day: Spanned<u32>,
    due_time: Spanned<String>,
    #[serde(default)]
    overrides: BTreeMap<Spanned<String>, Spanned<Datetime>>,
    #[serde(default)]
    received_from: Option<Spanned<String>>,
    #[serde(default)]
    on_holiday: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdsFile {
    yellow: Spanned<f64>,
    red: Spanned<f64>,
    not_started_red_after: Spanned<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChapterFile {
    number: u32,
    title: String,
    #[serde(default)]
    section: Vec<SectionFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionFile {
    number: u32,
    title: String,
}

/// Loads the plan, or the diagnostics that say why it cannot be used.
pub fn load(src: &Source) -> Result<Plan, Vec<Diagnostic>> {
    let file: PlanFile = toml_file::parse(src).map_err(|d| vec![d])?;
    let mut bad = Bad { src, diags: Vec::new() };
    let issued = bad.date(&file.plan.issued, "issued");
    let start = bad.date(&file.plan.start, "start");
    let end = bad.date(&file.plan.end, "end");
    let default_due = bad.date(&file.plan.default_due, "default_due");
    let timezone = bad.timezone(&file.plan.timezone);
    let mut calendar = bad.calendar(&file.calendar);
    if start > end {
        bad.push(
            file.plan.end.span(),
            format!("计划结束日 {end} 早于开始日 {start}"),
            "end 应晚于 start，例如 start = 2024-01-01、end = 2025-12-31",
        );
    }
    let thresholds = bad.thresholds(&file.thresholds);
    let escalations = bad.escalations(&file.escalation);
    let limits = bad.limits(&file.limits);
    let plans_due = file.plans.as_ref().map(|p| bad.date(&p.due, "due"));
    let scoring = file.scoring.as_ref().map(|s| bad.scoring(s));
    (calendar.received_from, calendar.on_holiday) = bad.choices(&file.calendar);
    let diags = bad.diags;
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(Plan {
        title: file.plan.title,
        document: file.plan.document,
        issuer: file.plan.issuer,
        issued,
        receiver: file.plan.receiver,
        timezone,
        start,
        end,
        default_due,
        outline: outline(file.chapter),
        calendar,
        thresholds,
        holidays: Holidays::default(),
        escalations,
        office_pushers: file.server.office,
        unit_branches: file.server.unit_branches,
        limits,
        plans_due,
        scoring,
    })
}

/// The outline: chapters and their sections, as written.
fn outline(chapters: Vec<ChapterFile>) -> Vec<Chapter> {
    chapters
        .into_iter()
        .map(|c| Chapter {
            number: c.number,
            title: c.title,
            sections: c
                .section
                .into_iter()
                .map(|s| Section {
                    number: s.number,
                    title: s.title,
                })
                .collect(),
        })
        .collect()
}

/// UTC+8, the zone of every plan so far.
fn china_time() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

impl Bad<'_> {
    fn timezone(&mut self, zone: &Spanned<String>) -> FixedOffset {
        parse_offset(zone.get_ref()).unwrap_or_else(|| {
            self.push(
                zone.span(),
                format!("时区「{}」无法识别", zone.get_ref()),
                "写成 \"+08:00\"",
            );
            china_time()
        })
    }

    /// The calendar's rounds, due day and time and overrides (the choices come after the
    /// thresholds, so their diagnostics keep their order).
    fn calendar(&mut self, calendar: &CalendarFile) -> Calendar {
        let first = self.round(&calendar.first);
        let last = self.round(&calendar.last);
        let mut overrides = BTreeMap::new();
        for (k, v) in &calendar.overrides {
            let r = self.round(k);
            match to_datetime(v.get_ref()) {
                Some(dt) => {
                    overrides.insert(r, dt);
                }
                None => self.push(
                    v.span(),
                    "截止时间应是本地日期时间".into(),
                    "写成 2024-07-10T18:00:00（不加引号，不带时区）",
                ),
            }
        }
        let due_time = NaiveTime::parse_from_str(calendar.due_time.get_ref(), "%H:%M").unwrap_or_else(|_| {
            self.push(
                calendar.due_time.span(),
                format!("截止时刻「{}」无法识别", calendar.due_time.get_ref()),
                "写成 \"18:00\"",
            );
            NaiveTime::MIN
        });
        let due_day = *calendar.due_day.get_ref();
        if !(1..=28).contains(&due_day) {
            self.push(
                calendar.due_day.span(),
                format!("截止日 {due_day} 不在 1–28 之间"),
                "每月截止日写 1 到 28 之间的数字，例如 5",
            );
        }
        if first > last {
            self.push(
                calendar.last.span(),
                format!("最后一轮 {last} 早于第一轮 {first}"),
                "交换 first 与 last",
            );
        }
        self.calendar_bounds(calendar, first, last);
        Calendar {
            first,
            last,
            due_day,
            due_time,
            overrides,
            received_from: ReceivedFrom::Git,
            on_holiday: OnHoliday::Keep,
        }
    }

    /// Where received times come from, and what a due date on a holiday does.
    fn choices(&mut self, calendar: &CalendarFile) -> (ReceivedFrom, OnHoliday) {
        let received_from = match calendar
            .received_from
            .as_ref()
            .map(|v| (v.get_ref().as_str(), v.span()))
        {
            None | Some(("git", _)) => ReceivedFrom::Git,
            Some(("declared", _)) => ReceivedFrom::Declared,
            Some((other, span)) => {
                self.push(
                    span,
                    format!("received_from「{other}」无法识别"),
                    "写 \"git\"（按提交时间）或 \"declared\"（按填报日期）",
                );
                ReceivedFrom::Git
            }
        };
        let on_holiday = match calendar.on_holiday.as_ref().map(|v| (v.get_ref().as_str(), v.span())) {
            None | Some(("keep", _)) => OnHoliday::Keep,
            Some(("next_working_day", _)) => OnHoliday::NextWorkingDay,
            Some((other, span)) => {
                self.push(
                    span,
                    format!("on_holiday「{other}」无法识别"),
                    "写 \"keep\"（截止日不变）或 \"next_working_day\"（遇节假日、周末顺延至下一个工作日）",
                );
                OnHoliday::Keep
            }
        };
        (received_from, on_holiday)
    }
}

/// The calendar's years, and its length: a plan runs for years, not centuries.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
const MAX_ROUNDS: usize = 120;

pub(crate) fn to_date(d: &Datetime) -> Option<NaiveDate> {
    match (&d.date, &d.time) {
        (Some(date), None) => NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into()),
        _ => None,
    }
}

fn to_datetime(d: &Datetime) -> Option<NaiveDateTime> {
    let (date, time) = (d.date.as_ref()?, d.time.as_ref()?);
    if d.offset.is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())?.and_hms_opt(
        time.hour.into(),
        time.minute.into(),
        time.second.into(),
    )
}

/// "+08:00" -> UTC+8, parsed by chrono (so "+999999:00" is refused, not overflowed).
pub(crate) fn parse_offset(s: &str) -> Option<FixedOffset> {
    s.parse::<FixedOffset>().ok().filter(|_| s.len() == 6)
}

/// Collects invalid-value diagnostics while the plan's fields are converted.
struct Bad<'a> {
    src: &'a Source,
    diags: Vec<Diagnostic>,
}

impl Bad<'_> {
    fn calendar_bounds(&mut self, calendar: &CalendarFile, first: Round, last: Round) {
        for (round, span) in [(first, calendar.first.span()), (last, calendar.last.span())] {
            if !YEARS.contains(&round.year) {
                self.push(
                    span,
                    format!("轮次 {round} 不在 {}–{} 年之间", YEARS.start(), YEARS.end()),
                    "写成计划年度内的月份，例如 \"2024-07\"",
                );
            }
        }
        let rounds = (last.year - first.year) * 12 + last.month as i32 - first.month as i32 + 1;
        if rounds > MAX_ROUNDS as i32 {
            self.push(
                calendar.last.span(),
                format!("报送日历从 {first} 到 {last} 共 {rounds} 轮，超过 {MAX_ROUNDS} 轮"),
                "一份清单的报送日历一般是一到两年；核对 first 和 last",
            );
        }
    }

    fn escalations(&mut self, rules: &[EscalationFile]) -> Vec<EscalationRule> {
        let mut out = Vec::new();
        for r in rules {
            let when = Trigger::parse(r.when.get_ref());
            if when.is_none() {
                self.push(
                    r.when.span(),
                    format!("when「{}」无法识别", r.when.get_ref()),
                    "写 red（红灯）、yellow（黄灯及以上）、missing（单位未报送）或 late（单位逾期或未报送）",
                );
            }
            let rounds = *r.rounds.get_ref();
            if !(1..=24).contains(&rounds) {
                self.push(
                    r.rounds.span(),
                    format!("rounds = {rounds} 不在 1–24 之间"),
                    "连续几轮，例如 rounds = 2",
                );
            }
            if let (Some(when), true) = (when, (1..=24).contains(&rounds)) {
                out.push(EscalationRule {
                    when,
                    rounds: rounds as usize,
                    action: r.action.clone(),
                });
            }
        }
        out
    }

    fn thresholds(&mut self, t: &ThresholdsFile) -> Thresholds {
        let finite = |v: &Spanned<f64>| v.get_ref().is_finite() && *v.get_ref() >= 0.0;
        for (v, name) in [(&t.yellow, "yellow"), (&t.red, "red")] {
            if !finite(v) || *v.get_ref() > 100.0 {
                self.push(
                    v.span(),
                    format!("{name} = {} 不是 0–100 的百分点数", v.get_ref()),
                    "例如 yellow = 10.0、red = 30.0",
                );
            }
        }
        if finite(&t.yellow) && finite(&t.red) && t.yellow.get_ref() > t.red.get_ref() {
            self.push(
                t.red.span(),
                format!(
                    "红灯线 red = {} 低于黄灯线 yellow = {}",
                    t.red.get_ref(),
                    t.yellow.get_ref()
                ),
                "red 应不小于 yellow：落后更多才是红灯",
            );
        }
        let share = t.not_started_red_after.get_ref();
        if !(share.is_finite() && (0.0..=1.0).contains(share)) {
            self.push(
                t.not_started_red_after.span(),
                format!("not_started_red_after = {share} 不是 0–1 之间的比例"),
                "例如 0.3333（时间窗过了三分之一）",
            );
        }
        Thresholds {
            yellow: *t.yellow.get_ref(),
            red: *t.red.get_ref(),
            not_started_red_after: *share,
        }
    }

    fn push(&mut self, span: std::ops::Range<usize>, message: String, hint: &str) {
        let (line, col) = self.src.position(span.start);
        self.diags.push(
            Diagnostic::new(Rule::InvalidValue, self.src.path.clone(), message)
                .at(line, col)
                .width(self.src.char_len(&span))
                .hint(hint),
        );
    }

    fn date(&mut self, v: &Spanned<Datetime>, field: &str) -> NaiveDate {
        to_date(v.get_ref()).unwrap_or_else(|| {
            self.push(
                v.span(),
                format!("`{field}` 应是日期"),
                "写成 2024-12-31 这样的日期（不加引号）",
            );
            NaiveDate::MIN
        })
    }

    fn round(&mut self, v: &Spanned<String>) -> Round {
        v.get_ref().parse().unwrap_or_else(|e: String| {
            self.push(v.span(), e, "写成 \"2024-07\" 这样的年-月");
            Round { year: 2000, month: 1 }
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn offsets_parse_without_overflow() {
        assert_eq!(
            super::parse_offset("+08:00").map(|o| o.local_minus_utc()),
            Some(8 * 3600)
        );
        assert_eq!(
            super::parse_offset("-05:30").map(|o| o.local_minus_utc()),
            Some(-(5 * 3600 + 1800))
        );
        assert_eq!(super::parse_offset("+999999:00"), None);
        assert_eq!(super::parse_offset("+25:00"), None);
        assert_eq!(super::parse_offset("08:00"), None);
    }
}
