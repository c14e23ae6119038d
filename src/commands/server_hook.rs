//! The office's bare repository: `tracker hook install --server` installs a pre-receive hook that
//! refuses a push whose files fail the checks (the pusher sees file:row:col and the fix) and a
//! post-receive hook that records when the server received each report (the notes ref). The
//! hooks call `tracker hook pre-receive` and `tracker hook post-receive` (`pre_receive.rs`,
//! `post_receive.rs`); what both read is here.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use super::hook_files::{self as hook, script_head};
use crate::cli::{HookInstallArgs, HookPlaceArgs};
use crate::ledger::notes::NOTES_REF;
use crate::ledger::server::{self, Update};
use crate::ledger::{arrival, authority, git, locks, pushes, shared_cache};
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
    if unit_branches_set(&git_dir) {
        writeln!(
            out,
            "已启用单位分支：各单位推送本单位的分支 units/<单位编号>，由服务器逐个并入主分支。"
        )?;
    } else {
        writeln!(
            out,
            "单位多、常在截止前同时推送的，请在 tracker.toml 的 [server] 中写 unit_branches = true：各单位推送本单位的分支 units/<单位编号>，由服务器逐个并入主分支（服务器的 git 须为 2.38 或更新）。"
        )?;
    }
    Ok(Outcome::Clean)
}

/// Whether main's tracker.toml already has `[server] unit_branches = true`.
fn unit_branches_set(git_dir: &Path) -> bool {
    let at = format!("HEAD:{}{}", server::root_prefix(git_dir), crate::load::PLAN_FILE);
    git::output(git_dir, &["show", &at])
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| crate::load::parse_plan(&crate::diagnostic::Source::new(crate::load::PLAN_FILE, text)).ok())
        .is_some_and(|plan| plan.unit_branches)
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
    if !dir.is_dir() {
        bail!(
            "没有目录 {}；--git-dir 写服务器上裸仓库的路径（例如 /srv/git/haidong.git）",
            dir.display()
        );
    }
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
pub(super) fn hook_input() -> Result<(PathBuf, Vec<Update>)> {
    let git_dir = std::env::current_dir().context("无法读取当前目录")?;
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("无法读取钩子的输入")?;
    Ok((git_dir, server::parse_updates(&input)))
}

/// Who pushed, as the git host says it (see [`authority::IDENTITY_VARS`]).
pub(super) fn pusher() -> Option<String> {
    authority::pusher_from(|k| std::env::var(k).ok())
}

/// Main's shared data written out for the checks of the pushes to come (see [`shared_cache`]).
pub(super) fn refresh_cache(git_dir: &Path, prefix: &str) {
    let plan = |tip: &str| format!("{tip}:{prefix}{}", crate::load::PLAN_FILE);
    if let Some(tip) = pushes::tip(git_dir, &pushes::main_ref(git_dir))
        && git::output(git_dir, &["cat-file", "-e", &plan(&tip)]).is_some()
        && let Err(e) = shared_cache::refresh(git_dir, &tip, prefix)
    {
        // Only a speed-up: without it, a check writes the data out itself.
        println!("提醒：未能更新服务器的检查缓存：{e:#}");
    }
}

/// Every value of a multi-valued git config key in the repository.
pub(super) fn git_config_all(git_dir: &Path, key: &str) -> Vec<String> {
    git::output(git_dir, &["config", "--get-all", key])
        .map(|o| {
            String::from_utf8_lossy(&o)
                .lines()
                .map(|l| l.trim().to_string())
                .collect()
        })
        .unwrap_or_default()
}
