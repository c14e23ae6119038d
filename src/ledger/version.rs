//! Finds the data's version ([`DataVersion`]) from what a git probe saw.

use std::path::Path;

use super::probe::Probe;
use crate::model::DataVersion;

/// HEAD's hash and whether anything is uncommitted.
pub(crate) fn data_version(root: &Path) -> DataVersion {
    version_of(&Probe::of(root))
}

/// The version a probe found (none outside a repository or before the first commit).
pub(crate) fn version_of(probe: &Probe) -> DataVersion {
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
