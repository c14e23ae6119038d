//! Received times from the ledger: the commit that first brought a valid version of each report
//! onto HEAD's first-parent line, with amendments, back-dating and uncommitted changes flagged.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, TimeZone};

use super::blobs;
use super::history::{Ledger, Version};
use crate::assess::{Received, ReceivedTimes, TimeSource};
use crate::model::{Plan, Report};

const DAY: i64 = 24 * 3600;

#[derive(Debug, Clone)]
pub struct GitTimes {
    by_file: BTreeMap<String, Received>,
}

impl ReceivedTimes for GitTimes {
    fn received(&self, report: &Report) -> Received {
        self.by_file.get(&report.file).cloned().unwrap_or(Received {
            at: None,
            source: TimeSource::Unknown,
            amended: Vec::new(),
            remark: None,
        })
    }
}

impl GitTimes {
    pub fn get(&self, file: &str) -> Option<&Received> {
        self.by_file.get(file)
    }
}

/// Builds the received times for `reports`. `is_valid(report, bytes)` says whether an earlier
/// version of a report would have passed `tracker check`; `currently_invalid` whether the file as
/// it is now fails it.
pub fn received_times(
    root: &Path,
    ledger: &Ledger,
    plan: &Plan,
    reports: &[Report],
    currently_invalid: &dyn Fn(&Report) -> bool,
    is_valid: &dyn Fn(&Report, &[u8]) -> bool,
) -> GitTimes {
    let tz = plan.timezone;
    let at = |secs: i64| tz.timestamp_opt(secs, 0).single();
    // Earlier versions to read: every version but the last of each amended file.
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
    );
    let mut old: BTreeMap<(String, String), Option<Vec<u8>>> = BTreeMap::new();
    for ((file, commit, _), content) in requests.into_iter().zip(contents) {
        old.insert((file, commit), content);
    }
    let mut by_file = BTreeMap::new();
    for r in reports {
        let due = plan.due(r.round);
        let versions: &[Version] = ledger.files.get(&r.file).map_or(&[], Vec::as_slice);
        let dirty = ledger.dirty.contains(&r.file);
        let valid = |i: usize, v: &Version| -> bool {
            if i + 1 == versions.len() {
                return dirty || !currently_invalid(r); // the last version is the file as it is (when clean)
            }
            old.get(&(r.file.clone(), v.commit.clone()))
                .and_then(|c| c.as_deref())
                .is_some_and(|bytes| is_valid(r, bytes))
        };
        let first_valid = versions.iter().enumerate().position(|(i, v)| valid(i, v));
        let chosen = first_valid.or(if versions.is_empty() { None } else { Some(0) });
        let mut remarks = Vec::new();
        let received_at = chosen.and_then(|i| at(versions[i].committed));
        if let (Some(i), Some(first)) = (first_valid, versions.first()) {
            if i > 0 {
                remarks.push(format!(
                    "首次提交（{}）的版本有错误，有效版本于 {} 提交",
                    fmt(at(first.committed)),
                    fmt(at(versions[i].committed))
                ));
            }
        }
        if let Some(v) = chosen.map(|i| &versions[i]) {
            if backdated(v, due.timestamp()) {
                remarks.push(format!(
                    "作者时间 {} 与提交时间 {} 相差超过一天，且截止时间在两者之间；以提交时间为准",
                    fmt(at(v.authored)),
                    fmt(at(v.committed))
                ));
            }
        }
        let amended: Vec<DateTime<FixedOffset>> = chosen
            .map_or(&[][..], |i| &versions[i + 1..])
            .iter()
            .filter_map(|v| at(v.committed))
            .collect();
        if let Some(last) = amended.last() {
            remarks.push(format!("此后修改 {} 次，最近一次 {}", amended.len(), fmt(Some(*last))));
        }
        let source = if dirty {
            remarks.insert(
                0,
                if versions.is_empty() {
                    "文件尚未提交".to_string()
                } else {
                    "有未提交的修改".to_string()
                },
            );
            TimeSource::Uncommitted
        } else if received_at.is_some() {
            TimeSource::Git
        } else {
            TimeSource::Unknown
        };
        by_file.insert(
            r.file.clone(),
            Received {
                at: received_at,
                source,
                amended,
                remark: (!remarks.is_empty()).then(|| remarks.join("；")),
            },
        );
    }
    GitTimes { by_file }
}

/// Author and committer more than a day apart with the deadline between them: the choice of
/// time would change the verdict, so the office should know.
pub fn backdated(v: &Version, due: i64) -> bool {
    let (lo, hi) = (v.authored.min(v.committed), v.authored.max(v.committed));
    hi - lo > DAY && lo <= due && due <= hi
}

fn fmt(t: Option<DateTime<FixedOffset>>) -> String {
    t.map_or_else(|| "?".to_string(), |t| t.format("%Y-%m-%d %H:%M").to_string())
}
