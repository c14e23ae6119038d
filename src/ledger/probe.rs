//! Where the root sits in its repository and what is uncommitted: one `git rev-parse` and one
//! `git status`, asked at the same time and shared by the ledger and the data version (each
//! process costs more than reading a year's reports).

use super::git::GitError;
use std::collections::BTreeSet;
use std::path::Path;

use super::git;
use super::unavailable::Unavailable;

/// The root's place in its repository.
pub(crate) struct Place {
    /// The root's folder inside the repository, with a trailing `/` ("" at the top).
    pub prefix: String,
    pub shallow: bool,
    /// HEAD's short hash; None before the first commit.
    pub head: Option<String>,
}

/// What differs from HEAD under the root (digests excluded, as they are written from the data).
pub(crate) struct Uncommitted {
    /// Anything at all: tracked changes or untracked files.
    pub any: bool,
    /// The paths under `reports/`, relative to the root.
    pub reports: BTreeSet<String>,
}

pub(crate) struct Probe {
    pub place: Result<Place, Unavailable>,
    pub status: Result<Uncommitted, GitError>,
}

impl Probe {
    pub(crate) fn of(root: &Path) -> Probe {
        let (place, status) = std::thread::scope(|s| {
            let status = s.spawn(|| {
                git::checked(
                    root,
                    &[
                        "status",
                        "--porcelain",
                        "-z",
                        "--untracked-files=all",
                        "--",
                        ".",
                        ":(exclude)reports/digests",
                    ],
                )
            });
            (Place::of(root), crate::par::joined(status.join()))
        });
        let prefix = place.as_ref().map_or("", |p| p.prefix.as_str());
        let status = status.map(|out| Uncommitted {
            any: changed_paths(&out, prefix).any(is_data),
            reports: changed_paths(&out, prefix)
                .filter(|p| p.starts_with("reports/"))
                .map(str::to_string)
                .collect(),
        });
        Probe { place, status }
    }
}

impl Place {
    fn of(root: &Path) -> Result<Place, Unavailable> {
        let args = [
            "rev-parse",
            "--show-prefix",
            "--is-shallow-repository",
            "--verify",
            "-q",
            "--short",
            "HEAD",
        ];
        let out = git::command(root)
            .args(args)
            .output()
            .map_err(|_| Unavailable::NotARepository)?;
        let text = String::from_utf8_lossy(&out.stdout);
        // Each option answers on its own line, in order; without a commit, HEAD fails quietly
        // (exit 1) after the other two have answered.
        let mut lines = text.lines();
        let (Some(prefix), Some(shallow)) = (lines.next(), lines.next()) else {
            return Err(Unavailable::NotARepository);
        };
        Ok(Place {
            prefix: prefix.trim().to_string(),
            shallow: shallow.starts_with("true"),
            head: lines
                .next()
                .filter(|_| out.status.success())
                .map(|h| h.trim().to_string()),
        })
    }
}

/// The paths under the root in a `git status -z` answer, relative to the root.
fn changed_paths<'a>(out: &'a [u8], prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let mut entries = out.split(|b| *b == 0).filter(|e| !e.is_empty());
    std::iter::from_fn(move || {
        loop {
            let entry = std::str::from_utf8(entries.next()?).unwrap_or("");
            if entry.len() < 4 {
                continue;
            }
            let (xy, path) = entry.split_at(3);
            if xy.starts_with('R') || xy.starts_with('C') {
                entries.next(); // the original path of a staged rename
            }
            if let Some(local) = path.strip_prefix(prefix) {
                return Some(local);
            }
        }
    })
}

/// Whether a path is data that `tracker` reads: the plan, units, holidays, extensions, task files,
/// and report CSVs. A workbook being filled in or a note beside the data is not: it leaves the
/// data version clean.
pub(crate) fn is_data(local: &str) -> bool {
    use crate::load::{EXTENSIONS_FILE, HOLIDAYS_FILE, PLAN_FILE, TASKS_DIR, UNITS_FILE};
    [PLAN_FILE, UNITS_FILE, HOLIDAYS_FILE, EXTENSIONS_FILE].contains(&local)
        || local.strip_prefix(TASKS_DIR).is_some_and(|rest| rest.starts_with('/'))
        || (local.starts_with("reports/")
            && !local.starts_with("reports/digests/")
            && local.to_lowercase().ends_with(".csv"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_root_s_reports_and_skips_a_rename_s_old_path() {
        let out = b"?? sub/reports/2024-08/jtj.csv\0R  sub/reports/2024-08/fgw.csv\0sub/reports/2024-08/x.csv\0 M sub/tasks/001.toml\0?? reports/2024-08/top.csv\0";
        let paths: Vec<&str> = super::changed_paths(out, "sub/")
            .filter(|p| p.starts_with("reports/"))
            .collect();
        assert_eq!(paths, ["reports/2024-08/jtj.csv", "reports/2024-08/fgw.csv"]);
    }

    #[test]
    fn only_data_makes_the_version_dirty() {
        for data in [
            "tracker.toml",
            "tasks/001.toml",
            "reports/2024-08/jtj.csv",
            "calendar/holidays.toml",
        ] {
            assert!(super::is_data(data), "{data}");
        }
        for other in [
            "notes.txt",
            "reports/2024-08/jtj.xlsx",
            "reports/digests/2024-08.csv",
            "tasks.md",
        ] {
            assert!(!super::is_data(other), "{other}");
        }
    }
}
