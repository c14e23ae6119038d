//! `tracker show TASK`.

use anyhow::{Result, bail};

use super::Context;
use crate::app::prepare;
use crate::assess::history::task_history;
use crate::outcome::Outcome;
use std::io::Write;

use super::output::{Emit, emit};
use crate::cli::ShowArgs;
use crate::render::terminal::table::TableOpts;
use crate::render::views::show::{self, TaskView};

pub(crate) fn run(ctx: &Context, args: &ShowArgs) -> Result<Outcome> {
    let prepared = prepare(ctx, args.round)?;
    let ws = prepared.workspace();
    let Some(task) = ws.tasks.iter().find(|t| t.id.value == args.task) else {
        bail!("没有第 {} 项任务；清单共 {} 项", args.task, ws.tasks.len());
    };
    let history = task_history(&ws, task, &prepared.rounds_so_far(), prepared.as_of, &prepared.times);
    let current = &history.last().expect("the chosen round is in the calendar").1;
    let at = ws.plan.due(prepared.round).timestamp();
    let schedules: Vec<_> = ws
        .assignments
        .leads(task.id.value)
        .filter_map(|uid| {
            let plan = ws.schedules.at(uid, task.id.value, at)?;
            let name = ws.assignments.unit_name(uid).cloned().unwrap_or_else(|| uid.clone());
            Some((name, plan.clone()))
        })
        .collect();
    let view = TaskView {
        task,
        plan: ws.plan,
        round: prepared.round,
        current,
        history: &history,
        schedules: &schedules,
    };
    emit(ctx, args.format, Some(&args.table), &view)?;
    Ok(Outcome::Clean)
}

impl Emit for TaskView<'_> {
    fn table(&self, out: &mut dyn Write, opts: &TableOpts) -> Result<()> {
        Ok(show::text(out, self, opts)?)
    }
    fn json(&self, out: &mut dyn Write) -> Result<()> {
        show::json(out, self)
    }
}
