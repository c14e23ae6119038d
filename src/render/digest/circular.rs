//! The circular (通报) draft in Markdown, in Chinese: only facts computed from the data.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::assess::corrections::Record;
use crate::assess::escalation::Fired;
use crate::assess::submissions::duration_label;
use crate::assess::{Assessment, RoundStatus, Submission, TaskStatus};
use crate::model::DataVersion;
use crate::model::Plan;
use crate::model::Role;
use crate::render::views::record;

/// The circular, inert: tracker writes no HTML of its own, so every `<` and `&` in it comes from
/// the data (a 存在问题 of `<svg onload=…>`) and is escaped, as are control characters, before it
/// can run or act where the Markdown is rendered or shown.
pub(crate) fn markdown(
    out: &mut dyn Write,
    s: &RoundStatus,
    fired: &[Fired],
    plan: &Plan,
    from: &Provenance,
) -> io::Result<()> {
    let mut raw = Vec::new();
    sections(&mut raw, s, fired, plan, from)?;
    let text = String::from_utf8_lossy(&raw);
    let escaped = text.replace('&', "&amp;").replace('<', "&lt;");
    out.write_all(crate::text::inert(&escaped).as_bytes())
}

/// Where a circular's numbers come from: the data version, the publication shown and the changes
/// since it (or since the deadline), and the units' names for them.
pub(crate) struct Provenance<'a> {
    pub version: &'a DataVersion,
    pub record: &'a Record,
    pub names: &'a dyn Fn(&str) -> String,
}

fn sections(out: &mut dyn Write, s: &RoundStatus, fired: &[Fired], plan: &Plan, from: &Provenance) -> io::Result<()> {
    heading(out, s, plan, from)?;
    overall(out, s)?;
    submissions(out, s)?;
    behind(out, s)?;
    blocked(out, s)?;
    // Sections five on appear only with content, numbered in the order they appear.
    let mut next = Numerals::from(5);
    let invalid: Vec<&TaskStatus> = s.tasks.iter().filter(|t| !t.invalid_units.is_empty()).collect();
    if !invalid.is_empty() {
        invalid_rows(out, &invalid, &mut next)?;
    }
    let nodes: Vec<&TaskStatus> = s.tasks.iter().filter(|t| !t.nodes_missed.is_empty()).collect();
    if !nodes.is_empty() {
        missed_nodes(out, &nodes, &mut next)?;
    }
    if !fired.is_empty() {
        escalations(out, fired, &mut next)?;
    }
    if !s.extensions_granted.is_empty() {
        extensions(out, s, &mut next)?;
    }
    let missing: Vec<&TaskStatus> = s.tasks.iter().filter(|t| t.assessment == Assessment::Missing).collect();
    if !missing.is_empty() {
        missing_tasks(out, s, &missing, &mut next)?;
    }
    chapters(out, s, &mut next)?;
    corrections(out, from, &mut next)
}

/// The changes since publication (or since the deadline), a line each.
fn corrections(out: &mut dyn Write, from: &Provenance, next: &mut Numerals) -> io::Result<()> {
    let Some(first) = from.record.corrections.first() else {
        return Ok(());
    };
    writeln!(out, "\n## {}、{}\n", next.take(), first.since.heading())?;
    for c in &from.record.corrections {
        writeln!(out, "- {}", record::line(c, &(from.names)(&c.unit)))?;
    }
    Ok(())
}

/// The title and where the numbers come from.
fn heading(out: &mut dyn Write, s: &RoundStatus, plan: &Plan, from: &Provenance) -> io::Result<()> {
    writeln!(
        out,
        "# 关于《{}》{}年{}月落实情况的通报（草稿）\n",
        plan.title, s.round.year, s.round.month
    )?;
    writeln!(
        out,
        "> {} 轮，截止 {}；数据截至 {}；数据版本 {}。本稿由 tracker circular 根据报送数据生成，数字请勿手改。\n",
        s.round,
        s.due_text(),
        s.as_of.format("%Y-%m-%d %H:%M"),
        from.version.label()
    )?;
    if let Some(line) = record::published_line(from.record) {
        writeln!(out, "> {line}\n")?;
    }
    Ok(())
}

/// 一、总体情况: the tasks and the units, counted.
fn overall(out: &mut dyn Write, s: &RoundStatus) -> io::Result<()> {
    let a = |x: Assessment| s.totals.assessments.get(x);
    let u = |x: Submission| s.totals.submissions.get(x);
    writeln!(out, "## 一、总体情况\n")?;
    writeln!(
        out,
        "清单共 {} 项任务。本轮已完成 {} 项，超进度 {} 项，达进度 {} 项，欠进度 {} 项（其中黄灯 {} 项、红灯 {} 项），受阻 {} 项，未启动 {} 项，未报送 {} 项，报送有误待更正 {} 项{}。\n",
        s.totals.tasks,
        a(Assessment::Done),
        a(Assessment::Ahead),
        a(Assessment::OnPace),
        a(Assessment::BehindYellow) + a(Assessment::BehindRed),
        a(Assessment::BehindYellow),
        a(Assessment::BehindRed),
        a(Assessment::Blocked),
        a(Assessment::NotStarted),
        a(Assessment::Missing),
        a(Assessment::Invalid),
        match a(Assessment::Pending) {
            0 => String::new(),
            n => format!("，待报 {n} 项（本轮尚未截止）"),
        }
    )?;
    writeln!(
        out,
        "应报送单位 {} 个：按时报送 {} 个，逾期报送 {} 个，未报送 {} 个，报送不完整 {} 个，报送内容有误 {} 个。\n",
        s.totals.units_expected,
        u(Submission::OnTime),
        u(Submission::Late),
        u(Submission::Missing),
        u(Submission::Incomplete),
        u(Submission::Invalid)
    )?;
    Ok(())
}

