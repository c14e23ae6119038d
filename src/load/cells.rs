//! Typed values from spreadsheet cells as Excel and WPS leave them: `80.00%`, `８０％`, `2024/8/3`,
//! `2024年8月3日`, Excel serial dates, `7,300`.

use std::ops::RangeInclusive;

use chrono::{Days, NaiveDate};

use crate::text::fold_cell;

/// A percentage of the annual target. `Ok((value, looks_like_fraction))`.
pub(crate) fn progress(cell: &str) -> Result<(f64, bool), String> {
    let folded = fold_cell(cell);
    let (num, had_percent) = match folded.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (&*folded, false),
    };
    let v: f64 = num.parse().map_err(|_| format!("进度「{}」不是数字", cell.trim()))?;
    if !v.is_finite() || !(0.0..=100.0).contains(&v) {
        return Err(format!("进度 {} 不在 0–100 之间", folded));
    }
    Ok((v, !had_percent && v > 0.0 && v < 1.0))
}

/// A cumulative actual: a non-negative number, thousands separators allowed.
pub(crate) fn actual(cell: &str) -> Result<f64, String> {
    let folded = fold_cell(cell).replace(',', "");
    let v: f64 = folded
        .parse()
        .map_err(|_| format!("完成值「{}」不是数字", cell.trim()))?;
    if !v.is_finite() {
        return Err(format!("完成值「{}」不是数字", cell.trim()));
    }
    if v < 0.0 {
        return Err(format!("完成值 {folded} 是负数"));
    }
    Ok(v)
}

/// A date in any of the forms people type or Excel writes, with a year inside `years`.
pub(crate) fn date(cell: &str, years: &RangeInclusive<i32>) -> Result<NaiveDate, String> {
    let folded = fold_cell(cell);
    let day_part = folded.split([' ', 'T']).next().unwrap_or("");
    let parsed = if let Some(serial) = excel_serial(day_part) {
        serial
    } else if let Some(d) = chinese(day_part) {
        d
    } else {
        let parts: Vec<&str> = day_part.split(['-', '/', '.']).collect();
        match parts.as_slice() {
            [y, m, d] if y.len() == 4 => ymd(y, m, d),
            _ => None,
        }
        .ok_or_else(|| format!("填报日期「{}」无法识别", cell.trim()))?
    };
    let year = chrono::Datelike::year(&parsed);
    if !years.contains(&year) {
        return Err(format!(
            "填报日期 {parsed} 不在计划年度 {}–{} 内",
            years.start(),
            years.end()
        ));
    }
    Ok(parsed)
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn chinese(s: &str) -> Option<NaiveDate> {
    let (y, rest) = s.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日').unwrap_or(rest);
    if y.len() != 4 {
        return None;
    }
    ymd(y, m, d)
}

/// Excel stores dates as days since 1899-12-30; a bare number in 1..=80000 in a date column.
fn excel_serial(s: &str) -> Option<NaiveDate> {
    let n: f64 = s.parse().ok()?;
    if !(20000.0..=80000.0).contains(&n) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(n.trunc() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_forms() {
        assert_eq!(progress("80").unwrap(), (80.0, false));
        assert_eq!(progress("80.00%").unwrap(), (80.0, false));
        assert_eq!(progress("８０％").unwrap(), (80.0, false));
        assert_eq!(progress("0.8").unwrap(), (0.8, true));
        assert!(progress("120").is_err());
        assert!(progress("八十").is_err());
    }

    #[test]
    fn date_forms() {
        let years = 2024..=2025;
        let want = NaiveDate::from_ymd_opt(2024, 8, 3).unwrap();
        for s in [
            "2024-08-03",
            "2024/8/3",
            "2024年8月3日",
            "2024.8.3",
            "45507",
            "２０２４/8/3 10:30",
        ] {
            assert_eq!(date(s, &years), Ok(want), "{s}");
        }
        assert!(date("3/5/26", &years).is_err());
        assert!(date("2019-08-03", &years).is_err());
    }

    #[test]
    fn actual_forms() {
        assert_eq!(actual("7,300"), Ok(7300.0));
        assert!(actual("-1").is_err());
        assert!(actual("约50").is_err());
    }
}
