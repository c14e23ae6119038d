//! `tracker score`: each lead unit's score and rank, and under it every deduction with where it
//! comes from; as a table, CSV, JSON, and the sheet the digest and `score --format xlsx` carry.

use std::io::{self, Write};

use crate::assess::score::{Deduction, Scores, UnitScore};
use crate::render::digest::{Sheet, Value};
use crate::render::terminal::table::{self, Grid, TableOpts};
use crate::text::{fmt_num, round2};

/// 「2024-08 轮」 or 「2024-07 至 2024-12 轮（全年）」.
pub(crate) fn span(s: &Scores) -> String {
    match (s.rounds.first(), s.rounds.last()) {
        (Some(a), Some(b)) if a != b => format!("{a} 至 {b} 轮"),
        (Some(a), _) => format!("{a} 轮"),
        _ => String::new(),
    }
}

/// `reports/2024-08/jtj.csv:3`, or the file alone for a whole-file event.
pub(crate) fn place(d: &Deduction) -> String {
    match d.line {
        0 => d.file.clone(),
        n => format!("{}:{n}", d.file),
    }
}

/// 「申诉撤销（2024-09-10 市督查室：…）」 / 「申诉维持（…）」.
pub(crate) fn appeal_text(d: &Deduction) -> String {
    let Some(a) = &d.appeal else { return String::new() };
    let verb = if a.decision == "withdrawn" {
        "申诉撤销"
    } else {
        "申诉维持"
    };
    let reason = if a.reason.is_empty() {
        String::new()
    } else {
        format!("：{}", a.reason)
    };
    format!("{verb}（{} {}{reason}）", a.decided_on, a.by)
}

fn points(p: f64) -> String {
    if p > 0.0 {
        format!("+{}", fmt_num(round2(p)))
    } else {
        fmt_num(round2(p))
    }
}

/// A withdrawn deduction: struck through where the table shows styles, and marked in words
/// (「（不计）」) where it does not.
fn struck(text: String, d: &Deduction, color: bool) -> table::Text {
    match (d.counted, color) {
        (true, _) => text.into(),
        (false, true) => table::Text {
            style: Some(anstyle::Style::new().strikethrough().dimmed()),
            ..text.into()
        },
        (false, false) => format!("（不计）{text}").into(),
    }
}

pub(crate) fn table(out: &mut dyn Write, s: &Scores, opts: &TableOpts) -> io::Result<()> {
    writeln!(out, "督查考评（{}，基础分 {}）", span(s), fmt_num(s.base))?;
    let mut ranking = Grid::new(
        opts,
        &[
            table::keep("排名"),
            table::names("单位"),
            table::keep("得分"),
            table::keep("扣分项"),
        ],
    );
    let mut ordered: Vec<&UnitScore> = s.units.iter().collect();
    ordered.sort_by_key(|u| u.rank);
    for u in &ordered {
        let counted = u.deductions.iter().filter(|d| d.counted).count();
        ranking.row(vec![
            u.rank.to_string().into(),
            u.name.as_str().into(),
            fmt_num(round2(u.score)).into(),
            counted.to_string().into(),
        ]);
    }
    writeln!(out, "{}", ranking.render())?;
    for u in ordered.iter().filter(|u| !u.deductions.is_empty()) {
        writeln!(out, "\n{}（{}）：{} 分", u.name, u.unit, fmt_num(round2(u.score)))?;
        // The commit column only where git named one; the source is never split.
        let commits = u.deductions.iter().any(|d| d.commit.is_some());
        let mut cols = vec![
            table::keep("轮次"),
            table::keep("事项"),
            table::keep("分值"),
            table::keep("来源"),
        ];
        if commits {
            cols.push(table::keep("提交"));
        }
        cols.push(table::wrap("申诉", 10));
        let mut t = Grid::new(opts, &cols);
        for d in &u.deductions {
            let event = match d.task {
                Some(task) => format!("{}（第 {task} 项）", d.event.label()),
                None => d.event.label().to_string(),
            };
            let mut row: Vec<table::Text> = vec![
                d.round.to_string().into(),
                struck(event, d, opts.color),
                struck(points(d.points), d, opts.color),
                place(d).into(),
            ];
            if commits {
                row.push(d.commit.clone().unwrap_or_default().into());
            }
            row.push(appeal_text(d).into());
            t.row(row);
        }
        writeln!(out, "{}", t.render())?;
    }
    Ok(())
}

pub(crate) const DEDUCTION_HEADERS: &[&str] = &[
    "单位",
    "单位编号",
    "得分",
    "排名",
    "轮次",
    "事项",
    "任务编号",
    "来源",
    "提交",
    "分值",
    "计入",
    "申诉",
];

/// A row per deduction (and a row for a unit without any), for the CSV and the sheet.
fn rows(s: &Scores) -> Vec<Vec<Value>> {
    let mut out = Vec::new();
    let mut ordered: Vec<&UnitScore> = s.units.iter().collect();
    ordered.sort_by_key(|u| u.rank);
    for u in ordered {
        let head = |out: &mut Vec<Value>| {
            out.push(Value::text(&u.name));
            out.push(Value::text(&u.unit));
            out.push(Value::Number(round2(u.score)));
            out.push(Value::Number(u.rank as f64));
        };
        if u.deductions.is_empty() {
            let mut row = Vec::new();
            head(&mut row);
            row.extend(std::iter::repeat_n(Value::Empty, DEDUCTION_HEADERS.len() - 4));
            out.push(row);
        }
        for d in &u.deductions {
            let mut row = Vec::new();
            head(&mut row);
            row.extend([
                Value::text(d.round.to_string()),
                match d.counted {
                    true => Value::text(d.event.label()),
                    false => Value::Struck(d.event.label().to_string()),
                },
                d.task.map_or(Value::Empty, |t| Value::Number(t.into())),
                Value::text(place(d)),
                Value::text(d.commit.clone().unwrap_or_default()),
                Value::Number(round2(d.points)),
                Value::text(if d.counted { "是" } else { "否" }),
                Value::text(appeal_text(d)),
            ]);
            out.push(row);
        }
    }
    out
}

/// The 考评 sheet: the digest's and `score --format xlsx`'s.
pub(crate) fn sheet(s: &Scores, title: &str) -> Sheet {
    Sheet {
        name: "考评",
        title: format!("{title}督查考评（{}，基础分 {}）", span(s), fmt_num(s.base)),
        headers: DEDUCTION_HEADERS,
        long: &[0, 7, 11],
        rows: rows(s),
    }
}

pub(crate) fn csv(out: &mut dyn Write, s: &Scores) -> anyhow::Result<()> {
    let mut w = crate::render::people_csv::writer(out)?;
    crate::render::people_csv::write_row(&mut w, DEDUCTION_HEADERS)?;
    for row in rows(s) {
        let cells: Vec<String> = row.iter().map(Value::as_csv).collect();
        crate::render::people_csv::write_row(&mut w, &cells.iter().map(String::as_str).collect::<Vec<_>>())?;
    }
    w.flush()?;
    Ok(())
}

pub(crate) fn json(out: &mut dyn Write, s: &Scores) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, s)?;
    writeln!(out)?;
    Ok(())
}
