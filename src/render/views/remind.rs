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

/// One round's units to chase.
pub(crate) struct Chase {
    pub status: RoundStatus,
    pub list: Vec<Reminder>,
}

/// The whole message: the overdue round first (补报), then the open one, and the holidays before
/// its deadline.
pub(crate) struct Message<'a> {
    pub overdue: Option<&'a Chase>,
    pub open: &'a Chase,
    /// (name, first day, last day) of each holiday between now and the open round's deadline.
    pub holidays: &'a [(String, chrono::NaiveDate, chrono::NaiveDate)],
    /// Lead units without a 推进计划 after `[plans] due`: (name, liaison, phone), and the due date.
    pub plans_missing: (&'a [PlanOwed], Option<chrono::NaiveDate>),
}

/// A lead unit that owes its 推进计划.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PlanOwed {
    pub unit: String,
    pub name: String,
    pub liaison: String,
    pub phone: String,
}

/// 「【推进计划】…」: the units that still owe their plan.
fn plans_owed(out: &mut dyn Write, m: &Message) -> io::Result<()> {
    let (owed, due) = m.plans_missing;
    if owed.is_empty() {
        return Ok(());
    }
    let due = due.map_or_else(String::new, |d| format!("已于 {d} 截止，"));
    writeln!(
        out,
        "【推进计划】{due}以下 {} 个牵头单位尚未报送推进计划（tracker plan new --unit 单位编号）：",
        owed.len()
    )?;
    for p in owed {
        writeln!(out, "- {}（{} {}）", p.name, p.liaison, p.phone)?;
    }
    writeln!(out)
}

pub(crate) fn text(out: &mut dyn Write, m: &Message) -> io::Result<()> {
    plans_owed(out, m)?;
    if let Some(c) = m.overdue {
        let s = &c.status;
        writeln!(
            out,
            "【补报】《{}》{} 轮进展报送已于 {} 截止（{}）。以下 {} 个单位请立即补报或更正（计入 {} 轮，记为逾期）：",
            s.title,
            s.round,
            s.due_text(),
            time_left(s),
            c.list.len(),
            s.round
        )?;
        units(out, &c.list)?;
        writeln!(out)?;
    }
    let s = &m.open.status;
    writeln!(
        out,
        "【催报】《{}》{} 轮进展报送，截止 {}（{}）。",
        s.title,
        s.round,
        s.due_text(),
        time_left(s)
    )?;
    for (name, first, last) in m.holidays {
        let span = if first == last {
            first.format("%m-%d").to_string()
        } else {
            format!("{} 至 {}", first.format("%m-%d"), last.format("%m-%d"))
        };
        writeln!(out, "假期提醒：{name} {span} 放假，在截止之前；请在放假前报送。")?;
    }
    let list = &m.open.list;
    if list.is_empty() {
        return writeln!(out, "本轮应报单位均已报送且无错误，无需催报。");
    }
    writeln!(out, "以下 {} 个单位请尽快报送或更正：", list.len())?;
    units(out, list)?;
    writeln!(
        out,
        "填报方法：tracker report new --unit <单位id> 生成模板，填写后运行 tracker check，再 tracker submit --unit <单位id>。"
    )
}

fn units(out: &mut dyn Write, list: &[Reminder]) -> io::Result<()> {
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
    Ok(())
}

pub(crate) fn csv(out: &mut dyn Write, m: &Message) -> anyhow::Result<()> {
    let mut w = crate::render::people_csv::writer(out)?;
    w.write_record(["轮次", "单位", "联络员", "联系电话", "报送状态", "待办事项"])?;
    for c in m.overdue.into_iter().chain([m.open]) {
        let round = c.status.round.to_string();
        for r in &c.list {
            let items = r.items.join("\n");
            let row = [&round, &r.name, &r.liaison, &r.phone, r.submission.label(), &items];
            crate::render::people_csv::write_row(&mut w, &row)?;
        }
    }
    for p in m.plans_missing.0 {
        let row = [
            "推进计划",
            p.name.as_str(),
            &p.liaison,
            &p.phone,
            "未报",
            "报送推进计划",
        ];
        crate::render::people_csv::write_row(&mut w, &row)?;
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
    /// The closed round still owed (补报), chased first.
    #[serde(skip_serializing_if = "Option::is_none")]
    overdue: Option<JsonOverdue<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    plans_missing: &'a [PlanOwed],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    holidays: Vec<JsonHoliday<'a>>,
}

#[derive(Serialize)]
struct JsonOverdue<'a> {
    round: String,
    due: String,
    units: &'a [Reminder],
}

#[derive(Serialize)]
struct JsonHoliday<'a> {
    name: &'a str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
}

pub(crate) fn json(out: &mut dyn Write, m: &Message) -> anyhow::Result<()> {
    let s = &m.open.status;
    let view = JsonRemind {
        round: s.round.to_string(),
        due: s.due.to_rfc3339(),
        as_of: s.as_of.to_rfc3339(),
        minutes_left: s.minutes_left,
        units: &m.open.list,
        overdue: m.overdue.map(|c| JsonOverdue {
            round: c.status.round.to_string(),
            due: c.status.due.to_rfc3339(),
            units: &c.list,
        }),
        plans_missing: m.plans_missing.0,
        holidays: m
            .holidays
            .iter()
            .map(|(name, from, to)| JsonHoliday {
                name,
                from: *from,
                to: *to,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &view)?;
    writeln!(out)?;
    Ok(())
}
