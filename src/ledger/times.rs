//! Received times from the ledger: the commit that first brought a valid, filled-in version of each
//! report onto HEAD's first-parent line, with blank templates, amendments, back-dating and
//! uncommitted changes flagged.

use super::git::GitError;
use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, TimeZone};

use super::blobs;
use super::history::{Ledger, Version};
use crate::assess::{Acceptance, Received, ReceivedTimes, TimeSource};
use crate::model::{Plan, Report};

const DAY: i64 = 24 * 3600;

#[derive(Debug, Clone)]
pub(crate) struct GitTimes {
    by_file: BTreeMap<String, Received>,
}

impl ReceivedTimes for GitTimes {
    fn received(&self, report: &Report) -> Received {
        self.by_file
            .get(&report.file)
            .cloned()
            .unwrap_or_else(Received::unknown)
    }
}

impl GitTimes {
    pub(crate) fn into_map(self) -> BTreeMap<String, Received> {
        self.by_file
    }
}

/// Judges one version of a report: the file as loaded (`None`) or earlier bytes, as of a time.
pub(crate) type Judge<'a> = dyn Fn(&Report, Option<&[u8]>, DateTime<FixedOffset>) -> Acceptance + 'a;

/// Builds the received times for `reports`: each file counts from the commit of its first valid,
/// filled-in version (else its first filled-in one, which is 有错误); versions before that are
/// named in the remark, and a file never filled in is not a submission at all.
pub(crate) fn received_times(
    root: &Path,
    ledger: &Ledger,
    plan: &Plan,
    reports: &[Report],
    as_of: DateTime<FixedOffset>,
    judge: &Judge,
) -> Result<GitTimes, GitError> {
    let tz = plan.timezone;
    let at = |secs: i64| tz.timestamp_opt(secs, 0).single();
    // Earlier versions to read: every version but the last of each file.
    let mut requests = Vec::new();
    for r in reports {
        if let Some(versions) = ledger.files.get(&r.file) {
            for v in &versions[..versions.len().saturating_sub(1)] {
                requests.push((r.file.clone(), v.commit.clone(), v.path.clone()));
            }
        }
    }
    let contents = blobs::read(
        root,
        &requests
            .iter()
            .map(|(_, c, p)| (c.clone(), p.clone()))
            .collect::<Vec<_>>(),
    )?;
    let mut old: BTreeMap<(String, String), Option<Vec<u8>>> = BTreeMap::new();
    for ((file, commit, _), content) in requests.into_iter().zip(contents) {
        old.insert((file, commit), content);
    }
    let mut by_file = BTreeMap::new();
    for r in reports {
        let versions: &[Version] = ledger.files.get(&r.file).map_or(&[], Vec::as_slice);
        let dirty = ledger.dirty.contains(&r.file);
        let verdicts: Vec<Acceptance> = versions
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let when = at(v.stamp()).unwrap_or(as_of);
                if i + 1 == versions.len() && !dirty {
                    return judge(r, None, when); // the last version is the file as it is
                }
                match old.get(&(r.file.clone(), v.commit.clone())).and_then(|c| c.as_deref()) {
                    Some(bytes) => judge(r, Some(bytes), when),
                    None => Acceptance::Flawed,
                }
            })
            .collect();
        let received = file_times(r, versions, &verdicts, dirty.then(|| judge(r, None, as_of)), plan, &at);
        by_file.insert(r.file.clone(), received);
    }
    Ok(GitTimes { by_file })
}

/// What the office should know about the versions up to the one chosen: ones that were not a
/// submission, a first filled version with errors, a back-dated commit.
fn remarks_before(
    r: &Report,
    versions: &[Version],
    verdicts: &[Acceptance],
    plan: &Plan,
    at: &dyn Fn(i64) -> Option<DateTime<FixedOffset>>,
    (first_valid, first_filled): (Option<usize>, Option<usize>),
    dirty: bool,
) -> Vec<String> {
    let chosen = first_valid.or(first_filled);
    let mut remarks = Vec::new();
    // Without a filled version, the last one is the file itself when nothing is uncommitted: what
    // it lacks is said of the file, not again of a version.
    let listed = chosen.unwrap_or(versions.len() - usize::from(!dirty && !versions.is_empty()));
    for (v, verdict) in versions.iter().zip(verdicts).take(listed) {
        if let Acceptance::Unsubmitted(why) = verdict {
            remarks.push(format!("{} 提交的版本{}，不算报送", fmt(at(v.stamp())), why.label()));
        }
    }
    if let (Some(valid), Some(filled)) = (first_valid, first_filled)
        && valid > filled
    {
        remarks.push(format!(
            "首次填报（{}）的版本有错误，有效版本于 {} 提交",
            fmt(at(versions[filled].stamp())),
            fmt(at(versions[valid].stamp()))
        ));
    }
    if let Some(v) = chosen.map(|i| &versions[i])
        && backdated(v, plan.due(r.round).timestamp())
    {
        remarks.push(format!(
            "作者时间 {} 与提交时间 {} 相差超过一天，且截止时间在两者之间；以提交时间为准",
            fmt(at(v.authored)),
            fmt(at(v.committed))
        ));
    }
    remarks
}

