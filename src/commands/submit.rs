//! `tracker submit`: check one unit's report and commit that file alone, with a standard message.

use std::io::Write;

use anyhow::{Context as _, Result, bail};
use chrono::TimeZone;

use super::{Context, in_calendar, resolve_unit, workspace};
use crate::app::choose_times;
use crate::cli::SubmitArgs;
use crate::ledger::{git, history};
use crate::load::REPORTS_DIR;
use crate::model::{Plan, Round, Unit};
use crate::outcome::Outcome;
use crate::render::views::diagnostics;

pub(crate) fn run(ctx: &Context, args: &SubmitArgs) -> Result<Outcome> {
    let root = ctx.root()?;
    if ctx.as_of.is_some() {
        bail!("tracker submit 以实际提交时间为准，不能使用 --as-of");
    }
    // A workbook is imported first (replacing this round's CSV: git keeps the earlier one).
    let imported_round = match &args.file {
        Some(file) => match import_workbook(ctx, args, file)? {
            Ok(round) => Some(round),
            Err(outcome) => return Ok(outcome),
        },
        None => None,
    };
    let mut loaded = crate::load::load(&root)?;
    let ws = workspace(&loaded)?;
    let unit = resolve_unit(ws.units, &args.unit)?;
    let (unit_id, unit_name) = (unit.id.clone(), unit.name.clone());
    let ledger =
        history::read(&root).map_err(|why| anyhow::anyhow!("{}；tracker submit 需要 git 仓库", why.warning()))?;
    let round = match imported_round.or(args.round) {
        Some(r) => in_calendar(ws.plan, r)?,
        None => uncommitted_round(ws.plan, unit, &ledger)?,
    };
    let rel = report_path(round, &unit.id);
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
    let committed = commit(&root, &rel, &format!("报送 {} {round}", unit_name), &mut out)?;
    // The verdict as status and units will give it, now that the commit exists: judged at the
    // commit's own time (or later), never at a "now" taken before it.
    let ws = workspace(&loaded)?;
    let judged_at = ws
        .plan
        .timezone
        .timestamp_opt(committed, 0)
        .single()
        .map_or(now, |c| c.max(now));
    let (times, _) = choose_times(&ws, judged_at, || history::read(&root));
    let status = crate::assess::consolidate(&ws, round, judged_at, &times, crate::assess::Detail::Rows);
    if let Some(u) = status.units.iter().find(|u| u.id == unit_id) {
        writeln!(out, "{}", crate::render::views::units::verdict_line(u, status.due))?;
    }
    for d in &diags {
        writeln!(out, "提醒：{}", d.message)?;
    }
    if args.push {
        return push(&root, &mut out);
    }
    Ok(Outcome::Clean)
}

/// `reports/<round>/<unit>.csv`.
fn report_path(round: Round, unit: &str) -> String {
    format!("{REPORTS_DIR}/{round}/{unit}.csv")
}

/// Imports the workbook `file` as the unit's CSV: the round it was for, or the outcome to stop with.
fn import_workbook(ctx: &Context, args: &SubmitArgs, file: &std::path::Path) -> Result<Result<Round, Outcome>> {
    let import = crate::cli::ReportImportArgs {
        file: file.to_path_buf(),
        unit: Some(args.unit.clone()),
        round: args.round,
        // As report import does: an earlier import that is committed and unchanged is replaced
        // (git keeps it); one with changes not committed is refused, never lost.
        force: false,
    };
    Ok(match super::report_import::run(ctx, &import)? {
        (Outcome::Clean, Some((_, round))) => Ok(round),
        (outcome, _) => Err(outcome),
    })
}

/// The latest round whose file for `unit` has changes not committed yet.
fn uncommitted_round(plan: &Plan, unit: &Unit, ledger: &history::Ledger) -> Result<Round> {
    let found = plan
        .rounds()
        .into_iter()
        .rev()
        .find(|r| ledger.dirty.contains(&report_path(*r, &unit.id)));
    match found {
        Some(r) => Ok(r),
        None => bail!(
            "{} 没有待提交的报送文件；用 --round 指定轮次，或先运行 tracker report new --unit {}",
            unit.name,
            unit.id
        ),
    }
}

/// Commits `rel` alone with `message`, and says so; gives the commit's time (Unix seconds).
fn commit(root: &std::path::Path, rel: &str, message: &str, out: &mut dyn Write) -> Result<i64> {
    git::run(root, &["add", "--", rel])?;
    git::run(root, &["commit", "--quiet", "--only", "-m", message, "--", rel])?;
    let head = git::output(root, &["log", "-1", "--format=%h %ct", "HEAD"]).unwrap_or_default();
    let head = String::from_utf8_lossy(&head);
    let (short, time) = head.trim().split_once(' ').unwrap_or(("", ""));
    writeln!(out, "已提交 {short}：{message}（{rel}）")?;
    Ok(time.parse().unwrap_or(0))
}

/// `git push`; on failure, says that the commit is kept locally and what to do.
fn push(root: &std::path::Path, out: &mut dyn Write) -> Result<Outcome> {
    let push = git::command(root).arg("push").output().context("无法运行 git push")?;
    if !push.status.success() {
        writeln!(out, "推送失败：已在本地提交，但没有推送到远程仓库。")?;
        writeln!(out, "{}", String::from_utf8_lossy(&push.stderr).trim())?;
        writeln!(out, "网络恢复后运行 git push，或把本仓库交给市发展改革委。")?;
        return Ok(Outcome::DataProblems);
    }
    writeln!(out, "已推送到远程仓库。")?;
    Ok(Outcome::Clean)
}
