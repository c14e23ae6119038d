//! A repository that passed the checks a judgement needs: its plan, units and who reports on what
//! owned outright, so a command reads them without asking again whether they loaded.

use anyhow::Result;

use crate::load::Loaded;
use crate::model::{Assignments, Plan, Units, Workspace};

pub(crate) struct Valid {
    /// The rest of what was read: tasks, reports, extensions, diagnostics.
    pub loaded: Loaded,
    plan: Plan,
    units: Units,
    assignments: Assignments,
}

impl Valid {
    /// `loaded` when its plan, units and tasks have no errors; otherwise the advice to run check.
    pub(crate) fn new(mut loaded: Loaded) -> Result<Valid> {
        super::workspace(&loaded)?;
        let Some((plan, units, assignments)) = loaded.take_checked() else {
            anyhow::bail!("计划或单位名录未能读取；先运行 tracker check 查看并修正");
        };
        Ok(Valid {
            loaded,
            plan,
            units,
            assignments,
        })
    }

    pub(crate) fn workspace(&self) -> Workspace<'_> {
        Workspace {
            root: &self.loaded.root,
            plan: &self.plan,
            units: &self.units,
            tasks: &self.loaded.tasks,
            reports: &self.loaded.reports,
            carried: &self.loaded.carried,
            extensions: &self.loaded.extensions,
            assignments: &self.assignments,
            schedules: &self.loaded.schedules,
        }
    }
}
