//! `tracker check`: every problem in the repository, in one run; or, for some files or units (and
//! the shared data they depend on), those files' problems with the rest summed up in one line.

use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};

use std::borrow::Cow;

use super::output::{Emit, emit};
use super::{Context, resolve_unit};
use crate::check;
use crate::check::scope::Scope;
use crate::cli::{CheckArgs, TableArgs, TableStyleArg};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::load::Loaded;
use crate::outcome::Outcome;
use crate::render::terminal::table::TableOpts;
use crate::render::views::diagnostics;
use crate::text::{suggest, width};

pub(crate) fn run(ctx: &Context, args: &CheckArgs) -> Result<Outcome> {
    if args.list {
        let mut out = super::stdout();
        list(&mut out)?;
        out.flush()?;
        return Ok(Outcome::Clean);
    }
    let root = ctx.root()?;
    let (paths, rules) = split_targets(&root, &args.targets)?;
    // --staged: the index exported to a temporary folder, checked as if it were the repository.
    let staged = if args.staged {
        Some(crate::ledger::staged::export(&root)?)
    } else {
        None
    };
    let checked = staged.as_ref().map_or(root.as_path(), |s| s.root());
    for p in &paths {
        must_exist(checked, p)?;
    }
    let (loaded, mut diags) = load_and_check(ctx, checked)?;
    let scope = scope_of(args, &loaded, paths, &root)?;
    if staged.is_none() {
        add_ledger_diagnostics(&loaded, &mut diags);
        add_appeal_diagnostics(ctx, &loaded, &mut diags)?;
    }
    if !rules.is_empty() {
        diags.retain(|d| rules.contains(&d.rule));
    }
    if args.strict {
        for d in &mut diags {
            d.severity = Severity::Error;
        }
    }
    // The whole repository's check (CI's) keeps closed rounds as history: summed up, not failing.
    let past = if scope.is_everything() && !args.staged && !args.all_rounds {
        closed_rounds(&loaded, ctx, &mut diags)?
    } else {
        Vec::new()
    };
    let errors = diags.iter().filter(|d| scope.covers(d)).any(Diagnostic::is_error);
    let what = format!(
        "{}{} 个任务文件、{} 个报送文件",
        if args.staged { "暂存区中 " } else { "" },
        loaded.tasks.len(),
        loaded.report_files().count()
    );
    let table = TableArgs {
        width: args.width,
        style: TableStyleArg::Utf8,
    };
    let output = CheckOutput {
        diags: &diags,
        past: &past,
        scope: &scope,
        loaded: &loaded,
        what,
    };
    emit(ctx, args.format, Some(&table), &output)?;
    // Not freed, as in `Prepared`: the process ends here.
    std::mem::forget(loaded);
    Ok(if errors { Outcome::DataProblems } else { Outcome::Clean })
}

/// Loads the repository at `root` and runs every rule on it at `--as-of`.
fn load_and_check(ctx: &Context, root: &Path) -> Result<(Loaded, Vec<Diagnostic>)> {
    let mut loaded = crate::load::load_plan(root)?;
    let as_of = match &loaded.plan {
        Some(plan) => ctx.as_of(plan)?,
        None => ctx.now.with_timezone(&crate::model::Plan::default_timezone()),
    };
    crate::app::schedules::settle(&mut loaded, as_of);
    if ctx.as_of.is_some() {
        loaded.pinned = crate::app::received_by(root, &loaded, as_of);
    }
    // Round by round, as judging reads them: a province's twelve rounds held at once were 200 MB,
    // and the kernel zeroing their fresh pages a third of the time.
    let diags = if crate::app::reads_every_round() {
        crate::load::load_reports(&mut loaded)?;
        check::run(&mut loaded, as_of)
    } else {
        crate::app::by_round::check(&mut loaded, as_of)?
    };
    Ok((loaded, diags))
}

/// What to show in full: the paths and units asked for, and with `--staged` what is staged
/// (with nothing staged, the shared data only).
fn scope_of(args: &CheckArgs, loaded: &Loaded, paths: Vec<String>, root: &Path) -> Result<Scope> {
    let mut scope = Scope {
        paths,
        units: Vec::new(),
    };
    if let Some(units) = &loaded.units {
        for u in &args.unit {
            scope.units.push(resolve_unit(units, u)?.id.clone());
        }
    }
    if args.staged {
        scope.paths.extend(crate::ledger::staged::changed(root)?);
        if scope.is_everything() {
            scope.paths.push(crate::load::PLAN_FILE.to_string());
        }
    }
    Ok(scope)
}

