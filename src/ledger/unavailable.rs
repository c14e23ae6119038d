//! Why the git ledger cannot be read, and the warning people see when times fall back.

use super::git::{self, GitError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unavailable {
    NoGit,
    /// git older than [`git::MIN_VERSION`]: (major, minor).
    TooOld((u32, u32)),
    NotARepository,
    /// A repository without any commit yet.
    NoCommits,
    /// A git command failed; what git said.
    Failed(GitError),
}

impl Unavailable {
    /// The one warning people see when times fall back to the declared dates.
    pub(crate) fn warning(&self) -> String {
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
