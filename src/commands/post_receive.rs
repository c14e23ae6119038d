//! `tracker hook post-receive`, on the office's bare repository: records when the server received
//! each pushed report and plan (the notes ref), at the time the push arrived; merges a unit's
//! own branch into main; keeps the cache of the office's data up to date.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use anyhow::Result;

use super::Context;
use super::server_hook::{hook_input, pusher, refresh_cache};
use crate::ledger::notes::NOTES_REF;
use crate::ledger::server::{self, Update};
use crate::ledger::{arrival, authority, git, merge};
use crate::outcome::Outcome;

/// Records the server's receipt of each new commit's report files, once per commit.
pub(crate) fn post_receive(ctx: &Context) -> Result<Outcome> {
    let (git_dir, updates) = hook_input()?;
    let prefix = server::root_prefix(&git_dir);
    let now = server::receipt_clock(&git_dir, ctx.now.timestamp());
    let pusher = pusher().unwrap_or_default();
    // The receipts already kept, for pushes to main (a unit's branch gets its receipt on the merge).
    let to_main = updates
        .iter()
        .any(|u| u.brings_commits() && authority::unit_branch(&u.refname).is_none());
    let noted: BTreeSet<String> = to_main
        .then(|| git::output(&git_dir, &["notes", "--ref", NOTES_REF, "list"]))
        .flatten()
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
            match files.len() {
                0 => writeln!(out, "已并入主分支（提交 {short}）。")?,
                n => writeln!(
                    out,
                    "已并入主分支（提交 {short}），收到时间已记录：{unit} 的 {n} 个文件。"
                )?,
            }
        }
        merge::Merged::Already => writeln!(out, "主分支已含 {} 的这次提交，无需并入。", update.refname)?,
        // The branch keeps the commit (no branch may be rewritten): the office merges it by hand.
        merge::Merged::Conflict(files) => writeln!(
            out,
            "未能并入主分支：{files} 在主分支上刚被改动。提交已留在 {}，请联系市发展改革委并入（git merge）。",
            update.refname
        )?,
    }
    Ok(())
}
