//! `tracker check`: every problem in the repository, in one run.

use std::io::Write;

use anyhow::{Result, bail};

use super::Context;
use crate::Outcome;
use crate::check::{self, Rule, Severity};
use crate::cli::{CheckArgs, DiagFormat};
use crate::render::diagnostics;
use crate::text::{suggest, width};

pub fn run(ctx: &Context, args: &CheckArgs) -> Result<Outcome> {
    let mut out = std::io::stdout().lock();
    if args.list {
        let name_width = Rule::ALL.iter().map(|r| width(r.name())).max().unwrap_or(0);
        for r in Rule::ALL {
            let sev = if r.severity() == Severity::Error {
                "error  "
            } else {
                "warning"
            };
            writeln!(out, "{:name_width$}  {sev}  {}", r.name(), r.summary())?;
        }
        return Ok(Outcome::Clean);
    }
    for name in &args.rules {
        if Rule::find(name).is_none() {
            let close = suggest(name, Rule::ALL.iter().map(|r| r.name()), 3);
            bail!(
                "没有名为「{name}」的检查规则{}；用 tracker check --list 查看全部规则",
                match close.first() {
                    Some(c) => format!("（是否为 {c}？）"),
                    None => String::new(),
                }
            );
        }
    }
    let root = ctx.root()?;
    // --staged: the index exported to a temporary folder, checked as if it were the repository.
    let staged = if args.staged {
        Some(crate::ledger::staged::export(&root)?)
    } else {
        None
    };
    let mut loaded = crate::load::load(staged.as_ref().map_or(root.as_path(), |s| s.root()))?;
    let as_of = match &loaded.plan {
        Some(plan) => ctx.as_of(plan)?,
        None => ctx.now.with_timezone(&crate::model::Plan::default_timezone()),
    };
    let mut diags = check::run(&mut loaded, as_of);
    if staged.is_none() {
        diags.extend(crate::ledger::check::diagnostics(&loaded));
        crate::diagnostic::sort(&mut diags);
    }
    if !args.rules.is_empty() {
        diags.retain(|d| args.rules.iter().any(|r| r == d.rule.name()));
    }
    if args.strict {
        for d in &mut diags {
            d.severity = Severity::Error;
        }
    }
    match args.format {
        DiagFormat::Json => diagnostics::json(&mut out, &diags)?,
        DiagFormat::Text => {
            diagnostics::text(&mut out, &diags, &loaded.sources, ctx.color)?;
            let what = format!(
                "{}{} 个任务文件、{} 个报送文件",
                if args.staged { "暂存区中 " } else { "" },
                loaded.tasks.len(),
                loaded.reports.len()
            );
            diagnostics::summary(&mut out, &diags, &what)?;
        }
    }
    Ok(if diags.iter().any(|d| d.is_error()) {
        Outcome::DataProblems
    } else {
        Outcome::Clean
    })
}
