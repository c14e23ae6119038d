//! Who must report on what: each unit's led (must report) and cooperating (may report) tasks,
//! with groups such as 各县区政府 expanded to their members.
//!
//! Held compactly, as a province has 20,000 tasks and 512 units: units are numbered once (one
//! number per distinct id) and each task's units are one run of numbers in a shared list.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

use super::{Task, Units};
use crate::labels::labels;

labels! {
    /// A unit's part in a task.
    #[derive(PartialOrd, Ord)]
    pub enum Role {
        Lead = "lead", "牵头（必报）", ["牵头"];
        Cooperating = "cooperating", "配合（选报）", ["配合"];
    }
}

impl Role {
    /// 牵头 or 配合: in a table's narrow column.
    pub(crate) fn short(self) -> &'static str {
        self.names()[2]
    }
}

/// A unit's number: its place among the distinct ids, in units.toml's order.
type Slot = u32;

#[derive(Debug, Default, Clone)]
pub struct Assignments {
    /// Distinct unit ids by slot, and the name units.toml gives each (the first, if an id
    /// repeats), shared with the judgements that quote them.
    ids: Vec<Arc<str>>,
    names: Vec<Arc<str>>,
    slot_of: HashMap<String, Slot>,
    /// By slot: the unit's tasks and roles, in task order (lead wins when a unit is both).
    roles: Vec<Vec<(u32, Role)>>,
    /// By slot: the tasks the unit leads, in id order.
    led: Vec<Vec<u32>>,
    /// Task id -> its runs in `leads`, `cooperating` and `on_task`.
    runs: HashMap<u32, TaskRuns>,
    /// Lead slots, in each task's order.
    leads: Vec<Slot>,
    /// Cooperating (not leading) slots, in units.toml's order.
    cooperating: Vec<Slot>,
    /// Indices into `Units::units` of the units with any role, in units.toml's order.
    on_task: Vec<u32>,
}

#[derive(Debug, Clone)]
struct TaskRuns {
    leads: Range<u32>,
    cooperating: Range<u32>,
    on_task: Range<u32>,
}

impl Assignments {
    pub(crate) fn new(tasks: &[Task], units: &Units) -> Assignments {
        let mut a = Assignments::default();
        for u in &units.units {
            a.number(&u.id, &u.name);
        }
        let mut by_slot: Vec<BTreeMap<u32, Role>> = vec![BTreeMap::new(); a.ids.len()];
        // A task id given twice (a check) keeps the lead units of its last file.
        let mut task_leads: BTreeMap<u32, Vec<Slot>> = BTreeMap::new();
        // The last task each unit was listed as a lead of: a unit named twice (or by a group
        // and by name) is one lead, found without scanning the task's leads.
        let mut listed_in = vec![usize::MAX; a.ids.len()];
        for (i, t) in tasks.iter().enumerate() {
            let id = t.id.value;
            let mut leads = Vec::new();
            for u in t.lead_names().flat_map(|name| units.expand(name)) {
                let slot = a.slot_of[&u.id];
                by_slot[slot as usize].insert(id, Role::Lead);
                if std::mem::replace(&mut listed_in[slot as usize], i) != i {
                    leads.push(slot);
                }
            }
            for u in t.cooperating_names().flat_map(|name| units.expand(name)) {
                by_slot[a.slot_of[&u.id] as usize]
                    .entry(id)
                    .or_insert(Role::Cooperating);
            }
            task_leads.insert(id, leads);
        }
        a.roles = by_slot.into_iter().map(|m| m.into_iter().collect()).collect();
        a.led = a.roles.iter().map(|r| led_tasks(r)).collect();
        a.index_tasks(units, task_leads);
        a
    }

    /// Numbers a unit, unless its id already has a number.
    fn number(&mut self, id: &str, name: &str) {
        if !self.slot_of.contains_key(id) {
            self.slot_of.insert(id.to_owned(), self.ids.len() as Slot);
            self.ids.push(id.into());
            self.names.push(name.into());
        }
    }

