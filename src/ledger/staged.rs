//! The index (what `git commit` would record) exported to a temporary folder, so the pre-commit
//! hook checks the staged content and not the working tree.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::git::{command, output as git};

pub(crate) struct Staged {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Staged {
    /// The tracker root inside the export.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }
}

/// Exports every staged file with one `git checkout-index`.
pub(crate) fn export(root: &Path) -> Result<Staged> {
    let Some(prefix) = git(root, &["rev-parse", "--show-prefix"]) else {
        bail!("--staged 需要在 git 仓库中运行");
    };
    let prefix = String::from_utf8_lossy(&prefix).trim().to_string();
    let top = git(root, &["rev-parse", "--show-toplevel"]).context("无法找到 git 仓库的根目录")?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
    let dir = tempfile::tempdir().context("无法创建临时目录")?;
    let target = format!("{}/", dir.path().display());
    let ok = command(&top)
        .args(["checkout-index", "-a", "-f", "--prefix"])
        .arg(&target)
        .status()
        .context("无法运行 git checkout-index")?
        .success();
    if !ok {
        bail!("git checkout-index 失败，无法导出暂存区");
    }
    let root = dir.path().join(prefix);
    if !root.join(crate::load::PLAN_FILE).is_file() {
        bail!("暂存区中没有 {}（tracker.toml 尚未提交？）", crate::load::PLAN_FILE);
    }
    Ok(Staged { _dir: dir, root })
}

/// The files staged for the next commit (added, changed or renamed), relative to the root.
pub(crate) fn changed(root: &Path) -> Result<Vec<String>> {
    let out = super::git::checked(
        root,
        &[
            "diff",
            "--cached",
            "--name-only",
            "-z",
            "--relative",
            "--diff-filter=ACMR",
        ],
    )
    .map_err(|e| anyhow::anyhow!(e))?;
    Ok(String::from_utf8_lossy(&out)
        .split('\0')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect())
}
