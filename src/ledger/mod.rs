//! Git as the ledger: which commit the data is at, and when each report first arrived. Runs the
//! `git` command (one `git log` pass, one `git cat-file --batch`); never links a git library.

pub(crate) mod arrival;
pub(crate) mod authority;
pub(crate) mod blobs;
pub(crate) mod check;
pub(crate) mod deliver;
pub(crate) mod git;
pub(crate) mod history;
pub(crate) mod locks;
pub(crate) mod merge;
pub(crate) mod notes;
pub(crate) mod pins;
pub(crate) mod probe;
pub(crate) mod published;
pub(crate) mod pushes;
pub(crate) mod server;
pub(crate) mod shared_cache;
pub(crate) mod staged;
pub(crate) mod times;
mod unavailable;
pub(crate) mod version;

pub(crate) use history::Ledger;
pub(crate) use times::received_times;
pub(crate) use unavailable::Unavailable;
pub(crate) use version::data_version;

pub(crate) const SHALLOW_WARNING: &str =
    "这是浅克隆（shallow clone），提交历史不全，收到时间可能不准；请运行 git fetch --unshallow";
