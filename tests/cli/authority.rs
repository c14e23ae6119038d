//! Hostile units against the office's server (issue #25): who may change what. Each attack is
//! pushed over file:// with the pusher named as the SSH forced command names it; each refusal
//! names the ref or path and the rule, and leaves the bare repository byte for byte as it was.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;
use crate::server::{FGW, GOOD_FGW, GOOD_JTJ, JTJ, NOTES, commit, commit_edit, git, ok, push, push_as, server};

/// Every file of the bare repository and its bytes.
fn state(bare: &Path) -> BTreeMap<String, Vec<u8>> {
    walk_files(bare)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(bare).unwrap().display().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// Pushes and expects a refusal saying `said`, with the server unchanged.
pub(crate) fn refused(bare: &Path, clone: &Path, who: Option<&str>, refspecs: &[&str], said: &str) {
    let before = state(bare);
    let out = push_as(clone, who, refspecs);
    assert!(!out.status.success(), "{refspecs:?} was accepted:\n{}", stderr(&out));
    assert!(
        stderr(&out).contains(said),
        "{refspecs:?}: expected «{said}» in\n{}",
        stderr(&out)
    );
    assert!(
        before == state(bare),
        "{refspecs:?}: the refused push changed the server"
    );
}

#[test]
fn receipts_cannot_be_forged_seeded_or_erased() {
    let server = server("2024-08-07T10:00:00+08:00");
    let jtj = server.clone("jtj", &server.url());
    commit(&jtj, JTJ, GOOD_JTJ, "2024-08-05T10:00:00+08:00");
    ok(push(&jtj));
    ok(git(&jtj, &["fetch", "-q", "origin"]));
    assert_eq!(server.notes(), 1);
    // Move its own receipt from 08-07 to 08-04.
    let blob = String::from_utf8(ok(git(&jtj, &["rev-parse", &format!("HEAD:{JTJ}")])).stdout).unwrap();
    let forged = format!("{JTJ}\t{}\t1722700000\tjtj\n", blob.trim());
    std::fs::write(jtj.join("note.txt"), &forged).unwrap();
    let forge = |clone: &Path| {
        ok(git(
            clone,
            &["notes", "--ref", NOTES, "add", "-f", "-F", "note.txt", "HEAD"],
        ))
    };
    forge(&jtj);
    let office = server.clone("office", &server.url());
    let (push_notes, force_notes, erase) = (
        format!("{NOTES}:{NOTES}"),
        format!("+{NOTES}:{NOTES}"),
        format!(":{NOTES}"),
    );
    // Push the forged receipt, force it, and erase everyone's receipts, as a unit and as the office.
    for (clone, who, refspec) in [
        (&jtj, "jtj", &push_notes),
        (&jtj, "jtj", &force_notes),
        (&jtj, "jtj", &erase),
        (&office, "office", &erase),
    ] {
        refused(
            &server.bare,
            clone,
            Some(who),
            &[refspec.as_str()],
            "收到时间只由服务器",
        );
    }
    // A note for a commit not pushed yet is not a receipt: it cannot be pushed at all.
    commit(&jtj, JTJ, &GOOD_JTJ.replace("60", "70"), "2024-08-05T11:00:00+08:00");
    forge(&jtj);
    refused(
        &server.bare,
        &jtj,
        Some("jtj"),
        &["HEAD:main", &force_notes],
        "收到时间只由服务器",
    );
    assert_eq!(server.notes(), 1, "the server's receipt stands");
}

#[test]
fn a_unit_changes_only_its_own_reports_and_deletes_nothing() {
    let server = server("2024-08-05T12:00:00+08:00");
    let fgw = server.clone("fgw", &server.url());
    commit(&fgw, FGW, GOOD_FGW, "2024-08-04T09:00:00+08:00");
    ok(push(&fgw));
    let jtj = server.clone("jtj", &server.url());
    // Rewrite another unit's report (推进中 50 -> 滞后 5).
    commit(
        &jtj,
        FGW,
        &GOOD_FGW.replace("推进中,50", "滞后,5"),
        "2024-08-05T09:00:00+08:00",
    );
    refused(
        &server.bare,
        &jtj,
        Some("jtj"),
        &["HEAD:main"],
        "reports/2024-08/fgw.csv",
    );
    ok(git(&jtj, &["reset", "-q", "--hard", "origin/main"]));
    for (attack, change) in [
        ("删除其他单位的报送", vec!["rm", "-q", FGW]),
        ("删除单位名录", vec!["rm", "-q", "units.toml"]),
        ("删除任务文件", vec!["rm", "-q", "-r", "tasks"]),
    ] {
        ok(git(&jtj, &change));
        ok(git(&jtj, &["commit", "-q", "-m", attack]));
        refused(&server.bare, &jtj, Some("jtj"), &["HEAD:main"], "单位不得删除文件");
        ok(git(&jtj, &["reset", "-q", "--hard", "origin/main"]));
    }
    // Make its own late report on time through the plan.
    let (git_times, declared) = ("received_from = \"git\"", "received_from = \"declared\"");
    commit_edit(&jtj, "tracker.toml", git_times, declared, "按填报日期");
    refused(&server.bare, &jtj, Some("jtj"), &["HEAD:main"], "tracker.toml");
    ok(git(&jtj, &["reset", "-q", "--hard", "origin/main"]));
    // Its own report, then deleting it.
    commit(&jtj, JTJ, GOOD_JTJ, "2024-08-05T09:30:00+08:00");
    ok(push(&jtj));
    ok(git(&jtj, &["rm", "-q", JTJ]));
    ok(git(&jtj, &["commit", "-q", "-m", "撤回"]));
    refused(&server.bare, &jtj, Some("jtj"), &["HEAD:main"], "单位不得删除文件");
    // Another branch, a tag.
    ok(git(&jtj, &["reset", "-q", "--hard", "origin/main"]));
    refused(
        &server.bare,
        &jtj,
        Some("jtj"),
        &["HEAD:refs/heads/mine"],
        "只能推送 refs/heads/main",
    );
    ok(git(&jtj, &["tag", "v1"]));
    refused(
        &server.bare,
        &jtj,
        Some("jtj"),
        &["refs/tags/v1"],
        "只能推送 refs/heads/main",
    );
}

#[test]
fn history_cannot_be_rewritten_or_deleted() {
    let server = server("2024-08-05T12:00:00+08:00");
    let fgw = server.clone("fgw", &server.url());
    commit(&fgw, FGW, GOOD_FGW, "2024-08-04T09:00:00+08:00");
    ok(push(&fgw));
    let jtj = server.clone("jtj", &server.url());
    // A main holding only a README, pushed over the peer's on-time commit.
    ok(git(&jtj, &["checkout", "-q", "--orphan", "bare-readme"]));
    ok(git(&jtj, &["rm", "-q", "-r", "--cached", "."]));
    std::fs::write(jtj.join("README"), "nothing here").unwrap();
    ok(git(&jtj, &["add", "README"]));
    ok(git(&jtj, &["commit", "-q", "-m", "清空"]));
    for who in ["jtj", "office"] {
        let before = state(&server.bare);
        let out = push_as(&jtj, Some(who), &["+HEAD:main"]);
        assert!(!out.status.success(), "{who}'s forced push was accepted");
        assert!(
            before == state(&server.bare),
            "{who}: the forced push changed the server"
        );
        refused(&server.bare, &jtj, Some(who), &[":main"], "main");
    }
}

#[test]
fn a_push_needs_a_known_pusher_and_the_office_may_change_the_plan() {
    let server = server("2024-08-05T12:00:00+08:00");
    let jtj = server.clone("jtj", &server.url());
    commit(&jtj, JTJ, GOOD_JTJ, "2024-08-05T09:00:00+08:00");
    refused(
        &server.bare,
        &jtj,
        None,
        &["HEAD:main"],
        "TRACKER_PUSHER、GITEA_PUSHER_NAME、GL_USERNAME、REMOTE_USER",
    );
    refused(
        &server.bare,
        &jtj,
        Some("stranger"),
        &["HEAD:main"],
        "推送人「stranger」不在",
    );
    // A unit cannot make itself the office in the push that would do it.
    let (office_only, with_jtj) = ("office = [\"office\"]", "office = [\"office\", \"jtj\"]");
    commit_edit(&jtj, "tracker.toml", office_only, with_jtj, "自封");
    refused(&server.bare, &jtj, Some("jtj"), &["HEAD:main"], "tracker.toml");
    let office = server.clone("office", &server.url());
    commit_edit(
        &office,
        "tracker.toml",
        "due_time = \"18:00\"",
        "due_time = \"20:00\"",
        "截止时刻改为 20:00",
    );
    ok(push(&office));
}

/// Sixteen units push their reports at the same moment; those that lose the race fetch and push
/// again, as a liaison would. Every receipt is kept: the notes ref moves by compare-and-swap.
#[test]
fn sixteen_units_pushing_at_once_keep_every_receipt() {
    let ids: Vec<String> = (1..=16).map(|i| format!("u{i:02}")).collect();
    let server = crate::server::server_with_group("2024-08-05T17:59:00+08:00", &ids);
    let clones: Vec<_> = ids.iter().map(|id| server.clone(id, &server.url())).collect();
    for (clone, id) in clones.iter().zip(&ids) {
        let rel = format!("reports/2024-08/{id}.csv");
        commit(
            clone,
            &rel,
            "3,,推进中,50,,推进,,,,,2024-08-05\n",
            "2024-08-05T17:58:00+08:00",
        );
    }
    let pushes: Vec<_> = clones
        .into_iter()
        .map(|clone| {
            std::thread::spawn(move || {
                for _ in 0..40 {
                    if push(&clone).status.success() {
                        return true;
                    }
                    ok(git(&clone, &["pull", "-q", "--rebase", "origin", "main"]));
                }
                false
            })
        })
        .collect();
    for p in pushes {
        assert!(p.join().unwrap(), "a unit never got its push in");
    }
    assert_eq!(server.notes(), 16, "every commit has its receipt");
}

/// A plan file for task 2 (jtj's), with `values` for its twelve months.
fn plan_body(values: &str) -> String {
    format!(
        "\u{feff}任务编号,重点任务,2024-01,2024-02,2024-03,2024-04,2024-05,2024-06,2024-07,2024-08,2024-09,2024-10,2024-11,2024-12,节点说明\r\n2,强化对外互联互通能力,{values},\r\n"
    )
}

fn commit_plain(clone: &Path, rel: &str, body: &str, message: &str) {
    let path = clone.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, body).unwrap();
    ok(git(clone, &["add", rel]));
    ok(git(clone, &["commit", "-q", "-m", message]));
}

#[test]
fn a_unit_files_its_own_plan_and_cannot_approve_its_own_change() {
    let server = server("2024-07-25T12:00:00+08:00");
    let jtj = server.clone("jtj", &server.url());
    commit_plain(
        &jtj,
        "plans/jtj.csv",
        &plan_body("0,0,0,10,20,30,40,50,60,70,80,100"),
        "推进计划",
    );
    ok(push(&jtj));
    assert_eq!(server.notes(), 1, "the server keeps the plan's receipt");
    // Another unit's plan, and an approval written by the unit itself.
    commit_plain(
        &jtj,
        "plans/fgw.csv",
        &plan_body("0,0,0,0,0,0,0,0,0,0,0,100"),
        "替别人报",
    );
    refused(&server.bare, &jtj, Some("jtj"), &["HEAD:main"], "plans/fgw.csv");
    ok(git(&jtj, &["reset", "-q", "--hard", "origin/main"]));
    let approval = "[[change]]\nunit = \"jtj\"\ntask = 2\napproved_on = 2024-09-10\napproved_by = \"自己\"\n";
    commit_plain(&jtj, "plan-changes.toml", approval, "自批");
    refused(&server.bare, &jtj, Some("jtj"), &["HEAD:main"], "plan-changes.toml");
}
