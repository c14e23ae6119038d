//! Server receipts: the office's bare repository records, in the notes ref
//! `refs/notes/tracker-received`, when each pushed commit's report files arrived. One note per
//! commit, one line per report file: `path<TAB>blob<TAB>unix time<TAB>pusher`.

use super::git::GitError;
use std::collections::BTreeMap;
use std::path::Path;

use super::git;

pub(crate) const NOTES_REF: &str = "refs/notes/tracker-received";

/// When the server received one report file in one commit, and who pushed it (if the server knew).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Receipt {
    pub at: i64,
    pub pusher: String,
}

/// (commit, path relative to the tracker root) -> receipt.
pub(crate) type Receipts = BTreeMap<(String, String), Receipt>;

/// One note's text for a commit: a line per report file.
pub(crate) fn note_text(files: &[(String, String)], at: i64, pusher: &str) -> String {
    files
        .iter()
        .map(|(path, blob)| format!("{path}\t{blob}\t{at}\t{}\n", pusher.replace(['\t', '\n'], " ")))
        .collect()
}

/// Parses one note: a line per file; lines that do not parse are skipped.
pub(crate) fn parse_note(commit: &str, text: &str, out: &mut Receipts) {
    for line in text.lines() {
        let mut fields = line.split('\t');
        let (Some(path), Some(_blob), Some(at)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        let Ok(at) = at.trim().parse::<i64>() else { continue };
        let pusher = fields.next().unwrap_or("").to_string();
        out.insert((commit.to_string(), path.to_string()), Receipt { at, pusher });
    }
}

/// The receipts of one commit (empty when the server has none for it).
pub(crate) fn of_commit(root: &Path, commit: &str) -> Receipts {
    let mut receipts = Receipts::new();
    if let Some(text) = git::output(root, &["notes", "--ref", NOTES_REF, "show", commit]) {
        parse_note(commit, &String::from_utf8_lossy(&text), &mut receipts);
    }
    receipts
}

/// Every receipt in the repository; None when it has no notes ref (a clone that did not fetch
/// the notes, or a repository without the server hook).
pub(crate) fn read(root: &Path) -> Result<Option<Receipts>, GitError> {
    if git::output(root, &["rev-parse", "--verify", "-q", NOTES_REF]).is_none() {
        return Ok(None);
    }
    let list = git::checked(root, &["notes", "--ref", NOTES_REF, "list"])?;
    let pairs: Vec<(String, String)> = String::from_utf8_lossy(&list)
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(note, commit)| (note.to_string(), commit.to_string()))
        .collect();
    let ids: Vec<String> = pairs.iter().map(|(note, _)| note.clone()).collect();
    let contents = super::blobs::read_objects(root, &ids)?;
    let mut receipts = Receipts::new();
    for ((_, commit), content) in pairs.iter().zip(contents) {
        if let Some(bytes) = content {
            parse_note(commit, &String::from_utf8_lossy(&bytes), &mut receipts);
        }
    }
    Ok(Some(receipts))
}

/// Whether `origin` has the notes ref: asked with `git ls-remote`, never prompting, given up after
/// ten seconds. None when there is no `origin` or it cannot be asked.
pub(crate) fn remote_has_notes(root: &Path) -> Option<bool> {
    git::output(root, &["config", "--get", "remote.origin.url"])?;
    let mut child = git::command(root)
        .args(["ls-remote", "origin", NOTES_REF])
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes -o ConnectTimeout=5")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match child.try_wait().ok()? {
            Some(status) if status.success() => break,
            Some(_) => return None,
            None if std::time::Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            None => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
    let mut said = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take()?, &mut said).ok()?;
    Some(!said.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_round_trip() {
        let files = vec![("reports/2024-08/jtj.csv".to_string(), "abc".to_string())];
        let text = note_text(&files, 1_722_850_000, "jtj\tliaison");
        let mut out = Receipts::new();
        parse_note("c1", &text, &mut out);
        let r = &out[&("c1".to_string(), "reports/2024-08/jtj.csv".to_string())];
        assert_eq!((r.at, r.pusher.as_str()), (1_722_850_000, "jtj liaison"));
    }
}
