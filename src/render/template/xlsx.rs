//! The unit's monthly template as a workbook that guides the hand: sheet 填报 with the CSV's
//! columns (so "save as CSV" of it is a valid report), lead tasks first, reference columns locked
//! and shaded, dropdowns and ranges on the input columns, and sheet 说明 with the round, the due
//! time, 填报人 and 联系电话 asked once, and how to hand it in.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use crate::model::template::{FILL_SHEET, GUIDE_SHEET, HEADERS, ROUND_LABEL, UNIT_LABEL};
use crate::model::{Round, Status, Unit};
use crate::render::template::csv::TemplateRow;
use crate::text::width;

/// Where the liaison types: the template's columns from 状态 on; everything before is reference.
fn is_input(header: &str) -> bool {
    let first = HEADERS.iter().position(|h| *h == "状态").unwrap_or(0);
    HEADERS[first..].contains(&header)
}

/// What the workbook says about the round.
pub(crate) struct Heading<'a> {
    pub unit: &'a Unit,
    pub round: Round,
    pub due: String,
    /// 填报日期 may fall after this day…
    pub after: Option<NaiveDate>,
    /// …and should not be after this one (a warning, not a refusal: late reports are still reports).
    pub until: NaiveDate,
    pub liaison: String,
    pub phone: String,
    /// When the workbook is made ("now", `--as-of`): its creation time, so the same data and the
    /// same moment give the same bytes.
    pub made_at: DateTime<FixedOffset>,
}

pub(crate) fn workbook(h: &Heading, rows: &[TemplateRow]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let made_at = crate::render::digest::xlsx::excel_time(&h.made_at)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&made_at));
    guide(wb.add_worksheet().set_name(GUIDE_SHEET)?, h)?;
    let sheet = wb.add_worksheet().set_name(FILL_SHEET)?;
    fill(sheet, h, rows)?;
    sheet.set_active(true);
    wb.define_name("填报人", &format!("={GUIDE_SHEET}!$B$6"))?;
    wb.define_name("联系电话", &format!("={GUIDE_SHEET}!$B$7"))?;
    wb.save_to_buffer()
}

fn column(header: &str) -> u16 {
    HEADERS.iter().position(|h| *h == header).expect("a template header") as u16
}

fn fill(ws: &mut Worksheet, h: &Heading, rows: &[TemplateRow]) -> Result<(), XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_background_color("#DDEBF7")
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let reference = Format::new()
        .set_background_color("#F2F2F2")
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let input = Format::new()
        .set_unlocked()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let date = input.clone().set_num_format("yyyy-mm-dd");
    let metric = reference.clone().set_indent(1);
    let separator = Format::new().set_bold().set_background_color("#FFF2CC");
    for (c, name) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *name, &header)?;
        let content = rows.iter().map(|r| width(&r.cells[c])).max().unwrap_or(0);
        let w = WRAPPED
            .iter()
            .find(|(n, _)| n == name)
            .map_or((width(name).max(content) as f64 + 2.0).clamp(8.0, 30.0), |(_, w)| *w);
        ws.set_column_width(c as u16, w)?;
    }
    let mut r = 1u32;
    let mut cooperating_started = false;
    for row in rows {
        if row.cooperating && !cooperating_started {
            cooperating_started = true;
            ws.write_string_with_format(
                r,
                column("重点任务"),
                crate::model::template::COOPERATING_SEPARATOR,
                &separator,
            )?;
            r += 1;
        }
        for (c, name) in HEADERS.iter().enumerate() {
            let c = c as u16;
            let value = &row.cells[c as usize];
            let fmt = if row.is_metric && *name == "指标" {
                &metric
            } else if is_input(name) {
                if *name == "填报日期" { &date } else { &input }
            } else {
                &reference
            };
            match *name {
                "填报人" | "联系电话" if !row.is_metric => {
                    // Blank, not 0, when 说明 leaves it empty (as LibreOffice and Excel save `=名称`).
                    let formula = format!("=IF({name}=\"\",\"\",{name})");
                    ws.write_formula_with_format(r, c, Formula::new(formula).set_result(value), fmt)?
                }
                "进度" | "完成值" | "目标值" if !value.is_empty() => match value.parse::<f64>() {
                    Ok(n) => ws.write_number_with_format(r, c, n, fmt)?,
                    Err(_) => ws.write_string_with_format(r, c, value, fmt)?,
                },
                _ => ws.write_string_with_format(r, c, value, fmt)?,
            };
        }
        ws.set_row_height(r, 15.0 * lines_needed(row) as f64)?;
        r += 1;
    }
    validations(ws, h, r.saturating_sub(1).max(1))?;
    ws.set_freeze_panes(1, 3)?;
    ws.protect();
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_repeat_rows(0, 0)?;
    ws.set_footer(format!("&L{} {} 轮&R第 &P 页，共 &N 页", h.unit.name, h.round));
    Ok(())
}

/// Column widths of the wrapped text columns; a row is as tall as its longest text needs.
const WRAPPED: [(&str, f64); 5] = [
    ("工作事项", 40.0),
    ("重点任务", 24.0),
    ("本月进展", 24.0),
    ("存在问题", 24.0),
    ("下步计划", 24.0),
];

