//! `calendar/holidays.toml` -> [`Holidays`]: the State Council's notices, one `[[notice]]` a year,
//! each holiday with its days off and its make-up working days (调休上班).

use chrono::Datelike;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use super::toml_file;
use crate::diagnostic::Source;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Holidays;

pub(crate) const HOLIDAYS_FILE: &str = "calendar/holidays.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidaysFile {
    #[serde(default)]
    notice: Vec<NoticeFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoticeFile {
    year: i32,
    /// The notice's title and number, e.g. 国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）:
    /// required, so every year's table cites where it comes from; tracker does not use it.
    #[allow(dead_code)]
    source: String,
    #[serde(default)]
    holiday: Vec<HolidayFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayFile {
    name: String,
    from: Spanned<Datetime>,
    to: Spanned<Datetime>,
    /// Weekend days that are working days for this holiday.
    #[serde(default)]
    working: Vec<Spanned<Datetime>>,
}

pub(crate) fn load(src: &Source) -> Result<Holidays, Vec<Diagnostic>> {
    let file: HolidaysFile = toml_file::parse(src).map_err(|d| vec![d])?;
    let mut holidays = Holidays::default();
    let mut diags = Vec::new();
    let mut bad = |span: std::ops::Range<usize>, message: String| {
        let (line, col) = src.position(span.start);
        diags.push(
            Diagnostic::new(Rule::HolidayTable, src.path.clone(), message)
                .at(line, col)
                .width(src.char_len(&span))
                .hint("照国务院办公厅当年的节假日安排通知填写：日期写成 2024-10-01，不加引号"),
        );
    };
    for notice in &file.notice {
        for h in &notice.holiday {
            let date = |d: &Spanned<Datetime>| super::to_date(d.get_ref()).filter(|d| d.year() == notice.year);
            let (Some(from), Some(to)) = (date(&h.from), date(&h.to)) else {
                bad(
                    h.from.span(),
                    format!("{}：放假日期应是 {} 年内的日期", h.name, notice.year),
                );
                continue;
            };
            if from > to {
                bad(h.to.span(), format!("{}：放假结束日 {to} 早于开始日 {from}", h.name));
            }
            for day in from.iter_days().take_while(|d| *d <= to) {
                holidays.off.insert(day, h.name.clone());
            }
            for w in &h.working {
                match date(w) {
                    Some(day) => {
                        holidays.working.insert(day, h.name.clone());
                    }
                    None => bad(
                        w.span(),
                        format!("{}：调休上班日应是 {} 年内的日期", h.name, notice.year),
                    ),
                }
            }
        }
    }
    for day in holidays.working.keys().filter(|d| holidays.off.contains_key(d)) {
        diags.push(
            Diagnostic::new(
                Rule::HolidayTable,
                src.path.clone(),
                format!("{day} 既是放假日又是调休上班日"),
            )
            .hint("核对通知：同一天只能是其中之一"),
        );
    }
    if diags.is_empty() { Ok(holidays) } else { Err(diags) }
}
