//! `tracker submit`: check one unit's report and commit that file alone, with a standard message.

use std::io::Write;

use anyhow::{Context as _, Result, bail};

use super::{Context, parse_round, resolve_unit, workspace};
use crate::Outcome;
use crate::app::choose_times;
use crate::cli::SubmitArgs;
use crate::ledger::{git, history};
use crate::load::REPORTS_DIR;
use crate::render::diagnostics;

pub fn run(ctx: &Context, args: &SubmitArgs) -> Result<Outcome> {
    let root = ctx.root()?;
    if ctx.as_of.is_some() {
        bail!("tracker submit 以实际提交时间为准，不能使用 --as-of");
    }
    // A workbook is imported first (replacing this round's CSV: git keeps the earlier one).
    let imported_round = match &args.file {
        Some(file) => {
            let import = crate::cli::ReportImportArgs {
                file: file.clone(),
                unit: Some(args.unit.clone()),
                round: args.round.clone(),
                force: true,
            };
            match super::report_import::run(ctx, &import)? {
                (Outcome::Clean, Some((_, round))) => Some(round.to_string()),
                (outcome, _) => return Ok(outcome),
            }
        }
        None => None,
    };
    let mut loaded = crate::load::load(&root)?;
    let ws = workspace(&loaded)?;
    let unit = resolve_unit(ws.units, &args.unit)?;
    let (unit_id, unit_name) = (unit.id.clone(), unit.name.clone());
    let ledger =
        history::read(&root).map_err(|why| anyhow::anyhow!("{}；tracker submit 需要 git 仓库", why.warning()))?;
    let rel_of = |r: crate::model::Round| format!("{REPORTS_DIR}/{r}/{}.csv", unit.id);
    let round = match imported_round.as_ref().or(args.round.as_ref()) {
        Some(r) => parse_round(ws.plan, r)?,
        None => match ws
            .plan
            .rounds()
            .into_iter()
            .rev()
            .find(|r| ledger.dirty.contains(&rel_of(*r)))
        {
            Some(r) => r,
            None => bail!(
                "{} 没有待提交的报送文件；用 --round 指定轮次，或先运行 tracker report new --unit {}",
                unit.name,
                unit.id
            ),
        },
    };
    let rel = rel_of(round);
    if !root.join(&rel).is_file() {
        bail!(
            "没有 {rel}；先运行 tracker report new --unit {} --round {round}，填写后再提交",
            unit.id
        );
    }
    let mut out = std::io::stdout().lock();
    let now = ctx.as_of(ws.plan)?;
    let diags: Vec<_> = crate::check::run(&mut loaded, now)
        .into_iter()
        .filter(|d| d.file == rel)
        .collect();
    if diags.iter().any(|d| d.is_error()) {
        diagnostics::text(&mut out, &diags, &loaded.sources, ctx.color)?;
        writeln!(out, "未提交：{rel} 有错误，改正后再运行 tracker submit。")?;
        return Ok(Outcome::DataProblems);
    }
    if !ledger.dirty.contains(&rel) {
        bail!("{rel} 与上次提交相同，没有需要提交的内容");
    }
    let message = format!("报送 {} {round}", unit_name);
    git::run(&root, &["add", "--", &rel])?;
    git::run(&root, &["commit", "--quiet", "--only", "-m", &message, "--", &rel])?;
    let head = git::output(&root, &["rev-parse", "--short", "HEAD"]).unwrap_or_default();
    writeln!(
        out,
        "已提交 {}：{message}（{rel}）",
        String::from_utf8_lossy(&head).trim()
    )?;
    // The verdict as status and units will give it, now that the commit exists.
    let ws = workspace(&loaded)?;
    let (times, _) = choose_times(&ws, now, || history::read(&root));
    let status = crate::assess::consolidate(&ws, round, now, &times, crate::assess::Detail::Rows);
    if let Some(u) = status.units.iter().find(|u| u.id == unit_id) {
        writeln!(out, "{}", crate::render::units::verdict_line(u, status.due))?;
    }
    for d in &diags {
        writeln!(out, "提醒：{}", d.message)?;
    }
    if args.push {
        let push = git::command(&root).arg("push").output().context("无法运行 git push")?;
        if !push.status.success() {
            writeln!(out, "推送失败：已在本地提交，但没有推送到远程仓库。")?;
            writeln!(out, "{}", String::from_utf8_lossy(&push.stderr).trim())?;
            writeln!(out, "网络恢复后运行 git push，或把本仓库交给市发展改革委。")?;
            return Ok(Outcome::DataProblems);
        }
        writeln!(out, "已推送到远程仓库。")?;
    }
    Ok(Outcome::Clean)
}
