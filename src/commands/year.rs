//! `tracker year`: the year-end account (年终) of every task, chapter and lead unit.

use std::io::Write;

use anyhow::Result;

use super::Context;
use super::output::{Emit, emit};
use crate::app::prepare;
use crate::assess::year_end::{YearEnd, year_end};
use crate::cli::YearArgs;
use crate::model::{DataVersion, Plan};
use crate::outcome::Outcome;
use crate::render::terminal::table::TableOpts;
use crate::render::{digest, digest::csv as digest_csv, views::year_end as render};

pub(crate) fn run(ctx: &Context, args: &YearArgs) -> Result<Outcome> {
    let prepared = prepare(ctx, None)?;
    let ws = prepared.workspace();
    let y = year_end(&ws, prepared.as_of, &prepared.times);
    let output = YearOutput {
        year: &y,
        plan: ws.plan,
        version: &prepared.version,
    };
    emit(ctx, args.output.format, Some(&args.output.table), &output)?;
    Ok(Outcome::Clean)
}

struct YearOutput<'a> {
    year: &'a YearEnd,
    plan: &'a Plan,
    version: &'a DataVersion,
}

impl Emit for YearOutput<'_> {
    fn table(&self, out: &mut dyn Write, opts: &TableOpts) -> Result<()> {
        Ok(render::table(out, self.year, &self.plan.title, opts)?)
    }
    fn csv(&self, out: &mut dyn Write) -> Result<()> {
        let d = digest::build_year_end(self.year, self.plan, self.version);
        digest_csv::sheet(out, &d.meta, &d.tasks)
    }
    fn json(&self, out: &mut dyn Write) -> Result<()> {
        render::json(out, self.year)
    }
}
