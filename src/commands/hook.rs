//! `tracker hook install|uninstall`: a pre-commit hook that runs `tracker check --staged`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use super::Context;
use crate::Outcome;
use crate::cli::HookCommand;
use crate::ledger::git::output as git;

const MARKER: &str = "# tracker-hook";
const CHAINED: &str = "pre-commit.tracker-chained";

pub fn run(ctx: &Context, cmd: &HookCommand) -> Result<Outcome> {
    let root = ctx.root()?;
    let hooks = hooks_dir(&root)?;
    let hook = hooks.join("pre-commit");
    let mut out = std::io::stdout().lock();
    match cmd {
        HookCommand::Install { chain } => {
            // Bytes, not text: a hook that is not UTF-8 is still somebody's hook.
            let existing = read_hook(&hook)?;
            match existing {
                Some(bytes) if is_ours(&bytes) => {}
                Some(_) if *chain => {
                    std::fs::rename(&hook, hooks.join(CHAINED)).context("无法保留原有的 pre-commit 钩子")?;
                    writeln!(out, "原有的 pre-commit 钩子已改名为 {CHAINED}，每次提交时先运行它。")?;
                }
                Some(_) => bail!(
                    "{} 已有一个不是 tracker 安装的 pre-commit 钩子，未覆盖。加 --chain 保留它并在其后运行 tracker check",
                    hook.display()
                ),
                None => {}
            }
            std::fs::create_dir_all(&hooks).context("无法创建钩子目录")?;
            crate::write::atomic(&hook, script(&root)?.as_bytes())?;
            make_executable(&hook)?;
            writeln!(
                out,
                "已安装 {}：每次提交前检查暂存的内容，有错误时拒绝提交。",
                hook.display()
            )?;
        }
        HookCommand::Uninstall => match read_hook(&hook)? {
            Some(bytes) if is_ours(&bytes) => {
                std::fs::remove_file(&hook).context("无法删除钩子")?;
                if hooks.join(CHAINED).exists() {
                    std::fs::rename(hooks.join(CHAINED), &hook).context("无法恢复原有的钩子")?;
                    writeln!(out, "已删除 tracker 的钩子，并恢复原有的 pre-commit 钩子。")?;
                } else {
                    writeln!(out, "已删除 tracker 的 pre-commit 钩子。")?;
                }
            }
            Some(_) => bail!("{} 不是 tracker 安装的钩子，未删除", hook.display()),
            None => writeln!(out, "没有安装 tracker 的钩子。")?,
        },
    }
    Ok(Outcome::Clean)
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

fn hooks_dir(root: &Path) -> Result<PathBuf> {
    let out = git(root, &["rev-parse", "--git-path", "hooks"]).context("这里不是 git 仓库，无法安装钩子")?;
    let path = PathBuf::from(String::from_utf8_lossy(&out).trim());
    Ok(if path.is_absolute() { path } else { root.join(path) })
}

fn script(root: &Path) -> Result<String> {
    let exe = std::env::current_exe().context("无法确定 tracker 程序的位置")?;
    let prefix = git(root, &["rev-parse", "--show-prefix"])
        .map(|p| String::from_utf8_lossy(&p).trim().to_string())
        .unwrap_or_default();
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    Ok(format!(
        "#!/bin/sh\n{MARKER}: installed by `tracker hook install`; remove with `tracker hook uninstall`.\n\
         # Checks what is being committed (the staged files), not the working tree.\n\
         hook_dir=$(dirname \"$0\")\n\
         if [ -x \"$hook_dir/{CHAINED}\" ]; then\n  \"$hook_dir/{CHAINED}\" \"$@\" || exit $?\nfi\n\
         tracker_bin={}\n\
         [ -x \"$tracker_bin\" ] || tracker_bin=tracker\n\
         root=\"$(git rev-parse --show-toplevel)/\"{}\n\
         exec \"$tracker_bin\" --root \"$root\" check --staged\n",
        quote(&exe.display().to_string()),
        quote(&prefix),
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
