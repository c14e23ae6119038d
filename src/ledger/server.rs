//! The office's bare repository: what a push changes, the pushed tree to check, and the receipts
//! written to the notes ref once the push is accepted. Runs `git` in the repository's own folder.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, Result, bail};

use super::git;
use super::notes::{NOTES_REF, note_text};

pub(crate) const ZERO: &str = "0000000000000000000000000000000000000000";
/// Git's empty tree: what a new branch is compared with.
const EMPTY_TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/// One line of a receive hook's input: `<old> <new> <ref>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Update {
    pub old: String,
    pub new: String,
    pub refname: String,
}

impl Update {
    /// A branch created or moved (deletions and tags carry no reports to judge).
    pub(crate) fn brings_commits(&self) -> bool {
        self.new != ZERO && self.refname.starts_with("refs/heads/")
    }

    /// What the update's new commit is compared with: the ref's old value, or nothing.
    pub(crate) fn base(&self) -> &str {
        if self.old == ZERO { EMPTY_TREE } else { &self.old }
    }
}

pub(crate) fn parse_updates(input: &str) -> Vec<Update> {
    input
        .lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            Some(Update {
                old: parts.next()?.to_string(),
                new: parts.next()?.to_string(),
                refname: parts.next()?.to_string(),
            })
        })
        .collect()
}

/// Where the tracker root sits inside the repository (`git config tracker.root`), as a prefix
/// ending in `/` (empty at the top).
pub(crate) fn root_prefix(git_dir: &Path) -> String {
    let root = git::output(git_dir, &["config", "--get", "tracker.root"])
        .map(|o| String::from_utf8_lossy(&o).trim().trim_matches('/').to_string())
        .unwrap_or_default();
    if root.is_empty() { root } else { format!("{root}/") }
}

/// The files under the tracker root that `target` adds or changes against `base` (commits or
/// trees), relative to the root.
pub(crate) fn changed_files(git_dir: &Path, base: &str, target: &str, prefix: &str) -> Result<Vec<String>> {
    let pathspec = if prefix.is_empty() {
        ".".to_string()
    } else {
        prefix.to_string()
    };
    let out = git::checked(
        git_dir,
        &[
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            "--diff-filter=ACMRT",
            base,
            target,
            "--",
            &pathspec,
        ],
    )
    .map_err(anyhow::Error::msg)?;
    Ok(String::from_utf8_lossy(&out)
        .split('\0')
        .filter_map(|p| p.strip_prefix(prefix))
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect())
}

/// A commit's (or a tree's) files written out to a temporary folder, to be checked like a repository.
pub(crate) struct Export {
    /// Removed when the export is dropped.
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Export {
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }
}

/// Everything checking a push needs of `commit` (see [`wanted_paths`]), written out.
pub(crate) fn export_commit(git_dir: &Path, commit: &str, prefix: &str, changed: &[String]) -> Result<Export> {
    let paths = wanted_paths(git_dir, commit, prefix, changed)?;
    export_paths(git_dir, commit, prefix, &paths)
}

/// Only the report files checking a push of report files needs (the pushing units' own): the
/// shared data comes from [`super::shared_cache`].
pub(crate) fn export_reports(git_dir: &Path, commit: &str, prefix: &str, changed: &[String]) -> Result<Export> {
    let reports = format!("{prefix}{}/", crate::load::REPORTS_DIR);
    let mut paths = wanted_paths(git_dir, commit, prefix, changed)?;
    paths.retain(|p| p.starts_with(&reports));
    export_paths(git_dir, commit, prefix, &paths)
}

/// `paths` (from the repository's top) of `commit` written to a new temporary folder.
fn export_paths(git_dir: &Path, commit: &str, prefix: &str, paths: &[String]) -> Result<Export> {
    let dir = tempfile::tempdir().context("无法创建临时目录")?;
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(&tree)?;
    write_out(git_dir, commit, paths, &tree, &dir.path().join("index"))?;
    let root = tree.join(prefix);
    Ok(Export { _dir: dir, root })
}

/// Writes `paths` of `commit` (or a tree) into the folder `tree`, through the index file `index`.
pub(crate) fn write_out(git_dir: &Path, commit: &str, paths: &[String], tree: &Path, index: &Path) -> Result<()> {
    let git = || {
        let mut cmd = git::command(git_dir);
        cmd.arg("--work-tree").arg(tree).env("GIT_INDEX_FILE", index);
        cmd
    };
    let ok = git()
        .args(["read-tree", commit])
        .status()
        .context("无法运行 git")?
        .success();
    if !ok {
        bail!("无法导出推送的内容（git read-tree 失败）");
    }
    let mut child = git()
        .args(["checkout-index", "-f", "-z", "--stdin"])
        .stdin(Stdio::piped())
        .spawn()
        .context("无法运行 git")?;
    let mut stdin = child.stdin.take().context("无法写入 git checkout-index")?;
    let input: Vec<u8> = paths.iter().flat_map(|p| p.bytes().chain([0])).collect();
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &input));
    let ok = child.wait().context("无法运行 git")?.success();
    let _ = writer.join();
    if !ok {
        bail!("无法导出推送的内容（git checkout-index 失败）");
    }
    Ok(())
}

