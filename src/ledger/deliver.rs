//! `submit --push`: brings in what others pushed first, puts the unit's one-file commit on top
//! (one unit, one file: no conflict is possible unless the office changed that very file), pushes,
//! and tries again when another push landed in between; then fetches the server's receipts. Where
//! the office has units push to their own branches (`[server] unit_branches`), the push goes to
//! `units/<id>`, which nobody else pushes, and the server's merge commit on main is what counts.

use std::path::Path;
use std::time::Duration;

use super::git;
use super::notes::NOTES_REF;

/// How many times a push that lost the race is tried again.
pub(crate) const TRIES: u32 = 8;

/// The remote and branch the current branch pushes to.
pub(crate) struct Upstream {
    pub remote: String,
    pub branch: String,
    /// The unit whose own branch `units/<id>` the push goes to (`[server] unit_branches`); the
    /// server merges it into `branch`.
    pub unit_branch: Option<String>,
}

impl Upstream {
    /// The current branch's upstream, or `origin` and the branch of the same name.
    pub(crate) fn of(root: &Path) -> Result<Upstream, String> {
        let text = |args: &[&str]| git::output(root, args).map(|o| String::from_utf8_lossy(&o).trim().to_string());
        if let Some(full) = text(&["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"])
            && let Some((remote, branch)) = full.split_once('/')
        {
            return Ok(Upstream {
                remote: remote.to_string(),
                branch: branch.to_string(),
                unit_branch: None,
            });
        }
        let branch = text(&["symbolic-ref", "--short", "-q", "HEAD"]).ok_or("当前不在任何分支上")?;
        if text(&["remote", "get-url", "origin"]).is_none() {
            return Err("本仓库没有远程仓库 origin".to_string());
        }
        Ok(Upstream {
            remote: "origin".to_string(),
            branch,
            unit_branch: None,
        })
    }

    /// Pushes to `unit`'s own branch when the office's plan says units do (`[server] unit_branches`).
    pub(crate) fn for_unit(self, unit: &str, plan: Option<&crate::model::Plan>) -> Upstream {
        let unit_branch = plan.is_some_and(|p| p.unit_branches).then(|| unit.to_string());
        Upstream { unit_branch, ..self }
    }

    /// Whether HEAD has commits the remote branch (as last fetched) does not: a push still owed.
    pub(crate) fn has_unpushed(&self, root: &Path) -> bool {
        let range = format!("{}/{}..HEAD", self.remote, self.branch);
        git::output(root, &["rev-list", "--count", &range]).is_some_and(|o| String::from_utf8_lossy(&o).trim() != "0")
    }
}

/// How a delivery ended.
pub(crate) enum Delivery {
    /// Pushed: the commit now on the remote branch.
    Delivered { commit: String },
    /// The commit could not be put on top of the remote branch: what git said.
    Conflict(String),
    /// Refused by the server's hooks (who may change what, or the checks): what they said.
    Refused(String),
    /// The network or git failed: what git said.
    Failed(String),
}

/// Fetches, rebases HEAD's new commits onto the remote branch, pushes (to the unit's own branch
/// `units/<unit>` when given); again on a lost race.
pub(crate) fn deliver(root: &Path, up: &Upstream) -> Delivery {
    let unit_branch = up.unit_branch.as_deref();
    let target = format!("{}/{}", up.remote, up.branch);
    let mut said = String::new();
    for attempt in 0..TRIES {
        if attempt > 0 {
            // Staggered, so that clones that lost together do not meet again.
            std::thread::sleep(Duration::from_millis(
                150 * u64::from(attempt) + u64::from(std::process::id() % 97),
            ));
        }
        if let Err(e) = run(root, &["fetch", "-q", &up.remote, &up.branch]) {
            return Delivery::Failed(e);
        }
        // Sets the remote-tracking branch even when the fetch refspec does not.
        let _ = run(root, &["update-ref", &format!("refs/remotes/{target}"), "FETCH_HEAD"]);
        if let Err(e) = run(root, &["rebase", "-q", "--autostash", &target]) {
            let _ = run(root, &["rebase", "--abort"]);
            return Delivery::Conflict(e);
        }
        let refspec = match unit_branch {
            Some(unit) => format!("HEAD:refs/heads/units/{unit}"),
            None => format!("HEAD:refs/heads/{}", up.branch),
        };
        let out = git::command(root)
            .args(["push", "--porcelain", &up.remote, &refspec])
            .output();
        let out = match out {
            Ok(o) => o,
            Err(e) => return Delivery::Failed(e.to_string()),
        };
        said = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if out.status.success() && unit_branch.is_some() {
            return merged(root, up, &said);
        }
        if out.status.success() {
            let head = git::output(root, &["rev-parse", "HEAD"]).unwrap_or_default();
            let _ = run(root, &["update-ref", &format!("refs/remotes/{target}"), "HEAD"]);
            return Delivery::Delivered {
                commit: String::from_utf8_lossy(&head).trim().to_string(),
            };
        }
        let porcelain = String::from_utf8_lossy(&out.stdout);
        if porcelain.contains("(pre-receive hook declined)") {
            return Delivery::Refused(said);
        }
        if !lost_race(&porcelain, &said) {
            return Delivery::Failed(said);
        }
    }
    Delivery::Failed(said)
}

