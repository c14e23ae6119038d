//! The report files as the office had them at one commit of the main line: what had been received
//! by an `--as-of` time, or what a round's publication was made from. Each report file is pinned
//! to its last version at or before that commit (or left out when it had none), and the ledger is
//! cut there, so that received times, notices and checks see exactly that state.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::git::{self, GitError};
use super::history::Ledger;
use super::notes::Receipts;
use crate::model::DataVersion;

/// One commit of the main line (HEAD's first parents), with the time it counts from.
#[derive(Debug, Clone)]
pub(crate) struct MainCommit {
    pub full: String,
    pub short: String,
    /// The server's receipt for the commit when there is one, else its committer time.
    pub stamp: i64,
}

/// HEAD's first-parent line, newest first.
pub(crate) fn main_line(root: &Path, receipts: Option<&Receipts>) -> Result<Vec<MainCommit>, GitError> {
    let log = git::checked(root, &["log", "--first-parent", "--format=%H %h %ct", "HEAD"])?;
    let mut received: BTreeMap<&str, i64> = BTreeMap::new();
    for ((commit, _), r) in receipts.into_iter().flatten() {
        let at = received.entry(commit.as_str()).or_insert(r.at);
        *at = (*at).max(r.at);
    }
    Ok(String::from_utf8_lossy(&log)
        .lines()
        .filter_map(|line| {
            let mut f = line.split(' ');
            let (full, short, ct) = (f.next()?, f.next()?, f.next()?.parse::<i64>().ok()?);
            Some(MainCommit {
                stamp: received.get(full).copied().unwrap_or(ct),
                full: full.to_string(),
                short: short.to_string(),
            })
        })
        .collect())
}

/// Whether HEAD came (or was received) after `at`, so that a view as of `at` is a replay: two
/// small git processes, where reading the ledger first would cost a province the overlap of git
/// with the loading.
pub(crate) fn head_after(root: &Path, at: i64) -> bool {
    let Some(out) = git::output(root, &["log", "-1", "--format=%H %ct", "HEAD"]) else {
        return false;
    };
    let text = String::from_utf8_lossy(&out);
    let mut f = text.split_whitespace();
    let (Some(head), Some(ct)) = (f.next(), f.next().and_then(|c| c.parse::<i64>().ok())) else {
        return false;
    };
    let received = super::notes::of_commit(root, head).values().map(|r| r.at).max();
    received.unwrap_or(ct) > at
}

/// Where the main line stood at `at`: the newest commit counted at or before it (None before the
/// first), or `Some(0)` — the tip — when nothing came later, so there is nothing to replay.
pub(crate) fn position_at(line: &[MainCommit], at: i64) -> Option<usize> {
    line.iter().position(|c| c.stamp <= at)
}

/// The report files at one commit of the main line, and the data version they make.
#[derive(Debug, Default)]
pub(crate) struct Pins {
    /// Report path -> its bytes at the commit; `None`: the file was not there yet.
    pub files: crate::load::Pinned,
    pub version: Option<DataVersion>,
    /// Report path -> the received time (Unix seconds) of its latest version, where it came after
    /// the commit: what corrections are dated by.
    pub later: BTreeMap<String, i64>,
}

/// Where one report file is cut: `Some(at)`, at the commit `line[at]` of the main line (`at` None:
/// before the first commit), or `None`, left as the working copy has it.
pub(crate) type CutOf<'a> = dyn Fn(&str) -> Option<Option<usize>> + 'a;

/// Pins each report file to its state where `cut_of` says, and cuts the ledger there; a file cut
/// anywhere loses its uncommitted changes too. `version_at`: the commit whose version the outputs
/// then show (None: HEAD's, as the probe found it).
pub(crate) fn pin(
    root: &Path,
    ledger: &mut Ledger,
    line: &[MainCommit],
    cut_of: &CutOf,
    version_at: Option<Option<usize>>,
) -> Result<Pins, GitError> {
    let position: HashMap<&str, usize> = line.iter().enumerate().map(|(i, c)| (c.full.as_str(), i)).collect();
    let mut pins = Pins {
        version: version_at.map(|at| DataVersion {
            commit: at.map(|i| line[i].short.clone()),
            dirty: false,
        }),
        ..Pins::default()
    };
    let mut requests = Vec::new();
    for (file, versions) in &mut ledger.files {
        let Some(at) = cut_of(file) else { continue };
        let kept = |commit: &str| at.is_some_and(|at| position.get(commit).is_some_and(|i| *i >= at));
        let keep = versions.iter().rposition(|v| kept(&v.commit)).map_or(0, |i| i + 1);
        if keep == versions.len() && !ledger.dirty.contains(file) {
            continue;
        }
        if let Some(last) = versions.last().filter(|_| keep < versions.len()) {
            pins.later.insert(file.clone(), last.stamp());
        }
        versions.truncate(keep);
        match versions.last() {
            Some(v) => requests.push((file.clone(), v.commit.clone(), v.path.clone())),
            None => {
                pins.files.insert(file.clone(), None);
            }
        }
    }
    ledger.files.retain(|_, versions| !versions.is_empty());
    let cut: Vec<String> = ledger.dirty.iter().filter(|f| cut_of(f).is_some()).cloned().collect();
    for file in cut {
        ledger.dirty.remove(&file);
        pins.files.entry(file).or_insert(None);
    }
    let names: Vec<(String, String)> = requests.iter().map(|(_, c, p)| (c.clone(), p.clone())).collect();
    for ((file, _, _), bytes) in requests.into_iter().zip(super::blobs::read(root, &names)?) {
        pins.files.insert(file, bytes);
    }
    Ok(pins)
}

/// The older of two cuts (None: before the first commit, the oldest of all).
pub(crate) fn older(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    Some(a?.max(b?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(n: u8, stamp: i64) -> MainCommit {
        MainCommit {
            full: format!("{n:040}"),
            short: format!("{n:07}"),
            stamp,
        }
    }

    #[test]
    fn the_main_line_stands_at_the_newest_commit_counted_by_then() {
        let line = [commit(3, 300), commit(2, 200), commit(1, 100)];
        assert_eq!(position_at(&line, 350), Some(0), "nothing later: the tip");
        assert_eq!(position_at(&line, 250), Some(1));
        assert_eq!(position_at(&line, 200), Some(1), "at its time a commit counts");
        assert_eq!(position_at(&line, 99), None, "before the first commit");
    }
}
