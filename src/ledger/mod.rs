//! Git as the ledger: which commit the data is at, and (for received times) when each report
//! first arrived. Runs the `git` command; never links a git library.

pub mod version;

pub use version::{DataVersion, data_version};
