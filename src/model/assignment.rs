//! Who must report on what: each unit's led (must report) and cooperating (may report) tasks,
//! with groups such as 各县区政府 expanded to their members.

use std::collections::{BTreeMap, BTreeSet};

use super::{Task, Units};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Lead,
    Cooperating,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Lead => "牵头（必报）",
            Role::Cooperating => "配合（选报）",
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct Assignments {
    /// unit id -> task id -> role (lead wins when a unit is both).
    by_unit: BTreeMap<String, BTreeMap<u32, Role>>,
    /// task id -> lead unit ids, in the task's order.
    leads: BTreeMap<u32, Vec<String>>,
    /// unit id -> name.
    names: BTreeMap<String, String>,
}

impl Assignments {
    pub fn new(tasks: &[Task], units: &Units) -> Assignments {
        let mut a = Assignments {
            names: units.units.iter().map(|u| (u.id.clone(), u.name.clone())).collect(),
            ..Assignments::default()
        };
        for t in tasks {
            let id = t.id.value;
            let mut leads = Vec::new();
            for name in t.lead_names() {
                for u in units.expand(name) {
                    a.by_unit.entry(u.id.clone()).or_default().insert(id, Role::Lead);
                    if !leads.contains(&u.id) {
                        leads.push(u.id.clone());
                    }
                }
            }
            for name in t.cooperating_names() {
                for u in units.expand(name) {
                    a.by_unit
                        .entry(u.id.clone())
                        .or_default()
                        .entry(id)
                        .or_insert(Role::Cooperating);
                }
            }
            a.leads.insert(id, leads);
        }
        a
    }

    pub fn unit_name(&self, unit: &str) -> Option<&str> {
        self.names.get(unit).map(String::as_str)
    }

    pub fn role(&self, unit: &str, task: u32) -> Option<Role> {
        self.by_unit.get(unit)?.get(&task).copied()
    }

    /// The tasks a unit leads, in id order.
    pub fn led_by(&self, unit: &str) -> Vec<u32> {
        self.tasks_of(unit)
            .into_iter()
            .filter(|(_, r)| *r == Role::Lead)
            .map(|(t, _)| t)
            .collect()
    }

    /// Every task of a unit with its role: led tasks first, then cooperating, each in id order.
    pub fn tasks_of(&self, unit: &str) -> Vec<(u32, Role)> {
        let mut out: Vec<(u32, Role)> = self
            .by_unit
            .get(unit)
            .map(|m| m.iter().map(|(t, r)| (*t, *r)).collect())
            .unwrap_or_default();
        out.sort_by_key(|(t, r)| (*r, *t));
        out
    }

    /// The lead unit ids of a task (groups expanded).
    pub fn leads(&self, task: u32) -> &[String] {
        self.leads.get(&task).map_or(&[], Vec::as_slice)
    }

    /// Units that lead at least one task: the ones expected to report every round.
    pub fn reporting_units(&self) -> BTreeSet<&str> {
        self.leads.values().flatten().map(String::as_str).collect()
    }
}
