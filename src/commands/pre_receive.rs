//! `tracker hook pre-receive`, on the office's bare repository: refuses a push the pusher may not
//! make (who may change what), then one whose files fail the checks as of the server's clock,
//! the pusher told file:row:col and the fix. Records when the push arrived, before it waits for
//! its turn to be checked; a refusal changes nothing.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use super::Context;
use super::server_hook::{git_config_all, hook_input, pusher};
use crate::check::scope::Scope;
use crate::diagnostic::Source;
use crate::ledger::server::{self, Update};
use crate::ledger::{arrival, authority, locks, merge, pushes, shared_cache};
use crate::model::Units;
use crate::outcome::Outcome;

/// Refuses the push when the pusher may not make it (who may change what), then when a file it
/// adds or changes fails the checks, as of the server's clock. A refusal changes nothing.
pub(crate) fn pre_receive(ctx: &Context) -> Result<Outcome> {
    let (git_dir, updates) = hook_input()?;
    // The push is received now, whatever it waits for next.
    let tips: Vec<&str> = updates
        .iter()
        .filter(|u| u.brings_commits())
        .map(|u| u.new.as_str())
        .collect();
    let arrived = arrival::record(&git_dir, &tips, server::receipt_clock(&git_dir, ctx.now.timestamp()));
    // Hundreds of pushes at once take turns, as many at a time as the server has cores; each
    // waits before it reads anything, so that a waiting push holds little memory.
    let turn = locks::check_slot(&git_dir);
    let refused = refused(ctx, &git_dir, &updates);
    drop(turn);
    if !matches!(refused, Ok(false)) {
        arrived.withdraw();
    }
    Ok(if refused? {
        Outcome::DataProblems
    } else {
        Outcome::Clean
    })
}

/// The bare repository as the push finds it, read once: where the tracker root is inside it, its
/// main branch and that branch's tip (None before the first push).
struct Served<'a> {
    git_dir: &'a Path,
    prefix: String,
    main: String,
    tip: Option<String>,
}

