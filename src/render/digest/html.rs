//! The digest as one self-contained HTML page for leadership: the month at a glance (totals, the
//! lights per chapter, the units' submissions across rounds), the tasks needing attention with
//! their trend, and every task by chapter. No script, font or style is loaded from anywhere: it
//! opens offline from a file share and prints on A4.

use std::fmt::Write as _;

use crate::assess::trend::{History, PastRound};
use crate::assess::{ATTENTION, Assessment, RoundStatus, Submission, TaskStatus};
use crate::text::fmt_pct;

use crate::render::terminal::palette;

const STYLE: &str = "
body{font-family:'Noto Sans CJK SC','WenQuanYi Zen Hei','Microsoft YaHei',sans-serif;margin:24px;color:#222}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:22px 0 8px;border-bottom:2px solid #ddd}
.facts{color:#555;margin:0 0 12px}.cards{display:flex;flex-wrap:wrap;gap:8px}
.card{border:1px solid #ccc;border-radius:6px;padding:6px 10px;min-width:72px;text-align:center}
.card b{display:block;font-size:20px}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 5px;vertical-align:top;text-align:left}th{background:#eef3fa;white-space:nowrap}
td.n{text-align:right;white-space:nowrap}.done,.ahead{background:#dff0d8}.behind_yellow{background:#fcf3cf}
.behind_red{background:#f8d7da}.blocked{background:#e8daef}.missing{background:#e5e8e8}.invalid{background:#d6eaf8}.legend span{display:inline-block;margin-right:10px}
.legend i{display:inline-block;width:10px;height:10px;margin-right:3px}
@media print{body{margin:0}#totals,#chapters,#units{break-inside:avoid}tr{break-inside:avoid}
#all{break-before:page}h2,h3{break-after:avoid}@page{size:A4 landscape;margin:10mm}}
";

/// Text for HTML: markup escaped, control characters and bidi overrides made inert.
fn esc(s: &str) -> String {
    crate::text::inert(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page of `history`'s last round, with every round so far behind it.
pub(crate) fn page(history: &History, version: &str, scores: Option<&crate::assess::score::Scores>) -> String {
    let (s, rounds) = (&history.last, &history.rounds);
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{} {} 轮</title><style>{STYLE}</style></head><body>\n",
        esc(&s.title),
        s.round
    );
    let _ = writeln!(
        h,
        "<header><h1>{}（{} 轮）</h1><p class=\"facts\">截止 {}　数据截至 {}　数据版本 {}</p></header>",
        esc(&s.title),
        s.round,
        esc(&s.due_text()),
        s.as_of.format("%Y-%m-%d %H:%M"),
        esc(version)
    );
    totals(&mut h, s);
    chapters(&mut h, s);
    units(&mut h, rounds);
    attention(&mut h, s, rounds);
    all_tasks(&mut h, s);
    if let Some(scores) = scores {
        score_section(&mut h, scores);
    }
    h.push_str("</body></html>\n");
    h
}

fn totals(h: &mut String, s: &RoundStatus) {
    h.push_str("<section id=\"totals\"><h2>本月总体情况</h2><div class=\"cards\">");
    let _ = write!(
        h,
        "<div class=\"card\" data-key=\"tasks\"><b>{}</b>任务</div>",
        s.totals.tasks
    );
    for a in Assessment::ALL {
        let n = s.totals.assessments.get(a);
        let _ = write!(
            h,
            "<div class=\"card {}\" data-key=\"{}\"><b>{n}</b>{}</div>",
            a.key(),
            a.key(),
            a.label()
        );
    }
    h.push_str("</div><div class=\"cards\" style=\"margin-top:8px\">");
    for sub in Submission::ALL {
        let n = s.totals.submissions.get(sub);
        let _ = write!(
            h,
            "<div class=\"card\" data-unit-key=\"{}\"><b>{n}</b>{}</div>",
            sub.key(),
            sub.label()
        );
    }
    h.push_str("</div></section>\n");
}

/// What a bar segment `width` pixels wide says of its `count` tasks `label`led: both when they
/// fit, else the count, else nothing. Printed in black and white, the colours alone say nothing.
fn segment_words(label: &str, count: usize, width: f64) -> Option<String> {
    let digits = count.to_string();
    // At 10 pixels: a CJK character about 10 wide, a digit or a space about 6, and a margin.
    let needs = |text: &str| crate::text::width(text) as f64 * 5.5 + 6.0;
    let both = format!("{label} {digits}");
    if needs(&both) <= width {
        Some(both)
    } else if needs(&digits) <= width {
        Some(digits)
    } else {
        None
    }
}

/// Stacked bars: one per chapter, a segment per assessment.
fn chapters(h: &mut String, s: &RoundStatus) {
    let (label_w, bar_w, row_h) = (300.0, 560.0, 26.0);
    let height = row_h * s.chapters.len() as f64 + 4.0;
    let _ = write!(
        h,
        "<section id=\"chapters\"><h2>各篇章评估</h2><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\" aria-label=\"各篇章评估\">",
        label_w + bar_w + 40.0
    );
    for (i, ch) in s.chapters.iter().enumerate() {
        let y = i as f64 * row_h;
        let _ = write!(
            h,
            "<text x=\"0\" y=\"{}\" font-size=\"12\">{}、{}</text>",
            y + 16.0,
            crate::render::views::status::chinese_numeral(ch.number),
            esc(&ch.title)
        );
        let mut x = label_w;
        for a in Assessment::ALL {
            let n = ch.assessments.get(a);
            if n == 0 {
                continue;
            }
            let w = bar_w * n as f64 / ch.tasks.max(1) as f64;
            let _ = write!(
                h,
                "<rect x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"18\" fill=\"{}\"><title>{} {n}</title></rect>",
                y + 3.0,
                palette::assessment(a),
                a.label()
            );
            if let Some(words) = segment_words(a.label(), n, w) {
                let _ = write!(
                    h,
                    "<text x=\"{:.1}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#1a1a1a\">{words}</text>",
                    x + w / 2.0,
                    y + 16.0
                );
            }
            x += w;
        }
        let _ = write!(
            h,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            x + 4.0,
            y + 16.0,
            ch.tasks
        );
    }
    h.push_str("</svg><p class=\"legend\">");
    for a in Assessment::ALL {
        let _ = write!(
            h,
            "<span><i style=\"background:{}\"></i>{}</span>",
            palette::assessment(a),
            a.label()
        );
    }
    h.push_str("</p></section>\n");
}

/// The units × rounds grid of submissions.
fn units(h: &mut String, history: &[PastRound]) {
    let Some(last) = history.last() else { return };
    let (label_w, cell_w, row_h) = (170.0, 64.0, 20.0);
    let width = label_w + cell_w * history.len() as f64;
    let height = row_h * (last.units.len() + 1) as f64;
    let _ = write!(
        h,
        "<section id=\"units\"><h2>各单位历轮报送</h2><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"各单位历轮报送\">"
    );
    for (j, s) in history.iter().enumerate() {
        let _ = write!(
            h,
            "<text x=\"{}\" y=\"14\" font-size=\"11\">{}</text>",
            label_w + j as f64 * cell_w + 6.0,
            s.round
        );
    }
    for (i, u) in last.units.iter().enumerate() {
        let y = row_h * (i + 1) as f64;
        let _ = write!(
            h,
            "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text>",
            y + 14.0,
            esc(&u.name)
        );
        for (j, s) in history.iter().enumerate() {
            let Some(sub) = s.units.iter().find(|x| x.id == u.id) else {
                continue;
            };
            let x = label_w + j as f64 * cell_w;
            let _ = write!(
                h,
                "<rect x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} {} {}</title></rect>",
                y + 2.0,
                cell_w - 4.0,
                row_h - 4.0,
                palette::submission(sub.submission),
                esc(&u.name),
                s.round,
                sub.submission.label()
            );
            // The state in words too: 未报送 and 有错误 share a red, and an office printer is often
            // black and white.
            let _ = write!(
                h,
                "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#1a1a1a\">{}</text>",
                x + (cell_w - 4.0) / 2.0,
                y + 14.0,
                sub.submission.label()
            );
        }
    }
    h.push_str("</svg><p class=\"legend\">");
    for sub in Submission::ALL {
        let _ = write!(
            h,
            "<span><i style=\"background:{}\"></i>{}</span>",
            palette::submission(sub),
            sub.label()
        );
    }
    h.push_str("</p></section>\n");
}

/// A task's progress over the rounds as a small line, and what was expected (the leads' plans,
/// or 序时进度) as a dashed one.
fn sparkline(series: &[Option<f64>], (expected, planned): (&[Option<f64>], bool)) -> String {
    let (w, hgt) = (90.0, 24.0);
    let step = if series.len() > 1 {
        w / (series.len() - 1) as f64
    } else {
        0.0
    };
    let points: Vec<(f64, f64, f64)> = series
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|v| (4.0 + i as f64 * step, 4.0 + hgt - v.clamp(0.0, 100.0) / 100.0 * hgt, v)))
        .collect();
    let line: Vec<String> = points.iter().map(|(x, y, _)| format!("{x:.1},{y:.1}")).collect();
    let pace: Vec<String> = expected
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            e.map(|v| {
                format!(
                    "{:.1},{:.1}",
                    4.0 + i as f64 * step,
                    4.0 + hgt - v.clamp(0.0, 100.0) / 100.0 * hgt
                )
            })
        })
        .collect();
    let pace_title = if planned { "计划进度" } else { "序时进度" };
    let dots: String = points
        .iter()
        .map(|(x, y, v)| {
            format!(
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2.5\" fill=\"#1f77b4\"><title>{}%</title></circle>",
                fmt_pct(*v)
            )
        })
        .collect();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" class=\"trend\"><polyline points=\"{}\" fill=\"none\" stroke=\"#888\" stroke-width=\"1\" stroke-dasharray=\"3 2\"><title>{pace_title}</title></polyline><polyline points=\"{}\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\"/>{dots}</svg>",
        w + 8.0,
        hgt + 8.0,
        pace.join(" "),
        line.join(" ")
    )
}

fn task_row(h: &mut String, t: &TaskStatus, trend: Option<String>) {
    let _ = write!(
        h,
        "<tr data-task=\"{}\"><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"{}\" data-field=\"assessment\">{}</td><td class=\"n\" data-field=\"progress\">{}</td><td class=\"n\" data-field=\"expected\">{}%</td>",
        t.id,
        t.id,
        esc(&t.key_task),
        esc(&t.lead_units.join("、")),
        t.assessment.key(),
        t.assessment.label(),
        t.progress.map_or("—".to_string(), |p| format!("{}%", fmt_pct(p))),
        match t.basis {
            crate::assess::Basis::Plan => format!("{}（计划）", fmt_pct(t.expected)),
            crate::assess::Basis::Linear => fmt_pct(t.expected),
        }
    );
    if let Some(svg) = trend {
        let _ = write!(h, "<td>{svg}</td>");
    }
    let _ = writeln!(h, "<td>{}</td></tr>", esc(&crate::render::views::status::remark(t)));
}

fn attention(h: &mut String, s: &RoundStatus, history: &[PastRound]) {
    let tasks: Vec<&TaskStatus> = s.tasks.iter().filter(|t| t.needs_attention()).collect();
    let _ = write!(
        h,
        "<section id=\"attention\"><h2>需关注的任务（{} 项：{ATTENTION}）</h2>",
        tasks.len()
    );
    if tasks.is_empty() {
        h.push_str("<p>本轮没有需关注的任务。</p></section>\n");
        return;
    }
    h.push_str("<table><thead><tr><th>编号</th><th>重点任务</th><th>牵头单位</th><th>评估</th><th>进度</th><th>序时进度</th><th>历轮进度</th><th>研判依据</th></tr></thead>\n");
    for t in tasks {
        let series = crate::assess::trend::progress_series(history, t.id);
        let (expected, planned) = crate::assess::trend::expected_series(history, t.id);
        task_row(h, t, Some(sparkline(&series, (&expected, planned))));
    }
    h.push_str("</table><p class=\"legend\">历轮进度：实线为各轮进度，虚线为应达进度（牵头单位报了推进计划的按计划进度，否则按序时进度）。</p></section>\n");
}

fn all_tasks(h: &mut String, s: &RoundStatus) {
    h.push_str("<section id=\"all\"><h2>全部任务</h2>\n");
    for ch in &s.chapters {
        let _ = writeln!(
            h,
            "<h3>{}、{}（{} 项）</h3><table><thead><tr><th>编号</th><th>重点任务</th><th>牵头单位</th><th>评估</th><th>进度</th><th>序时进度</th><th>研判依据</th></tr></thead>",
            crate::render::views::status::chinese_numeral(ch.number),
            esc(&ch.title),
            ch.tasks
        );
        for t in s.tasks.iter().filter(|t| t.chapter == ch.number) {
            task_row(h, t, None);
        }
        h.push_str("</table>\n");
    }
    h.push_str("</section>\n");
}

/// 考评: each lead unit's score and rank, every deduction with its source; withdrawn ones struck.
fn score_section(h: &mut String, s: &crate::assess::score::Scores) {
    use crate::render::views::score::{appeal_text, place, span};
    let _ = writeln!(
        h,
        "<section id=\"scores\"><h2>督查考评（{}，基础分 {}）</h2><table><thead><tr><th>排名</th><th>单位</th><th>得分</th><th>扣分明细</th></tr></thead>",
        esc(&span(s)),
        crate::text::fmt_num(s.base)
    );
    let mut ordered: Vec<_> = s.units.iter().collect();
    ordered.sort_by_key(|u| u.rank);
    for u in ordered {
        let items: Vec<String> = u
            .deductions
            .iter()
            .map(|d| {
                let task = d.task.map_or_else(String::new, |t| format!(" 第 {t} 项"));
                let text = format!(
                    "{} {}{task} {}（{}）",
                    d.round,
                    d.event.label(),
                    crate::text::fmt_num(crate::text::round2(d.points)),
                    place(d)
                );
                let appeal = appeal_text(d);
                match d.counted {
                    true if appeal.is_empty() => esc(&text),
                    true => format!("{} <em>{}</em>", esc(&text), esc(&appeal)),
                    false => format!("<s>{}</s> <em>{}</em>", esc(&text), esc(&appeal)),
                }
            })
            .collect();
        let _ = writeln!(
            h,
            "<tr><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            u.rank,
            esc(&u.name),
            crate::text::fmt_num(crate::text::round2(u.score)),
            items.join("<br>")
        );
    }
    h.push_str("</table></section>\n");
}
