//! `tracker show TASK`.

use anyhow::{Result, bail};

use super::Context;
use super::prepare::prepare;
use crate::Outcome;
use crate::assess::history::task_history;
use crate::cli::{OutputFormat, ShowArgs};
use crate::render::show::{self, TaskView};

pub fn run(ctx: &Context, args: &ShowArgs) -> Result<Outcome> {
    let prepared = prepare(ctx, args.round.as_deref())?;
    let ws = prepared.workspace();
    let Some(task) = ws.tasks.iter().find(|t| t.id.value == args.task) else {
        bail!("没有第 {} 项任务；清单共 {} 项", args.task, ws.tasks.len());
    };
    let history = task_history(&ws, task, &prepared.rounds_so_far(), prepared.as_of, &prepared.times);
    let current = &history.last().expect("the chosen round is in the calendar").1;
    let view = TaskView {
        task,
        plan: ws.plan,
        round: prepared.round,
        current,
        history: &history,
    };
    let mut out = std::io::stdout().lock();
    match args.output.format {
        OutputFormat::Json => show::json(&mut out, &view)?,
        _ => show::text(&mut out, &view, &ctx.table_opts(&args.output))?,
    }
    Ok(Outcome::Clean)
}