/// After a push to the unit's branch: the server's merge commit on main that brought HEAD in (the
/// oldest commit of main's line that descends from it), with the local branch moved up to main.
/// `said` is what the push printed, the server's hooks included.
fn merged(root: &Path, up: &Upstream, said: &str) -> Delivery {
    let target = format!("{}/{}", up.remote, up.branch);
    if let Err(e) = run(root, &["fetch", "-q", &up.remote, &up.branch]) {
        return Delivery::Failed(e);
    }
    let _ = run(root, &["update-ref", &format!("refs/remotes/{target}"), "FETCH_HEAD"]);
    let range = format!("HEAD..{target}");
    let line = git::output(
        root,
        &["rev-list", "--reverse", "--first-parent", "--ancestry-path", &range],
    );
    let text = line
        .map(|o| String::from_utf8_lossy(&o).to_string())
        .unwrap_or_default();
    let Some(merge) = text.lines().next().map(str::to_string) else {
        let server: Vec<&str> = said
            .lines()
            .filter_map(|l| l.strip_prefix("remote:"))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        return Delivery::Failed(format!("服务器收到了推送，但没有并入主分支：{}", server.join("\n")));
    };
    let _ = run(root, &["merge", "--ff-only", "-q", &target]);
    Delivery::Delivered { commit: merge }
}

/// A push refused only because the remote branch moved on (another unit pushed first): seen
/// before the push (`fetch first`), or by the server as it moved the branch (`cannot lock ref`).
fn lost_race(porcelain: &str, stderr: &str) -> bool {
    const MOVED: [&str; 3] = ["(fetch first)", "(non-fast-forward)", "(failed to update ref)"];
    let refused = porcelain.lines().filter(|l| l.starts_with('!'));
    refused.clone().count() > 0
        && refused.into_iter().all(|l| MOVED.iter().any(|m| l.contains(m)))
        && (!porcelain.contains("(failed to update ref)") || stderr.contains("cannot lock ref"))
}

/// Fetches the server's receipts (it is their only writer, so its copy replaces the local one).
pub(crate) fn fetch_receipts(root: &Path, up: &Upstream) {
    let spec = format!("+{NOTES_REF}:{NOTES_REF}");
    let _ = run(root, &["fetch", "-q", &up.remote, &spec]);
}

/// `git args…` for its effect; a failure is what git said.
fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    git::checked(root, args).map(|_| ()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_a_moved_branch_is_a_lost_race() {
        let line = |reason: &str| format!("To file:///o.git\n!\tHEAD:refs/heads/main\t{reason}\nDone\n");
        assert!(super::lost_race(&line("[rejected] (fetch first)"), ""));
        let moved = "remote: error: cannot lock ref 'refs/heads/main': is at a but expected b";
        assert!(super::lost_race(
            &line("[remote rejected] (failed to update ref)"),
            moved
        ));
        assert!(!super::lost_race(
            &line("[remote rejected] (failed to update ref)"),
            "disk full"
        ));
        assert!(!super::lost_race(
            &line("[remote rejected] (pre-receive hook declined)"),
            ""
        ));
    }
}
