//! `tracker year`: the year-end account as a table, CSV or JSON.

use std::io::{self, Write};

use crate::assess::year_end::{Final, YearEnd};
use crate::render::terminal::table::{self, Grid, TableOpts, Text};

pub(crate) fn table(out: &mut dyn Write, y: &YearEnd, title: &str, opts: &TableOpts) -> io::Result<()> {
    writeln!(out, "{title} 年终情况（据 {} 轮）", y.round)?;
    if y.provisional {
        writeln!(out, "最后一轮尚未截止：以下为截至目前的情况，数字还会变化。")?;
    }
    let mut cols = vec![table::truncate("篇章", 2), table::keep("任务数")];
    cols.extend(Final::ALL.iter().map(|f| table::keep(f.label())));
    let mut t = Grid::new(opts, &cols);
    for ch in &y.chapters {
        let mut row: Vec<Text> = vec![
            format!(
                "{}、{}",
                crate::render::views::status::chinese_numeral(ch.number),
                ch.title
            )
            .into(),
            ch.tasks.to_string().into(),
        ];
        row.extend(Final::ALL.iter().map(|f| Text::from(ch.states.get(*f).to_string())));
        t.row(row);
    }
    writeln!(out, "\n{}", t.render())?;
    let open: Vec<_> = y.tasks.iter().filter(|t| t.state != Final::DoneOnTime).collect();
    writeln!(out, "\n未按期完成的任务：{} 项", open.len())?;
    if !open.is_empty() {
        let mut t = Grid::new(
            opts,
            &[
                table::keep("编号"),
                table::truncate("重点任务", 6),
                table::truncate("牵头单位", 6),
                table::keep("最终状态"),
                table::keep("完成时限"),
                table::wrap("说明", 10),
            ],
        );
        for task in open {
            let note = match (task.state, task.extended_to, task.done_label(), task.progress) {
                (Final::Extended, Some(to), _, _) => format!("延期至 {to}"),
                (Final::DoneLate, _, Some(done), _) => done,
                (_, _, _, Some(p)) => format!("{}，最后进度 {}%", task.latest.label(), crate::text::fmt_pct(p)),
                _ => task.latest.label().to_string(),
            };
            t.row(vec![
                task.id.to_string().into(),
                (&*task.key_task).into(),
                task.lead_units.join("、").into(),
                task.state.label().into(),
                task.due.to_string().into(),
                note.into(),
            ]);
        }
        writeln!(out, "{}", t.render())?;
    }
    let mut t = Grid::new(
        opts,
        &[
            table::truncate("牵头单位", 6),
            table::keep("牵头任务"),
            table::keep("已完成"),
            table::keep("按期完成"),
            table::keep("完成率"),
        ],
    );
    for u in &y.units {
        t.row(vec![
            u.name.as_str().into(),
            u.led.to_string().into(),
            u.done.to_string().into(),
            u.done_on_time.to_string().into(),
            format!("{}%", crate::text::fmt_pct(u.completion)).into(),
        ]);
    }
    writeln!(out, "\n各牵头单位完成率\n{}", t.render())
}

pub(crate) fn json(out: &mut dyn Write, y: &YearEnd) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, y)?;
    writeln!(out)?;
    Ok(())
}
