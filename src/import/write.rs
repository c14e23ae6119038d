//! Writes imported tasks and the plan skeleton as TOML, in a stable, readable layout.

use std::fmt::Write as _;

use super::{DocMeta, ImportedTask};
use crate::model::Chapter;
use crate::text::fmt_num;

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| q(s)).collect();
    format!("[{}]", quoted.join(", "))
}

pub(crate) fn task_toml(t: &ImportedTask, meta: &DocMeta, seed_name: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# {} 第 {} 项。由 `tracker import` 从 seeds/{seed_name} 生成，请勿手改：",
        meta.document, t.id
    );
    let _ = writeln!(s, "# 需要更正时改 seeds/ 中的更正文件，再运行 tracker import --force。");
    let _ = writeln!(s, "id = {}", t.id);
    let _ = writeln!(s, "chapter = {}", t.chapter);
    let _ = writeln!(s, "section = {}", t.section);
    let _ = writeln!(s, "key_task = {}", q(&t.key_task));
    if let Some(l) = &t.label {
        let _ = writeln!(s, "label = {}", q(l));
    }
    let _ = writeln!(s, "work = {}", q(&t.work));
    let _ = writeln!(s, "lead = {}", list(&t.lead));
    let _ = writeln!(s, "cooperating = {}", list(&t.cooperating));
    if let Some(r) = &t.reporter {
        let _ = writeln!(s, "reporter = {}", q(r));
    }
    let _ = writeln!(s, "due = {}", t.due);
    if t.notes.is_empty() {
        let _ = writeln!(s, "notes = []");
    } else {
        let _ = writeln!(s, "notes = [");
        for n in &t.notes {
            let _ = writeln!(s, "  {},", q(n));
        }
        let _ = writeln!(s, "]");
    }
    for target in &t.targets {
        let _ = writeln!(s, "\n[[target]]");
        let _ = writeln!(s, "metric = {}", q(&target.metric));
        let _ = writeln!(s, "value = {}", fmt_num(target.value));
        let _ = writeln!(s, "unit = {}", q(&target.unit));
        if !target.breakdown.is_empty() {
            let _ = writeln!(s, "\n[target.breakdown]");
            for (unit, v) in &target.breakdown {
                let _ = writeln!(s, "{} = {}", q(unit), fmt_num(*v));
            }
        }
    }
    s
}

/// A complete `tracker.toml` for a freshly imported list: metadata from the notice, the outline,
/// the reporting calendar the notice describes, and the usual 序时进度 thresholds.
pub(crate) fn plan_toml(meta: &DocMeta, outline: &[Chapter]) -> String {
    let year = meta.year.unwrap_or(2024);
    let issued = meta.issued.map_or_else(|| format!("{year}-01-01"), |d| d.to_string());
    let first_month = meta.issued.map_or(1, |d| chrono::Datelike::month(&d));
    let mut s = String::new();
    let _ = writeln!(s, "# 计划：{}（{}）", meta.title, meta.document);
    let _ = writeln!(s, "# 提纲由 tracker import 从原文生成；报送日历与阈值可按需修改。\n");
    let _ = writeln!(s, "[plan]");
    let _ = writeln!(s, "title = {}", q(&meta.title));
    let _ = writeln!(s, "document = {}", q(&meta.document));
    let _ = writeln!(s, "issuer = {}", q(&meta.issuer));
    let _ = writeln!(s, "issued = {issued}");
    let _ = writeln!(s, "receiver = {}", q(&meta.receiver));
    let _ = writeln!(s, "timezone = \"+08:00\"");
    let _ = writeln!(s, "# 序时进度按年度计：每项任务的时间窗从 start 到其完成时限。");
    let _ = writeln!(s, "start = {year}-01-01");
    let _ = writeln!(s, "# 任何任务的完成时限都不应晚于 end。");
    let _ = writeln!(s, "end = {}-12-31", year + 1);
    let _ = writeln!(s, "default_due = {year}-12-31\n");
    let _ = writeln!(s, "# 每月一轮，轮次名 YYYY-MM；该月 due_day 日 due_time 截止。");
    let _ = writeln!(s, "[calendar]");
    let _ = writeln!(s, "first = \"{year}-{first_month:02}\"");
    let _ = writeln!(s, "last = \"{}-01\"", year + 1);
    let _ = writeln!(s, "due_day = {}", meta.due_day.unwrap_or(5));
    let _ = writeln!(s, "due_time = \"18:00\"");
    let _ = writeln!(
        s,
        "# 收到时间：git = 报送文件进入主线的提交时间（默认）；declared = 文件中自填的填报日期。"
    );
    let _ = writeln!(s, "received_from = \"git\"");
    if let Some((m, d, h)) = meta.first_due {
        let _ = writeln!(s, "# 通知：“本月工作进展于{m}月{d}日{h}时前报送”。");
        let _ = writeln!(
            s,
            "overrides = {{ \"{year}-{m:02}\" = {year}-{m:02}-{d:02}T{h:02}:00:00 }}"
        );
    }
    let _ = writeln!(s, "\n# 落后序时进度的百分点：yellow 及以上为黄灯，超过 red 为红灯；");
    let _ = writeln!(s, "# 时间窗过了 not_started_red_after（比例）仍“未启动”的，记红灯。");
    let _ = writeln!(s, "[thresholds]");
    let _ = writeln!(s, "yellow = 10.0");
    let _ = writeln!(s, "red = 30.0");
    let _ = writeln!(s, "not_started_red_after = 0.3333");
    for ch in outline {
        let _ = writeln!(s, "\n[[chapter]]");
        let _ = writeln!(s, "number = {}", ch.number);
        let _ = writeln!(s, "title = {}", q(&ch.title));
        for sec in &ch.sections {
            let _ = writeln!(s, "[[chapter.section]]");
            let _ = writeln!(s, "number = {}", sec.number);
            let _ = writeln!(s, "title = {}", q(&sec.title));
        }
    }
    s
}