/// Appeals that match no deduction (only with `appeals.toml` and `[scoring]`: it reads every round).
fn add_appeal_diagnostics(ctx: &Context, loaded: &Loaded, diags: &mut Vec<Diagnostic>) -> Result<()> {
    let Some(plan) = loaded.plan.as_ref().filter(|p| p.scoring.is_some()) else {
        return Ok(());
    };
    if loaded.appeals.is_empty() {
        return Ok(());
    }
    let found = crate::app::scores::unmatched_appeals(&loaded.root, ctx.as_of(plan)?);
    if !found.is_empty() {
        diags.extend(found);
        crate::diagnostic::sort(diags);
    }
    Ok(())
}

/// The ledger's own diagnostics (uncommitted reports, receipts), kept sorted with the rest.
fn add_ledger_diagnostics(loaded: &Loaded, diags: &mut Vec<Diagnostic>) {
    let from_git = crate::ledger::check::diagnostics(loaded);
    // `diags` is sorted already: sorted again only with something added.
    if !from_git.is_empty() {
        diags.extend(from_git);
        crate::diagnostic::sort(diags);
    }
}

struct CheckOutput<'a> {
    diags: &'a [Diagnostic],
    /// Problems in the files of rounds already closed: the units' record, summed up.
    past: &'a [Diagnostic],
    scope: &'a Scope,
    loaded: &'a Loaded,
    what: String,
}

impl Emit for CheckOutput<'_> {
    fn table(&self, out: &mut dyn Write, opts: &TableOpts) -> Result<()> {
        print_scoped(
            out,
            self.diags,
            self.scope,
            &self.loaded.sources,
            opts.color,
            &self.what,
        )?;
        history_block(out, self.past)?;
        Ok(())
    }
    fn json(&self, out: &mut dyn Write) -> Result<()> {
        Ok(diagnostics::json(out, &in_scope(self.diags, self.scope))?)
    }
}

/// Prints the diagnostics in `scope` with their snippets and a summary of `what` was checked, and
/// the rest as one line; true when any printed diagnostic is an error.
pub(crate) fn print_scoped(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    scope: &Scope,
    sources: &std::collections::BTreeMap<String, crate::diagnostic::Source>,
    color: bool,
    what: &str,
) -> Result<bool> {
    let shown = in_scope(diags, scope);
    let elsewhere: Vec<&Diagnostic> = diags.iter().filter(|d| !scope.covers(d)).collect();
    diagnostics::text(out, &shown, sources, color)?;
    diagnostics::summary(out, &shown, what)?;
    elsewhere_line(out, &elsewhere)?;
    Ok(shown.iter().any(Diagnostic::is_error))
}

/// The diagnostics `scope` covers. Without a scope everything is shown: the list as it is, not
/// copied into a new one.
fn in_scope<'d>(diags: &'d [Diagnostic], scope: &Scope) -> Cow<'d, [Diagnostic]> {
    if diags.iter().all(|d| scope.covers(d)) {
        Cow::Borrowed(diags)
    } else {
        Cow::Owned(diags.iter().filter(|d| scope.covers(d)).cloned().collect())
    }
}

fn list(out: &mut dyn Write) -> Result<()> {
    let name_width = Rule::ALL.iter().map(|r| width(r.name())).max().unwrap_or(0);
    for r in Rule::ALL {
        let sev = if r.severity() == Severity::Error {
            "error  "
        } else {
            "warning"
        };
        writeln!(out, "{:name_width$}  {sev}  {}", r.name(), r.summary())?;
    }
    Ok(())
}

/// Moves the diagnostics of closed rounds' report files out of `diags`: a round is history once the
/// next round's deadline has passed too (until then it is still chased and corrected: 补报), and
/// its files' problems are each unit's 有误 or 不完整 record for it.
fn closed_rounds(loaded: &Loaded, ctx: &Context, diags: &mut Vec<Diagnostic>) -> Result<Vec<Diagnostic>> {
    let Some(plan) = &loaded.plan else {
        return Ok(Vec::new());
    };
    let as_of = ctx.as_of(plan)?;
    let closed = |d: &Diagnostic| {
        let round = d.file.strip_prefix("reports/").and_then(|r| r.split('/').next());
        round
            .and_then(|r| r.parse::<crate::model::Round>().ok())
            .is_some_and(|r| plan.has_round(r) && plan.has_round(r.next()) && plan.due(r.next()) < as_of)
    };
    let (past, current) = std::mem::take(diags).into_iter().partition(|d| closed(d));
    *diags = current;
    Ok(past)
}

