//! Locks on files in the office's bare repository, for the hooks of pushes that arrive together:
//! one merge into main at a time, and no more checks at once than the server has cores (hundreds
//! of checks at once only share the same cores, each holding the office's data in memory). A lock
//! is released when dropped, or when its process ends however it ends.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// The lock held while a unit's branch is merged into main.
const MERGE: &str = "tracker-merge.lock";

/// A lock held until dropped.
pub(crate) struct Held(File);

impl Drop for Held {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// The check slots: one lock file per core.
fn slots(git_dir: &Path) -> Vec<PathBuf> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (0..cores)
        .map(|i| git_dir.join(format!("tracker-check-{i}.lock")))
        .collect()
}

/// Makes the lock files (when the hooks are installed and after an accepted push: never while a
/// push that may be refused is checked).
pub(crate) fn prepare(git_dir: &Path) -> Result<()> {
    for path in slots(git_dir).into_iter().chain([git_dir.join(MERGE)]) {
        if !path.exists() {
            std::fs::write(&path, b"").with_context(|| format!("无法创建 {}", path.display()))?;
        }
    }
    Ok(())
}

/// Removes the lock files (when the hooks are uninstalled).
pub(crate) fn remove(git_dir: &Path) {
    for path in slots(git_dir).into_iter().chain([git_dir.join(MERGE)]) {
        let _ = std::fs::remove_file(path);
    }
}

/// The merge lock, waited for up to thirty minutes (merges take milliseconds each, but a
/// province's pushes can queue hundreds of them).
pub(crate) fn merge(git_dir: &Path) -> Result<Held> {
    let path = git_dir.join(MERGE);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("无法打开 {}", path.display()))?;
    match first_free(std::slice::from_ref(&file), Duration::from_secs(1800))? {
        Some(_) => Ok(Held(file)),
        None => bail!("等待并入主分支超时（{} 被占用三十分钟）", path.display()),
    }
}

/// A check slot, waited for up to ten minutes; None (check anyway) when the slots were never made
/// or the wait ran out.
pub(crate) fn check_slot(git_dir: &Path) -> Option<Held> {
    let files: Vec<File> = slots(git_dir)
        .iter()
        .filter_map(|p| File::options().write(true).open(p).ok())
        .collect();
    let index = first_free(&files, Duration::from_secs(600)).ok()??;
    files.into_iter().nth(index).map(Held)
}

/// Locks the first of `files` that is free, trying them in turn until `wait` has passed: its
/// index, or None when none came free.
fn first_free(files: &[File], wait: Duration) -> Result<Option<usize>> {
    if files.is_empty() {
        return Ok(None);
    }
    let deadline = Instant::now() + wait;
    loop {
        for (i, file) in files.iter().enumerate() {
            match file.try_lock() {
                Ok(()) => return Ok(Some(i)),
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => bail!("无法加锁：{e}"),
            }
        }
        if Instant::now() > deadline {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
