//! Running the `git` command, in one place: in the tracker root, with quoted paths turned off so
//! Chinese file names come back as they are.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

/// `git -C root -c core.quotePath=false`, ready for arguments. `GIT_OPTIONAL_LOCKS=0`: a command
/// that only reads must not rewrite `.git/index` (git's stat refresh); commands that write still
/// take the locks they need.
pub(crate) fn command(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(root)
        .args(["-c", "core.quotePath=false"])
        .env("GIT_OPTIONAL_LOCKS", "0");
    cmd
}

/// The oldest git whose `log --diff-merges=first-parent` the ledger relies on.
pub(crate) const MIN_VERSION: (u32, u32) = (2, 31);

/// `git --version` as (major, minor); None when git cannot be run or says something unexpected.
pub(crate) fn version() -> Option<(u32, u32)> {
    let out = Command::new("git").arg("--version").output().ok()?;
    parse_version(&String::from_utf8_lossy(&out.stdout))
}

/// "git version 2.47.3" (or "git version 2.39.2.windows.1") -> (2, 47).
pub(crate) fn parse_version(text: &str) -> Option<(u32, u32)> {
    let number = text.trim().strip_prefix("git version ")?;
    let mut parts = number.split('.');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// What went wrong running git.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GitError {
    /// git could not be started: what the system said.
    NotRun(String),
    /// git ran and failed: its subcommand and what it said.
    Failed { command: String, said: String },
    /// git's answer was not what tracker reads (output cut short, framing it does not know).
    Unexpected(String),
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GitError::NotRun(why) => write!(f, "无法运行 git：{why}"),
            GitError::Failed { command, said } => write!(f, "git {command} 失败：{said}"),
            GitError::Unexpected(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for GitError {}

/// The standard output of `git args…`, or what git said when it failed.
pub(crate) fn checked(root: &Path, args: &[&str]) -> std::result::Result<Vec<u8>, GitError> {
    let out = command(root)
        .args(args)
        .output()
        .map_err(|e| GitError::NotRun(e.to_string()))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(GitError::Failed {
            command: args.first().copied().unwrap_or("").to_string(),
            said: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }
}

/// The standard output of `git args…`; None when git is missing or the command fails.
pub(crate) fn output(root: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let out = command(root).args(args).output().ok()?;
    out.status.success().then_some(out.stdout)
}

/// Runs `git args…` for its effect; a failure is an error that quotes git and says what to do.
pub(crate) fn run(root: &Path, args: &[&str]) -> Result<()> {
    let out = command(root).args(args).output().context("无法运行 git")?;
    if out.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout).trim(), err.trim());
    let hint = if err.contains("tell me who you are") || err.contains("user.email") {
        "\n请先设置提交人：git config user.name \"姓名\" 和 git config user.email \"邮箱\""
    } else {
        ""
    };
    bail!("git {} 失败：{said}{hint}", args.first().copied().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_git_versions() {
        assert_eq!(super::parse_version("git version 2.47.3\n"), Some((2, 47)));
        assert_eq!(super::parse_version("git version 2.39.2.windows.1"), Some((2, 39)));
        assert_eq!(super::parse_version("hub version 1"), None);
    }
}
