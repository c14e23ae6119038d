//! Safe writes: through a temporary file in the same folder and a rename, never a half file.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// Writes `bytes` to `path` atomically, creating parent folders. The file keeps the permissions of
/// the one it replaces, or gets the usual 0644 (a temporary file starts private).
pub fn atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".tracker-")
        .tempfile_in(dir)
        .with_context(|| format!("无法在 {} 中创建临时文件", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("写入 {} 失败", path.display()))?;
    set_permissions(tmp.as_file(), path).with_context(|| format!("无法设置 {} 的权限", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("无法写入 {}", path.display()))?;
    Ok(())
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

/// Like [`atomic`], but refuses to replace an existing file unless `force`.
pub fn new_file(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    if path.exists() && !force {
        bail!("{} 已存在，未覆盖；确需重写请加 --force", path.display());
    }
    atomic(path, bytes)
}
