//! `tracker plan new` and `tracker plan import`: a lead unit's 推进计划 template, and the filled
//! plan taken back (checked before it is written, problems named by the workbook's own cells).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Context, resolve_unit, workspace};
use crate::cli::{PlanImportArgs, PlanNewArgs, TemplateFormat};
use crate::diagnostic::Diagnostic;
use crate::load::Loaded;
use crate::model::schedule::PLANS_DIR;
use crate::model::template::{Spreadsheet, letter, spreadsheet, wps_refusal};
use crate::model::{Round, Unit};
use crate::outcome::Outcome;
use crate::render::template::plan::{self as template, PLAN_SHEET, PlanHeading, PlanLine};
use anyhow::{Context as _, Result, bail};

pub(crate) fn new(ctx: &Context, args: &PlanNewArgs) -> Result<Outcome> {
    let root = ctx.root()?;
    let loaded = crate::load::load_plan(&root)?;
    let ws = workspace(&loaded)?;
    let as_of = ctx.as_of(ws.plan)?;
    let unit = resolve_unit(ws.units, &args.unit)?;
    let led = ws.assignments.led_by(&unit.id);
    let mut out = std::io::stdout().lock();
    if led.is_empty() {
        writeln!(
            out,
            "{}（{}）不牵头任何任务，不必报送推进计划，未生成模板。",
            unit.name, unit.id
        )?;
        return Ok(Outcome::Clean);
    }
    let (lines, last_due) = lines_of(&loaded, &ws, unit);
    let heading = PlanHeading {
        unit,
        months: template::months(ws.plan.start, last_due),
        due: ws.plan.plans_due,
        made_at: as_of,
    };
    let (bytes, path) = match args.format {
        TemplateFormat::Csv => (
            template::csv(&heading, &lines)?,
            csv_path(&root, args.output.as_deref(), &unit.id)?,
        ),
        TemplateFormat::Xlsx => (
            template::workbook(&heading, &lines)?,
            workbook_path(args.output.as_deref(), &unit.id)?,
        ),
    };
    crate::write::new_file(&path, &bytes, args.force)?;
    let shown = super::report::shown_path(&root, &path);
    let (first, last) = (heading.months.first(), heading.months.last());
    writeln!(
        out,
        "已生成 {shown}（{}，牵头任务 {} 项，月份 {} 至 {}）",
        unit.name,
        lines.len(),
        first.map_or_else(String::new, Round::to_string),
        last.map_or_else(String::new, Round::to_string)
    )?;
    if let Some(due) = ws.plan.plans_due {
        writeln!(
            out,
            "  报送截止 {due}；截止后修改须经市发展改革委批准（plan-changes.toml）"
        )?;
    }
    let next = match args.format {
        TemplateFormat::Csv => format!("tracker submit --unit {} {shown} --push", unit.id),
        TemplateFormat::Xlsx => format!(
            "tracker submit --unit {} {shown} --push（先检查可运行 tracker plan import {shown}）",
            unit.id
        ),
    };
    writeln!(out, "下一步：填写各月累计计划进度（0–100）和节点说明后运行 {next}")?;
    Ok(Outcome::Clean)
}

/// The template's rows (what the unit's plan in force already says, carried) and the latest due
/// date among its tasks (the template's last month).
fn lines_of(loaded: &Loaded, ws: &crate::model::Workspace, unit: &Unit) -> (Vec<PlanLine>, chrono::NaiveDate) {
    let current = loaded.schedule_files.iter().find(|s| s.unit == unit.id);
    let tasks: Vec<&crate::model::Task> = ws
        .assignments
        .led_by(&unit.id)
        .iter()
        .filter_map(|id| ws.tasks.iter().find(|t| t.id.value == *id))
        .collect();
    let lines = tasks
        .iter()
        .map(|t| {
            let row = current.and_then(|c| c.rows.iter().find(|r| r.task == t.id.value));
            PlanLine {
                task: t.id.value,
                // Several tasks share a 重点任务: the work item tells the rows apart.
                key_task: format!("{}：{}", t.key_task, t.work.value),
                months: row.map(|r| r.months.clone()).unwrap_or_default(),
                nodes: row.map(nodes_text).unwrap_or_default(),
            }
        })
        .collect();
    let last_due = tasks.iter().map(|t| t.due.value).max().unwrap_or(ws.plan.default_due);
    (lines, last_due.min(ws.plan.end))
}