/// 二、报送情况: the units named by how they reported.
fn submissions(out: &mut dyn Write, s: &RoundStatus) -> io::Result<()> {
    writeln!(out, "## 二、报送情况\n")?;
    let named = |sub: Submission| -> Vec<String> {
        s.units
            .iter()
            .filter(|x| x.submission == sub)
            .map(|x| match (sub, x.late_minutes) {
                (Submission::Late, Some(m)) => format!("{}（逾期 {}）", x.name, duration_label(m)),
                (Submission::Late, None) => format!("{}（无可信的收到时间）", x.name),
                (Submission::Incomplete, _) => format!(
                    "{}（缺{}）",
                    x.name,
                    crate::assess::submissions::task_list(&x.missing_tasks)
                ),
                (Submission::Missing, _) => match x.remark.as_deref() {
                    Some(why) if x.file.is_some() => format!("{}（{why}）", x.name),
                    _ => x.name.clone(),
                },
                _ => x.name.clone(),
            })
            .collect()
    };
    let mut any = false;
    for (sub, what) in [
        (Submission::Missing, "未报送的单位"),
        (Submission::Late, "逾期报送的单位"),
        (Submission::Incomplete, "报送不完整的单位"),
        (Submission::Invalid, "报送内容有误、需更正的单位"),
        (Submission::Pending, "尚未报送（本轮尚未截止）的单位"),
    ] {
        let names = named(sub);
        if !names.is_empty() {
            any = true;
            writeln!(out, "- {what}（{} 个）：{}。", names.len(), names.join("、"))?;
        }
    }
    if !any {
        writeln!(out, "各单位均按时完整报送。")?;
    }
    Ok(())
}

