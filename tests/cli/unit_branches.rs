//! Units pushing to their own branches, `units/<id>` (issue #25): the server merges each into main
//! as it arrives, so hundreds of units never race for one branch. Each branch is its unit's alone
//! and brings only its own files; the merge commit on main carries the receipt; a branch main
//! has changed under is refused whole; the office's shared data is checked from a cache made
//! after an accepted push, never by a refused one.

use std::path::Path;
use std::process::Command;

use crate::authority::refused;
use crate::common::*;
use crate::server::{
    FGW, GOOD_FGW, GOOD_JTJ, JTJ, NOTES, commit, commit_edit, git, ok, push, push_as, server, unit_status,
};

const OWN: &str = "HEAD:refs/heads/units/jtj";

fn text(out: std::process::Output) -> String {
    String::from_utf8(ok(out).stdout).unwrap().trim().to_string()
}

/// main's tip on the server and its parents.
fn main_parents(bare: &Path) -> Vec<String> {
    text(git(bare, &["rev-list", "--parents", "-n", "1", "main"]))
        .split(' ')
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[test]
fn a_unit_branch_lands_on_main_in_a_merge_that_carries_the_receipt() {
    let server = server("2024-08-07T10:00:00+08:00");
    let jtj = server.clone("jtj", &server.url());
    commit(&jtj, JTJ, GOOD_JTJ, "2024-08-05T10:00:00+08:00"); // "on time", says its clock
    let out = push_as(&jtj, Some("jtj"), &[OWN]);
    assert!(stderr(&out).contains("已并入主分支"), "{}", stderr(&out));
    ok(out);
    let head = text(git(&jtj, &["rev-parse", "HEAD"]));
    assert_eq!(main_parents(&server.bare)[1], head, "main merged the unit's commit");
    let noted = text(git(&server.bare, &["notes", "--ref", NOTES, "show", "main"]));
    assert!(noted.starts_with(&format!("{JTJ}\t")), "{noted}");
    assert_eq!(server.notes(), 1, "one receipt: the merge's, where the ledger looks");
    let office = server.clone("office", &server.url());
    let branches = text(git(&office, &["branch", "-r"]));
    assert!(
        !branches.contains("units/"),
        "clones do not fetch the units' branches: {branches}"
    );
    let status = unit_status(&office, "jtj");
    assert_eq!(status["time_source"], "server", "{status}");
    assert_eq!(status["received_at"], "2024-08-07T10:00:00+08:00");
    assert_eq!(status["submission"], "late");
    // The unit brings main in and corrects its report: its branch moves on, main merges again.
    ok(git(&jtj, &["pull", "-q", "--no-rebase", "origin", "main"]));
    commit(&jtj, JTJ, &GOOD_JTJ.replace("60", "65"), "2024-08-07T11:00:00+08:00");
    ok(push_as(&jtj, Some("jtj"), &[OWN]));
    assert_eq!(server.notes(), 2);
    ok(git(&office, &["fetch", "-q", "origin"]));
    ok(git(&office, &["merge", "-q", "--ff-only", "origin/main"]));
    let check = git_env(Command::new(assert_cmd::cargo::cargo_bin("tracker")), &office)
        .args(["--as-of", "2024-08-20", "check"])
        .current_dir(&office)
        .output()
        .unwrap();
    assert!(stdout(&check).contains("没有发现问题"), "{}", stdout(&check));
    assert!(!stdout(&check).contains("missing-receipt"), "{}", stdout(&check));
}

#[test]
fn a_unit_branch_is_its_units_alone_and_brings_only_its_files() {
    let server = server("2024-08-05T12:00:00+08:00");
    let jtj = server.clone("jtj", &server.url());
    commit(&jtj, JTJ, GOOD_JTJ, "2024-08-05T09:00:00+08:00");
    refused(
        &server.bare,
        &jtj,
        Some("jtj"),
        &["HEAD:refs/heads/units/fgw"],
        "refs/heads/units/fgw",
    );
    let office = server.clone("office", &server.url());
    commit(&office, JTJ, GOOD_JTJ, "2024-08-05T09:00:00+08:00");
    refused(&server.bare, &office, Some("office"), &[OWN], "只能推送");
    // Another unit's file on its own branch; a branch with no identity.
    commit(&jtj, FGW, GOOD_FGW, "2024-08-05T09:10:00+08:00");
    refused(&server.bare, &jtj, Some("jtj"), &[OWN], "reports/2024-08/fgw.csv");
    refused(&server.bare, &jtj, None, &[OWN], "推送人不明");
    ok(git(&jtj, &["reset", "-q", "--hard", "HEAD~1"]));
    ok(push_as(&jtj, Some("jtj"), &[OWN]));
    // What was received stays: no deleting the branch, no rewriting it.
    refused(&server.bare, &jtj, Some("jtj"), &[":refs/heads/units/jtj"], "不得删除");
    ok(git(&jtj, &["commit", "-q", "--amend", "-m", "改写"]));
    refused(
        &server.bare,
        &jtj,
        Some("jtj"),
        &["+HEAD:refs/heads/units/jtj"],
        "不得改写",
    );
}

#[test]
fn a_unit_branch_whose_file_main_changed_meanwhile_is_refused_whole() {
    let server = server("2024-08-05T12:00:00+08:00");
    let jtj = server.clone("jtj", &server.url());
    commit(&jtj, JTJ, GOOD_JTJ, "2024-08-05T09:00:00+08:00");
    ok(push_as(&jtj, Some("jtj"), &[OWN]));
    // The office corrects the report on main; the unit, not having pulled, edits it too.
    let office = server.clone("office", &server.url());
    commit_edit(
        &office,
        JTJ,
        "完成初步设计",
        "完成初步设计（市发展改革委更正）",
        "代为更正",
    );
    ok(push(&office));
    commit_edit(&jtj, JTJ, "推进中,60", "推进中,70", "更新");
    refused(&server.bare, &jtj, Some("jtj"), &[OWN], "无法并入");
    // Pulled and redone, it lands.
    ok(git(&jtj, &["reset", "-q", "--hard", "HEAD~1"]));
    ok(git(&jtj, &["pull", "-q", "--no-rebase", "origin", "main"]));
    commit_edit(&jtj, JTJ, "推进中,60", "推进中,70", "更新");
    ok(push_as(&jtj, Some("jtj"), &[OWN]));
    let report = text(git(&server.bare, &["show", &format!("main:{JTJ}")]));
    assert!(report.contains("推进中,70") && report.contains("更正"), "{report}");
}

/// Sixteen units push to their own branches at the same moment: every first try lands, main
/// holds every file, and every merge has its receipt.
#[test]
fn sixteen_units_on_their_own_branches_all_land_on_the_first_try() {
    let ids: Vec<String> = (1..=16).map(|i| format!("u{i:02}")).collect();
    let server = crate::server::server_with_group("2024-08-05T17:59:00+08:00", &ids);
    let clones: Vec<_> = ids.iter().map(|id| server.clone(id, &server.url())).collect();
    for (clone, id) in clones.iter().zip(&ids) {
        let body = "3,,推进中,50,,推进,,,,,2024-08-05\n";
        commit(
            clone,
            &format!("reports/2024-08/{id}.csv"),
            body,
            "2024-08-05T17:58:00+08:00",
        );
    }
    // Meanwhile the office pushes to main itself, as a liaison would: again after a lost race.
    let desk = server.clone("office-desk", &server.url());
    commit_edit(
        &desk,
        "tracker.toml",
        "due_time = \"18:00\"",
        "due_time = \"18:30\"",
        "截止时刻改为 18:30",
    );
    let office_push = std::thread::spawn(move || {
        (0..40).any(|_| {
            let landed = push_as(&desk, Some("office"), &["HEAD:main"]).status.success();
            if !landed {
                ok(git(&desk, &["pull", "-q", "--rebase", "origin", "main"]));
            }
            landed
        })
    });
    let pushes: Vec<_> = clones
        .into_iter()
        .zip(ids.clone())
        .map(|(clone, id)| {
            std::thread::spawn(move || push_as(&clone, Some(&id), &[&format!("HEAD:refs/heads/units/{id}")]))
        })
        .collect();
    for p in pushes {
        ok(p.join().unwrap());
    }
    assert!(office_push.join().unwrap(), "the office's push landed");
    let plan = text(git(&server.bare, &["show", "main:tracker.toml"]));
    assert!(
        plan.contains("due_time = \"18:30\""),
        "no merge moved main past the office's commit"
    );
    assert_eq!(server.notes(), 16, "every merge has its receipt");
    let files = text(git(
        &server.bare,
        &["ls-tree", "--name-only", "main", "reports/2024-08/"],
    ));
    assert_eq!(files.lines().count(), 16, "{files}");
    let office = server.clone("office", &server.url());
    for id in &ids {
        let status = unit_status(&office, id);
        assert_eq!(status["time_source"], "server", "{status}");
        assert_eq!(status["submission"], "on_time", "{status}");
    }
}

#[test]
fn pushed_reports_are_checked_against_the_office_s_data_as_main_has_it_now() {
    let server = server("2024-08-05T12:00:00+08:00");
    let cache = server.bare.join("tracker-cache");
    let versions = || std::fs::read_dir(&cache).unwrap().count();
    assert_eq!(
        versions(),
        1,
        "main's shared data, written out as the hooks were installed"
    );
    // With the cache in place, a bad cell is still found; the refusal changes nothing.
    let jtj = server.clone("jtj", &server.url());
    commit(&jtj, JTJ, crate::server::BAD_JTJ, "2024-08-05T09:30:00+08:00");
    refused(
        &server.bare,
        &jtj,
        Some("jtj"),
        &[OWN],
        "jtj.csv:2:3: error[invalid-status]",
    );
    ok(git(&jtj, &["reset", "-q", "--hard", "HEAD~1"]));
    commit(&jtj, JTJ, GOOD_JTJ, "2024-08-05T09:00:00+08:00");
    ok(push_as(&jtj, Some("jtj"), &[OWN]));
    assert_eq!(versions(), 1, "a push of reports leaves the shared data as it was");
    // The office adds task 3 for jtj: the next check knows it (the cache follows main).
    let office = server.clone("office", &server.url());
    let task = std::fs::read_to_string(office.join("tasks/002.toml")).unwrap();
    std::fs::write(office.join("tasks/003.toml"), task.replacen("id = 2", "id = 3", 1)).unwrap();
    ok(git(&office, &["add", "tasks/003.toml"]));
    ok(git(&office, &["commit", "-q", "-m", "新增任务 3"]));
    ok(push(&office));
    assert_eq!(versions(), 2, "the new version written out after the office's push");
    ok(git(&jtj, &["pull", "-q", "--no-rebase", "origin", "main"]));
    let with_three = format!("{GOOD_JTJ}{}", GOOD_JTJ.replacen("2,", "3,", 1));
    commit(&jtj, JTJ, &with_three, "2024-08-05T10:00:00+08:00");
    ok(push_as(&jtj, Some("jtj"), &[OWN]));
    let uninstall = git_env(Command::new(assert_cmd::cargo::cargo_bin("tracker")), server.dir.path())
        .args(["hook", "uninstall", "--server", "--git-dir", "office.git"])
        .current_dir(server.dir.path())
        .output()
        .unwrap();
    ok(uninstall);
    assert!(!cache.exists(), "uninstalling removes the cache");
}

/// Pushes that arrive together take turns to be checked (as many at once as the server has
/// cores), and each is received when it arrived, not when its turn came: here every turn is held
/// while a unit pushes at 17:59, the clock moves to 18:30, and the turn is given back.
#[test]
fn a_push_waiting_for_its_turn_is_received_when_it_arrived() {
    let server = server("2024-08-05T17:59:00+08:00");
    let turns: Vec<std::fs::File> = std::fs::read_dir(&server.bare)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("tracker-check-"))
        .map(|p| std::fs::File::options().write(true).open(p).unwrap())
        .collect();
    assert!(!turns.is_empty(), "the hooks' install made the check turns");
    turns.iter().for_each(|t| t.lock().unwrap());
    let jtj = server.clone("jtj", &server.url());
    commit(&jtj, JTJ, GOOD_JTJ, "2024-08-05T17:59:00+08:00");
    let pushing = {
        let jtj = jtj.clone();
        std::thread::spawn(move || push_as(&jtj, Some("jtj"), &[OWN]))
    };
    let arrivals = server.bare.join("tracker-arrivals");
    while std::fs::read_dir(&arrivals).unwrap().count() == 0 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(!pushing.is_finished(), "the push waits for a turn to be checked");
    ok(git(
        &server.bare,
        &["config", "tracker.clock", "2024-08-05T18:30:00+08:00"],
    ));
    turns.iter().for_each(|t| t.unlock().unwrap());
    ok(pushing.join().unwrap());
    assert_eq!(
        std::fs::read_dir(&arrivals).unwrap().count(),
        0,
        "the arrival was used up"
    );
    let office = server.clone("office", &server.url());
    let status = unit_status(&office, "jtj");
    assert_eq!(status["received_at"], "2024-08-05T17:59:00+08:00", "{status}");
    assert_eq!(status["submission"], "on_time", "{status}");
}

