//! `tracker report new`: a unit's template for a round.

use std::io::Write;

use anyhow::{Context as _, Result};

use super::{Context, parse_round, resolve_unit, workspace};
use crate::Outcome;
use crate::cli::ReportNewArgs;
use crate::cli::TemplateFormat;
use crate::load::REPORTS_DIR;
use crate::render::{template, template_xlsx};

pub fn new(ctx: &Context, args: &ReportNewArgs) -> Result<Outcome> {
    let root = ctx.root()?;
    let mut loaded = crate::load::load(&root)?;
    let as_of = ctx.as_of(workspace(&loaded)?.plan)?;
    // Flaws recorded on the reports: only values that passed the checks are carried forward.
    crate::check::flaw_reports(&mut loaded, as_of);
    let ws = workspace(&loaded)?;
    let unit = resolve_unit(ws.units, &args.unit)?;
    let round = match &args.round {
        Some(r) => parse_round(ws.plan, r)?,
        None => ws.plan.next_due_round(as_of),
    };
    let previous = ws
        .reports
        .iter()
        .filter(|r| r.unit == unit.id && r.round < round)
        .max_by_key(|r| r.round);
    let (rows, counts) = template::rows(unit, ws.tasks, ws.assignments, previous);
    let due = crate::assess::round_status::due_text(ws.plan.due(round), ws.plan.due_note(round).as_deref());
    let (ext, bytes) = match args.format {
        TemplateFormat::Csv => {
            let mut bytes = Vec::new();
            template::write(&mut bytes, &rows)?;
            ("csv", bytes)
        }
        TemplateFormat::Xlsx => {
            let heading = template_xlsx::Heading {
                unit,
                round,
                due: due.clone(),
                after: (round > ws.plan.calendar.first).then(|| ws.plan.nominal_due(round.prev()).date_naive()),
                until: ws.plan.due(round).date_naive() + chrono::Duration::days(31),
                liaison: previous
                    .and_then(|p| p.rows.first())
                    .map_or(unit.liaison.clone(), |r| r.text.reporter().to_string()),
                phone: previous
                    .and_then(|p| p.rows.first())
                    .map_or(unit.phone.clone(), |r| r.text.phone().to_string()),
            };
            ("xlsx", template_xlsx::workbook(&heading, &rows)?)
        }
    };
    let rel = format!("{REPORTS_DIR}/{round}/{}.{ext}", unit.id);
    let path = match &args.output {
        Some(p) => p.clone(),
        None => {
            std::fs::create_dir_all(root.join(REPORTS_DIR)).context("无法创建 reports/ 目录")?;
            crate::write::ensure_within(&root.join(REPORTS_DIR), &root.join(&rel))?;
            root.join(&rel)
        }
    };
    let rel = path
        .strip_prefix(&root)
        .map_or_else(|_| path.display().to_string(), |p| p.display().to_string());
    crate::write::new_file(&path, &bytes, args.force)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "已生成 {rel}（{}，{round} 轮，截止 {due}）", unit.name)?;
    writeln!(
        out,
        "  牵头任务 {} 项（必报），配合任务 {} 项（选报），指标 {} 行",
        counts.lead, counts.cooperating, counts.metrics
    )?;
    if let Some(p) = previous {
        writeln!(
            out,
            "  已带入 {} 轮通过检查的状态、进度、完成值、问题和计划；本月进展请重新填写",
            p.round
        )?;
    }
    if counts.lead == 0 {
        writeln!(out, "  本单位不牵头任何任务，不必每月报送；配合任务有进展时可填写")?;
    }
    writeln!(
        out,
        "{}",
        match args.format {
            TemplateFormat::Csv => format!(
                "下一步：用 Excel 或 WPS 打开填写，另存为“CSV UTF-8（逗号分隔）”，运行 tracker check，再运行 tracker submit --unit {} 提交。",
                unit.id
            ),
            TemplateFormat::Xlsx => format!(
                "下一步：用 Excel 或 WPS 打开填写并保存，再运行 tracker submit --unit {} {rel}（或先 tracker report import {rel} 检查）。",
                unit.id
            ),
        }
    )?;
    Ok(Outcome::Clean)
}
