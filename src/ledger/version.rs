//! The data's version: HEAD's short hash and whether the data has uncommitted changes.

use std::path::Path;

use super::probe::Probe;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataVersion {
    /// HEAD's short hash; None outside a git repository (or without git).
    pub commit: Option<String>,
    /// True when tracked data differs from HEAD or untracked data exists (digests excluded).
    pub dirty: bool,
}

impl DataVersion {
    /// `a1b2c3d`, `a1b2c3d（有未提交的修改）` or `未纳入 git`.
    pub fn label(&self) -> String {
        match (&self.commit, self.dirty) {
            (Some(c), false) => c.clone(),
            (Some(c), true) => format!("{c}（有未提交的修改）"),
            (None, _) => "未纳入 git".to_string(),
        }
    }
}

/// HEAD's hash and whether anything is uncommitted.
pub fn data_version(root: &Path) -> DataVersion {
    DataVersion::of(&Probe::of(root))
}

impl DataVersion {
    /// The version a probe found (none outside a repository or before the first commit).
    pub fn of(probe: &Probe) -> DataVersion {
        match probe.place.as_ref().ok().and_then(|p| p.head.clone()) {
            Some(head) => DataVersion {
                commit: Some(head),
                dirty: probe.status.as_ref().is_ok_and(|s| s.any),
            },
            None => DataVersion {
                commit: None,
                dirty: false,
            },
        }
    }
}
