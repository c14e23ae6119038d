//! `tracker report import FILE`: a filled-in workbook (or any CSV Excel saved) -> the round's
//! canonical CSV, checked before it is written, problems named by the workbook's own cells.

use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};

use super::{Context, in_calendar, resolve_unit, workspace};
use crate::cli::ReportImportArgs;
use crate::load::REPORTS_DIR;
use crate::load::workbook::{self, Filled};
use crate::model::Round;
use crate::outcome::Outcome;

/// Imports; returns the outcome and, when written, the CSV's path relative to the root.
pub(crate) fn run(ctx: &Context, args: &ReportImportArgs) -> Result<(Outcome, Option<(String, Round)>)> {
    let root = ctx.root()?;
    let mut loaded = crate::load::load(&root)?;
    let as_of = ctx.as_of(workspace(&loaded)?.plan)?;
    let filled = read(&args.file)?;
    let name = args
        .file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut out = std::io::stdout().lock();
    if !filled.problems.is_empty() {
        for (cell, message) in &filled.problems {
            writeln!(out, "{name}:{cell}: error: {message}")?;
        }
        writeln!(out, "未导入：改正以上单元格后重新导入。")?;
        return Ok((Outcome::DataProblems, None));
    }
    let ws = workspace(&loaded)?;
    let unit = unit_of(args.unit.as_deref(), filled.unit.as_deref())?;
    let unit = resolve_unit(ws.units, &unit)?.id.clone();
    let round = match round_of(args.round, filled.round.as_deref())? {
        Some(r) => in_calendar(ws.plan, r)?,
        None => crate::app::default_round(&ws, resolve_unit(ws.units, &unit)?, as_of),
    };
    let late = crate::app::late_for(&ws, resolve_unit(ws.units, &unit)?, round, as_of);
    let rel = format!("{REPORTS_DIR}/{round}/{unit}.csv");
    let bytes = csv_bytes(&filled)?;
    crate::load::replace_report(&mut loaded, &rel, round, &unit, &bytes);
    // Handing a workbook in is submitting it: a file that is no report yet is an error here, even
    // before the deadline.
    let diags: Vec<_> = crate::check::run(&mut loaded, as_of)
        .into_iter()
        .filter(|d| d.file == rel)
        .map(|d| {
            if d.rule == crate::diagnostic::Rule::NotFilled {
                d.severity(crate::diagnostic::Severity::Error)
            } else {
                d
            }
        })
        .collect();
    for d in &diags {
        let at = filled.cell_ref(d.line, d.column);
        writeln!(out, "{name}:{at}: {}[{}]: {}", d.severity.label(), d.rule, d.message)?;
        if let Some(h) = &d.hint {
            writeln!(out, "  = 提示: {h}")?;
        }
    }
    if diags.iter().any(|d| d.is_error()) {
        writeln!(out, "未导入：{name} 有错误，在工作簿中改正后重新导入。")?;
        return Ok((Outcome::DataProblems, None));
    }
    std::fs::create_dir_all(root.join(REPORTS_DIR))?;
    crate::write::ensure_within(&root.join(REPORTS_DIR), &root.join(&rel))?;
    let replacing = root.join(&rel).exists();
    let recoverable = replacing && committed_unchanged(&root, &rel);
    crate::write::new_file(&root.join(&rel), &bytes, args.force || recoverable)?;
    if let Some(note) = late {
        writeln!(out, "{note}")?;
    }
    writeln!(out, "已导入 {name} → {rel}（{} 轮）", round)?;
    if recoverable {
        writeln!(out, "  替换了之前导入并已提交的版本（git 中保留原版本）")?;
    }
    Ok((Outcome::Clean, Some((rel, round))))
}

/// The file is in git and has no change since its last commit: replacing it loses nothing. (An
/// untracked file shows as `??` in the status, a changed one with its change; only a committed,
/// unchanged file shows nothing.)
pub(crate) fn committed_unchanged(root: &Path, rel: &str) -> bool {
    crate::ledger::git::output(root, &["status", "--porcelain", "--", rel]).is_some_and(|o| o.is_empty())
}

fn read(path: &Path) -> Result<Filled> {
    use crate::model::template::{Spreadsheet, spreadsheet, wps_refusal};
    match spreadsheet(path) {
        Some(Spreadsheet::Workbook) => {
            return workbook::read(path).map_err(|e| anyhow::anyhow!("{}：{e}", path.display()));
        }
        Some(Spreadsheet::WpsOwn) => bail!(wps_refusal(path)),
        None => {}
    }
    // A CSV in whatever encoding Excel or WPS wrote: rewritten as the canonical file.
    let rows = crate::load::read_table(path).map_err(anyhow::Error::msg)?;
    Ok(Filled::from_csv_rows(rows))
}

/// The value given on the command line, else the workbook's; both must agree.
/// The unit: `--unit`, or the one the workbook's 说明 sheet names.
fn unit_of(given: Option<&str>, in_file: Option<&str>) -> Result<String> {
    match given.or(in_file) {
        Some(u) => Ok(u.to_string()),
        None => bail!("工作簿没有写明单位；用 --unit 指定"),
    }
}

/// The round: `--round`, or the one the workbook's 说明 sheet names; the two must agree. None: a
/// CSV names none, and the unit's usual round applies.
fn round_of(given: Option<Round>, in_file: Option<&str>) -> Result<Option<Round>> {
    let in_file = in_file
        .map(|f| f.parse::<Round>().map_err(|e| anyhow::anyhow!(e)))
        .transpose()?;
    match (given, in_file) {
        (Some(g), Some(f)) if g != f => bail!("命令行的轮次「{g}」与工作簿中的「{f}」不一致"),
        (Some(r), _) | (None, Some(r)) => Ok(Some(r)),
        (None, None) => Ok(None),
    }
}

fn csv_bytes(filled: &Filled) -> Result<Vec<u8>> {
    let width = filled.rows.first().map_or(0, |(_, cells)| cells.len());
    // The separator above the cooperating tasks is no task row: a blank row keeps the numbering.
    let rows = filled.rows.iter().map(|(row, cells)| {
        let separator = cells
            .iter()
            .filter(|c| !c.is_empty())
            .eq([crate::model::template::COOPERATING_SEPARATOR]);
        (*row, if separator { Vec::new() } else { cells.clone() })
    });
    // Blank rows keep the workbook's row numbers: a CSV row is the sheet's row.
    crate::render::people_csv::numbered(rows, 1, width)
}
