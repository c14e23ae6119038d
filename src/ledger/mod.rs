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
pub mod version;

pub use history::{Ledger, Unavailable};
pub use times::{GitTimes, received_times};
pub use version::{DataVersion, data_version};

impl Unavailable {
    /// The one warning people see when times fall back to the declared dates.
    pub fn warning(&self) -> String {
        const FALLBACK: &str = "收到时间改取各文件的填报日期（只到日，且由报送单位自填）";
        match self {
            Unavailable::NoGit => format!("找不到 git 命令，{FALLBACK}"),
            Unavailable::TooOld((major, minor)) => format!(
                "git 版本 {major}.{minor} 太旧（至少需要 {}.{}），{FALLBACK}",
                git::MIN_VERSION.0,
                git::MIN_VERSION.1
            ),
            Unavailable::NotARepository => format!("这里不是 git 仓库，{FALLBACK}"),
            Unavailable::NoCommits => "仓库还没有任何提交，收到时间改取各文件的填报日期".to_string(),
            Unavailable::Failed(said) => format!("读取 git 历史失败（{said}），{FALLBACK}"),
        }
    }
}

pub const SHALLOW_WARNING: &str =
    "这是浅克隆（shallow clone），提交历史不全，收到时间可能不准；请运行 git fetch --unshallow";
