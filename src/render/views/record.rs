//! A round's record in every output: the publication shown (已发布), and the changes since it
//! (发布后更正) or since the deadline (截止后修改), one line each.

use std::io::{self, Write};

use crate::assess::corrections::{Correction, Record, Since};

/// A round's record with the units' names its lines need.
#[derive(Clone, Copy)]
pub(crate) struct Named<'a> {
    pub record: &'a Record,
    pub names: &'a dyn Fn(&str) -> String,
}

/// The line under a round's header when it shows a publication.
pub(crate) fn published_line(record: &Record) -> Option<String> {
    let p = record.published.as_ref()?;
    let short: String = p.commit.chars().take(7).collect();
    Some(format!(
        "已发布：{}（数据版本 {short}）；以下为发布时的数据{}，最新数据加 --latest 查看",
        p.at.format("%Y-%m-%d %H:%M"),
        if record.corrections.is_empty() {
            ""
        } else {
            "，发布后更正见文末"
        }
    ))
}

/// One change, as a line: `第 31 项 市住房建设局 进度 45% → 60%（2024-10-03 14:00 收到）`.
pub(crate) fn line(c: &Correction, unit_name: &str) -> String {
    let when = c
        .received
        .map(|t| format!("，{} 收到", t.format("%Y-%m-%d %H:%M")))
        .unwrap_or_default();
    match c.since {
        Since::Publication => format!(
            "第 {} 项　{unit_name}　{} {} → {}（发布后更正{when}）",
            c.task, c.field, c.old, c.new
        ),
        Since::Deadline => format!(
            "第 {} 项　{unit_name}　{} {}（截止后修改，原为 {}{when}）",
            c.task, c.field, c.new, c.old
        ),
    }
}

/// The section listing every change (nothing when there is none), headed by its kind.
pub(crate) fn section(out: &mut dyn Write, named: Named) -> io::Result<()> {
    let Some(first) = named.record.corrections.first() else {
        return Ok(());
    };
    writeln!(
        out,
        "\n{}：{} 处",
        first.since.heading(),
        named.record.corrections.len()
    )?;
    for c in &named.record.corrections {
        writeln!(out, "  {}", crate::text::inert(&line(c, &(named.names)(&c.unit))))?;
    }
    Ok(())
}
