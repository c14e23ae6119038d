//! `tracker.toml` -> [`Plan`].

use std::collections::BTreeMap;

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use super::{Source, toml_file};
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Calendar, Chapter, Plan, ReceivedFrom, Round, Section, Thresholds};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    plan: MetaFile,
    calendar: CalendarFile,
    thresholds: ThresholdsFile,
    #[serde(default)]
    chapter: Vec<ChapterFile>,
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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdsFile {
    yellow: f64,
    red: f64,
    not_started_red_after: f64,
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
    let timezone = parse_offset(file.plan.timezone.get_ref()).unwrap_or_else(|| {
        bad.push(
            file.plan.timezone.span(),
            format!("时区「{}」无法识别", file.plan.timezone.get_ref()),
            "写成 \"+08:00\"",
        );
        FixedOffset::east_opt(8 * 3600).expect("valid offset")
    });
    let first = bad.round(&file.calendar.first);
    let last = bad.round(&file.calendar.last);
    let mut overrides = BTreeMap::new();
    for (k, v) in &file.calendar.overrides {
        let r = bad.round(k);
        match to_datetime(v.get_ref()) {
            Some(dt) => {
                overrides.insert(r, dt);
            }
            None => bad.push(
                v.span(),
                "截止时间应是本地日期时间".into(),
                "写成 2024-07-10T18:00:00（不加引号，不带时区）",
            ),
        }
    }
    let due_time = NaiveTime::parse_from_str(file.calendar.due_time.get_ref(), "%H:%M").unwrap_or_else(|_| {
        bad.push(
            file.calendar.due_time.span(),
            format!("截止时刻「{}」无法识别", file.calendar.due_time.get_ref()),
            "写成 \"18:00\"",
        );
        NaiveTime::MIN
    });
    let due_day = *file.calendar.due_day.get_ref();
    if !(1..=28).contains(&due_day) {
        bad.push(
            file.calendar.due_day.span(),
            format!("截止日 {due_day} 不在 1–28 之间"),
            "每月截止日写 1 到 28 之间的数字，例如 5",
        );
    }
    if first > last {
        bad.push(
            file.calendar.last.span(),
            format!("最后一轮 {last} 早于第一轮 {first}"),
            "交换 first 与 last",
        );
    }
    let received_from = match file
        .calendar
        .received_from
        .as_ref()
        .map(|v| (v.get_ref().as_str(), v.span()))
    {
        None | Some(("git", _)) => ReceivedFrom::Git,
        Some(("declared", _)) => ReceivedFrom::Declared,
        Some((other, span)) => {
            bad.push(
                span,
                format!("received_from「{other}」无法识别"),
                "写 \"git\"（按提交时间）或 \"declared\"（按填报日期）",
            );
            ReceivedFrom::Git
        }
    };
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
        outline: file
            .chapter
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
            .collect(),
        calendar: Calendar {
            first,
            last,
            due_day,
            due_time,
            overrides,
            received_from,
        },
        thresholds: Thresholds {
            yellow: file.thresholds.yellow,
            red: file.thresholds.red,
            not_started_red_after: file.thresholds.not_started_red_after,
        },
    })
}

pub fn to_date(d: &Datetime) -> Option<NaiveDate> {
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

pub fn parse_offset(s: &str) -> Option<FixedOffset> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let secs = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
    FixedOffset::east_opt(sign * secs)
}

/// Collects invalid-value diagnostics while the plan's fields are converted.
struct Bad<'a> {
    src: &'a Source,
    diags: Vec<Diagnostic>,
}

impl Bad<'_> {
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
