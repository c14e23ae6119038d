//! `tracker status`: the round's state, in a table, CSV or JSON.

use anyhow::{Result, anyhow};

use super::{Context, resolve_unit};
use crate::app::{Reach, prepare_for};
use std::io::Write;
use std::mem::ManuallyDrop;

use super::output::{Emit, emit};
use crate::app::Prepared;
use crate::assess::{Detail, Filter, RoundStatus, trend};
use crate::cli::{OutputFormat, StatusArgs};
use crate::outcome::Outcome;
use crate::render::terminal::table::TableOpts;
use crate::render::views::status;
use std::collections::BTreeMap;

pub(crate) fn run(ctx: &Context, args: &StatusArgs) -> Result<Outcome> {
    // The trend reads every round; the round alone needs only what judging it reads.
    let reach = if args.trend { Reach::AllRounds } else { Reach::OneRound };
    let prepared = prepare_for(ctx, args.round, reach, crate::assess::pick_round)?;
    let ws = prepared.workspace();
    let filter = Filter {
        unit: args
            .unit
            .as_deref()
            .map(|u| resolve_unit(ws.units, u).map(|u| u.id.clone()))
            .transpose()?,
        chapter: args.chapter,
        assessment: args.assessment,
    };
    if let Some(ch) = filter.chapter
        && ws.plan.chapter(ch).is_none()
    {
        return Err(anyhow!("没有第 {ch} 篇；提纲共 {} 篇", ws.plan.outline.len()));
    }
    // JSON and CSV show no unit rows: judged without them.
    let detail = match args.output.format {
        OutputFormat::Table => Detail::Rows,
        OutputFormat::Csv | OutputFormat::Json => Detail::Verdict,
    };
    // Never freed, as `Prepared::loaded`: twenty thousand judged tasks are handed back to the
    // system at exit faster than one by one.
    let result = ManuallyDrop::new(prepared.consolidate(prepared.round, detail).filtered(&filter, &ws));
    let output = StatusOutput {
        prepared: &prepared,
        result: &result,
        all: args.all,
        only: args.assessment,
        trend: args.trend,
    };
    emit(ctx, args.output.format, Some(&args.output.table), &output)?;
    Ok(Outcome::Clean)
}

struct StatusOutput<'a> {
    prepared: &'a Prepared,
    result: &'a RoundStatus,
    all: bool,
    /// `--assessment`: the table lists every task of it.
    only: Option<crate::assess::Assessment>,
    trend: bool,
}

impl StatusOutput<'_> {
    /// Each task's progress over the rounds so far, as a sparkline.
    fn sparklines(&self, ascii: bool) -> BTreeMap<u32, String> {
        let (p, ws) = (self.prepared, self.prepared.workspace());
        let history = trend::history_through(&ws, p.round, p.as_of, &p.times);
        ws.tasks
            .iter()
            .map(|t| {
                let series = trend::progress_series(&history.rounds, t.id.value);
                (t.id.value, trend::sparkline(&series, ascii))
            })
            .collect()
    }
}

impl Emit for StatusOutput<'_> {
    fn table(&self, out: &mut dyn Write, opts: &TableOpts) -> Result<()> {
        let trend = self.trend.then(|| self.sparklines(opts.ascii));
        let ws = self.prepared.workspace();
        let names = |id: &str| ws.units.name_or_id(id);
        let view = status::View {
            version: Some(&self.prepared.version),
            record: Some(crate::render::views::record::Named {
                record: &self.prepared.record,
                names: &names,
            }),
            all: self.all,
            only: self.only,
            trend: trend.as_ref(),
        };
        Ok(status::table(out, self.result, &view, opts)?)
    }
    fn csv(&self, out: &mut dyn Write) -> Result<()> {
        status::csv(out, self.result)
    }
    fn json(&self, out: &mut dyn Write) -> Result<()> {
        status::json(out, self.result, Some(&self.prepared.version), &self.prepared.record)
    }
}
