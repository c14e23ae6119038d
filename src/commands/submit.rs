//! `tracker submit`: check one unit's report and commit that file alone, with a standard message.

use std::io::Write;

use anyhow::{Result, bail};
use chrono::TimeZone;

use super::{Context, in_calendar, resolve_unit, workspace};
use crate::app::choose_times;
use crate::cli::SubmitArgs;
use crate::ledger::deliver::{self, Delivery, Upstream};
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
    if let Some(file) = args.file.as_deref().filter(|f| super::plan::is_plan(f)) {
        return submit_plan(ctx, args, file);
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
    let (now, tz) = (ctx.as_of(ws.plan)?, ws.plan.timezone);
    if imported_round.is_none()
        && let Some(note) = crate::app::late_for(&ws, unit, round, now)
    {
        writeln!(out, "{note}")?;
    }
    if let Some(file) = &args.file {
        move_out_of_reports(&root, file, &mut out)?;
    }
    let diags: Vec<_> = crate::check::run(&mut loaded, now)
        .into_iter()
        .filter(|d| d.file == rel)
        .collect();
    if diags.iter().any(|d| d.is_error()) {
        diagnostics::text(&mut out, &diags, &loaded.sources, ctx.color)?;
        writeln!(out, "未提交：{rel} 有错误，改正后再运行 tracker submit。")?;
        return Ok(Outcome::DataProblems);
    }
    let hand_in = HandIn {
        unit: &unit_id,
        rel: &rel,
        changed: ledger.dirty.contains(&rel),
        message: &format!("报送 {unit_name} {round}"),
        next: &format!("tracker submit --unit {unit_id} --round {round} --push"),
    };
    let (committed, receipt) = match hand_in.run(&root, args, loaded.plan.as_ref(), tz, &mut out)? {
        Handed::Unchanged => bail!("{rel} 与上次提交相同，没有需要提交的内容"),
        Handed::Stopped(outcome) => return Ok(outcome),
        Handed::Done { committed, receipt } => (committed.unwrap_or(now.timestamp()), receipt),
    };
    let received = receipt.unwrap_or(committed).max(committed);
    verdict(&loaded, &root, (round, &unit_id), (received, now), &mut out)?;
    for d in &diags {
        writeln!(out, "提醒：{}", d.message)?;
    }
    Ok(Outcome::Clean)
}

/// The unit's verdict as status and units will give it, now that the commit exists (and was
/// received): judged at that time (or later), never at a "now" taken before it.
fn verdict(
    loaded: &crate::load::Loaded,
    root: &std::path::Path,
    (round, unit_id): (Round, &str),
    (received, now): (i64, chrono::DateTime<chrono::FixedOffset>),
    out: &mut dyn Write,
) -> Result<()> {
    let ws = workspace(loaded)?;
    let judged_at = ws
        .plan
        .timezone
        .timestamp_opt(received, 0)
        .single()
        .map_or(now, |c| c.max(now));
    let (times, _) = choose_times(&ws, judged_at, || history::read(root));
    let status = crate::assess::consolidate(&ws, round, judged_at, &times, crate::assess::Detail::Rows);
    if let Some(u) = status.units.iter().find(|u| u.id == unit_id) {
        writeln!(out, "{}", crate::render::views::units::verdict_line(u, status.due))?;
    }
    Ok(())
}

/// Delivers the commit to `up` and says when it was received; or the outcome to stop with, having
/// said why and what to run next.
fn delivered(
    root: &std::path::Path,
    up: Result<Upstream, String>,
    (rel, next): (&str, &str),
    tz: chrono::FixedOffset,
    out: &mut dyn Write,
) -> Result<Result<i64, Outcome>> {
    let up = match up {
        Ok(up) => up,
        Err(why) => {
            writeln!(out, "推送失败：{why}。已在本地提交，但市发展改革委尚未收到，不计报送。")?;
            writeln!(out, "设好远程仓库后运行：{next}")?;
            return Ok(Err(Outcome::DataProblems));
        }
    };
    Ok(match deliver(root, &up, rel, next, out)? {
        Some((at, source)) => {
            let when = tz.timestamp_opt(at, 0).single();
            let when = when.map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M").to_string());
            writeln!(out, "已收到：{when}（{source}）。")?;
            Ok(at)
        }
        None => Err(Outcome::DataProblems),
    })
}

/// Delivers the commit to the office; gives when it was received (Unix seconds) and from what: the
/// server's receipt where it keeps them, else the commit's time. None (having said why and what to
/// run next) when it was not delivered.
fn deliver(
    root: &std::path::Path,
    up: &Upstream,
    rel: &str,
    next: &str,
    out: &mut dyn Write,
) -> Result<Option<(i64, &'static str)>> {
    match deliver::deliver(root, up) {
        Delivery::Delivered { commit } => {
            deliver::fetch_receipts(root, up);
            Ok(Some(match receipt_of(root, &commit, rel) {
                Some(at) => (at, "服务器收到时间"),
                None => (commit_time(root, &commit), "服务器未记录收到时间，按提交时间"),
            }))
        }
        Delivery::Conflict(said) => {
            writeln!(
                out,
                "推送失败：{rel} 在远程仓库中也被修改（可能是市发展改革委代为更正），无法自动合并。"
            )?;
            writeln!(out, "{said}")?;
            writeln!(
                out,
                "已在本地提交，但市发展改革委尚未收到。请联系市发展改革委，或运行 git pull --rebase 后按提示处理，再运行：{next}"
            )?;
            Ok(None)
        }
        Delivery::Failed(said) => {
            writeln!(out, "推送失败：已在本地提交，但市发展改革委尚未收到，不计报送。")?;
            writeln!(out, "{said}")?;
            writeln!(out, "网络恢复后运行：{next}（或把本仓库交给市发展改革委）。")?;
            Ok(None)
        }
        // Refused by the server's hooks: the network is not what failed.
        Delivery::Refused(said) => {
            writeln!(
                out,
                "推送被服务器拒绝：已在本地提交，但市发展改革委尚未收到，不计报送。"
            )?;
            writeln!(out, "{said}")?;
            writeln!(out, "按上面服务器的说明改正（或联系市发展改革委）后运行：{next}")?;
            Ok(None)
        }
    }
}