/// Every path of `commit` (from the repository's top).
pub(crate) fn all_paths(git_dir: &Path, commit: &str) -> Result<Vec<String>> {
    let out = git::checked(git_dir, &["ls-tree", "-r", "-z", "--name-only", commit]).map_err(anyhow::Error::msg)?;
    Ok(String::from_utf8_lossy(&out)
        .split('\0')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect())
}

/// What checking a push needs of its commit (paths from the repository's top): everything when it
/// changes more than report files; otherwise the shared data (plan, units, tasks, calendar,
/// extensions) and every report file of the units whose files it changes (the rules compare a
/// file with its unit's earlier ones), not the thousands of other units' reports.
fn wanted_paths(git_dir: &Path, commit: &str, prefix: &str, changed: &[String]) -> Result<Vec<String>> {
    let all = all_paths(git_dir, commit)?;
    let reports_only = changed.iter().all(|c| c.starts_with("reports/"));
    let units: BTreeSet<&str> = changed
        .iter()
        .filter_map(|c| c.rsplit('/').next()?.strip_suffix(".csv"))
        .collect();
    let wanted = |rel: &str| {
        !reports_only
            || !rel.starts_with("reports/")
            || changed.iter().any(|c| c == rel)
            || rel
                .rsplit('/')
                .next()
                .and_then(|n| n.strip_suffix(".csv"))
                .is_some_and(|u| units.contains(u))
    };
    Ok(all
        .into_iter()
        .filter(|p| p.strip_prefix(prefix).is_none_or(&wanted))
        .collect())
}

/// A commit and the report files it adds or changes: (path relative to the root, blob).
pub(crate) type CommitFiles = (String, Vec<(String, String)>);

/// Each new commit of the update with the report and plan files it adds or changes.
pub(crate) fn new_report_blobs(git_dir: &Path, update: &Update, prefix: &str) -> Result<Vec<CommitFiles>> {
    let range = if update.old == ZERO {
        update.new.clone()
    } else {
        format!("{}..{}", update.old, update.new)
    };
    let reports = format!("{prefix}{}", crate::load::REPORTS_DIR);
    // Plans get receipts too: when a plan changed decides which plan a round is judged by.
    let plans = format!("{prefix}{}", crate::model::schedule::PLANS_DIR);
    let log = git::checked(
        git_dir,
        &[
            "log",
            "-z",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--root",
            "--diff-merges=first-parent",
            "--format=%x1e%H",
            &range,
            "--",
            &reports,
            &plans,
        ],
    )
    .map_err(anyhow::Error::msg)?;
    Ok(parse_raw_log(&String::from_utf8_lossy(&log), prefix))
}

/// The report and plan files a merge commit on main brings (against main before it), with their
/// blobs: what its receipt lists.
pub(crate) fn merge_files(git_dir: &Path, base: &str, merge: &str, prefix: &str) -> Result<Vec<(String, String)>> {
    let reports = format!("{prefix}{}", crate::load::REPORTS_DIR);
    let plans = format!("{prefix}{}", crate::model::schedule::PLANS_DIR);
    let args = [
        "diff-tree",
        "-r",
        "-z",
        "--no-renames",
        "--diff-filter=ACMRT",
        base,
        merge,
        "--",
        &reports,
        &plans,
    ];
    let raw = git::checked(git_dir, &args).map_err(anyhow::Error::msg)?;
    Ok(raw_entries(String::from_utf8_lossy(&raw).split('\0'), prefix))
}

/// `--raw -z` entries: `:<mode> <mode> <old> <new> <status>\0<path>\0`, after each `\x1e<commit>`.
fn parse_raw_log(text: &str, prefix: &str) -> Vec<CommitFiles> {
    let mut out = Vec::new();
    for chunk in text.split('\u{1e}').filter(|c| !c.trim().is_empty()) {
        let mut tokens = chunk.split('\0');
        let Some(commit) = tokens.next().map(|c| c.trim().to_string()) else {
            continue;
        };
        let files = raw_entries(tokens, prefix);
        if !files.is_empty() {
            out.push((commit, files));
        }
    }
    out
}

/// The (path relative to the root, blob) of each `--raw -z` entry that is not a deletion.
fn raw_entries<'a>(mut tokens: impl Iterator<Item = &'a str>, prefix: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    while let (Some(meta), Some(path)) = (tokens.next(), tokens.next()) {
        let fields: Vec<&str> = meta.split_whitespace().collect();
        if let [_, _, _, blob, status] = fields[..]
            && status != "D"
        {
            files.push((path.strip_prefix(prefix).unwrap_or(path).to_string(), blob.to_string()));
        }
    }
    files
}

