//! What every round command does first: load, check, pick the round and "now", choose the source
//! of received times.

use std::collections::BTreeSet;
use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, FixedOffset};

use super::{Context, parse_round};
use crate::assess::received::DeclaredTimes;
use crate::assess::{self, RoundStatus};
use crate::load::{Loaded, Workspace};
use crate::model::Round;

pub struct Prepared {
    pub loaded: Loaded,
    pub as_of: DateTime<FixedOffset>,
    pub round: Round,
    /// Report files with check errors (their units count as `invalid`).
    pub invalid: BTreeSet<String>,
}

impl Prepared {
    pub fn workspace(&self) -> Workspace<'_> {
        self.loaded.workspace().expect("checked in prepare")
    }

    pub fn consolidate(&self, round: Round) -> RoundStatus {
        let ws = self.workspace();
        assess::consolidate(&ws, round, self.as_of, &self.invalid, &self.times())
    }

    /// Where received times come from.
    pub fn times(&self) -> DeclaredTimes<'_> {
        DeclaredTimes {
            plan: self.loaded.plan.as_ref().expect("checked in prepare"),
        }
    }

    /// The calendar's rounds up to and including the chosen one.
    pub fn rounds_so_far(&self) -> Vec<Round> {
        self.workspace()
            .plan
            .rounds()
            .into_iter()
            .filter(|r| *r <= self.round)
            .collect()
    }
}

pub fn prepare(ctx: &Context, round: Option<&str>) -> Result<Prepared> {
    let loaded = crate::load::load(&ctx.root()?)?;
    let diags = crate::check::run(&loaded);
    let (as_of, round) = {
        let ws = super::workspace(&loaded)?;
        let as_of = ctx.as_of(ws.plan)?;
        let asked = round.map(|r| parse_round(ws.plan, r)).transpose()?;
        (as_of, assess::pick_round(ws.plan, asked, as_of))
    };
    let invalid: BTreeSet<String> = diags
        .iter()
        .filter(|d| d.is_error() && d.file.starts_with("reports/"))
        .map(|d| d.file.clone())
        .collect();
    if !invalid.is_empty() {
        writeln!(
            std::io::stderr(),
            "注意：{} 个报送文件有错误，其单位计为“有错误”；运行 tracker check 查看。",
            invalid.len()
        )?;
    }
    Ok(Prepared {
        loaded,
        as_of,
        round,
        invalid,
    })
}
