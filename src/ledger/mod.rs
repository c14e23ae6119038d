//! Git as the ledger: which commit the data is at, and when each report first arrived. Runs the
//! `git` command (one `git log` pass, one `git cat-file --batch`); never links a git library.

pub mod blobs;
pub mod check;
pub mod git;
pub mod history;
pub mod notes;
mod probe;
pub mod server;
pub mod staged;
pub mod times;
mod unavailable;
pub mod version;

pub use history::Ledger;
pub use times::{GitTimes, received_times};
pub use unavailable::Unavailable;
pub use version::data_version;

pub const SHALLOW_WARNING: &str =
    "这是浅克隆（shallow clone），提交历史不全，收到时间可能不准；请运行 git fetch --unshallow";
