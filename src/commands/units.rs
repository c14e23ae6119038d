//! `tracker units`: who reported on time, late or not at all, round by round.

use anyhow::Result;

use super::Context;
use crate::app::prepare;
use std::io::Write;

use crate::Outcome;
use crate::assess::history::compliance;
use crate::cli::{OutputFormat, UnitsArgs};
use crate::render::units;

pub fn run(ctx: &Context, args: &UnitsArgs) -> Result<Outcome> {
    let prepared = prepare(ctx, args.round.as_deref())?;
    let ws = prepared.workspace();
    let rounds = prepared.rounds_so_far();
    let records = compliance(&ws, &rounds, prepared.as_of, &prepared.times);
    let heading = units::Heading {
        title: &ws.plan.title,
        as_of: prepared.as_of,
        version: &prepared.version,
        open: {
            let due = ws.plan.due(prepared.round);
            (prepared.as_of < due).then(|| {
                let left = crate::assess::submissions::duration_label((due - prepared.as_of).num_minutes().max(1));
                format!("{} 轮尚未截止：距截止还有 {left}，未交的单位计为“待报”", prepared.round)
            })
        },
    };
    let mut out = super::stdout();
    match args.output.format {
        OutputFormat::Table => {
            let opts = ctx.table_opts(&args.output.table);
            let mut out = super::fitted(&mut out, opts.width);
            units::table(&mut out, &heading, &rounds, &records, &opts)?;
            out.flush()?;
        }
        OutputFormat::Csv => units::csv(&mut out, &rounds, &records)?,
        OutputFormat::Json => units::json(&mut out, &heading, &rounds, &records)?,
    }
    out.flush()?;
    Ok(Outcome::Clean)
}
