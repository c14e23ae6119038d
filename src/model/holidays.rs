//! The official calendar: public holidays and make-up working days (调休上班), as the State
//! Council's notices set them, and the rule for a deadline that falls on a day off.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};

/// What happens to a due date that falls on a holiday or a weekend.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnHoliday {
    /// The date stands (the 2024 notice says only 每月5日前).
    #[default]
    Keep,
    /// Moved to the next working day (顺延), at the same hour.
    NextWorkingDay,
}

/// Days off and make-up working days, each with the holiday it belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holidays {
    /// Holiday date -> its name (国庆节, 春节…).
    pub off: BTreeMap<NaiveDate, String>,
    /// Weekend days that are working days (调休上班) -> the holiday they make up for.
    pub working: BTreeMap<NaiveDate, String>,
}

impl Holidays {
    pub(crate) fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.working.contains_key(&day) {
            return true;
        }
        !self.off.contains_key(&day) && !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The first working day on or after `day` (a year of holidays at most is skipped).
    pub(crate) fn next_working_day(&self, day: NaiveDate) -> NaiveDate {
        let mut d = day;
        for _ in 0..366 {
            if self.is_working_day(d) {
                return d;
            }
            d = d.succ_opt().unwrap_or(d);
        }
        day
    }

    /// The public holidays between `from` and `to` (inclusive), each as its name and first and
    /// last day off in that span: 「国庆节 10-01 至 10-07」.
    pub(crate) fn within(&self, from: NaiveDate, to: NaiveDate) -> Vec<(String, NaiveDate, NaiveDate)> {
        let mut out: Vec<(String, NaiveDate, NaiveDate)> = Vec::new();
        for (day, name) in self.off.range(from..=to) {
            match out.last_mut() {
                Some((n, _, last)) if n == name && last.succ_opt() == Some(*day) => *last = *day,
                _ => out.push((name.clone(), *day, *day)),
            }
        }
        out
    }

    /// Why `day` is not a working day: the holiday's name, or 周六/周日.
    pub(crate) fn why_off(&self, day: NaiveDate) -> Option<String> {
        if self.is_working_day(day) {
            return None;
        }
        Some(self.off.get(&day).map_or_else(
            || {
                if day.weekday() == Weekday::Sat {
                    "周六"
                } else {
                    "周日"
                }
                .to_string()
            },
            |name| format!("{name}假期"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn national_day_2024_and_its_make_up_days() {
        let mut h = Holidays::default();
        for day in 1..=7 {
            h.off
                .insert(NaiveDate::from_ymd_opt(2024, 10, day).unwrap(), "国庆节".into());
        }
        h.working.insert(d("2024-10-12"), "国庆节".into());
        assert_eq!(h.next_working_day(d("2024-10-05")), d("2024-10-08"));
        assert_eq!(h.why_off(d("2024-10-05")).as_deref(), Some("国庆节假期"));
        assert!(h.is_working_day(d("2024-10-12")), "a Saturday made a working day");
        assert_eq!(h.next_working_day(d("2025-01-05")), d("2025-01-06"), "a Sunday");
        assert_eq!(h.why_off(d("2025-01-05")).as_deref(), Some("周日"));
    }
}
