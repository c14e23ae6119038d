//! `tracker escalations`: the tasks and units the escalation rules fire on (督办、约谈、提醒).

use std::io::Write;

use anyhow::Result;

use super::Context;
use super::output::{Emit, emit};
use crate::app::prepare;
use crate::assess::escalation::escalations;
use crate::cli::EscalationsArgs;
use crate::outcome::Outcome;
use crate::render::terminal::table::TableOpts;
use crate::render::views::escalations as render;

pub(crate) fn run(ctx: &Context, args: &EscalationsArgs) -> Result<Outcome> {
    let prepared = prepare(ctx, args.round)?;
    let fired = escalations(&prepared.workspace(), prepared.round, prepared.as_of, &prepared.times);
    emit(ctx, args.output.format, Some(&args.output.table), &Fired(fired))?;
    Ok(Outcome::Clean)
}

struct Fired(Vec<crate::assess::escalation::Fired>);

impl Emit for Fired {
    fn table(&self, out: &mut dyn Write, opts: &TableOpts) -> Result<()> {
        Ok(render::table(out, &self.0, opts)?)
    }
    fn csv(&self, out: &mut dyn Write) -> Result<()> {
        render::csv(out, &self.0)
    }
    fn json(&self, out: &mut dyn Write) -> Result<()> {
        render::json(out, &self.0)
    }
}
