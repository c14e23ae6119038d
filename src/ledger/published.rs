//! Publication records: the office's annotated tag `refs/tags/tracker/published/<round>` on the
//! commit its circular and digest for that round were made from.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;

use super::authority::PUBLISHED_REFS;
use super::git;
use crate::model::Round;

/// The tag's name for a round (`tracker/published/2024-09`).
pub(crate) fn tag(round: Round) -> String {
    format!("{}{round}", PUBLISHED_REFS.trim_start_matches("refs/tags/"))
}

/// The commit a round was published from, with the time of the publication (Unix seconds).
pub(crate) fn of(root: &Path, round: Round) -> Option<(String, i64)> {
    all(root).remove(&round)
}

/// Every round's publication: the commit and when it was recorded (Unix seconds).
pub(crate) fn all(root: &Path) -> BTreeMap<Round, (String, i64)> {
    let format = "--format=%(refname:lstrip=4)%09%(*objectname)%09%(objectname)%09%(creatordate:unix)";
    let Some(out) = git::output(root, &["for-each-ref", format, PUBLISHED_REFS]) else {
        return BTreeMap::new();
    };
    String::from_utf8_lossy(&out)
        .lines()
        .filter_map(|line| {
            let mut f = line.split('\t');
            let (round, peeled, object, at) = (f.next()?, f.next()?, f.next()?, f.next()?);
            // A lightweight tag has no peeled object: it names the commit itself.
            let commit = if peeled.is_empty() { object } else { peeled };
            Some((round.parse().ok()?, (commit.to_string(), at.parse().ok()?)))
        })
        .collect()
}

/// Tags HEAD as round `round`'s publication (moving an earlier record only with `force`).
pub(crate) fn record(root: &Path, round: Round, message: &str, force: bool) -> Result<()> {
    let name = tag(round);
    let mut args = vec!["tag", "-a", "-m", message];
    if force {
        args.push("-f");
    }
    args.extend([name.as_str(), "HEAD"]);
    git::run(root, &args)
}
