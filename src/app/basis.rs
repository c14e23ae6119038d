//! Which state of the reports a round command shows: the round as the office published it (by
//! default, once it has been), as received by an `--as-of` time in the past, or the working copy;
//! and what changed since (发布后更正) or since the deadline (截止后修改).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, TimeZone};

use crate::assess::corrections::{self, Correction, Since};
use crate::ledger::git::GitError;
use crate::ledger::{Ledger, pins, published};
use crate::load::Pinned;
use crate::model::{DataVersion, Plan, Report, Round};

/// The state chosen, before the reports are read.
#[derive(Debug, Default)]
pub(crate) struct Basis {
    /// The round's publication: its commit and when it was recorded (Unix seconds).
    pub published: Option<(String, i64)>,
    /// The report files as of the chosen commit; None: the working copy.
    pub pinned: Option<Arc<Pinned>>,
    pub version: Option<DataVersion>,
    /// Report path -> when its latest version was received, where that came after the commit.
    pub later: BTreeMap<String, i64>,
    pub notices: Vec<String>,
}

/// Chooses the state for `round` at `as_of` and cuts `ledger` to it: each round of `publications`
/// up to `round` as it was published (so that the history an output shows keeps the numbers that
/// went out), and with `replay` (`--as-of` given) nothing received after `as_of`.
pub(crate) fn choose(
    root: &Path,
    ledger: &mut Ledger,
    mut publications: BTreeMap<Round, (String, i64)>,
    (round, as_of): (Round, DateTime<FixedOffset>),
    replay: bool,
) -> Result<Basis, GitError> {
    let mut basis = Basis::default();
    // Replayed before a publication, the round had not been published yet.
    publications.retain(|r, (_, when)| *r <= round && !(replay && *when > as_of.timestamp()));
    if publications.is_empty() && !replay {
        return Ok(basis);
    }
    let line = pins::main_line(root, ledger.receipts.as_ref())?;
    let replay_at = if replay {
        pins::position_at(&line, as_of.timestamp())
    } else {
        Some(0)
    };
    let mut positions: BTreeMap<Round, usize> = BTreeMap::new();
    for (r, (commit, when)) in publications {
        match line.iter().position(|c| c.full == commit) {
            Some(p) => {
                positions.insert(r, p);
                if r == round {
                    basis.published = Some((commit, when));
                }
            }
            None => basis.notices.push(format!(
                "{r} 轮的发布记录（{}）不在主线上，按最新数据显示",
                published::tag(r)
            )),
        }
    }
    if replay_at == Some(0) && positions.is_empty() {
        return Ok(basis); // nothing came later and nothing is published: the working copy
    }
    let round_of = |file: &str| file.strip_prefix("reports/")?.split('/').next()?.parse::<Round>().ok();
    let cut_of = |file: &str| {
        let published = round_of(file).and_then(|r| positions.get(&r).copied());
        match (replay, published) {
            (false, None) => None,
            (_, p) => Some(pins::older(replay_at, p.or(Some(0)))),
        }
    };
    let version_at = match (replay, positions.get(&round)) {
        (true, p) => Some(pins::older(replay_at, p.copied().or(Some(0)))),
        (false, Some(p)) => Some(Some(*p)),
        (false, None) => None,
    };
    let pins = pins::pin(root, ledger, &line, &cut_of, version_at)?;
    basis.pinned = Some(Arc::new(pins.files));
    basis.version = pins.version;
    basis.later = pins.later;
    Ok(basis)
}

/// The report files as received by `as_of` (None: the working copy, as nothing came later or the
/// plan takes no times from git): for `check --as-of`, which judges no round.
pub(crate) fn received_by(
    root: &Path,
    loaded: &crate::load::Loaded,
    as_of: DateTime<FixedOffset>,
) -> Option<Arc<Pinned>> {
    let plan = loaded.plan.as_ref()?;
    if plan.calendar.received_from == crate::model::ReceivedFrom::Declared || !pins::head_after(root, as_of.timestamp())
    {
        return None;
    }
    let mut ledger = crate::ledger::history::read(root).ok()?;
    choose(root, &mut ledger, BTreeMap::new(), (plan.calendar.first, as_of), true)
        .ok()?
        .pinned
}

/// What changed in `round`'s reports since its publication: each pinned file against the working
/// copy. `reports` are the published versions.
pub(crate) fn since_publication(
    root: &Path,
    plan: &Plan,
    basis: &Basis,
    reports: &[Report],
    round: Round,
) -> Vec<Correction> {
    let Some(pinned) = basis.pinned.as_deref().filter(|_| basis.published.is_some()) else {
        return Vec::new();
    };
    let folder = format!("reports/{round}/");
    let mut out = Vec::new();
    for file in pinned.keys().filter(|f| f.starts_with(&folder)) {
        let Some(new) = read_report(root, plan, file, round) else {
            continue;
        };
        let old = reports.iter().find(|r| &r.file == file);
        let at = basis
            .later
            .get(file)
            .and_then(|s| plan.timezone.timestamp_opt(*s, 0).single());
        out.extend(corrections::between(old, &new, Since::Publication, at));
    }
    out
}

/// What changed in `round`'s reports after its due time, where the round is not published: each
/// file's last version received by then against the one shown.
pub(crate) fn since_deadline(
    root: &Path,
    plan: &Plan,
    ledger: &Ledger,
    reports: &[Report],
    round: Round,
) -> Vec<Correction> {
    let due = plan.due(round).timestamp();
    let mut wanted = Vec::new();
    for r in reports.iter().filter(|r| r.round == round) {
        let Some(versions) = ledger.files.get(&r.file) else {
            continue;
        };
        let (Some(last), Some(before)) = (versions.last(), versions.iter().rev().find(|v| v.stamp() <= due)) else {
            continue;
        };
        if last.stamp() > due && !ledger.dirty.contains(&r.file) {
            wanted.push((r, before.commit.clone(), before.path.clone(), last.stamp()));
        }
    }
    let names: Vec<(String, String)> = wanted.iter().map(|(_, c, p, _)| (c.clone(), p.clone())).collect();
    let Ok(blobs) = crate::ledger::blobs::read(root, &names) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for ((r, _, _, stamp), bytes) in wanted.into_iter().zip(blobs) {
        let old = bytes.and_then(|b| crate::load::parse_report(plan, &r.file, round, &r.unit, &b));
        let at = plan.timezone.timestamp_opt(stamp, 0).single();
        out.extend(corrections::between(old.as_ref(), r, Since::Deadline, at));
    }
    out
}

fn read_report(root: &Path, plan: &Plan, file: &str, round: Round) -> Option<Report> {
    let bytes = crate::load::read_inside(root, file).ok()?;
    let unit = file.rsplit('/').next()?.strip_suffix(".csv")?;
    crate::load::parse_report(plan, file, round, unit, &bytes)
}
