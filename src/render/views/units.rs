//! `tracker units`: the unit × round compliance matrix, ranked.

use std::io::{self, Write};

use serde::Serialize;

use crate::assess::history::UnitRecord;
use crate::assess::submissions::{duration_label, short_duration};
use crate::assess::{Submission, UnitSubmission};
use crate::model::Round;
use crate::render::terminal::table::{self, Grid, TableOpts, Text, submission_cell};

/// What one cell of the matrix says: 按时 / 逾期 2 天 3 小时 / 未报送 / 不完整 / 有错误.
pub(crate) fn cell_text(s: &UnitSubmission) -> String {
    if s.time_source == crate::assess::TimeSource::Uncommitted {
        return format!("{}（未提交）", s.submission.label());
    }
    let mut text = match (s.submission, s.late_minutes) {
        (Submission::Late, Some(m)) => format!("逾期 {}", duration_label(m)),
        (Submission::Incomplete | Submission::Invalid, Some(m)) => {
            format!("{}（逾期 {}）", s.submission.label(), duration_label(m))
        }
        (sub, _) => sub.label().to_string(),
    };
    if s.remark.is_some() && s.file.is_some() {
        text.push('*');
    }
    text
}

/// The matrix's cell: [`cell_text`] with durations written short (逾期1天6时), so a round's column
/// stays narrow.
fn matrix_cell(s: &UnitSubmission) -> String {
    let text = cell_text(s);
    match s.late_minutes {
        Some(m) => text.replace(
            &format!("逾期 {}", duration_label(m)),
            &format!("逾期{}", short_duration(m)),
        ),
        None => text,
    }
}

/// One unit's verdict for a round in a sentence: what `submit` tells the liaison.
pub(crate) fn verdict_line(s: &UnitSubmission, due: chrono::DateTime<chrono::FixedOffset>) -> String {
    let received = s
        .received_at
        .map(|at| format!("收到时间 {}，", s.time_source.format(&at)))
        .unwrap_or_default();
    let remark = s.remark.as_ref().map(|r| format!("\n说明：{r}")).unwrap_or_default();
    format!(
        "{received}截止 {}：{}{remark}",
        due.format("%Y-%m-%d %H:%M"),
        cell_text(s).trim_end_matches('*')
    )
}

/// What the matrix is of: rounds, "now" and the data's version.
pub(crate) struct Heading<'a> {
    pub title: &'a str,
    pub as_of: chrono::DateTime<chrono::FixedOffset>,
    pub version: &'a crate::model::DataVersion,
    /// "2024-10 轮尚未截止：距截止还有 …", when the last round shown is still open.
    pub open: Option<String>,
}

pub(crate) fn table(
    out: &mut dyn Write,
    heading: &Heading,
    rounds: &[Round],
    records: &[UnitRecord],
    opts: &TableOpts,
) -> io::Result<()> {
    writeln!(out, "{} 各单位报送情况", heading.title)?;
    writeln!(
        out,
        "截至 {}　数据版本 {}　（按未报、逾期、有误（不完整或有错误）次数排序）",
        heading.as_of.format("%Y-%m-%d %H:%M"),
        heading.version.label()
    )?;
    if let Some(open) = &heading.open {
        writeln!(out, "{open}")?;
    }
    let round_names: Vec<String> = rounds.iter().map(Round::to_string).collect();
    let mut cols = vec![
        table::names("单位"),
        table::truncate("联络员", 4).expendable(),
        table::keep("联系电话").expendable(),
    ];
    cols.extend(round_names.iter().map(|r| table::wrap(r, 6)));
    cols.extend([table::keep("未报"), table::keep("逾期"), table::keep("有误")]);
    let (plans, scores) = extras(records);
    if plans {
        cols.push(table::keep("推进计划"));
    }
    if scores {
        cols.push(table::keep("考评得分"));
    }
    let mut t = Grid::new(opts, &cols);
    t.ids(records.iter().map(|r| (r.name.clone(), r.id.clone())));
    for r in records {
        let liaison = if r.liaison.is_empty() {
            "（未填）"
        } else {
            &r.liaison
        };
        let mut row: Vec<Text> = vec![r.name.as_str().into(), liaison.into(), r.phone.as_str().into()];
        row.extend(r.rounds.iter().map(|s| submission_cell(matrix_cell(s), s.submission)));
        row.extend([r.missing, r.late, r.flawed].map(|n| Text::from(n.to_string())));
        row.extend(extra_cells(r, (plans, scores)).into_iter().map(Text::from));
        t.row(row);
    }
    writeln!(out, "{}", t.render())?;
    if opts.color {
        writeln!(out, "{}", table::SUBMISSION_LEGEND)?;
    }
    if records
        .iter()
        .any(|r| r.rounds.iter().any(|s| s.remark.is_some() && s.file.is_some()))
    {
        writeln!(
            out,
            "* 有说明（收到时间存疑，或文件不算报送），见 tracker units --format json 的 remark"
        )?;
    }
    Ok(())
}

/// Whether any unit shows a 推进计划 state, and a score.
fn extras(records: &[UnitRecord]) -> (bool, bool) {
    (
        records.iter().any(|r| r.plan.is_some()),
        records.iter().any(|r| r.score.is_some()),
    )
}

/// A unit's 推进计划 and 考评得分 cells, for the columns shown.
fn extra_cells(r: &UnitRecord, (plans, scores): (bool, bool)) -> Vec<String> {
    let mut out = Vec::new();
    if plans {
        out.push(r.plan.unwrap_or("—").to_string());
    }
    if scores {
        out.push(
            r.score
                .map_or_else(String::new, |s| crate::text::fmt_num(crate::text::round2(s))),
        );
    }
    out
}

pub(crate) fn csv(out: &mut dyn Write, rounds: &[Round], records: &[UnitRecord]) -> anyhow::Result<()> {
    let mut w = crate::render::people_csv::writer(out)?;
    let mut header = vec!["单位id".to_string(), "单位".into(), "联络员".into(), "联系电话".into()];
    header.extend(rounds.iter().map(Round::to_string));
    header.extend(["未报次数".to_string(), "逾期次数".into(), "不完整或有错次数".into()]);
    let (plans, scores) = extras(records);
    if plans {
        header.push("推进计划".into());
    }
    if scores {
        header.push("考评得分".into());
    }
    w.write_record(&header)?;
    for r in records {
        let mut row = vec![r.id.clone(), r.name.clone(), r.liaison.clone(), r.phone.clone()];
        row.extend(r.rounds.iter().map(cell_text));
        row.extend([r.missing, r.late, r.flawed].map(|n| n.to_string()));
        row.extend(extra_cells(r, (plans, scores)));
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        crate::render::people_csv::write_row(&mut w, &cells)?;
    }
    w.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct JsonUnits<'a> {
    as_of: String,
    commit: &'a crate::model::DataVersion,
    rounds: Vec<String>,
    units: &'a [UnitRecord],
}

pub(crate) fn json(
    out: &mut dyn Write,
    heading: &Heading,
    rounds: &[Round],
    records: &[UnitRecord],
) -> anyhow::Result<()> {
    let view = JsonUnits {
        as_of: heading.as_of.to_rfc3339(),
        commit: heading.version,
        rounds: rounds.iter().map(Round::to_string).collect(),
        units: records,
    };
    serde_json::to_writer_pretty(&mut *out, &view)?;
    writeln!(out)?;
    Ok(())
}
