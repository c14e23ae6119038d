//! `tracker status`: the round's state, in a table, CSV or JSON.

use anyhow::{Result, anyhow};

use super::{Context, resolve_unit};
use crate::app::{Reach, prepare_for};
use std::io::Write;
use std::mem::ManuallyDrop;

use crate::Outcome;
use crate::assess::{Assessment, Detail, Filter, trend};
use crate::cli::{OutputFormat, StatusArgs};
use crate::render::status;

pub fn run(ctx: &Context, args: &StatusArgs) -> Result<Outcome> {
    // The trend reads every round; the round alone needs only what judging it reads.
    let reach = if args.trend { Reach::AllRounds } else { Reach::OneRound };
    let prepared = prepare_for(ctx, args.round.as_deref(), reach, crate::assess::pick_round)?;
    let ws = prepared.workspace();
    let filter = Filter {
        unit: args
            .unit
            .as_deref()
            .map(|u| resolve_unit(ws.units, u).map(|u| u.id.clone()))
            .transpose()?,
        chapter: args.chapter,
        assessment: args
            .assessment
            .as_deref()
            .map(|a| {
                Assessment::parse(a).ok_or_else(|| {
                    let names: Vec<String> = Assessment::ALL.iter().map(|a| a.names()[..2].join("/")).collect();
                    anyhow!(
                        "评估「{a}」无法识别；可用：{}（也可写 红灯、黄灯 等表头）",
                        names.join("、")
                    )
                })
            })
            .transpose()?,
    };
    if let Some(ch) = filter.chapter {
        if ws.plan.chapter(ch).is_none() {
            return Err(anyhow!("没有第 {ch} 篇；提纲共 {} 篇", ws.plan.outline.len()));
        }
    }
    // JSON and CSV show no unit rows: judged without them.
    let detail = match args.output.format {
        OutputFormat::Table => Detail::Rows,
        OutputFormat::Csv | OutputFormat::Json => Detail::Verdict,
    };
    // Never freed, as `Prepared::loaded`: twenty thousand judged tasks are handed back to the
    // system at exit faster than one by one.
    let result = ManuallyDrop::new(prepared.consolidate(prepared.round, detail).filtered(&filter, &ws));
    let mut out = super::stdout();
    match args.output.format {
        OutputFormat::Table => {
            let opts = ctx.table_opts(&args.output.table);
            let trend = args.trend.then(|| {
                let history = trend::history_through(&ws, prepared.round, prepared.as_of, &prepared.times);
                ws.tasks
                    .iter()
                    .map(|t| {
                        (
                            t.id.value,
                            trend::sparkline(&trend::progress_series(&history.rounds, t.id.value), opts.ascii),
                        )
                    })
                    .collect()
            });
            let view = status::View {
                version: Some(&prepared.version),
                all: args.all,
                trend: trend.as_ref(),
            };
            let mut out = super::fitted(&mut out, opts.width);
            status::table(&mut out, &result, &view, &opts)?;
            out.flush()?;
        }
        OutputFormat::Csv => status::csv(&mut out, &result)?,
        OutputFormat::Json => status::json(&mut out, &result, Some(&prepared.version))?,
    }
    out.flush()?;
    Ok(Outcome::Clean)
}
