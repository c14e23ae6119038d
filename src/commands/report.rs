//! `tracker report new`: a unit's template for a round.

use std::io::Write;

use anyhow::{Context as _, Result};
use chrono::{DateTime, FixedOffset};

use super::{Context, in_calendar, resolve_unit, workspace};
use crate::cli::ReportNewArgs;
use crate::cli::TemplateFormat;
use crate::load::REPORTS_DIR;
use crate::model::{Plan, Report, Round, Unit};
use crate::outcome::Outcome;
use crate::render::template::csv::TemplateCounts;
use crate::render::{template::csv as template, template::xlsx as template_xlsx};

pub(crate) fn new(ctx: &Context, args: &ReportNewArgs) -> Result<Outcome> {
    let root = ctx.root()?;
    let mut loaded = crate::load::load(&root)?;
    let as_of = ctx.as_of(workspace(&loaded)?.plan)?;
    // Flaws recorded on the reports: only values that passed the checks are carried forward.
    crate::check::flaw_reports(&mut loaded, as_of);
    let ws = workspace(&loaded)?;
    let unit = resolve_unit(ws.units, &args.unit)?;
    let round = match args.round {
        Some(r) => in_calendar(ws.plan, r)?,
        None => ws.plan.next_due_round(as_of),
    };
    let previous = ws
        .reports
        .iter()
        .filter(|r| r.unit == unit.id && r.round < round)
        .max_by_key(|r| r.round);
    let (rows, counts) = template::rows(unit, ws.tasks, ws.assignments, previous);
    if counts.lead == 0 && counts.cooperating == 0 {
        writeln!(
            std::io::stdout().lock(),
            "{}（{}）在 {round} 轮没有要报送的任务：既不牵头也不配合任何任务，未生成模板。",
            unit.name,
            unit.id
        )?;
        return Ok(Outcome::Clean);
    }
    let due = crate::assess::round_status::due_text(ws.plan.due(round), ws.plan.due_note(round).as_deref());
    let made = Template {
        unit,
        round,
        due,
        previous,
        counts,
        as_of,
    };
    let (ext, bytes) = match args.format {
        TemplateFormat::Csv => {
            let mut bytes = Vec::new();
            template::write(&mut bytes, &rows)?;
            ("csv", bytes)
        }
        TemplateFormat::Xlsx => ("xlsx", template_xlsx::workbook(&made.heading(ws.plan), &rows)?),
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
    made.say(&rel, args.format)?;
    Ok(Outcome::Clean)
}

/// A unit's template for a round, and what it was made from.
struct Template<'a> {
    unit: &'a Unit,
    round: Round,
    due: String,
    previous: Option<&'a Report>,
    counts: TemplateCounts,
    as_of: DateTime<FixedOffset>,
}

impl Template<'_> {
    /// What the workbook's 说明 sheet says: whose, which round, the liaison carried from last time.
    fn heading(&self, plan: &Plan) -> template_xlsx::Heading<'_> {
        let (unit, round, previous) = (self.unit, self.round, self.previous);
        template_xlsx::Heading {
            unit,
            round,
            due: self.due.clone(),
            after: (round > plan.calendar.first).then(|| plan.nominal_due(round.prev()).date_naive()),
            until: plan.due(round).date_naive() + chrono::Duration::days(31),
            liaison: previous
                .and_then(|p| p.rows.first())
                .map_or(unit.liaison.clone(), |r| r.text.reporter().to_string()),
            phone: previous
                .and_then(|p| p.rows.first())
                .map_or(unit.phone.clone(), |r| r.text.phone().to_string()),
            made_at: self.as_of,
        }
    }

    /// What was made, what was carried forward, and the next step.
    fn say(&self, rel: &str, format: TemplateFormat) -> Result<()> {
        let (unit, round, due, counts) = (self.unit, self.round, &self.due, &self.counts);
        let previous = self.previous;
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
            match format {
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
        Ok(())
    }
}
