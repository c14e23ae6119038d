//! `tracker digest`: the round's digest as CSV (two files) or XLSX (two sheets).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::Context;
use crate::app::{Prepared, Reach, prepare_for};
use crate::assess::trend::{self, History};
use crate::cli::{DigestArgs, DigestFormat};
use crate::load::{DIGESTS_DIR, REPORTS_DIR};
use crate::outcome::Outcome;
use crate::render::digest::{self, Digest};
use crate::render::{digest::csv as digest_csv, digest::html, digest::workbook as digest_workbook};

pub(crate) fn run(ctx: &Context, args: &DigestArgs) -> Result<Outcome> {
    if args.format == DigestFormat::Html && args.year_end {
        bail!("年终版暂只有 CSV 与 XLSX；请去掉 --format html，或去掉 --year-end");
    }
    // The CSV is the round alone; the workbook and the page show every round so far.
    let one_round = args.format == DigestFormat::Csv && !args.year_end;
    let reach = if one_round { Reach::OneRound } else { Reach::AllRounds };
    let prepared = prepare_for(ctx, args.round, reach, crate::assess::pick_round)?;
    match args.format {
        DigestFormat::Csv => csv(&prepared, args),
        DigestFormat::Xlsx => xlsx(&prepared, args),
        DigestFormat::Html => html(&prepared, args),
    }
}

/// The digest's tables and the name its files take; with `history`, every round so far too (the
/// workbook's 概览 and 历次进度), its last being this round's status.
fn build(prepared: &Prepared, args: &DigestArgs, with_history: bool) -> (Digest, String, Option<History>) {
    let ws = prepared.workspace();
    if args.year_end {
        let y = crate::assess::year_end::year_end(&ws, prepared.as_of, &prepared.times);
        let name = format!("{}-year-end", y.round);
        return (digest::build_year_end(&y, ws.plan, &prepared.version), name, None);
    }
    let name = prepared.round.to_string();
    if with_history {
        let history = trend::history_through(&ws, prepared.round, prepared.as_of, &prepared.times);
        let mut d = digest::build(&history.last, ws.plan, &prepared.version);
        d.scores = year_scores(prepared).map(|s| crate::render::views::score::sheet(&s, ""));
        return (d, name, Some(history));
    }
    let status = prepared.consolidate(prepared.round, crate::assess::Detail::Rows);
    (digest::build(&status, ws.plan, &prepared.version), name, None)
}

/// The scores of every round due up to the digest's (its year so far), with `[scoring]`.
fn year_scores(prepared: &Prepared) -> Option<crate::assess::score::Scores> {
    let rounds: Vec<_> = crate::app::scores::year_rounds(prepared)
        .into_iter()
        .filter(|r| *r <= prepared.round)
        .collect();
    crate::app::scores::compute(prepared, &rounds)
}

/// Two CSV files, tasks and units (both to standard output with `--output -`).
fn csv(prepared: &Prepared, args: &DigestArgs) -> Result<Outcome> {
    let (d, name, _) = build(prepared, args, false);
    let Some(path) = target(prepared, args, &format!("{name}.csv")) else {
        digest_csv::both(&mut std::io::stdout().lock(), &d)?;
        return Ok(Outcome::Clean);
    };
    let units_path = sibling(&path, "-units");
    for (file, sheet) in [(&path, &d.tasks), (&units_path, &d.units)] {
        let mut bytes = Vec::new();
        digest_csv::sheet(&mut bytes, &d.meta, sheet)?;
        crate::write::atomic(file, &bytes)?;
    }
    written(prepared, &[path, units_path], Some(&d.meta))
}

/// One workbook: 概览, the task and unit sheets, 历次进度.
fn xlsx(prepared: &Prepared, args: &DigestArgs) -> Result<Outcome> {
    let (d, name, history) = build(prepared, args, true);
    let book = digest_workbook::workbook(&d, prepared.as_of, history.as_ref())?;
    let Some(path) = target(prepared, args, &format!("{name}.xlsx")) else {
        if std::io::stdout().is_terminal() {
            bail!("XLSX 是二进制文件，不宜输出到终端；请重定向到文件，或用 --output 指定路径");
        }
        std::io::stdout().lock().write_all(&book)?;
        return Ok(Outcome::Clean);
    };
    crate::write::atomic(&path, &book)?;
    written(prepared, &[path], Some(&d.meta))
}

/// Where the digest goes: `--output`, or `reports/digests/<file>`; None for standard output.
fn target(prepared: &Prepared, args: &DigestArgs, file: &str) -> Option<PathBuf> {
    match args.output.as_deref() {
        Some(p) if p == Path::new("-") => None,
        Some(p) => Some(p.to_path_buf()),
        None => Some(prepared.workspace().root.join(REPORTS_DIR).join(DIGESTS_DIR).join(file)),
    }
}

/// Says which files were written (relative to the repository) and, for the tables, where their
/// numbers come from.
fn written(prepared: &Prepared, paths: &[PathBuf], meta: Option<&str>) -> Result<Outcome> {
    let root = prepared.workspace().root;
    let mut out = std::io::stdout().lock();
    for p in paths {
        writeln!(out, "已写入 {}", p.strip_prefix(root).unwrap_or(p).display())?;
    }
    if let Some(meta) = meta {
        writeln!(out, "{meta}")?;
    }
    Ok(Outcome::Clean)
}

/// The page for leadership: the round and every round due before it, judged alike.
fn html(prepared: &Prepared, args: &DigestArgs) -> Result<Outcome> {
    let ws = prepared.workspace();
    let history = trend::history_through(&ws, prepared.round, prepared.as_of, &prepared.times);
    let scores = year_scores(prepared);
    let page = html::page(&history, &prepared.version.label(), scores.as_ref());
    let Some(path) = target(prepared, args, &format!("{}.html", prepared.round)) else {
        std::io::stdout().lock().write_all(page.as_bytes())?;
        return Ok(Outcome::Clean);
    };
    crate::write::atomic(&path, page.as_bytes())?;
    written(prepared, &[path], None)
}

/// `reports/digests/2024-09.csv` -> `reports/digests/2024-09-units.csv`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    path.with_file_name(format!("{stem}{suffix}{ext}"))
}