/// One block for the closed rounds' problems: how many files, which, and how to see them all.
fn history_block(out: &mut dyn Write, past: &[Diagnostic]) -> std::io::Result<()> {
    let mut files: Vec<&str> = past.iter().filter(|d| d.is_error()).map(|d| d.file.as_str()).collect();
    files.dedup();
    if files.is_empty() {
        return Ok(());
    }
    let mut by_round: Vec<(&str, Vec<&str>)> = Vec::new();
    for f in &files {
        let (round, name) = f.trim_start_matches("reports/").split_once('/').unwrap_or(("", f));
        match by_round.last_mut() {
            Some((r, names)) if *r == round => names.push(name),
            _ => by_round.push((round, vec![name])),
        }
    }
    let listed: Vec<String> = by_round
        .iter()
        .map(|(r, names)| format!("{r}：{}", names.join("、")))
        .collect();
    writeln!(
        out,
        "已截止轮次：{} 个文件有问题，已计入各单位记录（{}）；不影响本次检查结果，运行 tracker check --all-rounds 查看全部。",
        files.len(),
        listed.join("；")
    )
}

/// Other files' problems, in one line: they do not block this check.
fn elsewhere_line(out: &mut dyn Write, elsewhere: &[&Diagnostic]) -> std::io::Result<()> {
    let errors = elsewhere.iter().filter(|d| d.is_error()).count();
    if errors == 0 {
        return Ok(());
    }
    let mut files: Vec<&str> = elsewhere
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.file.as_str())
        .collect();
    files.dedup();
    writeln!(
        out,
        "另有 {} 个其他文件共 {errors} 个错误，不在本次检查范围内（运行 tracker check 查看全部）。",
        files.len()
    )
}

/// Positional arguments: a path (it contains `/`, ends in `.csv`/`.toml`, or exists) or a rule name.
fn split_targets(root: &Path, targets: &[String]) -> Result<(Vec<String>, Vec<Rule>)> {
    let (mut paths, mut rules) = (Vec::new(), Vec::new());
    for t in targets {
        let looks_like_path = t.contains('/') || t.ends_with(".csv") || t.ends_with(".toml") || Path::new(t).exists();
        if looks_like_path {
            paths.push(relative_to_root(root, t)?);
            continue;
        }
        match Rule::find(t) {
            Some(rule) => rules.push(rule),
            None => {
                let close = suggest(t, Rule::ALL.iter().map(|r| r.name()), 3);
                bail!(
                    "没有名为「{t}」的检查规则{}；用 tracker check --list 查看全部规则",
                    match close.first() {
                        Some(c) => format!("（是否为 {c}？）"),
                        None => String::new(),
                    }
                );
            }
        }
    }
    Ok((paths, rules))
}

/// Refuses a path that names nothing in the tree checked: a mistyped file would otherwise be
/// "checked" and pass. Suggests a neighbour with a close name.
fn must_exist(root: &Path, rel: &str) -> Result<()> {
    if root.join(rel).exists() {
        return Ok(());
    }
    let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let siblings: Vec<String> = std::fs::read_dir(root.join(folder))
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    let close = suggest(name, siblings.iter().map(String::as_str), 1);
    match close.first() {
        Some(c) if folder.is_empty() => bail!("找不到要检查的文件「{rel}」，是否为 {c}？"),
        Some(c) => bail!("找不到要检查的文件「{rel}」，是否为 {folder}/{c}？"),
        None => bail!("找不到要检查的文件「{rel}」；路径相对于当前目录，例如 reports/2024-08/jtj.csv"),
    }
}

/// A path as given (relative to the current folder) -> relative to the root, `/`-separated.
fn relative_to_root(root: &Path, given: &str) -> Result<String> {
    let absolute = std::env::current_dir()?.join(given);
    let resolved = absolute
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .map(|p| p.join(absolute.file_name().unwrap_or_default()))
        .unwrap_or(absolute);
    match resolved.strip_prefix(root) {
        Ok(rel) => Ok(rel.to_string_lossy().replace('\\', "/")),
        Err(_) => bail!("{given} 不在任务仓库 {} 之内", root.display()),
    }
}
