//! Installing and removing git hook scripts: the marker that says a hook is tracker's, chaining an
//! existing hook, and the lines every script starts with. Shared by the client and server hooks.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::ledger::git::output as git;

pub(crate) const MARKER: &str = "# tracker-hook";

pub(crate) fn chained(name: &str) -> String {
    format!("{name}.tracker-chained")
}

/// Writes hook `name` in `hooks`; an existing hook that is not ours is refused, or kept under
/// another name with `chain` (the script runs it first).
pub(crate) fn install(hooks: &Path, name: &str, script: &str, chain: bool, out: &mut dyn Write) -> Result<()> {
    let hook = hooks.join(name);
    // Bytes, not text: a hook that is not UTF-8 is still somebody's hook.
    match read_hook(&hook)? {
        Some(bytes) if is_ours(&bytes) => {}
        Some(_) if chain => {
            std::fs::rename(&hook, hooks.join(chained(name))).with_context(|| format!("无法保留原有的 {name} 钩子"))?;
            writeln!(out, "原有的 {name} 钩子已改名为 {}，每次先运行它。", chained(name))?;
        }
        Some(_) => bail!(
            "{} 已有一个不是 tracker 安装的 {name} 钩子，未覆盖。加 --chain 保留它并在其后运行 tracker",
            hook.display()
        ),
        None => {}
    }
    std::fs::create_dir_all(hooks).context("无法创建钩子目录")?;
    crate::write::atomic(&hook, script.as_bytes())?;
    make_executable(&hook)
}

/// Removes hook `name` if tracker installed it, restoring a chained one.
pub(crate) fn uninstall(hooks: &Path, name: &str, out: &mut dyn Write) -> Result<()> {
    let hook = hooks.join(name);
    match read_hook(&hook)? {
        Some(bytes) if is_ours(&bytes) => {
            std::fs::remove_file(&hook).context("无法删除钩子")?;
            if hooks.join(chained(name)).exists() {
                std::fs::rename(hooks.join(chained(name)), &hook).context("无法恢复原有的钩子")?;
                writeln!(out, "已删除 tracker 的 {name} 钩子，并恢复原有的钩子。")?;
            } else {
                writeln!(out, "已删除 tracker 的 {name} 钩子。")?;
            }
        }
        Some(_) => bail!("{} 不是 tracker 安装的钩子，未删除", hook.display()),
        None => writeln!(out, "没有安装 tracker 的 {name} 钩子。")?,
    }
    Ok(())
}

/// The hook's bytes; None when there is no hook. A hook that exists but cannot be read is an error:
/// it is never treated as absent and replaced.
fn read_hook(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && std::fs::symlink_metadata(path).is_err() => Ok(None),
        Err(e) => Err(e).with_context(|| format!("无法读取已有的钩子 {}，未作改动", path.display())),
    }
}

fn is_ours(bytes: &[u8]) -> bool {
    bytes.windows(MARKER.len()).any(|w| w == MARKER.as_bytes())
}

pub(crate) fn hooks_dir(repo: &Path) -> Result<PathBuf> {
    let out = git(repo, &["rev-parse", "--git-path", "hooks"]).context("这里不是 git 仓库，无法安装钩子")?;
    let path = PathBuf::from(String::from_utf8_lossy(&out).trim());
    Ok(if path.is_absolute() { path } else { repo.join(path) })
}

/// `'…'` for sh.
pub(crate) fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The lines every hook script starts with: the marker, `prelude`, the chained hook (run by
/// `runs_chained`), the tracker binary in `$tracker_bin`.
pub(crate) fn script_head(name: &str, installed_by: &str, prelude: &str, runs_chained: &str) -> Result<String> {
    let exe = std::env::current_exe().context("无法确定 tracker 程序的位置")?;
    Ok(format!(
        "#!/bin/sh\n{MARKER}: installed by `{installed_by}`; remove with the matching `tracker hook uninstall`.\n\
         {prelude}hook_dir=$(dirname \"$0\")\n\
         if [ -x \"$hook_dir/{}\" ]; then\n  {runs_chained} || exit $?\nfi\n\
         tracker_bin={}\n\
         [ -x \"$tracker_bin\" ] || tracker_bin=tracker\n",
        chained(name),
        quote(&exe.display().to_string()),
    ))
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).context("无法设置钩子为可执行")
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<()> {
    Ok(())
}