/// The server's receipt of `rel` in `commit`, from the fetched notes.
fn receipt_of(root: &std::path::Path, commit: &str, rel: &str) -> Option<i64> {
    crate::ledger::notes::of_commit(root, commit)
        .iter()
        .find(|((_, path), _)| path == rel || path.ends_with(&format!("/{rel}")))
        .map(|(_, r)| r.at)
}

fn commit_time(root: &std::path::Path, commit: &str) -> i64 {
    git::output(root, &["log", "-1", "--format=%ct", commit])
        .and_then(|o| String::from_utf8_lossy(&o).trim().parse().ok())
        .unwrap_or(0)
}

/// A workbook handed in from inside `reports/` (where `check` would call it an error) is moved to
/// the repository's top once its CSV is made; one already there of that name is never replaced.
fn move_out_of_reports(root: &std::path::Path, file: &std::path::Path, out: &mut dyn Write) -> Result<()> {
    let Ok(full) = file.canonicalize() else {
        return Ok(());
    };
    if !full.starts_with(root.join(REPORTS_DIR)) {
        return Ok(());
    }
    let Some(name) = full.file_name() else {
        return Ok(());
    };
    let to = root.join(name);
    if to.exists() {
        writeln!(
            out,
            "提醒：工作簿 {} 仍在 reports/ 中（仓库根目录已有同名文件），请移走，报送文件只放 CSV。",
            file.display()
        )?;
        return Ok(());
    }
    std::fs::rename(&full, &to)?;
    writeln!(
        out,
        "工作簿已移到 {}（reports/ 中只放报送 CSV）。",
        name.to_string_lossy()
    )?;
    Ok(())
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

/// One file a unit hands in: committed alone when it changed, then with `--push` delivered (a
/// commit an earlier push failed to deliver is delivered too). Reports and plans alike.
struct HandIn<'a> {
    unit: &'a str,
    /// The file, relative to the root.
    rel: &'a str,
    /// It differs from the last commit.
    changed: bool,
    /// The commit message.
    message: &'a str,
    /// The command that delivers it, said when delivery fails.
    next: &'a str,
}

/// How handing a file in ended.
enum Handed {
    /// Nothing changed and nothing is owed.
    Unchanged,
    /// Not delivered (having said why and what to run next).
    Stopped(Outcome),
    /// The commit's time, if one was made now; the receipt, if it was pushed.
    Done {
        committed: Option<i64>,
        receipt: Option<i64>,
    },
}

impl HandIn<'_> {
    fn run(
        &self,
        root: &std::path::Path,
        args: &SubmitArgs,
        plan: Option<&crate::model::Plan>,
        tz: chrono::FixedOffset,
        out: &mut dyn Write,
    ) -> Result<Handed> {
        let upstream = args
            .push
            .then(|| Upstream::of(root).map(|up| up.for_unit(self.unit, plan)));
        // A commit made by an earlier `submit --push` whose push failed: delivered now.
        let owed = matches!(&upstream, Some(Ok(up)) if up.has_unpushed(root));
        if !self.changed && !owed {
            return Ok(Handed::Unchanged);
        }
        let committed = if self.changed {
            Some(commit(root, self.rel, self.message, out)?)
        } else {
            None
        };
        let receipt = match upstream {
            None => None,
            Some(up) => match delivered(root, up, (self.rel, self.next), tz, out)? {
                Ok(at) => Some(at),
                Err(outcome) => return Ok(Handed::Stopped(outcome)),
            },
        };
        Ok(Handed::Done { committed, receipt })
    }
}

/// A plan (推进计划) handed in: imported to `plans/<unit>.csv`, committed alone, and with `--push`
/// delivered as a report is.
fn submit_plan(ctx: &Context, args: &SubmitArgs, file: &std::path::Path) -> Result<Outcome> {
    let root = ctx.root()?;
    let (outcome, unit) = super::plan::run_import(ctx, file, Some(&args.unit), false)?;
    let Some(unit) = unit else { return Ok(outcome) };
    let rel = super::plan::plan_rel(&unit);
    let mut out = std::io::stdout().lock();
    let plan = crate::load::load_plan(&root)?;
    let tz = workspace(&plan)?.plan.timezone;
    let hand_in = HandIn {
        unit: &unit,
        rel: &rel,
        changed: git::output(&root, &["status", "--porcelain", "--", &rel]).is_some_and(|o| !o.is_empty()),
        message: &format!("推进计划 {unit}"),
        next: &format!("tracker submit --unit {unit} {} --push", file.display()),
    };
    match hand_in.run(&root, args, plan.plan.as_ref(), tz, &mut out)? {
        Handed::Unchanged => writeln!(out, "{rel} 与上次提交相同，没有需要提交的内容")?,
        Handed::Stopped(outcome) => return Ok(outcome),
        Handed::Done { .. } => {}
    }
    Ok(Outcome::Clean)
}