fn lines_needed(row: &TemplateRow) -> usize {
    WRAPPED
        .iter()
        .map(|(name, w)| width(&row.cells[column(name) as usize]).div_ceil((*w as usize).saturating_sub(2).max(1)))
        .max()
        .unwrap_or(1)
        .max(1)
}

fn validations(ws: &mut Worksheet, h: &Heading, last: u32) -> Result<(), XlsxError> {
    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.label()).collect();
    let status = DataValidation::new()
        .allow_list_strings(&statuses)?
        .set_input_title("状态")?
        .set_input_message("从下拉列表中选择：未启动、推进中、已完成、滞后、受阻")?
        .set_error_title("状态不对")?
        .set_error_message("状态只能是：未启动、推进中、已完成、滞后、受阻")?;
    let progress = DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
        .set_input_title("进度")?
        .set_input_message("累计完成百分比，填 0 到 100 的数字，例如 80")?
        .set_error_title("进度不对")?
        .set_error_message("进度是累计完成年度目标的百分比，应为 0 到 100 的数字")?;
    let actual = DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .set_input_title("完成值")?
        .set_input_message("累计完成的数量，不带单位")?
        .set_error_title("完成值不对")?
        .set_error_message("完成值应为不小于 0 的数字，不带单位")?;
    let from = h.after.map_or(h.until - Duration::days(62), |a| a + Duration::days(1));
    let day = |d: NaiveDate| ExcelDateTime::from_ymd(d.year_u16(), d.month_u8(), d.day_u8());
    let dated = DataValidation::new()
        .allow_date(DataValidationRule::Between(day(from)?, day(h.until)?))
        .set_input_title("填报日期")?
        .set_input_message("填报当天的日期，例如 2024-08-03")?
        .set_error_title("填报日期")?
        .set_error_message(format!("填报日期应在 {from} 至 {} 之间；确认无误可继续", h.until))?
        .set_error_style(DataValidationErrorStyle::Warning);
    for (name, rule) in [
        ("状态", &status),
        ("进度", &progress),
        ("完成值", &actual),
        ("填报日期", &dated),
    ] {
        let c = column(name);
        ws.add_data_validation(1, c, last, c, rule)?;
    }
    Ok(())
}

fn guide(ws: &mut Worksheet, h: &Heading) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let input = Format::new()
        .set_unlocked()
        .set_border(FormatBorder::Thin)
        .set_background_color("#FFFFFF");
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 70)?;
    ws.write_string_with_format(0, 0, format!("{} {} 轮进展报送", h.unit.name, h.round), &title)?;
    let facts = [
        ("单位", h.unit.name.clone()),
        (UNIT_LABEL, h.unit.id.clone()),
        (ROUND_LABEL, h.round.to_string()),
        ("截止时间", h.due.clone()),
    ];
    for (i, (k, v)) in facts.iter().enumerate() {
        ws.write_string_with_format(1 + i as u32, 0, *k, &bold)?;
        ws.write_string(1 + i as u32, 1, v)?;
    }
    ws.write_string_with_format(5, 0, "填报人", &bold)?;
    ws.write_string_with_format(5, 1, &h.liaison, &input)?;
    ws.write_string_with_format(6, 0, "联系电话", &bold)?;
    ws.write_string_with_format(6, 1, &h.phone, &input)?;
    let steps = [
        "怎样填写",
        "1. 在本页填写填报人和联系电话（只填一次，“填报”表每行自动带入）。",
        "2. 在“填报”表中填写白色单元格：牵头任务（必报）每行填状态、进度、本月进展和填报日期；配合任务有进展时填写。灰色单元格是参考信息，已锁定。",
        "3. 状态从下拉列表选择；进度填累计完成年度目标的百分比（0–100）；有数量指标的行填累计完成值（不带单位）。",
        "4. 直接保存（不必另存为 CSV），再运行 tracker submit --unit 单位编号 本文件 --push 交回（先检查可运行 tracker report import 本文件）。工作簿不要放进 reports/ 文件夹。",
        "各列：状态＝本任务的总体状态；进度＝累计完成年度目标的百分比；完成值＝数量指标的累计完成数；本月进展＝本月新做的工作；存在问题、下步计划＝如实填写；填报日期＝填报当天。",
        "本页和“填报”表设有保护（没有密码），只为防止误改参考信息；确需修改可在“审阅”中撤销保护。",
    ];
    for (i, line) in steps.iter().enumerate() {
        let fmt = if i == 0 { &bold } else { &wrap };
        ws.write_string_with_format(8 + i as u32, 0, *line, fmt)?;
        ws.merge_range(8 + i as u32, 0, 8 + i as u32, 1, line, fmt)?;
        ws.set_row_height(8 + i as u32, if i == 0 { 15.0 } else { 30.0 })?;
    }
    ws.protect();
    ws.set_paper_size(9).set_print_fit_to_pages(1, 0);
    Ok(())
}

trait Parts {
    fn year_u16(&self) -> u16;
    fn month_u8(&self) -> u8;
    fn day_u8(&self) -> u8;
}

impl Parts for NaiveDate {
    fn year_u16(&self) -> u16 {
        chrono::Datelike::year(self) as u16
    }
    fn month_u8(&self) -> u8 {
        chrono::Datelike::month(self) as u8
    }
    fn day_u8(&self) -> u8 {
        chrono::Datelike::day(self) as u8
    }
}
