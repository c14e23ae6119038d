//! `tracker remind`: the units to chase (催报) this round, with their liaisons.

use std::io::Write;

use anyhow::Result;

use super::Context;
use super::prepare::prepare;
use crate::Outcome;
use crate::assess::remind::reminders;
use crate::cli::{RemindArgs, RemindFormat};
use crate::render::remind;

pub fn run(ctx: &Context, args: &RemindArgs) -> Result<Outcome> {
    let prepared = prepare_open(ctx, args.round.as_deref())?;
    let ws = prepared.workspace();
    let status = prepared.consolidate(prepared.round);
    let list = reminders(&status, ws.reports, ws.assignments);
    let mut out = super::stdout();
    match args.format {
        RemindFormat::Text => remind::text(&mut out, &status, &list)?,
        RemindFormat::Csv => remind::csv(&mut out, &list)?,
        RemindFormat::Json => remind::json(&mut out, &status, &list)?,
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

/// Reminding is about the round still open (or the one just due when all are past).
fn prepare_open(ctx: &Context, round: Option<&str>) -> Result<super::prepare::Prepared> {
    let mut prepared = prepare(ctx, round)?;
    if round.is_none() {
        let plan = prepared.workspace().plan;
        let next = plan.next_due_round(prepared.as_of);
        if plan.due(next) >= prepared.as_of {
            prepared.round = next;
        }
    }
    Ok(prepared)
}
