//! Earlier versions of files, all through one `git cat-file --batch` process.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::Stdio;

use super::git::GitError;

/// The contents of `commit:path` for each request, in order (None where git has no such blob).
/// Paths are relative to the tracker root, which may be a folder inside the repository: they are
/// given to git as `./path`, which it resolves from the working directory (`-C root`).
pub(crate) fn read(root: &Path, requests: &[(String, String)]) -> Result<Vec<Option<Vec<u8>>>, GitError> {
    let names: Vec<String> = requests.iter().map(|(c, p)| format!("{c}:./{p}")).collect();
    read_objects(root, &names)
}

/// The contents of each named object (`commit:./path`, or an object id), in order.
pub(crate) fn read_objects(root: &Path, names: &[String]) -> Result<Vec<Option<Vec<u8>>>, GitError> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = super::git::command(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| GitError::NotRun(format!("git cat-file：{e}")))?;
    let mut stdin = child.stdin.take().expect("piped");
    let input: String = names.iter().map(|n| format!("{n}\n")).collect();
    // Write from another thread so a large batch cannot deadlock on full pipes.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut out = BufReader::new(child.stdout.take().expect("piped"));
    let mut results = Vec::with_capacity(names.len());
    for _ in names {
        let mut header = String::new();
        if out.read_line(&mut header).unwrap_or(0) == 0 {
            return Err(GitError::Unexpected(
                "git cat-file 提前结束，读不到早先的版本".to_string(),
            ));
        }
        let mut parts = header.split_whitespace();
        let (_, kind, size) = (parts.next(), parts.next(), parts.next());
        match (kind, size.and_then(|s| s.parse::<usize>().ok())) {
            (Some("blob"), Some(size)) => {
                let mut buf = vec![0; size + 1]; // content and its trailing newline
                out.read_exact(&mut buf)
                    .map_err(|e| GitError::Unexpected(format!("读取 git cat-file 的输出失败：{e}")))?;
                buf.pop();
                results.push(Some(buf));
            }
            _ => results.push(None), // "<object> missing"
        }
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(results)
}
