//! Who may change what on the office's server. A unit may add or change only its own reports,
//! `reports/<round>/<its id>.csv`, and its own plan, `plans/<its id>.csv`, on the main branch or
//! on its own branch `refs/heads/units/<its id>` (which the server merges into main), and delete
//! nothing; the office may change any file and push its publication records; nobody
//! may push the receipts (only the server writes them), delete a ref or rewrite what was
//! received. Pure: the pushed changes come in as values.

use crate::model::{Round, Unit, Units};

/// Where the git host says who pushed, in the order they are asked: tracker's own (set by the SSH
/// forced command, one key per liaison), then Gitea's, GitLab's and an HTTP server's.
pub(crate) const IDENTITY_VARS: [&str; 4] = ["TRACKER_PUSHER", "GITEA_PUSHER_NAME", "GL_USERNAME", "REMOTE_USER"];

/// The refs the office's publication records live under (`tracker publish`).
pub(crate) const PUBLISHED_REFS: &str = "refs/tags/tracker/published/";

/// Each unit's own branch, `refs/heads/units/<id>`: pushed by the unit alone, merged into the main
/// branch by the server as it receives it, so that hundreds of units pushing at once never race
/// for one branch.
pub(crate) const UNIT_BRANCHES: &str = "refs/heads/units/";

/// The unit id of a unit branch (`refs/heads/units/jtj` -> `jtj`).
pub(crate) fn unit_branch(refname: &str) -> Option<&str> {
    refname.strip_prefix(UNIT_BRANCHES).filter(|id| !id.is_empty())
}

/// The pusher the environment names, if any.
pub(crate) fn pusher_from(env: impl Fn(&str) -> Option<String>) -> Option<String> {
    IDENTITY_VARS
        .iter()
        .find_map(|k| env(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty()))
}

/// Who a pusher is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Who<'a> {
    Office,
    Unit(&'a Unit),
}

/// The office when `pusher` is among its pushers, else the unit that lists it.
pub(crate) fn who<'a>(pusher: &str, office: &[String], units: &'a Units) -> Option<Who<'a>> {
    if office.iter().any(|o| o == pusher) {
        return Some(Who::Office);
    }
    units
        .units
        .iter()
        .find(|u| u.pushers.iter().any(|p| p == pusher))
        .map(Who::Unit)
}

/// One file a pushed commit adds (`A`), modifies (`M`), deletes (`D`) or changes in type (`T`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    pub commit: String,
    pub status: char,
    /// Relative to the repository's top (not the tracker root).
    pub path: String,
}

/// One ref a push updates, with what it brings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pushed {
    pub refname: String,
    pub deletes: bool,
    /// The ref exists and its new value does not contain the old one.
    pub rewrites: bool,
    pub changes: Vec<Change>,
}

/// Every rule the push breaks, each naming the ref or the path; empty when it may land. `main` is
/// the main branch (`refs/heads/main`), `prefix` the tracker root inside the repository.
pub(crate) fn refusals(who: Who, main: &str, prefix: &str, pushed: &[Pushed]) -> Vec<String> {
    let mut out = Vec::new();
    for p in pushed {
        out.extend(ref_refusal(who, main, p));
        if let Who::Unit(unit) = who {
            out.extend(p.changes.iter().filter_map(|c| change_refusal(unit, prefix, c)));
        }
    }
    out.dedup();
    out
}

fn ref_refusal(who: Who, main: &str, p: &Pushed) -> Option<String> {
    let r = &p.refname;
    if r.starts_with("refs/notes/") {
        return Some(format!("{r}：收到时间只由服务器在接受推送后写入，任何人不得推送或删除"));
    }
    if p.deletes {
        return Some(format!("{r}：不得删除（已收到的记录不能撤回）"));
    }
    if p.rewrites {
        return Some(format!(
            "{r}：不得改写已收到的历史（强制推送）；请先 git pull --rebase 取回别人的提交，再推送"
        ));
    }
    let published = r.starts_with(PUBLISHED_REFS);
    match who {
        _ if r == main => None,
        Who::Office if published => None,
        Who::Office => Some(format!("{r}：只能推送 {main} 和 {PUBLISHED_REFS}*")),
        Who::Unit(u) if unit_branch(r) == Some(u.id.as_str()) => None,
        Who::Unit(u) => Some(format!(
            "{r}：{}只能推送 {main} 或本单位的分支 {UNIT_BRANCHES}{}",
            u.name, u.id
        )),
    }
}

/// A unit's change to a file that is not its own report, or a deletion.
fn change_refusal(unit: &Unit, prefix: &str, c: &Change) -> Option<String> {
    let short = &c.commit[..c.commit.len().min(8)];
    if c.status == 'D' {
        return Some(format!("{}（提交 {short}）：单位不得删除文件", c.path));
    }
    let own = c
        .path
        .strip_prefix(prefix)
        .is_some_and(|rel| is_own_report(unit, rel) || rel == format!("plans/{}.csv", unit.id));
    (!own).then(|| {
        format!(
            "{}（提交 {short}）：{}只能报送本单位的文件 reports/<轮次>/{}.csv 和推进计划 plans/{}.csv；其余文件由市发展改革委维护",
            c.path, unit.name, unit.id, unit.id
        )
    })
}

