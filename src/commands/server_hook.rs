//! The office's bare repository: `tracker hook install --server` installs a pre-receive hook that
//! refuses a push whose files fail the checks (the pusher sees file:row:col and the fix) and a
//! post-receive hook that records when the server received each report (the notes ref). The
//! hooks call `tracker hook pre-receive` and `tracker hook post-receive`.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use super::Context;
use super::hook_files::{self as hook, script_head};
use crate::check::scope::Scope;
use crate::cli::{HookInstallArgs, HookPlaceArgs};
use crate::diagnostic::Source;
use crate::ledger::notes::NOTES_REF;
use crate::ledger::server::{self, Update};
use crate::ledger::{arrival, authority, git, locks, merge, pushes, shared_cache};
use crate::model::Units;
use crate::outcome::Outcome;

const HOOKS: [&str; 2] = ["pre-receive", "post-receive"];

pub(crate) fn install(args: &HookInstallArgs) -> Result<Outcome> {
    let git_dir = bare_repository(args.place.git_dir.as_deref())?;
    if let Some(root) = &args.root_path {
        git::run(&git_dir, &["config", "tracker.root", root.trim_matches('/')])?;
    }
    // git refuses these itself too, before any hook runs.
    for key in ["receive.denyNonFastForwards", "receive.denyDeletes"] {
        git::run(&git_dir, &["config", key, "true"])?;
    }
    // Units' own branches are merged into main as they arrive: clones need not fetch hundreds.
    let hidden = authority::UNIT_BRANCHES.trim_end_matches('/');
    if !git_config_all(&git_dir, "uploadpack.hideRefs")
        .iter()
        .any(|r| r == hidden)
    {
        git::run(&git_dir, &["config", "--add", "uploadpack.hideRefs", hidden])?;
    }
    let hooks = hook::hooks_dir(&git_dir)?;
    let mut out = std::io::stdout().lock();
    for name in HOOKS {
        hook::install(&hooks, name, &script(name)?, args.chain, &mut out)?;
    }
    // What the hooks write as pushes arrive, made now so that a refused push creates nothing.
    std::fs::create_dir_all(git_dir.join(arrival::DIR)).context("无法创建收到记录目录")?;
    locks::prepare(&git_dir)?;
    refresh_cache(&git_dir, &server::root_prefix(&git_dir));
    writeln!(
        out,
        "已在 {} 安装服务器钩子：pre-receive 按推送人身份和检查结果拒绝推送（并已禁止强制推送和删除分支），post-receive 把收到时间记入 {NOTES_REF}。",
        git_dir.display()
    )?;
    writeln!(
        out,
        "各单位的克隆请取回收到时间：git config --add remote.origin.fetch '+refs/notes/*:refs/notes/*'"
    )?;
    writeln!(
        out,
        "单位多、常在截止前同时推送的，请在 tracker.toml 的 [server] 中写 unit_branches = true：各单位推送本单位的分支 units/<单位编号>，由服务器逐个并入主分支（服务器的 git 须为 2.38 或更新）。"
    )?;
    Ok(Outcome::Clean)
}

pub(crate) fn uninstall(place: &HookPlaceArgs) -> Result<Outcome> {
    let git_dir = bare_repository(place.git_dir.as_deref())?;
    let hooks = hook::hooks_dir(&git_dir)?;
    let mut out = std::io::stdout().lock();
    for name in HOOKS {
        hook::uninstall(&hooks, name, &mut out)?;
    }
    locks::remove(&git_dir);
    for dir in [shared_cache::DIR, arrival::DIR] {
        let dir = git_dir.join(dir);
        if dir.is_dir() {
            std::fs::remove_dir_all(&dir).with_context(|| format!("无法删除 {}", dir.display()))?;
        }
    }
    Ok(Outcome::Clean)
}

/// The hook passes its input (the updated refs) both to a chained hook and to tracker. Hundreds of
/// hooks may run at once (most waiting for their turn): the allocator is told to commit memory
/// only as it is used, which halves what a waiting hook holds (11 MB to 6 MB).
fn script(name: &str) -> Result<String> {
    let chained = format!("printf '%s\\n' \"$input\" | \"$hook_dir/{name}.tracker-chained\" \"$@\"");
    Ok(format!(
        "{}printf '%s\\n' \"$input\" | MIMALLOC_ARENA_EAGER_COMMIT=0 \"$tracker_bin\" hook {name}\n",
        script_head(name, "tracker hook install --server", "input=$(cat)\n", &chained)?
    ))
}

