//! `tracker circular`: the draft 通报 for the round, in Markdown.

use std::path::Path;

use anyhow::Result;

use super::Context;
use crate::app::prepare;
use crate::cli::CircularArgs;
use crate::outcome::Outcome;
use crate::render::digest::circular;

pub(crate) fn run(ctx: &Context, args: &CircularArgs) -> Result<Outcome> {
    let prepared = prepare(ctx, args.round)?;
    let ws = prepared.workspace();
    let status = prepared.consolidate(prepared.round, crate::assess::Detail::Rows);
    let fired = crate::assess::escalation::escalations(&ws, prepared.round, prepared.as_of, &prepared.times);
    let mut text = Vec::new();
    let names = |id: &str| ws.units.name_or_id(id);
    let from = circular::Provenance {
        version: &prepared.version,
        record: &prepared.record,
        names: &names,
    };
    circular::markdown(&mut text, &status, &fired, ws.plan, &from)?;
    match args.output.as_deref() {
        None => std::io::Write::write_all(&mut std::io::stdout().lock(), &text)?,
        Some(p) if p == Path::new("-") => std::io::Write::write_all(&mut std::io::stdout().lock(), &text)?,
        Some(p) => {
            // A draft the office may have edited: never replaced without --force.
            crate::write::new_file(p, &text, args.force)?;
            eprintln!("已写入 {}", p.display());
        }
    }
    Ok(Outcome::Clean)
}
