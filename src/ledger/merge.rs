//! A unit's own branch merged into the main branch on the office's server, as the server receives
//! it: one merge commit per push, made under a lock with plumbing (no working tree), the main
//! branch moved by compare-and-swap, so that the office's own pushes to main are never lost.

use std::path::Path;

use anyhow::{Context, Result, bail};

use super::git;
use super::pushes;

/// How a unit branch's merge ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Merged {
    /// Main already holds the branch's commit (pushed again, or merged by an earlier push).
    Already,
    /// The merge commit now at main's tip (or below it, if the office pushed since).
    Into(String),
    /// Main changed the same file since the unit's commit: the files git names.
    Conflict(String),
}

/// The tree of `ours` with `theirs` merged in (git's own three-way merge of trees), or the files
/// that conflict.
pub(crate) fn merged_tree(git_dir: &Path, ours: &str, theirs: &str) -> Result<std::result::Result<String, String>> {
    let out = git::command(git_dir)
        .args([
            "merge-tree",
            "--write-tree",
            "--no-messages",
            "--name-only",
            ours,
            theirs,
        ])
        .output()
        .context("无法运行 git")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let tree = lines.next().unwrap_or("").trim().to_string();
    match out.status.code() {
        Some(0) if !tree.is_empty() => Ok(Ok(tree)),
        Some(1) => Ok(Err(lines.collect::<Vec<_>>().join("、"))),
        _ => bail!(
            "git merge-tree 失败（服务器的 git 须为 2.38 或更新）：{}",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
    }
}

/// Merges `tip` (the unit branch `branch` just received) into the main branch: a merge commit
/// dated `at` (the receipt's time), main's tip as its first parent, so that the main line shows
/// when the office received each file.
pub(crate) fn into_main(git_dir: &Path, branch: &str, tip: &str, at: i64) -> Result<Merged> {
    let main = pushes::main_ref(git_dir);
    let _lock = super::locks::merge(git_dir)?;
    for _ in 0..50 {
        let Some(base) = pushes::tip(git_dir, &main) else {
            bail!("服务器上没有主分支 {main}");
        };
        if pushes::is_ancestor(git_dir, tip, &base) {
            return Ok(Merged::Already);
        }
        let tree = match merged_tree(git_dir, &base, tip)? {
            Ok(tree) => tree,
            Err(files) => return Ok(Merged::Conflict(files)),
        };
        let message = format!("并入 {branch}");
        let date = format!("{at} +0000");
        let commit = git::command(git_dir)
            .args(["commit-tree", &tree, "-p", &base, "-p", tip, "-m", &message])
            .envs(super::server::identity())
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .context("无法运行 git")?;
        if !commit.status.success() {
            bail!(
                "git commit-tree 失败：{}",
                String::from_utf8_lossy(&commit.stderr).trim()
            );
        }
        let commit = String::from_utf8_lossy(&commit.stdout).trim().to_string();
        // Moved only if main still stands where the merge was made: the office may push meanwhile.
        if git::output(git_dir, &["update-ref", &main, &commit, &base]).is_some() {
            return Ok(Merged::Into(commit));
        }
    }
    bail!("主分支 {main} 一直在变，未能并入 {branch}")
}
