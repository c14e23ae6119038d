//! Which diagnostics a `check` run is about: everything, or some files and units (with the shared
//! data they depend on). What falls outside is summed up in one line, never dumped.

use crate::diagnostic::Diagnostic;
use crate::load::{PLAN_FILE, REPORTS_DIR, TASKS_DIR, UNITS_FILE};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Scope {
    /// Root-relative files or folders.
    pub paths: Vec<String>,
    /// Unit ids: their report files in every round.
    pub units: Vec<String>,
}

impl Scope {
    pub(crate) fn is_everything(&self) -> bool {
        self.paths.is_empty() && self.units.is_empty()
    }

    /// Whether `d` belongs to this run: it is about a file in scope, or it is an error in the
    /// plan, units or tasks (every report depends on them).
    pub(crate) fn covers(&self, d: &Diagnostic) -> bool {
        self.is_everything()
            || (d.is_error() && is_shared(&d.file))
            || self.paths.iter().any(|p| within(&d.file, p))
            || self.units.iter().any(|u| is_report_of(&d.file, u))
    }
}

fn is_shared(file: &str) -> bool {
    file == PLAN_FILE || file == UNITS_FILE || file.starts_with(&format!("{TASKS_DIR}/"))
}

fn within(file: &str, path: &str) -> bool {
    let path = path.trim_end_matches('/');
    path.is_empty()
        || path == "."
        || file == path
        || file.trim_end_matches('/') == path
        || file.starts_with(&format!("{path}/"))
}

fn is_report_of(file: &str, unit: &str) -> bool {
    file.starts_with(&format!("{REPORTS_DIR}/")) && file.ends_with(&format!("/{unit}.csv"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Rule;

    #[test]
    fn files_units_and_shared_errors() {
        let d = |file: &str, rule| Diagnostic::new(rule, file, "x");
        let scope = Scope {
            paths: vec!["reports/2024-08/fgw.csv".into()],
            units: vec!["jtj".into()],
        };
        assert!(scope.covers(&d("reports/2024-08/fgw.csv", Rule::InvalidStatus)));
        assert!(scope.covers(&d("reports/2024-09/jtj.csv", Rule::InvalidStatus)));
        assert!(!scope.covers(&d("reports/2024-08/ldq.csv", Rule::InvalidStatus)));
        assert!(
            scope.covers(&d("tasks/001.toml", Rule::EmptyWork)),
            "shared errors always count"
        );
        assert!(!scope.covers(&d("reports/2024-08/xjtj.csv", Rule::InvalidStatus)));
        let folder = Scope {
            paths: vec!["reports/2024-08/".into()],
            units: vec![],
        };
        assert!(folder.covers(&d("reports/2024-08/ldq.csv", Rule::InvalidStatus)));
        assert!(!folder.covers(&d("reports/2024-09/ldq.csv", Rule::InvalidStatus)));
    }
}