fn bare_repository(given: Option<&Path>) -> Result<PathBuf> {
    let dir = match given {
        Some(d) => d.to_path_buf(),
        None => std::env::current_dir().context("无法读取当前目录")?,
    };
    let bare = git::output(&dir, &["rev-parse", "--is-bare-repository"])
        .is_some_and(|o| String::from_utf8_lossy(&o).trim() == "true");
    if !bare {
        bail!(
            "{} 不是 git 裸仓库；--server 用于市发展改革委服务器上的裸仓库（git init --bare 创建）",
            dir.display()
        );
    }
    dir.canonicalize()
        .with_context(|| format!("无法访问 {}", dir.display()))
}

/// The receive hooks run in the repository's folder, with the updated refs on standard input.
fn hook_input() -> Result<(PathBuf, Vec<Update>)> {
    let git_dir = std::env::current_dir().context("无法读取当前目录")?;
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("无法读取钩子的输入")?;
    Ok((git_dir, server::parse_updates(&input)))
}

/// Who pushed, as the git host says it (see [`authority::IDENTITY_VARS`]).
fn pusher() -> Option<String> {
    authority::pusher_from(|k| std::env::var(k).ok())
}

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

/// Whether the push is refused (having said why): by who may change what, then by the checks.
fn refused(ctx: &Context, git_dir: &Path, updates: &[Update]) -> Result<bool> {
    let prefix = server::root_prefix(git_dir);
    let mut out = std::io::stdout().lock();
    let refusals = authority_refusals(git_dir, &prefix, updates)?;
    if !refusals.is_empty() {
        for r in &refusals {
            writeln!(out, "拒绝：{r}")?;
        }
        writeln!(out, "推送被拒绝，服务器上的仓库没有任何改动。")?;
        return Ok(true);
    }
    let main = pushes::main_ref(git_dir);
    let mut refused = false;
    for update in updates.iter().filter(|u| u.brings_commits()) {
        let Some((base, target)) = what_lands(git_dir, &main, update, &mut out)? else {
            refused = true;
            continue;
        };
        refused |= check_pushed(ctx, git_dir, (&base, &target), &update.refname, &mut out)?;
    }
    Ok(refused)
}