/// An arrival left behind by a push whose ref update failed after its check (its post-receive
/// never ran) cannot date the same commit when it is pushed again later: the new arrival counts.
#[test]
fn a_stale_arrival_cannot_back_date_a_later_push() {
    let server = server("2024-08-07T10:00:00+08:00");
    let jtj = server.clone("jtj", &server.url());
    commit(&jtj, JTJ, GOOD_JTJ, "2024-08-05T10:00:00+08:00");
    let head = text(git(&jtj, &["rev-parse", "HEAD"]));
    // 2024-08-05 10:00, as if that push had passed its check and then lost its ref update.
    std::fs::write(server.bare.join("tracker-arrivals").join(&head), "1722823200").unwrap();
    ok(push_as(&jtj, Some("jtj"), &[OWN]));
    let office = server.clone("office", &server.url());
    let status = unit_status(&office, "jtj");
    assert_eq!(status["received_at"], "2024-08-07T10:00:00+08:00", "{status}");
    assert_eq!(status["submission"], "late", "{status}");
}

/// Should the office change a unit's file on main in the instant between a clean check and the
/// merge (here: the office's own post-receive hook, which runs first, does it), the branch is not
/// merged, main keeps the office's change, and `submit --push` says the file did not reach main,
/// quoting the server.
#[test]
fn a_merge_that_fails_after_a_clean_check_is_said_and_changes_nothing_on_main() {
    let server = server("2024-08-05T12:00:00+08:00");
    let office = server.clone("office", &server.url());
    commit_edit(
        &office,
        "tracker.toml",
        "office = [\"office\"]",
        "office = [\"office\"]\nunit_branches = true",
        "单位分支",
    );
    ok(push(&office));
    let jtj = server.clone("jtj", &server.url());
    commit(&jtj, JTJ, GOOD_JTJ, "2024-08-05T09:00:00+08:00");
    ok(push_as(&jtj, Some("jtj"), &[OWN]));
    ok(git(&jtj, &["pull", "-q", "--no-rebase", "origin", "main"]));
    let corrected = format!(
        "{}{}",
        crate::common::repo::HEADER,
        GOOD_JTJ.replace("完成初步设计", "完成初步设计（更正）")
    );
    let corrects = format!(
        "#!/bin/sh\ncat >/dev/null\nmain=$(git rev-parse refs/heads/main)\nblob=$(printf '%s' '{corrected}' | git hash-object -w --stdin)\n\
         export GIT_INDEX_FILE=\"$PWD/office-index\"\ngit read-tree \"$main\"\ngit update-index --cacheinfo \"100644,$blob,{JTJ}\"\n\
         tree=$(git write-tree)\nrm -f \"$GIT_INDEX_FILE\"\nc=$(git commit-tree \"$tree\" -p \"$main\" -m 代为更正)\ngit update-ref refs/heads/main \"$c\" \"$main\"\n"
    );
    let hook = server.bare.join("hooks/post-receive.tracker-chained");
    std::fs::write(&hook, corrects).unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&hook)
        .status()
        .unwrap();
    std::fs::write(
        jtj.join(JTJ),
        format!("{}{}", crate::common::repo::HEADER, GOOD_JTJ.replace("60", "70")),
    )
    .unwrap();
    let out = git_env(Command::new(assert_cmd::cargo::cargo_bin("tracker")), &jtj)
        .env("TRACKER_PUSHER", "jtj")
        .env_remove("TRACKER_AS_OF")
        .args(["submit", "--unit", "jtj", "--round", "2024-08", "--push"])
        .current_dir(&jtj)
        .output()
        .unwrap();
    let said = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{said}{}", stderr(&out));
    assert!(said.contains("服务器收到了推送，但没有并入主分支"), "{said}");
    assert!(said.contains(&format!("{JTJ} 在主分支上刚被改动")), "{said}");
    assert!(said.contains("市发展改革委尚未收到"), "{said}");
    let on_main = text(git(&server.bare, &["show", &format!("main:{JTJ}")]));
    assert!(
        on_main.contains("（更正）") && on_main.contains("推进中,60"),
        "{on_main}"
    );
}
