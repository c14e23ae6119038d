//! `tracker units`: who reported on time, late or not at all, round by round.

use anyhow::Result;

use super::Context;
use crate::app::prepare;
use std::io::Write;

use super::output::{Emit, emit};
use crate::assess::history::{UnitRecord, compliance};
use crate::cli::UnitsArgs;
use crate::model::Round;
use crate::outcome::Outcome;
use crate::render::terminal::table::TableOpts;
use crate::render::views::units;

pub(crate) fn run(ctx: &Context, args: &UnitsArgs) -> Result<Outcome> {
    let prepared = prepare(ctx, args.round)?;
    let ws = prepared.workspace();
    let rounds = prepared.rounds_so_far();
    let mut records = compliance(&ws, &rounds, prepared.as_of, &prepared.times);
    let scores = crate::app::scores::compute(&prepared, &crate::app::scores::year_rounds(&prepared));
    for r in &mut records {
        r.plan = crate::assess::pace::plan_state(&ws, &r.id, prepared.as_of);
        r.score = scores
            .as_ref()
            .and_then(|s| s.units.iter().find(|u| u.unit == r.id))
            .map(|u| u.score);
    }
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
    let output = UnitsOutput {
        heading,
        rounds: &rounds,
        records: &records,
    };
    emit(ctx, args.output.format, Some(&args.output.table), &output)?;
    Ok(Outcome::Clean)
}

struct UnitsOutput<'a> {
    heading: units::Heading<'a>,
    rounds: &'a [Round],
    records: &'a [UnitRecord],
}

impl Emit for UnitsOutput<'_> {
    fn table(&self, out: &mut dyn Write, opts: &TableOpts) -> Result<()> {
        Ok(units::table(out, &self.heading, self.rounds, self.records, opts)?)
    }
    fn csv(&self, out: &mut dyn Write) -> Result<()> {
        units::csv(out, self.rounds, self.records)
    }
    fn json(&self, out: &mut dyn Write) -> Result<()> {
        units::json(out, &self.heading, self.rounds, self.records)
    }
}