/// `reports/<YYYY-MM>/<unit id>.csv`, exactly: the round a real round, the name in lower case.
fn is_own_report(unit: &Unit, rel: &str) -> bool {
    let mut parts = rel.split('/');
    let (Some("reports"), Some(round), Some(file), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    round.parse::<Round>().is_ok() && file == format!("{}.csv", unit.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UnitKind;

    fn unit(id: &str) -> Unit {
        Unit {
            id: id.into(),
            name: format!("{id}单位"),
            kind: UnitKind::Department,
            aliases: Vec::new(),
            liaison: String::new(),
            phone: String::new(),
            pushers: vec![format!("{id}-liaison")],
            line: 1,
        }
    }

    fn pushed(refname: &str, changes: &[(char, &str)]) -> Pushed {
        Pushed {
            refname: refname.into(),
            deletes: false,
            rewrites: false,
            changes: changes
                .iter()
                .map(|(s, p)| Change {
                    commit: "0123456789abcdef".into(),
                    status: *s,
                    path: (*p).into(),
                })
                .collect(),
        }
    }

    const MAIN: &str = "refs/heads/main";

    #[test]
    fn a_unit_changes_only_its_own_reports() {
        let jtj = unit("jtj");
        let ok = pushed(
            MAIN,
            &[
                ('A', "reports/2024-08/jtj.csv"),
                ('M', "reports/2024-07/jtj.csv"),
                ('M', "plans/jtj.csv"),
            ],
        );
        assert!(refusals(Who::Unit(&jtj), MAIN, "", &[ok]).is_empty());
        for (status, path) in [
            ('M', "reports/2024-08/fgw.csv"),
            ('D', "reports/2024-08/jtj.csv"),
            ('M', "tracker.toml"),
            ('M', "units.toml"),
            ('A', "reports/2024-08/JTJ.csv"),
            ('A', "reports/2024-13/jtj.csv"),
            ('A', "reports/2024-08/x/jtj.csv"),
            ('D', "tasks/001.toml"),
            ('A', "plans/fgw.csv"),
            ('A', "plan-changes.toml"),
            ('M', "appeals.toml"),
            ('D', "plans/jtj.csv"),
        ] {
            let said = refusals(Who::Unit(&jtj), MAIN, "", &[pushed(MAIN, &[(status, path)])]);
            assert_eq!(said.len(), 1, "{status} {path}: {said:?}");
            assert!(said[0].starts_with(path), "{said:?}");
        }
        let own_branch = pushed("refs/heads/units/jtj", &[('A', "reports/2024-08/jtj.csv")]);
        assert!(refusals(Who::Unit(&jtj), MAIN, "", &[own_branch]).is_empty());
        for (refname, path) in [
            ("refs/heads/units/jtj", "reports/2024-08/fgw.csv"),
            ("refs/heads/units/fgw", "reports/2024-08/jtj.csv"),
            ("refs/heads/units/jtj", "units.toml"),
        ] {
            let said = refusals(Who::Unit(&jtj), MAIN, "", &[pushed(refname, &[('A', path)])]);
            assert_eq!(said.len(), 1, "{refname} {path}: {said:?}");
        }
        let in_folder = pushed(MAIN, &[('A', "office/reports/2024-08/jtj.csv")]);
        assert!(refusals(Who::Unit(&jtj), MAIN, "office/", &[in_folder]).is_empty());
    }

    #[test]
    fn refs_notes_deletions_and_rewrites_are_refused_to_everyone() {
        let jtj = unit("jtj");
        for who in [Who::Office, Who::Unit(&jtj)] {
            let notes = pushed("refs/notes/tracker-received", &[]);
            let mut deleted = pushed(MAIN, &[]);
            deleted.deletes = true;
            let mut forced = pushed(MAIN, &[]);
            forced.rewrites = true;
            for p in [notes, deleted, forced] {
                assert_eq!(
                    refusals(who, MAIN, "", std::slice::from_ref(&p)).len(),
                    1,
                    "{who:?} {p:?}"
                );
            }
        }
        let record = pushed("refs/tags/tracker/published/2024-08", &[]);
        assert!(refusals(Who::Office, MAIN, "", std::slice::from_ref(&record)).is_empty());
        assert_eq!(refusals(Who::Unit(&jtj), MAIN, "", &[record]).len(), 1);
        for other in ["refs/heads/other", "refs/heads/units/jtj", "refs/heads/units/"] {
            assert_eq!(
                refusals(Who::Office, MAIN, "", &[pushed(other, &[])]).len(),
                1,
                "{other}"
            );
        }
        assert_eq!(unit_branch("refs/heads/units/jtj"), Some("jtj"));
        assert_eq!(unit_branch("refs/heads/units/"), None);
        let office_edit = pushed(MAIN, &[('M', "tracker.toml"), ('D', "reports/2024-08/fgw.csv")]);
        assert!(refusals(Who::Office, MAIN, "", &[office_edit]).is_empty());
    }

    #[test]
    fn the_pusher_is_found_by_the_first_variable_set() {
        let env = |k: &str| match k {
            "GL_USERNAME" => Some("gl".to_string()),
            "REMOTE_USER" => Some("web".to_string()),
            "TRACKER_PUSHER" => Some("  ".to_string()),
            _ => None,
        };
        assert_eq!(pusher_from(env).as_deref(), Some("gl"));
        assert_eq!(pusher_from(|_| None), None);
        let units = Units::new(vec![unit("jtj")], Vec::new());
        let office = vec!["office".to_string()];
        assert_eq!(who("office", &office, &units), Some(Who::Office));
        assert!(matches!(who("jtj-liaison", &office, &units), Some(Who::Unit(u)) if u.id == "jtj"));
        assert_eq!(who("stranger", &office, &units), None);
    }
}
