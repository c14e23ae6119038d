//! The reports a judgement reads, indexed once by round and by unit.

use std::collections::{BTreeMap, HashMap};

use crate::model::Workspace;
use crate::model::{Carried, MainRow, Report, Round};

/// Every report indexed once by round and by unit, so that judging many rounds stays linear.
pub(crate) struct ReportIndex<'a> {
    by_round: BTreeMap<Round, Vec<&'a Report>>,
    /// Each unit's reports, oldest round first.
    by_unit: HashMap<&'a str, Vec<&'a Report>>,
    /// What is kept of the workspace's retired reports, older than every report here.
    carried: Option<&'a Carried>,
}

impl<'a> ReportIndex<'a> {
    pub(crate) fn new(reports: &'a [Report]) -> ReportIndex<'a> {
        let mut index = ReportIndex {
            by_round: BTreeMap::new(),
            by_unit: HashMap::new(),
            carried: None,
        };
        for r in reports {
            index.by_round.entry(r.round).or_default().push(r);
            index.by_unit.entry(r.unit.as_str()).or_default().push(r);
        }
        index.by_unit.values_mut().for_each(|v| v.sort_by_key(|r| r.round));
        index
    }

    /// The workspace's reports, and what is kept of those it retired.
    pub(crate) fn of(ws: &Workspace<'a>) -> ReportIndex<'a> {
        ReportIndex {
            carried: Some(ws.carried),
            ..ReportIndex::new(ws.reports)
        }
    }

    /// What is kept of retired reports, if any were.
    pub(crate) fn carried(&self) -> Option<&'a Carried> {
        self.carried
    }

    pub(crate) fn round(&self, round: Round) -> &[&'a Report] {
        self.by_round.get(&round).map_or(&[], Vec::as_slice)
    }

    /// The unit's latest report before `round`.
    pub(crate) fn previous(&self, unit: &str, round: Round) -> Option<&'a Report> {
        self.earlier(unit, round).next()
    }

    /// The unit's reports before `round`, latest first.
    pub(crate) fn earlier(&self, unit: &str, round: Round) -> impl Iterator<Item = &'a Report> + '_ {
        let reports = self.by_unit.get(unit).map_or(&[][..], Vec::as_slice);
        let at = reports.partition_point(|r| r.round < round);
        reports[..at].iter().rev().copied()
    }
}

/// The reports a judgement may look at: this round's received files and each unit's earlier ones.
pub(crate) struct RoundReports<'a, 'i> {
    pub current: Vec<&'a Report>,
    /// unit id -> its positions in `current`.
    pub(super) positions: HashMap<&'a str, Vec<usize>>,
    pub index: &'i ReportIndex<'a>,
    /// The round's due time has not passed yet: a lead without a report is pending, not missing.
    pub open: bool,
}

impl<'a, 'i> RoundReports<'a, 'i> {
    pub(crate) fn new(current: Vec<&'a Report>, index: &'i ReportIndex<'a>, open: bool) -> RoundReports<'a, 'i> {
        let mut positions: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in current.iter().enumerate() {
            positions.entry(r.unit.as_str()).or_default().push(i);
        }
        RoundReports {
            current,
            positions,
            index,
            open,
        }
    }

    pub(super) fn of(&self, unit: &str) -> Option<&'a Report> {
        self.all_of(unit).next()
    }

    /// The unit's received files of the round, in the order of `current`.
    pub(super) fn all_of(&self, unit: &str) -> impl Iterator<Item = &'a Report> + '_ {
        let at = self.positions.get(unit).map_or(&[][..], Vec::as_slice);
        at.iter().map(|&i| self.current[i])
    }

    pub(super) fn previous_row(&self, unit: &str, task: u32, round: Round) -> Option<&'a MainRow> {
        self.index.previous(unit, round)?.valid_row(task)
    }
}