/// Records one commit's receipt in the notes ref, unless it has one (the first arrival counts).
/// Pushes arrive at once (40 units before a deadline) and their hooks overlap: the note is added on
/// a private ref made from the notes ref as it stood, and the notes ref is moved to it only if it
/// still stands there (compare-and-swap); otherwise the whole step is tried again, so no receipt
/// is ever lost or overwritten.
pub(crate) fn record_receipt(
    git_dir: &Path,
    commit: &str,
    files: &[(String, String)],
    at: i64,
    pusher: &str,
) -> Result<()> {
    let text = note_text(files, at, pusher);
    // Under refs/notes/, where `git notes --ref` looks; removed after each try.
    let scratch = format!("refs/notes/tracker-scratch-{}", std::process::id());
    let mut last = String::new();
    for attempt in 0..200u64 {
        match add_note_if_new(git_dir, commit, &text, &scratch) {
            Ok(()) => return Ok(()),
            Err(said) => last = said,
        }
        let _ = git::output(git_dir, &["update-ref", "-d", &scratch]);
        std::thread::sleep(std::time::Duration::from_millis(10 + 5 * attempt.min(20)));
    }
    bail!("无法记录收到时间（{commit}）：{last}")
}

/// One try: the note on `scratch`, then the notes ref moved from what it was to `scratch`.
fn add_note_if_new(git_dir: &Path, commit: &str, text: &str, scratch: &str) -> std::result::Result<(), String> {
    let old = git::output(git_dir, &["rev-parse", "--verify", "-q", NOTES_REF])
        .map(|o| String::from_utf8_lossy(&o).trim().to_string())
        .filter(|o| !o.is_empty());
    if old.is_some() && git::output(git_dir, &["notes", "--ref", NOTES_REF, "list", commit]).is_some() {
        return Ok(()); // already received: the first receipt stands
    }
    match &old {
        Some(o) => git::checked(git_dir, &["update-ref", scratch, o]),
        None => git::checked(git_dir, &["update-ref", "-d", scratch]),
    }
    .map_err(|e| e.to_string())?;
    let mut child = git::command(git_dir)
        .args(["notes", "--ref", scratch, "add", "-F", "-", commit])
        .envs(identity())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let wrote = child.stdin.take().map(|mut s| s.write_all(text.as_bytes()));
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() || !matches!(wrote, Some(Ok(()))) {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    let new = git::checked(git_dir, &["rev-parse", scratch]).map_err(|e| e.to_string())?;
    let new = String::from_utf8_lossy(&new).trim().to_string();
    let expected = old.as_deref().unwrap_or(ZERO);
    git::checked(git_dir, &["update-ref", NOTES_REF, &new, expected]).map_err(|e| e.to_string())?;
    let _ = git::output(git_dir, &["update-ref", "-d", scratch]);
    Ok(())
}

/// A server may have no git identity configured; the notes commits need one.
pub(crate) fn identity() -> Vec<(&'static str, &'static str)> {
    [
        ("GIT_AUTHOR_NAME", "tracker"),
        ("GIT_AUTHOR_EMAIL", "tracker@localhost"),
        ("GIT_COMMITTER_NAME", "tracker"),
        ("GIT_COMMITTER_EMAIL", "tracker@localhost"),
    ]
    .into_iter()
    .filter(|(k, _)| std::env::var_os(k).is_none())
    .collect()
}

/// The server's clock, unless the repository pins one for drills and tests (`git config
/// tracker.clock 2024-08-05T19:00:00+08:00`): only the office can set a bare repository's config.
pub(crate) fn receipt_clock(git_dir: &Path, now: i64) -> i64 {
    git::output(git_dir, &["config", "--get", "tracker.clock"])
        .and_then(|o| chrono::DateTime::parse_from_rfc3339(String::from_utf8_lossy(&o).trim()).ok())
        .map_or(now, |t| t.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hook_input_and_raw_logs() {
        let u = parse_updates(&format!("{ZERO} abc refs/heads/main\nabc def refs/tags/v1\n"));
        assert!(u[0].brings_commits() && !u[1].brings_commits());
        assert_eq!(u[0].base(), EMPTY_TREE);
        let log = "\u{1e}c1\n\0:000000 100644 0000 b1 A\0office/reports/2024-08/jtj.csv\0:100644 000000 b0 0000 D\0office/reports/2024-07/jtj.csv\0\u{1e}c2\n\0";
        assert_eq!(
            parse_raw_log(log, "office/"),
            [(
                "c1".to_string(),
                vec![("reports/2024-08/jtj.csv".to_string(), "b1".to_string())]
            )]
        );
    }
}
