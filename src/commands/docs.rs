//! `tracker completions`, `tracker man`, `tracker help` and `--version`: the command tree as shell
//! completions (with this repository's unit ids and names, rounds and task ids), as a man page,
//! and as Chinese help.

use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};
use clap::builder::PossibleValuesParser;
use clap::{Command, CommandFactory};

use super::Context;
use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::cli_zh;
use crate::outcome::Outcome;

pub(crate) fn completions(ctx: &Context, args: &CompletionsArgs) -> Result<Outcome> {
    let mut cmd = cli_zh::localize(Cli::command());
    if let Some(values) = repository_values(ctx) {
        cmd = with_values(cmd, &values);
    }
    let shell = match args.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
        Shell::Elvish => clap_complete::Shell::Elvish,
    };
    clap_complete::generate(shell, &mut cmd, "tracker", &mut std::io::stdout().lock());
    Ok(Outcome::Clean)
}

pub(crate) fn man() -> Result<Outcome> {
    let cmd = cli_zh::localize(Cli::command());
    clap_mangen::Man::new(cmd).render(&mut std::io::stdout().lock())?;
    Ok(Outcome::Clean)
}

/// `tracker help status`, `tracker help report new`: the same page as `--help`.
pub(crate) fn help(path: &[String]) -> Result<Outcome> {
    let mut cmd = cli_zh::localize(Cli::command());
    cmd.build();
    let mut here = &mut cmd;
    for name in path {
        match here.find_subcommand_mut(name) {
            Some(sub) => here = sub,
            None => bail!("没有命令「{name}」；运行 tracker --help 查看全部命令"),
        }
    }
    let text = cli_zh::help_text(&here.render_help().to_string());
    write!(std::io::stdout().lock(), "{text}")?;
    Ok(Outcome::Clean)
}

/// The values completions can offer: unit ids and names, rounds, task ids.
struct Values {
    units: Vec<String>,
    rounds: Vec<String>,
    tasks: Vec<String>,
}

/// Outside a repository (or with data that does not load) completions have no values.
fn repository_values(ctx: &Context) -> Option<Values> {
    let loaded = crate::load::load(&ctx.root().ok()?).ok()?;
    let ws = loaded.workspace()?;
    let mut units: Vec<String> = ws.units.units.iter().map(|u| u.id.clone()).collect();
    units.extend(ws.units.units.iter().map(|u| u.name.clone()));
    Some(Values {
        units,
        rounds: ws.plan.rounds().iter().map(ToString::to_string).collect(),
        tasks: ws.tasks.iter().map(|t| t.id.value.to_string()).collect(),
    })
}

fn with_values(cmd: Command, v: &Values) -> Command {
    let ids: Vec<String> = cmd.get_arguments().map(|a| a.get_id().to_string()).collect();
    let mut cmd = cmd;
    for id in ids {
        let values = match id.as_str() {
            "unit" => &v.units,
            "round" => &v.rounds,
            "task" => &v.tasks,
            _ => continue,
        };
        let parser = PossibleValuesParser::new(values.iter().map(|s| clap::builder::PossibleValue::new(s.clone())));
        cmd = cmd.mut_arg(id, |a| a.value_parser(parser));
    }
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |c| with_values(c, v));
    }
    cmd
}

/// `tracker 0.1.0（构建自 a1b2c3d）` and the data version of the repository it runs in.
pub(crate) fn version_text(root: Option<&Path>) -> String {
    let built = format!(
        "tracker {}（构建自 {}）",
        env!("CARGO_PKG_VERSION"),
        env!("TRACKER_BUILD_COMMIT")
    );
    match crate::load::root_from(root) {
        Ok(root) => format!(
            "{built}\n数据版本 {}（{}）",
            crate::ledger::data_version(&root).label(),
            root.display()
        ),
        Err(_) => format!("{built}\n不在任务仓库中"),
    }
}
