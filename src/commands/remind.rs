//! `tracker remind`: the units to chase (催报) this round, with their liaisons.

use std::io::Write;

use anyhow::Result;

use super::Context;
use chrono::{DateTime, FixedOffset};

use crate::Outcome;
use crate::app::{Reach, prepare_for};
use crate::assess::remind::reminders;
use crate::cli::{RemindArgs, RemindFormat};
use crate::model::{Plan, Round};
use crate::render::remind;

pub fn run(ctx: &Context, args: &RemindArgs) -> Result<Outcome> {
    let prepared = prepare_for(ctx, args.round.as_deref(), Reach::OneRound, open_round)?;
    let ws = prepared.workspace();
    let status = prepared.consolidate(prepared.round, crate::assess::Detail::Rows);
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
fn open_round(plan: &Plan, asked: Option<Round>, as_of: DateTime<FixedOffset>) -> Round {
    if asked.is_some() {
        return crate::assess::pick_round(plan, asked, as_of);
    }
    let next = plan.next_due_round(as_of);
    if plan.due(next) >= as_of {
        next
    } else {
        crate::assess::pick_round(plan, None, as_of)
    }
}
