//! `tracker remind`: the units to chase (催报) this round, with their liaisons.

use std::io::Write;

use anyhow::Result;

use super::Context;
use chrono::{DateTime, FixedOffset};

use super::output::{Emit, emit};
use crate::app::{Reach, prepare_for};
use crate::assess::remind::reminders;
use crate::cli::RemindArgs;
use crate::model::{Plan, Round};
use crate::outcome::Outcome;
use crate::render::terminal::table::TableOpts;
use crate::render::views::remind;

pub(crate) fn run(ctx: &Context, args: &RemindArgs) -> Result<Outcome> {
    // Read from the overdue round on (when there is one), so that both rounds are judged in full.
    let prepared = prepare_for(ctx, args.round, Reach::OneRound, first_round)?;
    let ws = prepared.workspace();
    let open = match args.round {
        Some(_) => prepared.round,
        None => open_round(ws.plan, None, prepared.as_of),
    };
    let round_of = |round: Round| {
        let status = prepared.consolidate(round, crate::assess::Detail::Rows);
        let list = reminders(&status, ws.reports, ws.assignments);
        remind::Chase { status, list }
    };
    let overdue = (prepared.round < open).then(|| round_of(prepared.round));
    let current = round_of(open);
    let holidays = ws
        .plan
        .holidays
        .within(prepared.as_of.date_naive(), ws.plan.due(open).date_naive());
    let owed: Vec<remind::PlanOwed> = ws
        .reporting_units()
        .filter(|u| crate::assess::pace::plan_state(&ws, &u.id, prepared.as_of) == Some("未报"))
        .map(|u| remind::PlanOwed {
            unit: u.id.clone(),
            name: u.name.clone(),
            liaison: u.liaison.clone(),
            phone: u.phone.clone(),
        })
        .collect();
    let message = remind::Message {
        overdue: overdue.as_ref().filter(|c| !c.list.is_empty()),
        open: &current,
        holidays: &holidays,
        plans_missing: (&owed, ws.plan.plans_due),
    };
    emit(ctx, args.format, None, &Reminders(&message))?;
    Ok(Outcome::Clean)
}

struct Reminders<'a>(&'a remind::Message<'a>);

impl Emit for Reminders<'_> {
    /// Text to paste into the chat group, not a table: no width applies.
    fn table(&self, out: &mut dyn Write, _opts: &TableOpts) -> Result<()> {
        Ok(remind::text(out, self.0)?)
    }
    fn csv(&self, out: &mut dyn Write) -> Result<()> {
        remind::csv(out, self.0)
    }
    fn json(&self, out: &mut dyn Write) -> Result<()> {
        remind::json(out, self.0)
    }
}

/// The round to read from: the one asked; else, after a deadline and until the next round is due,
/// the round just closed (its late reports are chased first: 补报); else the open round.
fn first_round(plan: &Plan, asked: Option<Round>, as_of: DateTime<FixedOffset>) -> Round {
    let open = open_round(plan, asked, as_of);
    if asked.is_some() || open <= plan.calendar.first {
        return open;
    }
    let closed = open.prev();
    if plan.has_round(closed) && plan.due(closed) < as_of && plan.due(open) >= as_of {
        closed
    } else {
        open
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
