//! Who must report on what: each unit's led (must report) and cooperating (may report) tasks,
//! with groups such as 各县区政府 expanded to their members.

use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    by_unit: HashMap<String, HashMap<u32, Role>>,
    /// task id -> the units with any role on it, as indices into `Units::units`, in its order.
    on_task: HashMap<u32, Vec<usize>>,
    /// task id -> the cooperating (not leading) unit ids.
    cooperating: HashMap<u32, Vec<String>>,
    /// task id -> lead unit ids, in the task's order.
    leads: BTreeMap<u32, Vec<String>>,
    /// unit id -> name.
    names: BTreeMap<String, String>,
    /// unit id -> the tasks it leads, in id order.
    led: HashMap<String, Vec<u32>>,
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
        a.index_tasks(units);
        a
    }

    /// Fills `on_task`, `cooperating` and `led` from `by_unit`.
    fn index_tasks(&mut self, units: &Units) {
        for (unit, tasks) in &self.by_unit {
            let mut led: Vec<u32> = tasks
                .iter()
                .filter(|(_, r)| **r == Role::Lead)
                .map(|(t, _)| *t)
                .collect();
            led.sort_unstable();
            self.led.insert(unit.clone(), led);
        }
        for (i, u) in units.units.iter().enumerate() {
            // A duplicated id (a check) is listed once among the cooperating units.
            let first = units.unit_by_id(&u.id).is_some_and(|f| std::ptr::eq(f, u));
            for (&task, &role) in self.by_unit.get(&u.id).into_iter().flatten() {
                self.on_task.entry(task).or_default().push(i);
                if role == Role::Cooperating && first {
                    self.cooperating.entry(task).or_default().push(u.id.clone());
                }
            }
        }
    }

    /// The units with a role on the task, as indices into `Units::units`, in units.toml's order.
    pub fn units_on(&self, task: u32) -> &[usize] {
        self.on_task.get(&task).map_or(&[], Vec::as_slice)
    }

    /// The ids of the units cooperating on (and not leading) the task.
    pub fn cooperating(&self, task: u32) -> &[String] {
        self.cooperating.get(&task).map_or(&[], Vec::as_slice)
    }

    pub fn unit_name(&self, unit: &str) -> Option<&str> {
        self.names.get(unit).map(String::as_str)
    }

    pub fn role(&self, unit: &str, task: u32) -> Option<Role> {
        self.by_unit.get(unit)?.get(&task).copied()
    }

    /// The tasks a unit leads, in id order.
    pub fn led_by(&self, unit: &str) -> &[u32] {
        self.led.get(unit).map_or(&[], Vec::as_slice)
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
