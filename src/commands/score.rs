//! `tracker score`: 督查考评 by the published `[scoring]` rules, every deduction traced.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Result, bail};

use super::Context;
use super::output::{Emit, Format, emit};
use crate::app::{prepare, scores};
use crate::assess::score::Scores;
use crate::cli::{ScoreArgs, ScoreFormat};
use crate::load::{APPEALS_FILE, DIGESTS_DIR, REPORTS_DIR};
use crate::outcome::Outcome;
use crate::render::terminal::table::TableOpts;
use crate::render::views::score as render;

pub(crate) fn run(ctx: &Context, args: &ScoreArgs) -> Result<Outcome> {
    let prepared = prepare(ctx, args.round)?;
    let ws = prepared.workspace();
    if ws.plan.scoring.is_none() {
        bail!("tracker.toml 中没有 [scoring]，不计分；写明基础分和扣分规则后再运行（见 docs/plans-and-scores.md）");
    }
    let counted = if args.year {
        scores::year_rounds(&prepared)
    } else {
        vec![prepared.round]
    };
    let Some(s) = scores::compute(&prepared, &counted) else {
        bail!("没有可计分的轮次");
    };
    let mut out = std::io::stdout().lock();
    if args.format == ScoreFormat::Xlsx {
        let title = ws.plan.title.clone();
        write_xlsx(&prepared, args, &s, &title, &mut out)?;
    } else {
        drop(out);
        let format = match args.format {
            ScoreFormat::Csv => Format::Csv,
            ScoreFormat::Json => Format::Json,
            _ => Format::Table,
        };
        emit(ctx, format, Some(&args.table), &s)?;
        out = std::io::stdout().lock();
    }
    unmatched(&s, &mut out)
}

/// Appeals that match no deduction: an error, as `check` says too.
fn unmatched(s: &Scores, out: &mut dyn Write) -> Result<Outcome> {
    for line in &s.unmatched_appeals {
        writeln!(
            out,
            "{APPEALS_FILE}:{line}: error[appeal]: 这条申诉对不上任何一项扣分（单位、轮次、事项、任务须与扣分一致）"
        )?;
    }
    Ok(if s.unmatched_appeals.is_empty() {
        Outcome::Clean
    } else {
        Outcome::DataProblems
    })
}

fn write_xlsx(
    prepared: &crate::app::Prepared,
    args: &ScoreArgs,
    s: &Scores,
    title: &str,
    out: &mut dyn Write,
) -> Result<()> {
    let sheet = render::sheet(s, title);
    let meta = format!(
        "{}　数据截至 {}　数据版本 {}",
        render::span(s),
        prepared.as_of.format("%Y-%m-%d %H:%M"),
        prepared.version.label()
    );
    let book = crate::render::digest::workbook::sheets(&[&sheet], &meta, prepared.as_of)?;
    let name = if args.year {
        "year".to_string()
    } else {
        prepared.round.to_string()
    };
    let path: PathBuf = match &args.output {
        Some(p) if p.as_os_str() == "-" => {
            if std::io::stdout().is_terminal() {
                bail!("XLSX 是二进制文件，不宜输出到终端；请重定向到文件，或用 --output 指定路径");
            }
            out.write_all(&book)?;
            return Ok(());
        }
        Some(p) => p.clone(),
        None => prepared
            .workspace()
            .root
            .join(REPORTS_DIR)
            .join(DIGESTS_DIR)
            .join(format!("{name}-考评.xlsx")),
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    crate::write::new_file(&path, &book, args.force)?;
    let root = prepared.workspace().root;
    writeln!(out, "已写入 {}", path.strip_prefix(root).unwrap_or(&path).display())?;
    writeln!(out, "{meta}")?;
    Ok(())
}

impl Emit for Scores {
    fn table(&self, out: &mut dyn Write, opts: &TableOpts) -> Result<()> {
        Ok(render::table(out, self, opts)?)
    }
    fn csv(&self, out: &mut dyn Write) -> Result<()> {
        render::csv(out, self)
    }
    fn json(&self, out: &mut dyn Write) -> Result<()> {
        render::json(out, self)
    }
}
