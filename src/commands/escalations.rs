//! `tracker escalations`: the tasks and units the escalation rules fire on (督办、约谈、提醒).

use std::io::Write;

use anyhow::Result;

use super::Context;
use crate::Outcome;
use crate::app::prepare;
use crate::assess::escalation::escalations;
use crate::cli::{EscalationsArgs, OutputFormat};
use crate::render::escalations as render;

pub fn run(ctx: &Context, args: &EscalationsArgs) -> Result<Outcome> {
    let prepared = prepare(ctx, args.round.as_deref())?;
    let fired = escalations(&prepared.workspace(), prepared.round, prepared.as_of, &prepared.times);
    let mut out = super::stdout();
    match args.output.format {
        OutputFormat::Table => {
            let opts = ctx.table_opts(&args.output.table);
            let mut out = super::fitted(&mut out, opts.width);
            render::table(&mut out, &fired, &opts)?;
            out.flush()?;
        }
        OutputFormat::Csv => render::csv(&mut out, &fired)?,
        OutputFormat::Json => render::json(&mut out, &fired)?,
    }
    out.flush()?;
    Ok(Outcome::Clean)
}
