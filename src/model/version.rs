//! The data's version: HEAD's short hash and whether the data has uncommitted changes.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct DataVersion {
    /// HEAD's short hash; None outside a git repository (or without git).
    pub commit: Option<String>,
    /// True when tracked data differs from HEAD or untracked data exists (digests excluded).
    pub dirty: bool,
}

impl DataVersion {
    /// `a1b2c3d`, `a1b2c3d（有未提交的修改）` or `未纳入 git`.
    pub(crate) fn label(&self) -> String {
        match (&self.commit, self.dirty) {
            (Some(c), false) => c.clone(),
            (Some(c), true) => format!("{c}（有未提交的修改）"),
            (None, _) => "未纳入 git".to_string(),
        }
    }
}