/// What main will hold once the update lands, and what it held before: the pushed commit against
/// the ref's old value; for a unit's branch, main with the branch merged in against main (it is
/// merged on arrival). None, having said why, when the branch cannot be merged.
fn what_lands(git_dir: &Path, main: &str, update: &Update, out: &mut dyn Write) -> Result<Option<(String, String)>> {
    let same = Some((update.base().to_string(), update.new.clone()));
    if authority::unit_branch(&update.refname).is_none() {
        return Ok(same);
    }
    let Some(main_tip) = pushes::tip(git_dir, main) else {
        return Ok(same);
    };
    match merge::merged_tree(git_dir, &main_tip, &update.new)? {
        Ok(tree) => Ok(Some((main_tip, tree))),
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
    git_dir: &Path,
    (base, target): (&str, &str),
    refname: &str,
    out: &mut dyn Write,
) -> Result<bool> {
    let prefix = server::root_prefix(git_dir);
    let changed = server::changed_files(git_dir, base, target, &prefix)?;
    if changed.is_empty() {
        return Ok(false);
    }
    let Some((mut loaded, _export)) = load_pushed(git_dir, target, &prefix, &changed)? else {
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
    if reports_only && let Some(shared) = shared_cache::find(git_dir, target, prefix)? {
        let export = server::export_reports(git_dir, target, prefix, changed)?;
        return Ok(Some((crate::load::load_apart(&shared, export.root())?, export)));
    }
    let export = server::export_commit(git_dir, target, prefix, changed)?;
    if !export.root().join(crate::load::PLAN_FILE).is_file() {
        return Ok(None);
    }
    Ok(Some((crate::load::load(export.root())?, export)))
}

/// Records the server's receipt of each new commit's report files, once per commit.
pub(crate) fn post_receive(ctx: &Context) -> Result<Outcome> {
    let (git_dir, updates) = hook_input()?;
    let prefix = server::root_prefix(&git_dir);
    let now = server::receipt_clock(&git_dir, ctx.now.timestamp());
    let pusher = pusher().unwrap_or_default();
    let noted: BTreeSet<String> = git::output(&git_dir, &["notes", "--ref", NOTES_REF, "list"])
        .map(|o| {
            String::from_utf8_lossy(&o)
                .lines()
                .filter_map(|l| l.split_once(' ').map(|(_, c)| c.to_string()))
                .collect()
        })
        .unwrap_or_default();
    for update in updates.into_iter().filter(Update::brings_commits) {
        // When the push arrived, as pre-receive recorded it (before any wait for its turn).
        let at = arrival::take(&git_dir, &update.new).unwrap_or(now);
        if let Some(unit) = authority::unit_branch(&update.refname) {
            merge_unit_branch(&git_dir, &update, unit, (at, &pusher), &prefix)?;
            continue;
        }
        for (commit, files) in server::new_report_blobs(&git_dir, &update, &prefix)? {
            // The first arrival counts: a commit pushed to a branch and merged later keeps its note.
            if !noted.contains(&commit) {
                server::record_receipt(&git_dir, &commit, &files, at, &pusher)?;
            }
        }
    }
    arrival::prune(&git_dir);
    refresh_cache(&git_dir, &prefix);
    Ok(Outcome::Clean)
}

/// Main's shared data written out for the checks of the pushes to come (see [`shared_cache`]).
fn refresh_cache(git_dir: &Path, prefix: &str) {
    let plan = |tip: &str| format!("{tip}:{prefix}{}", crate::load::PLAN_FILE);
    if let Some(tip) = pushes::tip(git_dir, &pushes::main_ref(git_dir))
        && git::output(git_dir, &["cat-file", "-e", &plan(&tip)]).is_some()
        && let Err(e) = shared_cache::refresh(git_dir, &tip, prefix)
    {
        // Only a speed-up: without it, a check writes the data out itself.
        println!("提醒：未能更新服务器的检查缓存：{e:#}");
    }
}

/// A unit's branch, just received, merged into main; the merge commit (on main's line, where the
/// ledger looks) gets the receipt of the files it brings. Said to the pusher either way.
fn merge_unit_branch(
    git_dir: &Path,
    update: &Update,
    unit: &str,
    (at, pusher): (i64, &str),
    prefix: &str,
) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match merge::into_main(git_dir, &update.refname, &update.new, at)? {
        merge::Merged::Into(commit) => {
            let base = format!("{commit}^1");
            let files = server::merge_files(git_dir, &base, &commit, prefix)?;
            if !files.is_empty() {
                server::record_receipt(git_dir, &commit, &files, at, pusher)?;
            }
            let short = &commit[..commit.len().min(8)];
            writeln!(
                out,
                "已并入主分支（提交 {short}），收到时间已记录：{unit} 的 {} 个文件。",
                files.len()
            )?;
        }
        merge::Merged::Already => writeln!(out, "主分支已含 {} 的这次提交，无需并入。", update.refname)?,
        merge::Merged::Conflict(files) => writeln!(
            out,
            "未能并入主分支：{files} 在主分支上已被改动。请 git pull --rebase 后再推送，或联系市发展改革委。"
        )?,
    }
    Ok(())
}

/// What the pusher may not do in this push. Who the office and the units' pushers are is read from
/// the main branch as it stands before the push (a push cannot grant itself rights), and from the
/// repository's own `git config tracker.office`. A repository without a main branch yet takes its
/// first push from anyone: the office's, made when it sets the server up.
fn authority_refusals(git_dir: &Path, prefix: &str, updates: &[Update]) -> Result<Vec<String>> {
    let main = pushes::main_ref(git_dir);
    let Some(tip) = pushes::tip(git_dir, &main) else {
        return Ok(Vec::new());
    };
    let Some(pusher) = pusher() else {
        return Ok(vec![format!(
            "推送人不明：服务器没有告知推送者身份（{} 均未设置）；请按 docs/deployment.md 为每位联络员配置 SSH 密钥和强制命令，或使用会告知推送者的 git 服务",
            authority::IDENTITY_VARS.join("、")
        )]);
    };
    let (mut office, units) = who_is_who(git_dir, &tip, prefix)?;
    office.extend(git_config_all(git_dir, "tracker.office"));
    let Some(who) = authority::who(&pusher, &office, &units) else {
        return Ok(vec![format!(
            "推送人「{pusher}」不在 units.toml 各单位的 pushers 中，也不在 tracker.toml 的 [server] office 中；请联系市发展改革委登记"
        )]);
    };
    let pushed: Vec<_> = updates
        .iter()
        .map(|u| pushes::pushed(git_dir, u, &main))
        .collect::<Result<_>>()?;
    Ok(authority::refusals(who, &main, prefix, &pushed))
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

/// Every value of a multi-valued git config key in the repository.
fn git_config_all(git_dir: &Path, key: &str) -> Vec<String> {
    git::output(git_dir, &["config", "--get-all", key])
        .map(|o| {
            String::from_utf8_lossy(&o)
                .lines()
                .map(|l| l.trim().to_string())
                .collect()
        })
        .unwrap_or_default()
}
