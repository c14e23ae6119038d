//! The office's shared data (everything under the tracker root but `reports/`: the plan, units,
//! tasks, calendar, plans) written out once per version in the bare repository's
//! `tracker-cache/`, so that checking a push of report files reads it instead of writing every
//! task file out again for every push (20,000 files at province scale, most of a push's time).
//! It is made from main after a push is accepted (post-receive), never while a push that may be
//! refused is checked: a refusal leaves the repository as it was.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};

use super::git;
use super::server;

/// The cache's folder in the bare repository.
pub(crate) const DIR: &str = "tracker-cache";

/// How long an older version is kept for a check that may still be reading it.
const KEEP_OLD: Duration = Duration::from_secs(600);

/// The shared data of `tree_ish` (a commit or a tree), as the tracker root inside the cache, when
/// that version has been written out.
/// None too when `tree_ish` has no tracker root to key (a push to a repository that holds other
/// things): then the push is checked as it always was.
pub(crate) fn find(git_dir: &Path, tree_ish: &str, prefix: &str) -> Option<PathBuf> {
    let dir = git_dir.join(DIR).join(key(git_dir, tree_ish, prefix).ok()?);
    dir.is_dir().then(|| dir.join(prefix))
}

/// Writes out main's shared data at `commit` unless it is there, and removes versions unused for
/// ten minutes.
pub(crate) fn refresh(git_dir: &Path, commit: &str, prefix: &str) -> Result<()> {
    let cache = git_dir.join(DIR);
    let dir = cache.join(key(git_dir, commit, prefix)?);
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(&cache).with_context(|| format!("无法创建 {}", cache.display()))?;
    let building = tempfile::Builder::new()
        .prefix(".building-")
        .tempdir_in(&cache)
        .context("无法创建临时目录")?;
    let tree = building.path().join("tree");
    std::fs::create_dir_all(&tree)?;
    let reports = format!("{prefix}{}/", crate::load::REPORTS_DIR);
    let paths: Vec<String> = server::all_paths(git_dir, commit)?
        .into_iter()
        .filter(|p| p.starts_with(prefix) && !p.starts_with(&reports))
        .collect();
    server::write_out(git_dir, commit, &paths, &tree, &building.path().join("index"))?;
    // Another hook may have written the same version meanwhile: then its copy stands.
    if std::fs::rename(&tree, &dir).is_err() && !dir.is_dir() {
        anyhow::bail!("无法写入 {}", dir.display());
    }
    prune(&cache, &dir);
    Ok(())
}

/// Removes the versions other than `keep` that nobody has written for ten minutes.
fn prune(cache: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(cache) else { return };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let path = entry.path();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > KEEP_OLD);
        if path != keep && old {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Which version of the shared data `tree_ish` holds: git's hash of the root's listing without
/// `reports` (the ids of the files and folders, so any change makes a new key).
fn key(git_dir: &Path, tree_ish: &str, prefix: &str) -> Result<String> {
    let at = format!("{tree_ish}:{}", prefix.trim_end_matches('/'));
    let listing = git::checked(git_dir, &["ls-tree", "-z", &at]).map_err(anyhow::Error::msg)?;
    let shared: Vec<&[u8]> = listing
        .split(|b| *b == 0)
        .filter(|entry| !entry.ends_with(format!("\t{}", crate::load::REPORTS_DIR).as_bytes()))
        .collect();
    let mut child = git::command(git_dir)
        .args(["hash-object", "--stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("无法运行 git")?;
    let mut stdin = child.stdin.take().context("无法运行 git")?;
    std::io::Write::write_all(&mut stdin, &shared.join(&0u8))?;
    drop(stdin);
    let out = child.wait_with_output().context("无法运行 git")?;
    let key = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || key.len() < 40 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
        anyhow::bail!("git hash-object 失败");
    }
    Ok(key)
}
