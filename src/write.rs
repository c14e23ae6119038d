//! Safe writes: through a temporary file in the same folder and a rename, never a half file.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// Temporary files start with this; `check` reports any it finds among the reports.
pub(crate) const TEMP_PREFIX: &str = ".tracker-";

/// A write killed half-way leaves its temporary file behind. The next write into the same folder
/// removes those older than ten minutes (younger ones may belong to a write still running).
fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let stale = entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX)
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age.as_secs() > 600));
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes `bytes` to `path` atomically, creating parent folders. The file keeps the permissions of
/// the one it replaces, or gets the usual 0644 (a temporary file starts private).
pub(crate) fn atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    via_temp(path, bytes, true)
}

/// Writes through a temporary file; without `clobber` the rename refuses an existing file
/// (`persist_noclobber`: no window between looking and writing in which a file can appear).
fn via_temp(path: &Path, bytes: &[u8], clobber: bool) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    remove_stale_temp_files(dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
        .with_context(|| format!("无法在 {} 中创建临时文件", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("写入 {} 失败", path.display()))?;
    set_permissions(tmp.as_file(), path).with_context(|| format!("无法设置 {} 的权限", path.display()))?;
    let persisted = if clobber {
        tmp.persist(path)
    } else {
        tmp.persist_noclobber(path)
    };
    match persisted {
        Ok(_) => Ok(()),
        Err(e) if !clobber && e.error.kind() == std::io::ErrorKind::AlreadyExists => Err(exists(path)),
        Err(e) => Err(e).with_context(|| format!("无法写入 {}", path.display())),
    }
}

fn exists(path: &Path) -> anyhow::Error {
    anyhow::anyhow!("{} 已存在，未覆盖；确需重写请加 --force", path.display())
}

#[cfg(unix)]
fn set_permissions(file: &std::fs::File, target: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let permissions = match std::fs::metadata(target) {
        Ok(existing) => existing.permissions(),
        Err(_) => std::fs::Permissions::from_mode(0o644),
    };
    file.set_permissions(permissions)
}

#[cfg(not(unix))]
fn set_permissions(_file: &std::fs::File, _target: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Refuses a path that, once resolved (`..`, links), is not inside `base`: no unit id, file name
/// or link in the data can make a command write elsewhere.
pub(crate) fn ensure_within(base: &Path, path: &Path) -> Result<()> {
    let base = base
        .canonicalize()
        .with_context(|| format!("无法访问目录 {}", base.display()))?;
    // No `..` or `.` anywhere; then the deepest part of the path that exists, with links resolved.
    let plain = !path
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir | std::path::Component::CurDir));
    let existing = path.ancestors().find(|p| p.exists()).unwrap_or(path);
    let resolved = existing
        .canonicalize()
        .with_context(|| format!("无法访问 {}", existing.display()))?;
    if !plain || !resolved.starts_with(&base) {
        bail!("拒绝写入 {}：不在 {} 之内", path.display(), base.display());
    }
    Ok(())
}

/// Like [`atomic`], but refuses to replace an existing file unless `force`.
pub(crate) fn new_file(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    // Said before any folder or temporary file is made; the rename itself refuses too.
    if path.exists() && !force {
        return Err(exists(path));
    }
    via_temp(path, bytes, force)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_clobber_refuses_an_existing_file_and_leaves_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fgw.csv");
        std::fs::write(&path, "mine").unwrap();
        // The rename itself refuses, even when nobody looked first.
        let err = via_temp(&path, b"theirs", false).unwrap_err().to_string();
        assert!(err.contains("已存在，未覆盖"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
        new_file(&path, b"theirs", true).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "theirs");
    }
}
