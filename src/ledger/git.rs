//! Running the `git` command, in one place: in the tracker root, with quoted paths turned off so
//! Chinese file names come back as they are.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

/// `git -C root -c core.quotePath=false`, ready for arguments.
pub fn command(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(root).args(["-c", "core.quotePath=false"]);
    cmd
}

/// Whether a `git` command can be run at all.
pub fn available() -> bool {
    Command::new("git").arg("--version").output().is_ok()
}

/// The standard output of `git args…`; None when git is missing or the command fails.
pub fn output(root: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let out = command(root).args(args).output().ok()?;
    out.status.success().then_some(out.stdout)
}

/// Runs `git args…` for its effect; a failure is an error that quotes git and says what to do.
pub fn run(root: &Path, args: &[&str]) -> Result<()> {
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
