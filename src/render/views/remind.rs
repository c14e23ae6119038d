//! The 催报 message: text to paste into the chat group, or CSV / JSON for a mail merge.

use std::io::{self, Write};

use serde::Serialize;

use crate::assess::RoundStatus;
use crate::assess::remind::Reminder;
use crate::assess::submissions::duration_label;

/// "距截止还有 1 天 6 小时" or "已逾期 4 天 18 小时".
fn time_left(s: &RoundStatus) -> String {
    match s.minutes_left {
        Some(m) => format!("距截止还有 {}", duration_label(m.max(1))),
        None => format!("已逾期 {}", duration_label((s.as_of - s.due).num_minutes().max(1))),
    }
}

fn contact(r: &Reminder) -> String {
    match (r.liaison.as_str(), r.phone.as_str()) {
        ("", "") => "联络员未登记".to_string(),
        (name, "") => format!("联络员 {name}"),
        ("", phone) => format!("电话 {phone}"),
        (name, phone) => format!("联络员 {name}，{phone}"),
    }
}

pub(crate) fn text(out: &mut dyn Write, s: &RoundStatus, list: &[Reminder]) -> io::Result<()> {
    writeln!(
        out,
        "【催报】《{}》{} 轮进展报送，截止 {}（{}）。",
        s.title,
        s.round,
        s.due_text(),
        time_left(s)
    )?;
    if list.is_empty() {
        return writeln!(out, "本轮应报单位均已报送且无错误，无需催报。");
    }
    writeln!(out, "以下 {} 个单位请尽快报送或更正：", list.len())?;
    for (i, r) in list.iter().enumerate() {
        writeln!(
            out,
            "{}. {}（{}）：{}。{}。",
            i + 1,
            r.name,
            contact(r),
            r.submission.label(),
            r.items.join("；")
        )?;
    }
    writeln!(
        out,
        "填报方法：tracker report new --unit <单位id> 生成模板，填写后运行 tracker check，再 tracker submit --unit <单位id>。"
    )
}

pub(crate) fn csv(out: &mut dyn Write, list: &[Reminder]) -> anyhow::Result<()> {
    let mut w = crate::render::people_csv::writer(out)?;
    w.write_record(["单位", "联络员", "联系电话", "报送状态", "待办事项"])?;
    for r in list {
        let items = r.items.join("\n");
        crate::render::people_csv::write_row(&mut w, &[&r.name, &r.liaison, &r.phone, r.submission.label(), &items])?;
    }
    w.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct JsonRemind<'a> {
    round: String,
    due: String,
    as_of: String,
    minutes_left: Option<i64>,
    units: &'a [Reminder],
}

pub(crate) fn json(out: &mut dyn Write, s: &RoundStatus, list: &[Reminder]) -> anyhow::Result<()> {
    let view = JsonRemind {
        round: s.round.to_string(),
        due: s.due.to_rfc3339(),
        as_of: s.as_of.to_rfc3339(),
        minutes_left: s.minutes_left,
        units: list,
    };
    serde_json::to_writer_pretty(&mut *out, &view)?;
    writeln!(out)?;
    Ok(())
}
