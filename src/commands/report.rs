//! `tracker report new`: a unit's template for a round.

use std::io::Write;

use std::path::PathBuf;

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
        None => crate::app::default_round(&ws, unit, as_of),
    };
    let previous = ws
        .reports
        .iter()
        .filter(|r| r.unit == unit.id && r.round < round)
        .max_by_key(|r| r.round);
    let (rows, counts) = template::rows(unit, (ws.tasks, ws.units), ws.assignments, previous);
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
        late: crate::app::late_for(&ws, unit, round, as_of),
    };
    let (ext, bytes) = match args.format {
        TemplateFormat::Csv => {
            let mut bytes = Vec::new();
            template::write(&mut bytes, &rows)?;
            ("csv", bytes)
        }
        TemplateFormat::Xlsx => ("xlsx", template_xlsx::workbook(&made.heading(ws.plan), &rows)?),
    };
    let path = output_path(&root, args, (round, &unit.id), ext)?;
    let shown = shown_path(&root, &path);
    crate::write::new_file(&path, &bytes, args.force)?;
    made.say(&shown, args.format)?;
    Ok(Outcome::Clean)
}

/// Where the template goes: `--output` (a file, or a folder for the usual name); otherwise a CSV
/// into its round's folder, where it is filled in and committed, and a workbook into the current
/// folder (`jtj-2024-08.xlsx`), where `check` never looks: only the CSV made from it is data.
fn output_path(
    root: &std::path::Path,
    args: &ReportNewArgs,
    (round, unit): (Round, &str),
    ext: &str,
) -> Result<PathBuf> {
    let workbook_name = format!("{unit}-{round}.{ext}");
    Ok(match &args.output {
        Some(p) if p.is_dir() => p.join(&workbook_name),
        Some(p) => p.clone(),
        None if ext == "csv" => {
            let rel = format!("{REPORTS_DIR}/{round}/{unit}.{ext}");
            std::fs::create_dir_all(root.join(REPORTS_DIR)).context("无法创建 reports/ 目录")?;
            crate::write::ensure_within(&root.join(REPORTS_DIR), &root.join(&rel))?;
            root.join(rel)
        }
        None => std::env::current_dir().context("无法读取当前目录")?.join(workbook_name),
    })
}

/// A path as the user reads it: from the current folder when below it, else from the root.
pub(crate) fn shown_path(root: &std::path::Path, path: &std::path::Path) -> String {
    let cwd = std::env::current_dir().ok().and_then(|c| c.canonicalize().ok());
    let full = path
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .map(|p| p.join(path.file_name().unwrap_or_default()));
    let full = full.as_deref().unwrap_or(path);
    cwd.as_deref()
        .and_then(|c| full.strip_prefix(c).ok())
        .or_else(|| full.strip_prefix(root).ok())
        .map_or_else(|| path.display().to_string(), |p| p.display().to_string())
}

/// A unit's template for a round, and what it was made from.
struct Template<'a> {
    unit: &'a Unit,
    round: Round,
    due: String,
    previous: Option<&'a Report>,
    counts: TemplateCounts,
    as_of: DateTime<FixedOffset>,
    /// 「补报 …」 when the unit still owes this closed round.
    late: Option<String>,
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
        if let Some(note) = &self.late {
            writeln!(out, "{note}：截止时间已过，本单位尚未报送这一轮")?;
        }
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
                    "下一步：用 Excel 或 WPS 打开填写，另存为“CSV UTF-8（逗号分隔）”，运行 tracker check，再运行 tracker submit --unit {} --push 提交。",
                    unit.id
                ),
                TemplateFormat::Xlsx => format!(
                    "下一步：用 Excel 或 WPS 打开填写后直接保存（不必另存为 CSV），再运行 tracker submit --unit {} {rel} --push（或先 tracker report import {rel} 检查）。工作簿不放进 reports/，提交的是由它转成的 CSV。",
                    unit.id
                ),
            }
        )?;
        Ok(())
    }
}