/// 节点说明 as the file writes it: 「2024年5月：主体开工；…」, unambiguous in any year.
fn nodes_text(row: &crate::model::schedule::ScheduleRow) -> String {
    let each: Vec<String> = row
        .nodes
        .iter()
        .map(|n| format!("{}年{}月：{}", n.month.year, n.month.month, n.text))
        .collect();
    each.join("；")
}

fn csv_path(root: &Path, output: Option<&Path>, unit: &str) -> Result<PathBuf> {
    Ok(match output {
        Some(p) if p.is_dir() => p.join(format!("{unit}.csv")),
        Some(p) => p.to_path_buf(),
        None => {
            std::fs::create_dir_all(root.join(PLANS_DIR)).context("无法创建 plans/ 目录")?;
            root.join(plan_rel(unit))
        }
    })
}

fn workbook_path(output: Option<&Path>, unit: &str) -> Result<PathBuf> {
    let name = format!("{unit}-计划.xlsx");
    Ok(match output {
        Some(p) if p.is_dir() => p.join(name),
        Some(p) => p.to_path_buf(),
        None => std::env::current_dir().context("无法读取当前目录")?.join(name),
    })
}

/// `plans/<unit>.csv`.
pub(crate) fn plan_rel(unit: &str) -> String {
    format!("{PLANS_DIR}/{unit}.csv")
}

pub(crate) fn import(ctx: &Context, args: &PlanImportArgs) -> Result<Outcome> {
    Ok(run_import(ctx, &args.file, args.unit.as_deref(), args.force)?.0)
}

/// Imports `file` as a unit's plan: the outcome and, when written, the unit id.
pub(crate) fn run_import(
    ctx: &Context,
    file: &Path,
    unit: Option<&str>,
    force: bool,
) -> Result<(Outcome, Option<String>)> {
    let root = ctx.root()?;
    let mut loaded = crate::load::load_plan(&root)?;
    let as_of = ctx.as_of(workspace(&loaded)?.plan)?;
    let (named, rows, workbook) = read(file)?;
    let Some(wanted) = unit.map(str::to_string).or(named) else {
        bail!("没有写明单位；用 --unit 指定");
    };
    let unit: Unit = resolve_unit(workspace(&loaded)?.units, &wanted)?.clone();
    let rel = plan_rel(&unit.id);
    let bytes = csv_bytes(&rows)?;
    let diags = checked(&mut loaded, &rel, &bytes, as_of)?;
    let name = file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut out = std::io::stdout().lock();
    for d in &diags {
        let at = if workbook {
            format!("{PLAN_SHEET}!{}{}", letter(d.column.max(1)), d.line)
        } else {
            format!("{}:{}", d.line, d.column)
        };
        writeln!(out, "{name}:{at}: {}[{}]: {}", d.severity.label(), d.rule, d.message)?;
        if let Some(h) = &d.hint {
            writeln!(out, "  = 提示: {h}")?;
        }
    }
    if diags.iter().any(Diagnostic::is_error) {
        writeln!(out, "未导入：{name} 有错误，改正后重新导入。")?;
        return Ok((Outcome::DataProblems, None));
    }
    let tasks = crate::load::parse_schedule(&loaded, &rel, &bytes).map_or(0, |(s, _)| s.rows.len());
    if tasks == 0 {
        writeln!(out, "未导入：{name} 中没有一项任务填写了月份的计划进度；填写后再导入。")?;
        return Ok((Outcome::DataProblems, None));
    }
    let path = root.join(&rel);
    std::fs::create_dir_all(root.join(PLANS_DIR))?;
    crate::write::ensure_within(&root.join(PLANS_DIR), &path)?;
    // The plan file itself handed in (filled in place): checked, and written as it was read.
    let in_place = file.canonicalize().ok() == path.canonicalize().ok();
    let recoverable = in_place || path.exists() && super::report_import::committed_unchanged(&root, &rel);
    crate::write::new_file(&path, &bytes, force || recoverable)?;
    writeln!(out, "已导入 {name} → {rel}（{}，{tasks} 项任务的计划）", unit.name)?;
    writeln!(out, "  {}", when_it_counts(workspace(&loaded)?.plan, as_of))?;
    Ok((Outcome::Clean, Some(unit.id)))
}

