//! One thin file per subcommand: load -> check/assess -> render.

mod check;
mod import;

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use chrono::{DateTime, Utc};

use crate::Outcome;
use crate::cli::{Cli, Command};

/// What every command may need from the command line and the environment, read once here.
pub struct Context {
    pub root: Option<PathBuf>,
    pub as_of: Option<String>,
    pub now: DateTime<Utc>,
    pub color: bool,
}

impl Context {
    pub fn root(&self) -> Result<PathBuf> {
        crate::load::root_from(self.root.as_deref())
    }
}

pub fn dispatch(cli: Cli, now: DateTime<Utc>) -> Result<Outcome> {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let ctx = Context {
        root: cli.root,
        as_of: cli.as_of,
        now,
        color,
    };
    match cli.command {
        Command::Check(args) => check::run(&ctx, &args),
        Command::Import(args) => import::run(&ctx, &args),
    }
}