/// One file's received time from its versions' verdicts (and the working copy's, when dirty).
fn file_times(
    r: &Report,
    versions: &[Version],
    verdicts: &[Acceptance],
    working: Option<Acceptance>,
    plan: &Plan,
    at: &dyn Fn(i64) -> Option<DateTime<FixedOffset>>,
) -> Received {
    let first_valid = verdicts.iter().position(|v| *v == Acceptance::Valid);
    let first_filled = verdicts.iter().position(|v| !matches!(v, Acceptance::Unsubmitted(_)));
    let chosen = first_valid.or(first_filled);
    let mut remarks = remarks_before(
        r,
        versions,
        verdicts,
        plan,
        at,
        (first_valid, first_filled),
        working.is_some(),
    );
    let amended: Vec<DateTime<FixedOffset>> = chosen
        .map_or(&[][..], |i| &versions[i + 1..])
        .iter()
        .filter_map(|v| at(v.stamp()))
        .collect();
    if let Some(last) = amended.last() {
        remarks.push(format!("此后修改 {} 次，最近一次 {}", amended.len(), fmt(Some(*last))));
    }
    let skew = chosen.and_then(|i| clock_skew(&versions[i]));
    if let Some(v) = chosen.map(|i| &versions[i]).filter(|_| skew.is_some()) {
        remarks.push(format!(
            "提交时间 {} 与服务器收到时间 {} 相差 {}；以服务器收到时间为准",
            fmt(at(v.committed)),
            fmt(at(v.stamp())),
            crate::assess::submissions::duration_label(skew.unwrap_or(0) / 60)
        ));
    }
    let mut unsubmitted = None;
    let source = match (&working, chosen) {
        (Some(now), _) => {
            remarks.insert(
                0,
                if versions.is_empty() {
                    "文件尚未提交"
                } else {
                    "有未提交的修改"
                }
                .to_string(),
            );
            if chosen.is_none()
                && let Acceptance::Unsubmitted(why) = now
            {
                unsubmitted = Some(why.label());
            }
            TimeSource::Uncommitted
        }
        (None, Some(i)) if versions[i].received.is_some() => TimeSource::Server,
        (None, Some(_)) => TimeSource::Git,
        (None, None) => {
            unsubmitted = verdicts.iter().rev().find_map(|v| match v {
                Acceptance::Unsubmitted(why) => Some(why.label()),
                _ => None,
            });
            TimeSource::Unknown
        }
    };
    Received {
        at: chosen.and_then(|i| at(versions[i].stamp())),
        source,
        amended,
        remark: (!remarks.is_empty()).then(|| remarks.join("；")),
        unsubmitted,
        clock_skew: skew.is_some(),
    }
}

/// A committer time more than an hour from the server's receipt: seconds apart. Either the
/// committer's clock is wrong or the date was set by hand; the receipt counts either way.
pub(crate) fn clock_skew(v: &Version) -> Option<i64> {
    const TOLERANCE: i64 = 3600;
    let apart = (v.received? - v.committed).abs();
    (apart > TOLERANCE).then_some(apart)
}

/// Author and committer more than a day apart with the deadline between them: the choice of
/// time would change the verdict, so the office should know.
pub(crate) fn backdated(v: &Version, due: i64) -> bool {
    let (lo, hi) = (v.authored.min(v.committed), v.authored.max(v.committed));
    hi - lo > DAY && lo <= due && due <= hi
}

fn fmt(t: Option<DateTime<FixedOffset>>) -> String {
    t.map_or_else(|| "?".to_string(), |t| t.format("%Y-%m-%d %H:%M").to_string())
}