/// From which round a plan filed now is what tasks are judged against: a plan counts from when it
/// arrives, so rounds already due keep theirs.
fn when_it_counts(plan: &crate::model::Plan, now: chrono::DateTime<chrono::FixedOffset>) -> String {
    let next = plan.next_due_round(now);
    if plan.due(next) < now {
        return "报送日历中的各轮均已截止：这份计划不改变任何一轮的研判".to_string();
    }
    let due = crate::assess::round_status::due_text(plan.due(next), plan.due_note(next).as_deref());
    format!("提交后，自 {next} 轮（截止 {due}）起按这份计划研判；已截止的轮次仍按当时的计划或序时进度")
}

/// Every problem of `bytes` as `rel`: the file's own, and a change after the due date that has no
/// approval (worked out as if the file were already in place).
fn checked(
    loaded: &mut Loaded,
    rel: &str,
    bytes: &[u8],
    as_of: chrono::DateTime<chrono::FixedOffset>,
) -> Result<Vec<Diagnostic>> {
    let Some((schedule, mut diags)) = crate::load::parse_schedule(loaded, rel, bytes) else {
        bail!("单位名录或任务文件未能读取；先运行 tracker check 查看并修正");
    };
    loaded.schedule_files.retain(|s| s.file != rel);
    loaded.schedule_files.push(schedule);
    loaded.diagnostics.clear();
    crate::app::schedules::settle_with(loaded, as_of, Some((rel, bytes)));
    diags.extend(loaded.diagnostics.drain(..).filter(|d| d.file == rel));
    Ok(diags)
}

/// A plan as read from a file: the unit its workbook names, its rows, whether it is a workbook.
type ReadPlan = (Option<String>, Vec<crate::load::csv_rows::Row>, bool);

/// The file's unit (a workbook's 说明 sheet), its rows, and whether it is a workbook.
fn read(path: &Path) -> Result<ReadPlan> {
    match spreadsheet(path) {
        Some(Spreadsheet::Workbook) => {
            let (unit, rows) = crate::load::workbook::read_rows(path, PLAN_SHEET)
                .map_err(|e| anyhow::anyhow!("{}：{e}", path.display()))?;
            Ok((unit, rows, true))
        }
        Some(Spreadsheet::WpsOwn) => bail!(wps_refusal(path)),
        None => Ok((None, crate::load::read_table(path).map_err(anyhow::Error::msg)?, false)),
    }
}

/// Whether `path` holds a plan rather than a report: a workbook with the sheet 推进计划, or a
/// table whose header names 节点说明.
pub(crate) fn is_plan(path: &Path) -> bool {
    match spreadsheet(path) {
        Some(Spreadsheet::Workbook) => crate::load::workbook::read_rows(path, PLAN_SHEET).is_ok(),
        Some(Spreadsheet::WpsOwn) => false,
        None => crate::load::read_table(path).is_ok_and(|rows| {
            rows.first()
                .is_some_and(|(_, h)| h.iter().any(|c| c.trim() == crate::load::schedule::NODES_HEADER))
        }),
    }
}

/// Rows -> the canonical CSV (UTF-8 with BOM, CRLF); a month header Excel made a date is written
/// back as `YYYY-MM`; blank rows keep the sheet's row numbers.
fn csv_bytes(rows: &[(usize, Vec<String>)]) -> Result<Vec<u8>> {
    // As wide as the header: a workbook's stray cells beyond it are no column of the plan.
    let width = rows.first().map_or(0, |(_, h)| {
        h.iter().rposition(|c| !c.trim().is_empty()).map_or(0, |p| p + 1)
    });
    let cells = rows.iter().enumerate().map(|(i, (row, cells))| {
        let cells = cells
            .iter()
            .map(|c| match (i, crate::load::schedule::month_header(c)) {
                (0, Some(m)) => m.to_string(),
                _ => c.trim().to_string(),
            })
            .collect();
        (*row, cells)
    });
    crate::render::people_csv::numbered(cells, rows.first().map_or(1, |(r, _)| *r), width)
}
