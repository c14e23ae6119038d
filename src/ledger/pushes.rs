//! What a push does to each ref, read from the office's bare repository during pre-receive: whether
//! it deletes or rewrites the ref, and every file each new commit adds, changes or deletes.

use std::path::Path;

use anyhow::Result;

use super::authority::{Change, Pushed};
use super::git;
use super::server::{Update, ZERO};

/// The main branch the repository serves (`HEAD`'s target, as a clone checks it out).
pub(crate) fn main_ref(git_dir: &Path) -> String {
    git::output(git_dir, &["symbolic-ref", "-q", "HEAD"])
        .map(|o| String::from_utf8_lossy(&o).trim().to_string())
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| "refs/heads/main".to_string())
}

/// The commit a ref points at now (before the push lands), if it exists.
pub(crate) fn tip(git_dir: &Path, refname: &str) -> Option<String> {
    git::output(
        git_dir,
        &["rev-parse", "--verify", "-q", &format!("{refname}^{{commit}}")],
    )
    .map(|o| String::from_utf8_lossy(&o).trim().to_string())
    .filter(|c| !c.is_empty())
}

/// One update as the authority rules see it; `main` is the main branch.
pub(crate) fn pushed(git_dir: &Path, update: &Update, main: &str) -> Result<Pushed> {
    let deletes = update.new == ZERO;
    let branch = update.refname.starts_with("refs/heads/");
    let rewrites = !deletes && update.old != ZERO && !is_ancestor(git_dir, &update.old, &update.new);
    let changes = if deletes || !branch {
        Vec::new()
    } else {
        changes(git_dir, update, main)?
    };
    Ok(Pushed {
        refname: update.refname.clone(),
        deletes,
        rewrites,
        changes,
    })
}

/// Whether `old` is `new` or one of its ancestors.
pub(crate) fn is_ancestor(git_dir: &Path, old: &str, new: &str) -> bool {
    git::command(git_dir)
        .args(["merge-base", "--is-ancestor", old, new])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Every file change of every commit the update brings (a merge against its first parent). For a
/// branch other than main, the commits main already has are not the pusher's: a unit's branch
/// built on main brings only the unit's own commits.
fn changes(git_dir: &Path, update: &Update, main: &str) -> Result<Vec<Change>> {
    let mut args = vec![
        "log",
        "-z",
        "--raw",
        "--no-abbrev",
        "--no-renames",
        "--diff-merges=first-parent",
        "--format=%x1e%H",
    ];
    let range = format!("{}..{}", update.old, update.new);
    if update.refname != main {
        args.extend([update.new.as_str(), "--not", main]);
        if update.old != ZERO {
            args.push(&update.old);
        }
    } else if update.old == ZERO {
        args.extend([update.new.as_str(), "--not", "--all"]);
    } else {
        args.push(&range);
    }
    let log = git::checked(git_dir, &args)?;
    Ok(parse_changes(&String::from_utf8_lossy(&log)))
}

/// `git log -z --raw --format=%x1e%H` -> one change per file per commit.
fn parse_changes(text: &str) -> Vec<Change> {
    let mut out = Vec::new();
    for chunk in text.split('\u{1e}').filter(|c| !c.trim().is_empty()) {
        let mut tokens = chunk.split('\0');
        let Some(commit) = tokens.next().map(|c| c.trim().to_string()) else {
            continue;
        };
        while let (Some(meta), Some(path)) = (tokens.next(), tokens.next()) {
            let meta = meta.trim_start();
            let status = meta.split_whitespace().last().and_then(|s| s.chars().next());
            if let Some(status) = status.filter(|_| meta.starts_with(':')) {
                out.push(Change {
                    commit: commit.clone(),
                    status,
                    path: path.to_string(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_every_change_of_every_commit() {
        let log = "\u{1e}c1\0\n:000000 100644 0000 b1 A\0reports/2024-08/jtj.csv\0:100644 000000 b0 0000 D\0tracker.toml\0\u{1e}c2\0\n:100644 100644 b1 b2 M\0units.toml\0";
        let changes = super::parse_changes(log);
        let seen: Vec<(&str, char, &str)> = changes
            .iter()
            .map(|c| (c.commit.as_str(), c.status, c.path.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                ("c1", 'A', "reports/2024-08/jtj.csv"),
                ("c1", 'D', "tracker.toml"),
                ("c2", 'M', "units.toml")
            ]
        );
    }
}
