//! `tracker import SEED`: the source document -> tasks/NNN.toml (and tracker.toml when absent).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use super::Context;
use crate::cli::ImportArgs;
use crate::diagnostic::Source;
use crate::import::{self, Corrections, write};
use crate::load::{self, PLAN_FILE, TASKS_DIR, UNITS_FILE};
use crate::model::template::spreadsheet;
use crate::outcome::Outcome;

pub(crate) fn run(ctx: &Context, args: &ImportArgs) -> Result<Outcome> {
    let out_dir = match &args.out {
        Some(dir) => dir.clone(),
        None => ctx.root().context("不指定 --out 时导入到当前任务仓库")?,
    };
    let table = read_table(&args.seed)?;
    let seed_text = match &table {
        Some(t) => t.text.clone(),
        None => std::fs::read_to_string(&args.seed)
            .with_context(|| format!("无法以 UTF-8 文本读取 {}", args.seed.display()))?,
    };
    let units_path = args.units.clone().unwrap_or_else(|| out_dir.join(UNITS_FILE));
    let units = read_units(&units_path)?;
    let corrections_path = args
        .corrections
        .clone()
        .unwrap_or_else(|| default_corrections(&args.seed));
    let corrections = read_corrections(&corrections_path, args.corrections.is_some())?;
    let seed_name = args
        .seed
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let source = if table.is_some() {
        import::Source::Table
    } else {
        import::Source::Document
    };
    let mut result = import::import_from(&seed_text, &corrections, &units, source);
    if let Some(t) = &table {
        apply_due_cells(&mut result, t);
        for (line, _) in &mut result.unresolved {
            *line = t.row_of(*line);
        }
    }
    write_tasks(&out_dir, &result, &seed_name, args.force)?;
    let mut stderr = std::io::stderr().lock();
    write_or_compare_plan(&out_dir, &result, &mut stderr)?;
    let said = Said {
        tasks_dir: out_dir.join(TASKS_DIR),
        seed_name,
        corrections: corrections.row.len(),
        corrections_path,
    };
    said.report(&result, &mut stderr)
}

/// One task file per task; files of tasks no longer in the list are removed. Refuses to replace
/// existing task files without `force`.
fn write_tasks(out_dir: &Path, result: &import::Import, seed_name: &str, force: bool) -> Result<()> {
    let tasks_dir = out_dir.join(TASKS_DIR);
    let existing = load::list_dir(out_dir, TASKS_DIR)?;
    if !existing.is_empty() && !force {
        bail!(
            "{} 中已有 {} 个文件，未覆盖；确认要按原文重新生成时加 --force",
            tasks_dir.display(),
            existing.len()
        );
    }
    let mut written = Vec::new();
    for t in &result.tasks {
        let rel = format!("{TASKS_DIR}/{:03}.toml", t.id);
        crate::write::atomic(
            &out_dir.join(&rel),
            write::task_toml(t, &result.meta, seed_name).as_bytes(),
        )?;
        written.push(rel);
    }
    for stale in existing.iter().filter(|e| !written.contains(e)) {
        std::fs::remove_file(out_dir.join(stale)).with_context(|| format!("无法删除旧文件 {stale}"))?;
    }
    Ok(())
}

/// Writes tracker.toml when there is none; otherwise says when its outline differs from the list's.
fn write_or_compare_plan(out_dir: &Path, result: &import::Import, stderr: &mut dyn Write) -> Result<()> {
    let plan_path = out_dir.join(PLAN_FILE);
    if plan_path.exists() {
        let src = Source::new(
            PLAN_FILE,
            std::fs::read_to_string(&plan_path).with_context(|| format!("无法读取 {}", plan_path.display()))?,
        );
        if let Ok(existing) = crate::load::parse_plan(&src)
            && existing.outline != result.outline
        {
            writeln!(
                stderr,
                "注意：{PLAN_FILE} 中的提纲与原文不同；原文提纲见 tracker import --out 新目录 生成的 {PLAN_FILE}"
            )?;
        }
    } else {
        crate::write::atomic(&plan_path, write::plan_toml(&result.meta, &result.outline).as_bytes())?;
        writeln!(stderr, "已生成 {}", plan_path.display())?;
    }
    Ok(())
}