    /// Lays each task's lead, cooperating and all units out as runs of the shared lists.
    fn index_tasks(&mut self, units: &Units, task_leads: BTreeMap<u32, Vec<Slot>>) {
        let mut cooperating: HashMap<u32, Vec<Slot>> = HashMap::new();
        let mut on_task: HashMap<u32, Vec<u32>> = HashMap::new();
        let mut seen = vec![false; self.ids.len()];
        for (i, u) in units.units.iter().enumerate() {
            let slot = self.slot_of[&u.id] as usize;
            // A duplicated id (a check) is listed once among the cooperating units.
            let first = !std::mem::replace(&mut seen[slot], true);
            for &(task, role) in &self.roles[slot] {
                on_task.entry(task).or_default().push(i as u32);
                if role == Role::Cooperating && first {
                    cooperating.entry(task).or_default().push(slot as Slot);
                }
            }
        }
        for (task, leads) in task_leads {
            let runs = TaskRuns {
                leads: append(&mut self.leads, leads),
                cooperating: append(&mut self.cooperating, cooperating.remove(&task).unwrap_or_default()),
                on_task: append(&mut self.on_task, on_task.remove(&task).unwrap_or_default()),
            };
            self.runs.insert(task, runs);
        }
    }

    fn run_of(&self, task: u32, run: impl Fn(&TaskRuns) -> &Range<u32>) -> Range<usize> {
        self.runs.get(&task).map_or(0..0, |r| {
            let r = run(r);
            r.start as usize..r.end as usize
        })
    }

    fn ids_of<'a>(&'a self, slots: &'a [Slot]) -> impl ExactSizeIterator<Item = &'a Arc<str>> + Clone + 'a {
        slots.iter().map(|&s| &self.ids[s as usize])
    }

    /// The units with a role on the task, as indices into `Units::units`, in units.toml's order.
    pub(crate) fn units_on(&self, task: u32) -> &[u32] {
        &self.on_task[self.run_of(task, |r| &r.on_task)]
    }

    /// The ids of the units cooperating on (and not leading) the task, in units.toml's order.
    pub(crate) fn cooperating(&self, task: u32) -> impl ExactSizeIterator<Item = &Arc<str>> + Clone + '_ {
        self.ids_of(&self.cooperating[self.run_of(task, |r| &r.cooperating)])
    }

    /// The lead unit ids of a task (groups expanded), in the task's order.
    pub(crate) fn leads(&self, task: u32) -> impl ExactSizeIterator<Item = &Arc<str>> + Clone + '_ {
        self.ids_of(&self.leads[self.run_of(task, |r| &r.leads)])
    }

    /// The unit's name (the first units.toml gives its id), shared.
    pub(crate) fn unit_name(&self, unit: &str) -> Option<&Arc<str>> {
        self.slot_of.get(unit).map(|&s| &self.names[s as usize])
    }

    pub(crate) fn role(&self, unit: &str, task: u32) -> Option<Role> {
        self.roles_of(unit).role(task)
    }

    /// A unit's roles, looked up once for the many tasks of its file.
    pub(crate) fn roles_of(&self, unit: &str) -> UnitRoles<'_> {
        UnitRoles(self.slot_of.get(unit).map_or(&[], |&s| &self.roles[s as usize]))
    }

    /// The tasks a unit leads, in id order.
    pub(crate) fn led_by(&self, unit: &str) -> &[u32] {
        self.slot_of.get(unit).map_or(&[], |&s| &self.led[s as usize])
    }

    /// Every task of a unit with its role: led tasks first, then cooperating, each in id order.
    pub(crate) fn tasks_of(&self, unit: &str) -> Vec<(u32, Role)> {
        let mut out = self
            .slot_of
            .get(unit)
            .map_or_else(Vec::new, |&s| self.roles[s as usize].clone());
        out.sort_by_key(|(t, r)| (*r, *t));
        out
    }

    /// Units that lead at least one task: the ones expected to report every round.
    pub(crate) fn reporting_units(&self) -> BTreeSet<&str> {
        self.ids_of(&self.leads).map(|id| &**id).collect()
    }
}

/// One unit's tasks and roles, in task order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UnitRoles<'a>(&'a [(u32, Role)]);

