//! One `git log` pass over `reports/`: for every report file, the commits on HEAD's first-parent
//! line that added or changed it (a merge counts when it brought the file in: the office's merge
//! is when the report arrived). Renames carry the history along; Chinese paths stay readable.

use super::git::GitError;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::git;
use super::probe::Probe;
use super::unavailable::Unavailable;
use super::version::version_of;
use crate::model::DataVersion;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Version {
    pub commit: String,
    /// Committer time, Unix seconds.
    pub committed: i64,
    /// Author time, Unix seconds (set by whoever wrote the commit: can be back-dated).
    pub authored: i64,
    /// The file's path in that commit (relative to the tracker root).
    pub path: String,
    /// When the office's server received it (from its notes), Unix seconds.
    pub received: Option<i64>,
}

impl Version {
    /// The time that counts: the server's receipt when there is one, else the committer time.
    pub(crate) fn stamp(&self) -> i64 {
        self.received.unwrap_or(self.committed)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Ledger {
    /// Current path (relative to the tracker root) -> versions, oldest first.
    pub files: BTreeMap<String, Vec<Version>>,
    /// Paths with uncommitted changes (untracked, modified or staged), relative to the root.
    pub dirty: BTreeSet<String>,
    /// The clone is shallow: history (and so received times) may be cut short.
    pub shallow: bool,
    /// The server's receipts, when the repository has the notes ref.
    pub receipts: Option<super::notes::Receipts>,
}

/// `git log` of every commit on HEAD's first-parent line, oldest first, with each one's files.
const LOG: [&str; 9] = [
    "log",
    "-z",
    "--first-parent",
    "--diff-merges=first-parent",
    "--name-status",
    "-M",
    "--reverse",
    "--format=%x1e%H%x1f%ct%x1f%at",
    "HEAD",
];

/// The versions of every file whose path starts with `pathspec` (a folder given as `plans/`, or one
/// file) on HEAD's first-parent line, with the server's receipts where it keeps them; None when git
/// cannot say (no repository, no commits, no git).
pub(crate) fn versions_under(root: &Path, pathspec: &str) -> Option<BTreeMap<String, Vec<Version>>> {
    let prefix = String::from_utf8(git::output(root, &["rev-parse", "--show-prefix"])?).ok()?;
    git::output(root, &["rev-parse", "--verify", "-q", "HEAD"])?;
    let mut args = LOG.to_vec();
    args.extend(["--", pathspec]);
    let log = git::checked(root, &args).ok()?;
    let mut files = parse_log_under(&log, prefix.trim(), pathspec);
    if let Ok(Some(receipts)) = super::notes::read(root) {
        for v in files.values_mut().flatten() {
            v.received = receipts.get(&(v.commit.clone(), v.path.clone())).map(|r| r.at);
        }
    }
    Some(files)
}

/// Reads the ledger for `root/reports`, or says why it cannot.
pub(crate) fn read(root: &Path) -> Result<Ledger, Unavailable> {
    read_with_version(root).0
}

/// The ledger and the data's version, from one set of git processes.
///
/// The processes do not depend on each other, so they all start at once and the answers are then
/// read in order: on a year's repository each process costs more than reading the reports, and
/// one after another they took twice as long as `status` without git. git's version is asked only
/// when something fails, to say whether an old git is the reason.
pub(crate) fn read_with_version(root: &Path) -> (Result<Ledger, Unavailable>, DataVersion) {
    use crate::par::joined;
    let (probe, log, receipts) = std::thread::scope(|s| {
        let log = s.spawn(|| git::checked(root, &LOG));
        let receipts = s.spawn(|| super::notes::read(root));
        (Probe::of(root), joined(log.join()), joined(receipts.join()))
    });
    let version = version_of(&probe);
    (ledger(probe, log, receipts), version)
}

fn ledger(
    probe: Probe,
    log: Result<Vec<u8>, GitError>,
    receipts: Result<Option<super::notes::Receipts>, GitError>,
) -> Result<Ledger, Unavailable> {
    // A failure may come from git's absence or its age: its version says which.
    let explain = |e: Unavailable| match git::version() {
        None => Unavailable::NoGit,
        Some(v) if v < git::MIN_VERSION => Unavailable::TooOld(v),
        Some(_) => e,
    };
    let failed = |said: GitError| explain(Unavailable::Failed(said));
    let place = probe.place.map_err(explain)?;
    let (prefix, shallow) = (place.prefix, place.shallow);
    let dirty = probe.status.map_err(failed)?.reports;
    if place.head.is_none() {
        return if dirty.is_empty() {
            Err(Unavailable::NoCommits)
        } else {
            Ok(Ledger {
                dirty,
                ..Ledger::default()
            })
        };
    }
    let log = log.map_err(failed)?;
    let receipts = receipts.map_err(failed)?;
    let mut files = parse_log(&log, &prefix);
    if let Some(receipts) = &receipts {
        for v in files.values_mut().flatten() {
            v.received = receipts.get(&(v.commit.clone(), v.path.clone())).map(|r| r.at);
        }
    }
    Ok(Ledger {
        files,
        dirty,
        shallow,
        receipts,
    })
}

/// Parses `git log -z --name-status --format=%x1e%H%x1f%ct%x1f%at` (oldest first), keeping the
/// files under `reports/`. The log is read without a pathspec, which makes git check every commit
/// against it (half again the time of the log itself); filtering here gives the same versions: a
/// file renamed into `reports/` starts its history there, as the pathspec showed it (an add), and
/// one renamed out of it ends there (a delete).
pub(crate) fn parse_log(log: &[u8], prefix: &str) -> BTreeMap<String, Vec<Version>> {
    parse_log_under(log, prefix, "reports/")
}

/// [`parse_log`] for the files under `folder` (`plans/`).
pub(crate) fn parse_log_under(log: &[u8], prefix: &str, folder: &str) -> BTreeMap<String, Vec<Version>> {
    let mut files: BTreeMap<String, Vec<Version>> = BTreeMap::new();
    let text = String::from_utf8_lossy(log);
    for chunk in text.split('\u{1e}').filter(|c| !c.is_empty()) {
        let (header, rest) = chunk.split_once('\0').unwrap_or((chunk, ""));
        let mut fields = header.split('\u{1f}');
        let (Some(commit), Some(ct), Some(at)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        let (Ok(committed), Ok(authored)) = (ct.trim().parse::<i64>(), at.trim().parse::<i64>()) else {
            continue;
        };
        let mut tokens = rest.trim_start_matches('\n').split('\0').filter(|t| !t.is_empty());
        // A path under the root's reports/, relative to the root (the log names paths from the
        // top of the repository, which may be above the root).
        let local = |p: &str| {
            p.strip_prefix(prefix)
                .filter(|p| p.starts_with(folder))
                .map(str::to_string)
        };
        while let Some(status) = tokens.next() {
            let version = |path: String| Version {
                commit: commit.to_string(),
                committed,
                authored,
                path,
                received: None,
            };
            match status.chars().next() {
                Some('R') | Some('C') => {
                    let (Some(old), Some(new)) = (tokens.next(), tokens.next()) else {
                        break;
                    };
                    let old = local(old);
                    let renamed = status.starts_with('R');
                    let Some(new) = local(new) else {
                        if let Some(old) = old.filter(|_| renamed) {
                            files.remove(&old);
                        }
                        continue;
                    };
                    let mut history = match old.filter(|_| renamed) {
                        Some(old) => files.remove(&old).unwrap_or_default(),
                        None => Vec::new(),
                    };
                    // A pure rename (R100) changes no content: the earlier arrival stands.
                    if history.is_empty() || status != "R100" {
                        history.push(version(new.clone()));
                    }
                    files.insert(new, history);
                }
                Some('D') => {
                    if let Some(p) = tokens.next().and_then(local) {
                        files.remove(&p);
                    }
                }
                Some(_) => {
                    if let Some(p) = tokens.next().and_then(local) {
                        files.entry(p.clone()).or_default().push(version(p));
                    }
                }
                None => break,
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_adds_renames_and_merges() {
        let log = "\u{1e}aaa\u{1f}100\u{1f}90\0\nA\0reports/2024-08/市交通运输局.csv\0\
                   \u{1e}bbb\u{1f}200\u{1f}200\0\nR100\0reports/2024-08/市交通运输局.csv\0reports/2024-08/jtj.csv\0\
                   \u{1e}ccc\u{1f}300\u{1f}300\0\nM\0reports/2024-08/jtj.csv\0A\0reports/2024-08/fgw.csv\0";
        let files = parse_log(log.as_bytes(), "");
        let jtj = &files["reports/2024-08/jtj.csv"];
        assert_eq!(
            jtj.iter().map(|v| v.committed).collect::<Vec<_>>(),
            [100, 300],
            "rename keeps the arrival"
        );
        assert_eq!(
            jtj[0].path, "reports/2024-08/市交通运输局.csv",
            "the first version is read at its old path"
        );
        assert_eq!(files["reports/2024-08/fgw.csv"][0].commit, "ccc");
        assert!(!files.contains_key("reports/2024-08/市交通运输局.csv"));
    }

    #[test]
    fn keeps_only_reports_as_a_pathspec_would() {
        let log = "\u{1e}aaa\u{1f}100\u{1f}100\0\nA\0tasks/001.toml\0A\0drafts/jtj.csv\0A\0reports/2024-08/fgw.csv\0\
                   \u{1e}bbb\u{1f}200\u{1f}200\0\nR100\0drafts/jtj.csv\0reports/2024-08/jtj.csv\0\
                   \u{1e}ccc\u{1f}300\u{1f}300\0\nR100\0reports/2024-08/fgw.csv\0old/fgw.csv\0";
        let files = parse_log(log.as_bytes(), "");
        assert_eq!(files.keys().collect::<Vec<_>>(), ["reports/2024-08/jtj.csv"]);
        let jtj = &files["reports/2024-08/jtj.csv"];
        assert_eq!((jtj.len(), jtj[0].committed), (1, 200), "renamed in: it arrived then");
        assert_eq!(jtj[0].path, "reports/2024-08/jtj.csv");
        let nested = parse_log(log.as_bytes(), "sub/");
        assert!(
            nested.is_empty(),
            "reports/ above the root is not the root's: {nested:?}"
        );
    }
}
