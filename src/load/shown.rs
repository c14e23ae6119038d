//! A number from a workbook cell as people see it, and as the CSV holds it: a percent-formatted
//! cell's 0.8 is 80; any other number as typed. Shared by the .xlsx and the .ods readers.

use calamine::Data;

use crate::text::fmt_num;

/// A number in a percent-formatted cell as the percentage people typed and see: `100%` is stored
/// as 1.0, and is 100%, not 1.
/// A percentage as the CSV holds it: 80 for 80%, and 0.5% with its sign, as a bare 0.5 would read
/// as a fraction typed by mistake.
fn percentage(p: f64) -> String {
    if p > 0.0 && p < 1.0 {
        format!("{}%", fmt_num(p))
    } else {
        fmt_num(p)
    }
}

/// A percentage cell's value (0.8) as the percentage people see (80), as the CSV holds it.
pub(super) fn percent_cell(v: f64) -> Data {
    as_shown(Data::Float(v), true)
}

/// Any other number is written as it is: the cell's format says it is no percentage, so a 0.6
/// typed as 0.6 is read as 0.6 (and checked as such), not guessed to be 60%.
pub(super) fn as_shown(value: Data, percent: bool) -> Data {
    match value {
        Data::Float(f) if percent => Data::String(percentage((f * 1_000_000.0).round() / 10_000.0)),
        Data::Int(i) if percent => Data::String(percentage(i as f64 * 100.0)),
        Data::Float(f) => Data::String(fmt_num(f)),
        other => other,
    }
}
