//! `tracker hook install|uninstall`: on a clone, a pre-commit hook that runs `tracker check
//! --staged`; with `--server`, the office's receive hooks (see `server_hook`). An existing hook is
//! never replaced: `--chain` keeps it and runs it first.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use super::Context;
use super::hook_files::{hooks_dir, install, quote, script_head, uninstall};
use super::server_hook;
use crate::cli::{HookCommand, HookInstallArgs};
use crate::ledger::git::output as git;
use crate::outcome::Outcome;

pub(crate) fn run(ctx: &Context, cmd: &HookCommand) -> Result<Outcome> {
    match cmd {
        HookCommand::Install(args) if args.place.server => server_hook::install(args),
        HookCommand::Uninstall(place) if place.server => server_hook::uninstall(place),
        HookCommand::Install(args) => install_client(ctx, args),
        HookCommand::Uninstall(_) => {
            let root = ctx.root()?;
            uninstall(&hooks_dir(&root)?, "pre-commit", &mut std::io::stdout().lock())?;
            Ok(Outcome::Clean)
        }
        HookCommand::PreReceive => super::pre_receive::pre_receive(ctx),
        HookCommand::PostReceive => super::post_receive::post_receive(ctx),
    }
}

fn install_client(ctx: &Context, args: &HookInstallArgs) -> Result<Outcome> {
    let root = ctx.root()?;
    let hooks = hooks_dir(&root)?;
    let mut out = std::io::stdout().lock();
    install(&hooks, "pre-commit", &client_script(&root)?, args.chain, &mut out)?;
    writeln!(
        out,
        "已安装 {}：每次提交前检查暂存的内容，有错误时拒绝提交。",
        hooks.join("pre-commit").display()
    )?;
    Ok(Outcome::Clean)
}

fn client_script(root: &Path) -> Result<String> {
    let prefix = git(root, &["rev-parse", "--show-prefix"])
        .map(|p| String::from_utf8_lossy(&p).trim().to_string())
        .unwrap_or_default();
    Ok(format!(
        "{}# Checks what is being committed (the staged files), not the working tree.\n\
         root=\"$(git rev-parse --show-toplevel)/\"{}\n\
         exec \"$tracker_bin\" --root \"$root\" check --staged\n",
        script_head(
            "pre-commit",
            "tracker hook install",
            "",
            "\"$hook_dir/pre-commit.tracker-chained\" \"$@\""
        )?,
        quote(&prefix),
    ))
}
