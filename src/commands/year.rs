//! `tracker year`: the year-end account (年终) of every task, chapter and lead unit.

use std::io::Write;

use anyhow::Result;

use super::Context;
use crate::Outcome;
use crate::app::prepare;
use crate::assess::year_end::year_end;
use crate::cli::{OutputFormat, YearArgs};
use crate::render::{digest, digest_csv, year_end as render};

pub fn run(ctx: &Context, args: &YearArgs) -> Result<Outcome> {
    let prepared = prepare(ctx, None)?;
    let ws = prepared.workspace();
    let y = year_end(&ws, prepared.as_of, &prepared.times);
    let mut out = super::stdout();
    match args.output.format {
        OutputFormat::Table => {
            let opts = ctx.table_opts(&args.output.table);
            let mut out = super::fitted(&mut out, opts.width);
            render::table(&mut out, &y, &ws.plan.title, &opts)?;
            out.flush()?;
        }
        OutputFormat::Csv => {
            let d = digest::build_year_end(&y, ws.plan, &prepared.version);
            digest_csv::sheet(&mut out, &d.meta, &d.tasks)?;
        }
        OutputFormat::Json => render::json(&mut out, &y)?,
    }
    out.flush()?;
    Ok(Outcome::Clean)
}