/// 三、进度滞后的任务: red and yellow tasks grouped by their lead units, most reds first.
fn behind(out: &mut dyn Write, s: &RoundStatus) -> io::Result<()> {
    writeln!(out, "\n## 三、进度滞后的任务\n")?;
    let mut by_lead: BTreeMap<String, Vec<&TaskStatus>> = BTreeMap::new();
    for t in s
        .tasks
        .iter()
        .filter(|t| matches!(t.assessment, Assessment::BehindRed | Assessment::BehindYellow))
    {
        // Under the units whose rows put it there: of seven leads, the one that reported 滞后.
        let named = if t.deciding.is_empty() {
            &t.lead_units
        } else {
            &t.deciding
        };
        by_lead.entry(named.join("、")).or_default().push(t);
    }
    if by_lead.is_empty() {
        writeln!(out, "本轮没有欠进度的任务。")?;
    }
    let mut groups: Vec<(String, Vec<&TaskStatus>)> = by_lead.into_iter().collect();
    let reds = |ts: &[&TaskStatus]| ts.iter().filter(|t| t.assessment == Assessment::BehindRed).count();
    groups.sort_by(|(a, x), (b, y)| reds(y).cmp(&reds(x)).then(y.len().cmp(&x.len())).then(a.cmp(b)));
    for (lead, mut tasks) in groups {
        tasks.sort_by_key(|t| (t.assessment != Assessment::BehindRed, t.id));
        writeln!(out, "### {lead}\n")?;
        for t in tasks {
            let light = if t.assessment == Assessment::BehindRed {
                "红灯"
            } else {
                "黄灯"
            };
            writeln!(out, "- 【{light}】第 {} 项 {}：{}。", t.id, t.key_task, t.reason)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// 四、受阻的任务: each blocked task with the problems its leads stated.
fn blocked(out: &mut dyn Write, s: &RoundStatus) -> io::Result<()> {
    writeln!(out, "## 四、受阻的任务\n")?;
    let blocked: Vec<&TaskStatus> = s.tasks.iter().filter(|t| t.assessment == Assessment::Blocked).collect();
    if blocked.is_empty() {
        writeln!(out, "本轮没有报告受阻的任务。")?;
    }
    for t in blocked {
        let leads: Vec<_> = t
            .rows
            .iter()
            .filter(|r| r.role == Role::Lead && !r.text.problems().is_empty())
            .collect();
        let problems: Vec<String> = leads
            .iter()
            .map(|r| {
                let text = r.text.problems().replace('\n', " ");
                if t.lead_units.len() > 1 {
                    format!("{}：{text}", r.name)
                } else {
                    text
                }
            })
            .collect();
        let stated = if problems.is_empty() {
            "未填写存在问题".to_string()
        } else {
            problems.join("；")
        };
        writeln!(
            out,
            "- 第 {} 项 {}（{}）：{stated}",
            t.id,
            t.key_task,
            t.lead_units.join("、")
        )?;
    }
    Ok(())
}

/// Tasks with rows that failed the checks.
fn invalid_rows(out: &mut dyn Write, invalid: &[&TaskStatus], next: &mut Numerals) -> io::Result<()> {
    writeln!(out, "\n## {}、报送有误、待更正的任务\n", next.take())?;
    writeln!(out, "以下行未通过检查，未计入研判和平均进度：\n")?;
    for t in invalid {
        let each: Vec<String> = t.invalid_units.iter().map(|i| i.describe()).collect();
        writeln!(out, "- 第 {} 项 {}：{}。", t.id, t.key_task, each.join("；"))?;
    }
    Ok(())
}

/// Tasks whose leads passed a milestone of their own plan below it (节点滞后).
fn missed_nodes(out: &mut dyn Write, tasks: &[&TaskStatus], next: &mut Numerals) -> io::Result<()> {
    writeln!(out, "\n## {}、节点滞后的任务\n", next.take())?;
    writeln!(
        out,
        "以下任务已过牵头单位推进计划中的节点月份，进度仍低于该节点的计划进度：\n"
    )?;
    for t in tasks {
        let each: Vec<String> = t
            .nodes_missed
            .iter()
            .map(|n| format!("{} {}", n.name, n.describe()))
            .collect();
        writeln!(out, "- 第 {} 项 {}：{}。", t.id, t.key_task, each.join("；"))?;
    }
    Ok(())
}

/// What the escalation rules fired on.
fn escalations(out: &mut dyn Write, fired: &[Fired], next: &mut Numerals) -> io::Result<()> {
    writeln!(out, "\n## {}、督办、约谈与提醒\n", next.take())?;
    for line in crate::render::views::escalations::markdown_lines(fired) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The extensions granted this round.
fn extensions(out: &mut dyn Write, s: &RoundStatus, next: &mut Numerals) -> io::Result<()> {
    writeln!(out, "\n## {}、本轮批准的延期\n", next.take())?;
    for e in &s.extensions_granted {
        let key = s.tasks.iter().find(|t| t.id == e.task).map_or("", |t| &*t.key_task);
        writeln!(
            out,
            "- 第 {} 项 {key}（{}）：{} 批准延期至 {}（{}）{}。",
            e.task,
            e.unit,
            e.approved_on,
            e.new_due,
            e.approved_by,
            if e.reason.is_empty() {
                String::new()
            } else {
                format!("，理由：{}", e.reason)
            }
        )?;
    }
    Ok(())
}

/// The tasks not reported on, by unit.
fn missing_tasks(out: &mut dyn Write, s: &RoundStatus, missing: &[&TaskStatus], next: &mut Numerals) -> io::Result<()> {
    writeln!(out, "\n## {}、未报送进展的任务\n", next.take())?;
    // In the order of units.toml, like every list of units.
    let order = |name: &str| s.units.iter().position(|u| u.name == name).unwrap_or(usize::MAX);
    let mut by_unit: BTreeMap<(usize, String), Vec<u32>> = BTreeMap::new();
    for t in missing {
        for name in &t.missing_units {
            by_unit.entry((order(name), name.to_string())).or_default().push(t.id);
        }
    }
    for ((_, name), ids) in by_unit {
        let ids: Vec<String> = ids.iter().map(|i| format!("第 {i} 项")).collect();
        writeln!(out, "- {name}：{}（共 {} 项）。", ids.join("、"), ids.len())?;
    }
    Ok(())
}

/// Every chapter's counts, as a table.
fn chapters(out: &mut dyn Write, s: &RoundStatus, next: &mut Numerals) -> io::Result<()> {
    writeln!(out, "\n## {}、各篇章进展\n", next.take())?;
    writeln!(out, "| {} |", crate::render::views::status::CHAPTER_HEADERS.join(" | "))?;
    writeln!(
        out,
        "| --- |{}",
        " ---: |".repeat(crate::render::views::status::CHAPTER_HEADERS.len() - 1)
    )?;
    for ch in &s.chapters {
        writeln!(
            out,
            "| {} |",
            crate::render::views::status::chapter_cells(ch).join(" | ")
        )?;
    }
    if let Some(note) = crate::render::views::status::left_out_note(s) {
        writeln!(out, "\n{note}")?;
    }
    Ok(())
}

/// Section numbers 五、六、七… for the sections that appear only when they have content.
struct Numerals(u32);

impl Numerals {
    fn from(n: u32) -> Numerals {
        Numerals(n)
    }

    fn take(&mut self) -> String {
        self.0 += 1;
        crate::render::views::status::chinese_numeral(self.0 - 1)
    }
}