/// What an import says when it is done.
struct Said {
    tasks_dir: PathBuf,
    seed_name: String,
    corrections: usize,
    corrections_path: PathBuf,
}

impl Said {
    /// The count on standard output; every row that could not be settled on standard error.
    fn report(&self, result: &import::Import, stderr: &mut dyn Write) -> Result<Outcome> {
        let (tasks_dir, seed_name, corrections_path) = (&self.tasks_dir, &self.seed_name, &self.corrections_path);
        let judged = result.tasks.iter().filter(|t| !t.notes.is_empty()).count();
        let sections: usize = result.outline.iter().map(|c| c.sections.len()).sum();
        let mut stdout = std::io::stdout().lock();
        writeln!(
            stdout,
            "已导入 {} 项任务（{} 篇 {} 节）到 {}；其中 {judged} 项有判断记录（见各文件 notes），更正文件 {} 条。",
            result.tasks.len(),
            result.outline.len(),
            sections,
            tasks_dir.display(),
            self.corrections
        )?;
        if result.unresolved.is_empty() {
            return Ok(Outcome::Clean);
        }
        writeln!(
            stderr,
            "以下 {} 处无法确定，请核对原文并写入更正文件 {}：",
            result.unresolved.len(),
            corrections_path.display()
        )?;
        for (line, msg) in &result.unresolved {
            writeln!(stderr, "  {seed_name}:{line}: {msg}")?;
        }
        Ok(Outcome::DataProblems)
    }
}

/// A list received as a table (`.xlsx`, `.xls`, `.ods`, `.csv`): its rows as the document's text.
fn read_table(seed: &Path) -> Result<Option<import::table::TableText>> {
    let csv = seed.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if spreadsheet(seed).is_none() && !csv {
        return Ok(None);
    }
    let rows = load::read_table(seed).map_err(anyhow::Error::msg)?;
    let text = import::table::to_text(&rows).map_err(|e| anyhow::anyhow!("{}：{e}", seed.display()))?;
    Ok(Some(text))
}

/// A table's 完成时限 column sets the due date where it names one (a note records it).
fn apply_due_cells(result: &mut import::Import, table: &import::table::TableText) {
    for t in &mut result.tasks {
        let Some(cell) = table.due_cells.get(&t.id) else {
            continue;
        };
        match import::table::due_date(cell) {
            Some(d) if d != t.due => {
                t.notes.push(format!("完成时限栏写“{cell}”，记为 {d}"));
                t.due = d;
            }
            Some(_) => {}
            None if cell.contains("年内") || cell.contains("年底") => {}
            None => result
                .unresolved
                .push((t.line, format!("第 {} 项：完成时限“{cell}”无法识别，按年底计", t.id))),
        }
    }
}

fn default_corrections(seed: &Path) -> PathBuf {
    seed.with_extension("corrections.toml")
}

fn read_units(path: &Path) -> Result<crate::model::Units> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "导入需要单位名录来识别单位名称，但无法读取 {}；用 --units 指定",
            path.display()
        )
    })?;
    let src = Source::new(path.display().to_string(), text);
    crate::load::parse_units(&src).map_err(|d| {
        anyhow::anyhow!(
            "{}:{}: {}；先运行 tracker check 修正单位名录",
            d[0].file,
            d[0].line,
            d[0].message
        )
    })
}

fn read_corrections(path: &Path, explicit: bool) -> Result<Corrections> {
    if !path.exists() && !explicit {
        return Ok(Corrections::default());
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("无法读取更正文件 {}", path.display()))?;
    let src = Source::new(path.display().to_string(), text);
    import::corrections::parse(&src).map_err(|d| anyhow::anyhow!("{}:{}:{}: {}", d.file, d.line, d.column, d.message))
}