impl<'a> Served<'a> {
    fn of(git_dir: &'a Path) -> Served<'a> {
        let main = pushes::main_ref(git_dir);
        Served {
            git_dir,
            prefix: server::root_prefix(git_dir),
            tip: pushes::tip(git_dir, &main),
            main,
        }
    }
}

/// Whether the push is refused (having said why): by who may change what, then by the checks.
fn refused(ctx: &Context, git_dir: &Path, updates: &[Update]) -> Result<bool> {
    let repo = Served::of(git_dir);
    let mut out = std::io::stdout().lock();
    let refusals = authority_refusals(&repo, updates)?;
    if !refusals.is_empty() {
        for r in &refusals {
            writeln!(out, "拒绝：{r}")?;
        }
        writeln!(out, "推送被拒绝，服务器上的仓库没有任何改动。")?;
        return Ok(true);
    }
    let mut refused = false;
    for update in updates.iter().filter(|u| u.brings_commits()) {
        let Some((base, target)) = what_lands(&repo, update, &mut out)? else {
            refused = true;
            continue;
        };
        refused |= check_pushed(ctx, &repo, (&base, &target), &update.refname, &mut out)?;
    }
    Ok(refused)
}

/// What main will hold once the update lands, and what it held before: the pushed commit against
/// the ref's old value; for a unit's branch, main with the branch merged in against main (it is
/// merged on arrival). None, having said why, when the branch cannot be merged.
fn what_lands(repo: &Served, update: &Update, out: &mut dyn Write) -> Result<Option<(String, String)>> {
    let same = Some((update.base().to_string(), update.new.clone()));
    let (Some(_), Some(main_tip)) = (authority::unit_branch(&update.refname), &repo.tip) else {
        return Ok(same);
    };
    let main = &repo.main;
    match merge::merged_tree(repo.git_dir, main_tip, &update.new)? {
        Ok(tree) => Ok(Some((main_tip.clone(), tree))),
        Err(files) => {
            writeln!(
                out,
                "拒绝：{}：{files} 在 {main} 上已被改动（可能是市发展改革委代为更正），无法并入；请先 git pull --rebase，核对后再推送",
                update.refname
            )?;
            Ok(None)
        }
    }
}

/// Checks the files `target` adds or changes against `base`, as of the server's clock; true when
/// one has an error (said, with the cell and the fix).
fn check_pushed(
    ctx: &Context,
    repo: &Served,
    (base, target): (&str, &str),
    refname: &str,
    out: &mut dyn Write,
) -> Result<bool> {
    let changed = server::changed_files(repo.git_dir, base, target, &repo.prefix)?;
    if changed.is_empty() {
        return Ok(false);
    }
    let Some((mut loaded, _export)) = load_pushed(repo.git_dir, target, &repo.prefix, &changed)? else {
        return Ok(false); // not a tracker repository at this commit
    };
    let tz = loaded
        .plan
        .as_ref()
        .map_or(crate::model::Plan::default_timezone(), |p| p.timezone);
    let diags = crate::check::run(&mut loaded, ctx.now.with_timezone(&tz));
    let what = format!("推送到 {refname} 的 {} 个文件", changed.len());
    let scope = Scope {
        paths: changed,
        units: Vec::new(),
    };
    if !super::check::print_scoped(out, &diags, &scope, &loaded.sources, false, &what)? {
        return Ok(false);
    }
    writeln!(
        out,
        "推送被拒绝：{refname} 中的文件有错误。改正后重新提交（git commit --amend 或新的提交），再推送。"
    )?;
    Ok(true)
}

/// What checking `target` needs, loaded (None when it is no tracker repository): a push of report
/// files only reads the office's shared data from the cache when main's version is there, and
/// writes out just the pushing units' reports; any other push is written out whole. The export
/// is kept alive with the data.
fn load_pushed(
    git_dir: &Path,
    target: &str,
    prefix: &str,
    changed: &[String],
) -> Result<Option<(crate::load::Loaded, server::Export)>> {
    let reports_only = changed.iter().all(|c| c.starts_with("reports/"));
    if reports_only && let Some(shared) = shared_cache::find(git_dir, target, prefix) {
        let export = server::export_reports(git_dir, target, prefix, changed)?;
        return Ok(Some((crate::load::load_apart(&shared, export.root())?, export)));
    }
    let export = server::export_commit(git_dir, target, prefix, changed)?;
    if !export.root().join(crate::load::PLAN_FILE).is_file() {
        return Ok(None);
    }
    Ok(Some((crate::load::load(export.root())?, export)))
}

/// What the pusher may not do in this push. Who the office and the units' pushers are is read from
/// the main branch as it stands before the push (a push cannot grant itself rights), and from the
/// repository's own `git config tracker.office`. A repository without a main branch yet takes its
/// first push from anyone: the office's, made when it sets the server up.
fn authority_refusals(repo: &Served, updates: &[Update]) -> Result<Vec<String>> {
    let (git_dir, prefix, main) = (repo.git_dir, repo.prefix.as_str(), &repo.main);
    let Some(tip) = &repo.tip else {
        return Ok(Vec::new());
    };
    let Some(pusher) = pusher() else {
        return Ok(vec![format!(
            "推送人不明：服务器没有告知推送者身份（{} 均未设置）；请按 docs/deployment.md 为每位联络员配置 SSH 密钥和强制命令，或使用会告知推送者的 git 服务",
            authority::IDENTITY_VARS.join("、")
        )]);
    };
    let (mut office, units) = who_is_who(git_dir, tip, prefix)?;
    office.extend(git_config_all(git_dir, "tracker.office"));
    let Some(who) = authority::who(&pusher, &office, &units) else {
        return Ok(vec![format!(
            "推送人「{pusher}」不在 units.toml 各单位的 pushers 中，也不在 tracker.toml 的 [server] office 中；请联系市发展改革委登记"
        )]);
    };
    let pushed: Vec<_> = updates
        .iter()
        .map(|u| pushes::pushed(git_dir, u, main))
        .collect::<Result<_>>()?;
    Ok(authority::refusals(who, main, prefix, &pushed))
}

/// The office's pushers and the units (with theirs) as main's tip says: its tracker.toml and
/// units.toml, read from git in one `cat-file` (not the whole tree exported). A file that is
/// missing or does not parse lists nobody.
fn who_is_who(git_dir: &Path, tip: &str, prefix: &str) -> Result<(Vec<String>, Units)> {
    use crate::load::{PLAN_FILE, UNITS_FILE};
    let names = [PLAN_FILE, UNITS_FILE].map(|f| format!("{tip}:{prefix}{f}"));
    let mut blobs = crate::ledger::blobs::read_objects(git_dir, &names)?.into_iter();
    let mut source = |file: &str| {
        let bytes = blobs.next().flatten()?;
        Some(Source::new(file, String::from_utf8(bytes).ok()?))
    };
    let office = source(PLAN_FILE)
        .and_then(|src| crate::load::parse_plan(&src).ok())
        .map(|plan| plan.office_pushers)
        .unwrap_or_default();
    let units = source(UNITS_FILE)
        .and_then(|src| crate::load::parse_units(&src).ok())
        .unwrap_or_default();
    Ok((office, units))
}
