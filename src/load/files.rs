//! Reading files under the repository root without ever leaving it: listings that know which
//! entries are links, and reads that refuse a link to elsewhere. Every failure is a diagnostic.

use std::path::Path;

use anyhow::{Context, Result};

use crate::diagnostic::Source;
use crate::diagnostic::{Diagnostic, Rule};

/// Reads `rel` under `root`, unless it resolves outside the root (a link to elsewhere is never
/// read: its content could end up in check's output and CI logs). Every failure is a diagnostic.
pub(crate) fn read_inside(root: &Path, rel: &str) -> Result<Vec<u8>, Diagnostic> {
    outside_root(root, rel)?;
    read_plain(root, rel)
}

/// Reads a listed file. In a folder already found to be inside the root, an entry that is not a
/// link is inside too, so only links are resolved (a system call per part of the path saved).
pub(crate) fn read_listed(root: &Path, entry: &Entry, folder_inside: bool) -> Result<Vec<u8>, Diagnostic> {
    if folder_inside && !entry.link {
        read_plain(root, &entry.rel)
    } else {
        read_inside(root, &entry.rel)
    }
}

fn read_plain(root: &Path, rel: &str) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(root.join(rel)).map_err(|e| {
        Diagnostic::new(Rule::UnreadableFile, rel, format!("无法读取：{}", io_reason(&e)))
            .hint("检查文件权限；文件夹不应以 .toml 或 .csv 结尾命名")
    })
}

/// A diagnostic when `rel` (a file or a folder) resolves to somewhere outside the root.
pub(crate) fn outside_root(root: &Path, rel: &str) -> Result<(), Diagnostic> {
    if no_links(root, rel) {
        return Ok(());
    }
    match root.join(rel).canonicalize() {
        Ok(real) if real.starts_with(root) => Ok(()),
        Ok(_) => Err(
            Diagnostic::new(Rule::OutsideRoot, rel, "这是指向仓库之外的链接，未读取")
                .hint("把文件本身放进仓库，删去这个链接"),
        ),
        Err(e) => Err(
            Diagnostic::new(Rule::UnreadableFile, rel, format!("无法访问：{}", io_reason(&e)))
                .hint("链接指向的文件不存在，或没有读取权限"),
        ),
    }
}

/// Whether every part of `rel` (plain names only) exists and none is a link: then it is inside the
/// (canonical) root without resolving the whole path, which costs a system call per folder of it.
fn no_links(root: &Path, rel: &str) -> bool {
    let mut path = root.to_path_buf();
    rel.split('/').all(|part| {
        if part.is_empty() || part == "." || part == ".." {
            return false;
        }
        path.push(part);
        std::fs::symlink_metadata(&path).is_ok_and(|m| !m.file_type().is_symlink())
    })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
        std::io::ErrorKind::NotFound => "不存在".to_string(),
        std::io::ErrorKind::IsADirectory => "这是一个文件夹".to_string(),
        _ => e.to_string(),
    }
}

/// Reads `rel` under `root` as UTF-8 text; every problem is a diagnostic.
pub(crate) fn read_text(root: &Path, rel: &str) -> Result<Result<Source, Diagnostic>> {
    Ok(read_inside(root, rel).and_then(|bytes| text_of(rel, bytes)))
}

/// A file's bytes as UTF-8 text (a BOM dropped).
pub(crate) fn text_of(rel: &str, bytes: Vec<u8>) -> Result<Source, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source::new(rel, text.strip_prefix('\u{feff}').unwrap_or(&text))),
        Err(e) => Err(Diagnostic::new(
            Rule::TomlSyntax,
            rel,
            format!(
                "文件不是 UTF-8 文本（第 {} 字节起无法解码）",
                e.utf8_error().valid_up_to()
            ),
        )
        .hint("用文本编辑器以 UTF-8 编码另存此文件")),
    }
}

/// The files directly inside `root/dir`, as sorted repository-relative paths (empty if absent).
/// Hidden names (`.…`) are left out.
pub fn list_dir(root: &Path, dir: &str) -> Result<Vec<String>> {
    Ok(list_all(root, dir)?.into_iter().filter(|p| !is_hidden(p)).collect())
}

/// Whether the last part of a path starts with `.`.
pub(crate) fn is_hidden(rel: &str) -> bool {
    rel.rsplit('/').next().is_some_and(|n| n.starts_with('.'))
}

/// Every entry directly inside `root/dir`, hidden ones included, sorted.
pub(crate) fn list_all(root: &Path, dir: &str) -> Result<Vec<String>> {
    Ok(list_entries(root, dir)?.into_iter().map(|e| e.rel).collect())
}

/// An entry of a folder, with what the listing itself says of it (no system call per entry).
pub(crate) struct Entry {
    pub rel: String,
    pub link: bool,
    /// A folder itself, not a link to one.
    pub dir: bool,
}

/// Every entry directly inside `root/dir`, hidden ones included, sorted by path.
pub(crate) fn list_entries(root: &Path, dir: &str) -> Result<Vec<Entry>> {
    let path = root.join(dir);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&path).with_context(|| format!("无法读取目录 {dir}/"))? {
        let entry = entry.with_context(|| format!("无法读取目录 {dir}/"))?;
        let kind = entry.file_type().with_context(|| format!("无法读取目录 {dir}/"))?;
        out.push(Entry {
            rel: format!("{dir}/{}", entry.file_name().to_string_lossy()),
            link: kind.is_symlink(),
            dir: kind.is_dir(),
        });
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}
