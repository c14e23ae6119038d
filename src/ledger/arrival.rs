//! When a push reached the office's server: written by pre-receive as the push arrives (before it
//! waits for its turn to be checked), read by post-receive for the receipt, so that a unit whose
//! push queued behind hundreds of others at 17:59 is received at 17:59. One file per pushed
//! commit in the bare repository's `tracker-arrivals/`; a refused push removes its own.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The folder, made when the hooks are installed.
pub(crate) const DIR: &str = "tracker-arrivals";

/// The files one pre-receive wrote.
pub(crate) struct Recorded(Vec<PathBuf>);

impl Recorded {
    /// Removes them: the push was refused and the repository stays as it was.
    pub(crate) fn withdraw(self) {
        for path in self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Records that `commits` arrived at `at` (Unix seconds), over any earlier record of them: a
/// record left by a push whose ref update then failed (its post-receive never ran) must not let
/// the same commit pushed again later be received at that earlier time. Without the folder
/// (hooks installed by an older tracker) nothing is written and the receipt takes
/// post-receive's time.
pub(crate) fn record(git_dir: &Path, commits: &[&str], at: i64) -> Recorded {
    let dir = git_dir.join(DIR);
    if !dir.is_dir() {
        return Recorded(Vec::new());
    }
    let mut written = Vec::new();
    for commit in commits
        .iter()
        .filter(|c| c.len() >= 40 && c.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        let path = dir.join(commit);
        if std::fs::write(&path, at.to_string()).is_ok() {
            written.push(path);
        }
    }
    Recorded(written)
}

/// When `commit` arrived, if pre-receive recorded it; the record is removed once read.
pub(crate) fn take(git_dir: &Path, commit: &str) -> Option<i64> {
    if !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let path = git_dir.join(DIR).join(commit);
    let at = std::fs::read_to_string(&path).ok()?.trim().parse().ok();
    let _ = std::fs::remove_file(&path);
    at
}

/// Removes records older than a day (a push whose post-receive never ran).
pub(crate) fn prune(git_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(git_dir.join(DIR)) else {
        return;
    };
    let day = Duration::from_secs(86_400);
    for entry in entries.flatten() {
        let modified = entry.metadata().and_then(|m| m.modified());
        if modified.is_ok_and(|t| SystemTime::now().duration_since(t).unwrap_or_default() > day) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
