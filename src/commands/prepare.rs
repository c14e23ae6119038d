//! What every round command does first: load, check, pick the round and "now", and choose where
//! received times come from (the git ledger, or the declared dates), saying so when it falls back.

use std::collections::BTreeSet;
use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, FixedOffset};

use super::{Context, parse_round};
use crate::assess::received::DeclaredTimes;
use crate::assess::{self, Received, ReceivedTimes, RoundStatus};
use crate::ledger::{self, DataVersion, GitTimes};
use crate::load::{Loaded, Workspace};
use crate::model::{ReceivedFrom, Report, Round};

/// The received-time source chosen for this run.
pub enum Times {
    Declared(DeclaredTimes),
    Git(GitTimes),
}

impl ReceivedTimes for Times {
    fn received(&self, report: &Report) -> Received {
        match self {
            Times::Declared(t) => t.received(report),
            Times::Git(t) => t.received(report),
        }
    }
}

pub struct Prepared {
    pub loaded: Loaded,
    pub as_of: DateTime<FixedOffset>,
    pub round: Round,
    /// Report files with check errors (their units count as `invalid`).
    pub invalid: BTreeSet<String>,
    pub times: Times,
    pub version: DataVersion,
}

impl Prepared {
    pub fn workspace(&self) -> Workspace<'_> {
        self.loaded.workspace().expect("checked in prepare")
    }

    pub fn consolidate(&self, round: Round) -> RoundStatus {
        let ws = self.workspace();
        let mut status = assess::consolidate(&ws, round, self.as_of, &self.invalid, &self.times);
        status.version = Some(self.version.clone());
        status
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
    let mut stderr = std::io::stderr().lock();
    if !invalid.is_empty() {
        writeln!(
            stderr,
            "注意：{} 个报送文件有错误，其单位计为“有错误”；运行 tracker check 查看。",
            invalid.len()
        )?;
    }
    let (times, notices) = choose_times(&loaded, &invalid);
    for n in notices {
        writeln!(stderr, "注意：{n}")?;
    }
    let version = ledger::data_version(&loaded.root);
    Ok(Prepared {
        loaded,
        as_of,
        round,
        invalid,
        times,
        version,
    })
}

/// The git ledger when the plan asks for it and it can be read; otherwise the declared dates.
pub fn choose_times(loaded: &Loaded, invalid: &BTreeSet<String>) -> (Times, Vec<String>) {
    let plan = loaded.plan.as_ref().expect("checked by the caller");
    let declared = Times::Declared(DeclaredTimes {
        timezone: plan.timezone,
    });
    if plan.calendar.received_from == ReceivedFrom::Declared {
        return (declared, Vec::new());
    }
    let ledger = match ledger::history::read(&loaded.root) {
        Ok(l) => l,
        Err(why) => {
            let notices = if loaded.reports.is_empty() {
                Vec::new()
            } else {
                vec![why.warning().to_string()]
            };
            return (declared, notices);
        }
    };
    let mut notices = Vec::new();
    if ledger.shallow && !loaded.reports.is_empty() {
        notices.push(ledger::SHALLOW_WARNING.to_string());
    }
    let uncommitted = loaded.reports.iter().filter(|r| ledger.dirty.contains(&r.file)).count();
    if uncommitted > 0 {
        notices.push(format!(
            "{uncommitted} 个报送文件尚未提交或有未提交的修改，提交前不计为按时（时间来源显示为“未提交”）"
        ));
    }
    let versions = crate::check::VersionCheck::new(loaded);
    let times = ledger::received_times(
        &loaded.root,
        &ledger,
        plan,
        &loaded.reports,
        &|r| invalid.contains(&r.file),
        &|r, bytes| versions.is_valid(r, bytes),
    );
    (Times::Git(times), notices)
}