impl UnitRoles<'_> {
    /// The unit's role on `task`, if it has one.
    pub(crate) fn role(self, task: u32) -> Option<Role> {
        let at = self.0.binary_search_by_key(&task, |(t, _)| *t).ok()?;
        Some(self.0[at].1)
    }
}

fn led_tasks(roles: &[(u32, Role)]) -> Vec<u32> {
    roles
        .iter()
        .filter(|(_, r)| *r == Role::Lead)
        .map(|(t, _)| *t)
        .collect()
}

/// Appends `items` to `list` and returns where they went.
fn append(list: &mut Vec<u32>, items: Vec<u32>) -> Range<u32> {
    let start = list.len() as u32;
    list.extend(items);
    start..list.len() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::task::Located;
    use crate::model::{Group, Unit, UnitKind};

    fn at<T>(value: T) -> Located<T> {
        Located { value, line: 1, col: 1 }
    }

    fn unit(id: &str, name: &str) -> Unit {
        Unit {
            id: id.into(),
            name: name.into(),
            kind: UnitKind::Department,
            aliases: Vec::new(),
            liaison: String::new(),
            phone: String::new(),
            pushers: Vec::new(),
            line: 1,
        }
    }

    fn task(id: u32, lead: &[&str], cooperating: &[&str]) -> Task {
        Task {
            file: format!("tasks/{id:03}.toml"),
            id: at(id),
            chapter: at(1),
            section: at(1),
            key_task: "".into(),
            label: None,
            work: at("".into()),
            lead: lead.iter().map(|&n| at(n.into())).collect(),
            cooperating: cooperating.iter().map(|&n| at(n.into())).collect(),
            reporter: None,
            due: at(chrono::NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()),
            notes: Vec::new(),
            targets: Vec::new(),
        }
    }

    fn assignments() -> Assignments {
        let group = Group {
            id: "xq".into(),
            name: "各县区政府".into(),
            aliases: Vec::new(),
            members: vec!["hz".into(), "ld".into()],
            line: 1,
        };
        let units = Units::new(
            vec![
                unit("fgw", "市发展改革委"),
                unit("hz", "互助县"),
                unit("ld", "乐都区"),
                unit("fgw", "重复"),
            ],
            vec![group],
        );
        let tasks = [
            task(2, &["各县区政府", "乐都区"], &["市发展改革委"]),
            task(1, &["市发展改革委"], &["互助县", "市发展改革委"]),
            task(3, &["乐都区"], &[]),
        ];
        Assignments::new(&tasks, &units)
    }

    #[test]
    fn each_task_lists_its_units_in_the_expected_order() {
        let a = assignments();
        let ids = |ids: &mut dyn Iterator<Item = &Arc<str>>| ids.map(|id| id.to_string()).collect::<Vec<_>>();
        assert_eq!(ids(&mut a.leads(2)), ["hz", "ld"]);
        assert_eq!(ids(&mut a.cooperating(2)), ["fgw"]);
        // Leading wins over cooperating; the duplicated fgw is on the task twice, by position.
        assert_eq!(ids(&mut a.cooperating(1)), ["hz"]);
        assert_eq!(a.units_on(1), [0, 1, 3]);
        assert_eq!(a.units_on(9), [0u32; 0]);
        assert_eq!(a.leads(9).len(), 0);
    }

    #[test]
    fn each_unit_knows_its_tasks_and_roles() {
        let a = assignments();
        assert_eq!(a.role("fgw", 1), Some(Role::Lead));
        assert_eq!(a.role("fgw", 2), Some(Role::Cooperating));
        assert_eq!(a.role("fgw", 3), None);
        assert_eq!(a.role("nobody", 1), None);
        assert_eq!(a.led_by("ld"), [2, 3]);
        assert_eq!(a.tasks_of("hz"), [(2, Role::Lead), (1, Role::Cooperating)]);
        assert_eq!(a.unit_name("fgw").map(|n| &**n), Some("市发展改革委"));
        assert_eq!(a.reporting_units().into_iter().collect::<Vec<_>>(), ["fgw", "hz", "ld"]);
    }
}
