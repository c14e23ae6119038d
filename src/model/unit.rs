//! Units (牵头/配合单位) and groups such as 各县区政府, with name and alias resolution.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::labels::labels;

labels! {
    /// What kind of body a unit is.
    pub enum UnitKind {
        Department = "department", "市直部门";
        County = "county", "县区政府";
        Park = "park", "园区";
        Enterprise = "enterprise", "企业";
        Central = "central", "中央和省驻海单位";
        Institution = "institution", "事业单位";
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub kind: UnitKind,
    pub aliases: Vec<String>,
    pub liaison: String,
    pub phone: String,
    /// Who may push this unit's reports to the office's server.
    #[serde(skip)]
    pub pushers: Vec<String>,
    /// 1-based line of the `[[unit]]` entry in units.toml.
    #[serde(skip)]
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub members: Vec<String>,
    #[serde(skip)]
    pub line: usize,
}

/// What a name in a task file refers to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum UnitRef<'a> {
    Unit(&'a Unit),
    Group(&'a Group),
}

impl UnitRef<'_> {
    pub(crate) fn name(&self) -> &str {
        match self {
            UnitRef::Unit(u) => &u.name,
            UnitRef::Group(g) => &g.name,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Units {
    pub units: Vec<Unit>,
    pub groups: Vec<Group>,
    by_name: BTreeMap<String, (bool, usize)>,
    /// Unit id -> index (the first unit with that id; duplicates are a check).
    by_id: BTreeMap<String, usize>,
}

impl Units {
    /// A unit's name for people, or its id where units.toml has no such unit.
    pub(crate) fn name_or_id(&self, id: &str) -> String {
        self.unit_by_id(id).map_or_else(|| id.to_string(), |u| u.name.clone())
    }

    /// Builds the registry; later entries never shadow earlier ones (duplicates are a check).
    pub(crate) fn new(units: Vec<Unit>, groups: Vec<Group>) -> Units {
        let mut by_name = BTreeMap::new();
        for (i, u) in units.iter().enumerate() {
            for n in std::iter::once(&u.name).chain(&u.aliases).chain(std::iter::once(&u.id)) {
                by_name.entry(n.clone()).or_insert((false, i));
            }
        }
        for (i, g) in groups.iter().enumerate() {
            for n in std::iter::once(&g.name).chain(&g.aliases).chain(std::iter::once(&g.id)) {
                by_name.entry(n.clone()).or_insert((true, i));
            }
        }
        let mut by_id = BTreeMap::new();
        for (i, u) in units.iter().enumerate() {
            by_id.entry(u.id.clone()).or_insert(i);
        }
        Units {
            units,
            groups,
            by_name,
            by_id,
        }
    }

    /// Resolves a canonical name, an alias or an id.
    pub(crate) fn resolve(&self, name: &str) -> Option<UnitRef<'_>> {
        self.by_name.get(name.trim()).map(|&(group, i)| {
            if group {
                UnitRef::Group(&self.groups[i])
            } else {
                UnitRef::Unit(&self.units[i])
            }
        })
    }

    pub(crate) fn unit_by_id(&self, id: &str) -> Option<&Unit> {
        self.by_id.get(id).map(|&i| &self.units[i])
    }

    pub(crate) fn unit_by_name(&self, name: &str) -> Option<&Unit> {
        match self.resolve(name)? {
            UnitRef::Unit(u) => Some(u),
            UnitRef::Group(_) => None,
        }
    }

    /// The units a task name stands for: itself, or the members of a group.
    pub(crate) fn expand(&self, name: &str) -> Vec<&Unit> {
        match self.resolve(name) {
            Some(UnitRef::Unit(u)) => vec![u],
            Some(UnitRef::Group(g)) => g.members.iter().filter_map(|m| self.unit_by_id(m)).collect(),
            None => Vec::new(),
        }
    }

    /// Every name, alias and id, for suggestions.
    pub(crate) fn all_names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    /// The canonical names, for suggestions to people.
    pub(crate) fn canonical_names(&self) -> impl Iterator<Item = &str> {
        self.units
            .iter()
            .map(|u| u.name.as_str())
            .chain(self.groups.iter().map(|g| g.name.as_str()))
    }
}

const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "lpt1", "lpt2", "lpt3",
];

/// An id that is safe as a file name on every system: `reports/<round>/<id>.csv` can never
/// reach outside its folder.
pub(crate) fn is_safe_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('a'..='z'))
        && id.len() <= 32
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '-' | '_'))
        && !RESERVED.contains(&id)
}
