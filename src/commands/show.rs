//! `tracker show TASK`.

use anyhow::{Result, bail};

use super::Context;
use crate::Outcome;
use crate::app::prepare;
use crate::assess::history::task_history;
use std::io::Write;

use crate::cli::{ShowArgs, ShowFormat};
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
    let mut out = super::stdout();
    match args.format {
        ShowFormat::Json => show::json(&mut out, &view)?,
        ShowFormat::Table => {
            let opts = ctx.table_opts(&args.table);
            let mut out = super::fitted(&mut out, opts.width);
            show::text(&mut out, &view, &opts)?;
            out.flush()?;
        }
    }
    out.flush()?;
    Ok(Outcome::Clean)
}
