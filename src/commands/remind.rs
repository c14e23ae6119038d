//! `tracker remind`: the units to chase (催报) this round, with their liaisons.

use std::io::Write;

use anyhow::Result;

use super::Context;
use chrono::{DateTime, FixedOffset};

use super::output::{Emit, emit};
use crate::app::{Reach, prepare_for};
use crate::assess::RoundStatus;
use crate::assess::remind::{Reminder, reminders};
use crate::cli::RemindArgs;
use crate::model::{Plan, Round};
use crate::outcome::Outcome;
use crate::render::terminal::table::TableOpts;
use crate::render::views::remind;

pub(crate) fn run(ctx: &Context, args: &RemindArgs) -> Result<Outcome> {
    let prepared = prepare_for(ctx, args.round, Reach::OneRound, open_round)?;
    let ws = prepared.workspace();
    let status = prepared.consolidate(prepared.round, crate::assess::Detail::Rows);
    let list = reminders(&status, ws.reports, ws.assignments);
    emit(
        ctx,
        args.format,
        None,
        &Reminders {
            status: &status,
            list: &list,
        },
    )?;
    Ok(Outcome::Clean)
}

struct Reminders<'a> {
    status: &'a RoundStatus,
    list: &'a [Reminder],
}

impl Emit for Reminders<'_> {
    /// Text to paste into the chat group, not a table: no width applies.
    fn table(&self, out: &mut dyn Write, _opts: &TableOpts) -> Result<()> {
        Ok(remind::text(out, self.status, self.list)?)
    }
    fn csv(&self, out: &mut dyn Write) -> Result<()> {
        remind::csv(out, self.list)
    }
    fn json(&self, out: &mut dyn Write) -> Result<()> {
        remind::json(out, self.status, self.list)
    }
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
