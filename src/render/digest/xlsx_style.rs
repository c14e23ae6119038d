//! The digest workbook's formats: one place for the fonts, number formats and the office's
//! red / yellow / green lights.

use rust_xlsxwriter::{
    ConditionalFormatText, ConditionalFormatTextRule, Format, FormatAlign, FormatBorder, Worksheet, XlsxError,
};

/// A light as the office colours it (Excel's own 好 / 适中 / 差 cell styles).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Light {
    Green,
    Yellow,
    Red,
    Grey,
    /// 受阻.
    Purple,
    /// 未报送.
    Slate,
    /// 报送有误.
    Blue,
}

impl Light {
    pub(crate) const fn fill(self) -> &'static str {
        match self {
            Light::Green => "#C6EFCE",
            Light::Yellow => "#FFEB9C",
            Light::Red => "#FFC7CE",
            Light::Grey => "#EDEDED",
            Light::Purple => "#E8DAEF",
            Light::Slate => "#D5D8DC",
            Light::Blue => "#D6EAF8",
        }
    }

    const fn font(self) -> &'static str {
        match self {
            Light::Green => "#006100",
            Light::Yellow => "#9C5700",
            Light::Red => "#9C0006",
            Light::Grey => "#595959",
            Light::Purple => "#5B2C6F",
            Light::Slate => "#1C2833",
            Light::Blue => "#1A5276",
        }
    }

    /// A cell in this light.
    pub(crate) fn format(self) -> Format {
        Format::new()
            .set_background_color(self.fill())
            .set_font_color(self.font())
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin)
            .set_border_color("#BFBFBF")
    }
}

/// The light of an assessment, a submission status or a final state, by its Chinese label.
pub(crate) fn light_of(label: &str) -> Light {
    TEXT_LIGHTS
        .iter()
        .find(|(needle, _)| label.contains(needle))
        .map_or(Light::Grey, |(_, l)| *l)
}

/// What the lights' conditional formats look for, in order (the first match wins).
const TEXT_LIGHTS: [(&str, Light); 15] = [
    ("未报送", Light::Slate),
    ("有误", Light::Blue),
    ("有错误", Light::Blue),
    ("受阻", Light::Purple),
    ("红", Light::Red),
    ("未完成", Light::Red),
    ("黄", Light::Yellow),
    ("逾期", Light::Yellow),
    ("不完整", Light::Yellow),
    ("延期", Light::Yellow),
    ("已完成", Light::Green),
    ("超进度", Light::Green),
    ("达进度", Light::Green),
    ("按时", Light::Green),
    ("按期完成", Light::Green),
];

/// Colour a column of status words by conditional formats, so the colours follow edits and filters.
pub(crate) fn light_column(ws: &mut Worksheet, first_row: u32, last_row: u32, col: u16) -> Result<(), XlsxError> {
    for (needle, light) in TEXT_LIGHTS {
        let rule = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::Contains(needle.to_string()))
            .set_stop_if_true(true)
            .set_format(
                Format::new()
                    .set_background_color(light.fill())
                    .set_font_color(light.font()),
            );
        ws.add_conditional_format(first_row, col, last_row, col, &rule)?;
    }
    Ok(())
}

pub(crate) fn title() -> Format {
    Format::new().set_bold().set_font_size(14)
}

pub(crate) fn heading() -> Format {
    Format::new().set_bold().set_font_size(12)
}

pub(crate) fn header() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color("#DDEBF7")
        .set_border(FormatBorder::Thin)
}

/// Integers as integers ("1", not Excel's "1." from `0.#`), decimals with their one decimal;
/// centred, as counts and numbers are in the office's tables (set right, 任务编号 ran into the
/// 篇章 beside it on paper: "1一、构建…").
/// As many decimals as the value has, up to two (a score of 98.65 is not 98.7).
fn decimals(n: f64) -> &'static str {
    let tenths = (n * 10.0 - (n * 10.0).round()).abs() < 1e-9;
    if n.fract() == 0.0 {
        "0"
    } else if tenths {
        "0.0"
    } else {
        "0.00"
    }
}

pub(crate) fn number(n: f64) -> Format {
    Format::new()
        .set_align(FormatAlign::Top)
        .set_align(FormatAlign::Center)
        .set_num_format(decimals(n))
}

/// A percentage given 0–100, shown "60%" or "59.5%".
/// An expected progress taken from the leads' plans: a number still, shown as 「50%（计划）」.
pub(crate) fn planned_percent(n: f64) -> Format {
    Format::new()
        .set_align(FormatAlign::Top)
        .set_num_format(if n.fract() == 0.0 {
            "0%\"（计划）\""
        } else {
            "0.0%\"（计划）\""
        })
}

pub(crate) fn percent(n: f64) -> Format {
    Format::new()
        .set_align(FormatAlign::Top)
        .set_num_format(if n.fract() == 0.0 { "0%" } else { "0.0%" })
}

#[cfg(test)]
mod number_tests {
    #[test]
    fn a_number_shows_the_decimals_it_has() {
        assert_eq!(super::decimals(3.0), "0");
        assert_eq!(super::decimals(59.5), "0.0");
        assert_eq!(super::decimals(98.65), "0.00", "a score is not rounded to 98.7");
        assert_eq!(super::decimals(-0.05), "0.00");
    }
}
