//! Publication records: the office's annotated tag `refs/tags/tracker/published/<round>` on the
//! commit its circular and digest for that round were made from.

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
    let name = format!("{PUBLISHED_REFS}{round}");
    let out = git::output(
        root,
        &[
            "for-each-ref",
            "--format=%(*objectname) %(objectname) %(creatordate:unix)",
            &name,
        ],
    )?;
    let text = String::from_utf8_lossy(&out);
    let mut f = text.split_whitespace();
    let (peeled, object, at) = (f.next()?, f.next(), f.next());
    // A lightweight tag has no peeled object: it names the commit itself.
    let (commit, at) = match (object, at) {
        (Some(_), Some(at)) => (peeled, at),
        (Some(at), None) => (peeled, at),
        _ => return None,
    };
    Some((commit.to_string(), at.parse().ok()?))
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
