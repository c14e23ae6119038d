//! `tracker digest`: the round's digest as CSV (two files) or XLSX (two sheets).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::Context;
use crate::Outcome;
use crate::app::{Reach, prepare_for};
use crate::assess::trend;
use crate::cli::{DigestArgs, DigestFormat};
use crate::load::{DIGESTS_DIR, REPORTS_DIR};
use crate::render::{digest, digest_csv, digest_workbook, html};

pub fn run(ctx: &Context, args: &DigestArgs) -> Result<Outcome> {
    // The CSV is the round alone; the workbook and the page show every round so far.
    let one_round = args.format == DigestFormat::Csv && !args.year_end;
    let reach = if one_round { Reach::OneRound } else { Reach::AllRounds };
    let prepared = prepare_for(ctx, args.round.as_deref(), reach, crate::assess::pick_round)?;
    let ws = prepared.workspace();
    if args.format == DigestFormat::Html {
        if args.year_end {
            bail!("年终版暂只有 CSV 与 XLSX；请去掉 --format html，或去掉 --year-end");
        }
        return html(&prepared, args);
    }
    let mut history = None;
    let (d, name) = if args.year_end {
        let y = crate::assess::year_end::year_end(&ws, prepared.as_of, &prepared.times);
        let name = format!("{}-year-end", y.round);
        (digest::build_year_end(&y, ws.plan, &prepared.version), name)
    } else {
        // The workbook's 概览 and 历次进度 need every round so far; its last is this round's status.
        let judged;
        let status = if args.format == DigestFormat::Xlsx {
            let history = history.insert(trend::history_through(
                &ws,
                prepared.round,
                prepared.as_of,
                &prepared.times,
            ));
            &history.last
        } else {
            judged = prepared.consolidate(prepared.round, crate::assess::Detail::Rows);
            &judged
        };
        (
            digest::build(status, ws.plan, &prepared.version),
            prepared.round.to_string(),
        )
    };
    let ext = match args.format {
        DigestFormat::Csv => "csv",
        DigestFormat::Xlsx => "xlsx",
        DigestFormat::Html => unreachable!("handled above"),
    };
    let to_stdout = args.output.as_deref() == Some(Path::new("-"));
    if to_stdout {
        let mut out = std::io::stdout().lock();
        match args.format {
            DigestFormat::Csv => digest_csv::both(&mut out, &d)?,
            DigestFormat::Html => unreachable!("handled above"),
            DigestFormat::Xlsx => {
                if std::io::stdout().is_terminal() {
                    bail!("XLSX 是二进制文件，不宜输出到终端；请重定向到文件，或用 --output 指定路径");
                }
                out.write_all(&digest_workbook::workbook(&d, prepared.as_of, history.as_ref())?)?;
            }
        }
        return Ok(Outcome::Clean);
    }
    let path = args.output.clone().unwrap_or_else(|| {
        ws.root
            .join(REPORTS_DIR)
            .join(DIGESTS_DIR)
            .join(format!("{name}.{ext}"))
    });
    let mut written: Vec<PathBuf> = vec![path.clone()];
    match args.format {
        DigestFormat::Csv => {
            let mut tasks = Vec::new();
            digest_csv::sheet(&mut tasks, &d.meta, &d.tasks)?;
            crate::write::atomic(&path, &tasks)?;
            let units_path = sibling(&path, "-units");
            let mut units = Vec::new();
            digest_csv::sheet(&mut units, &d.meta, &d.units)?;
            crate::write::atomic(&units_path, &units)?;
            written.push(units_path);
        }
        DigestFormat::Xlsx => {
            crate::write::atomic(&path, &digest_workbook::workbook(&d, prepared.as_of, history.as_ref())?)?
        }
        DigestFormat::Html => unreachable!("handled above"),
    }
    let mut out = std::io::stdout().lock();
    for p in written {
        writeln!(out, "已写入 {}", p.strip_prefix(ws.root).unwrap_or(&p).display())?;
    }
    writeln!(out, "{}", d.meta)?;
    Ok(Outcome::Clean)
}

/// The page for leadership: the round and every round due before it, judged alike.
fn html(prepared: &crate::app::Prepared, args: &DigestArgs) -> Result<Outcome> {
    let ws = prepared.workspace();
    let history = trend::history_through(&ws, prepared.round, prepared.as_of, &prepared.times);
    let page = html::page(&history, &prepared.version.label());
    if args.output.as_deref() == Some(Path::new("-")) {
        std::io::stdout().lock().write_all(page.as_bytes())?;
        return Ok(Outcome::Clean);
    }
    let path = args.output.clone().unwrap_or_else(|| {
        ws.root
            .join(REPORTS_DIR)
            .join(DIGESTS_DIR)
            .join(format!("{}.html", prepared.round))
    });
    crate::write::atomic(&path, page.as_bytes())?;
    writeln!(
        std::io::stdout().lock(),
        "已写入 {}",
        path.strip_prefix(ws.root).unwrap_or(&path).display()
    )?;
    Ok(Outcome::Clean)
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
