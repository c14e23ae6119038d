//! `submit --push` as seven liaisons use it against the office's server (#27): each from a clone
//! that others pushed past, some at the same moment. Every first try lands, and each liaison is
//! told the receipt the office records.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::common::*;
use crate::server::{Server, git, ok};

const CLOCK: &str = "2024-08-05T17:59:00+08:00";

/// Seven county units in a group that leads task 3, each its own pusher.
fn seven_units() -> (Server, Vec<String>) {
    let ids: Vec<String> = (1..=7).map(|i| format!("u{i}")).collect();
    (crate::server::server_with_group(CLOCK, &ids), ids)
}

fn write_report(clone: &Path, id: &str) {
    let path = clone.join(format!("reports/2024-08/{id}.csv"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let body = format!("{}3,,推进中,50,,推进,,,,,2024-08-05\n", crate::common::repo::HEADER);
    std::fs::write(path, body).unwrap();
}

/// `tracker ARGS` in a liaison's clone, pushing as `id`, at a pinned commit time.
fn tracker_as(clone: &Path, id: &str, args: &[&str]) -> Output {
    git_env(Command::new(assert_cmd::cargo::cargo_bin("tracker")), clone)
        .env("TRACKER_PUSHER", id)
        .env("GIT_AUTHOR_DATE", "2024-08-05T17:30:00+08:00")
        .env("GIT_COMMITTER_DATE", "2024-08-05T17:30:00+08:00")
        .env_remove("TRACKER_AS_OF")
        .env("NO_COLOR", "1")
        .args(args)
        .current_dir(clone)
        .output()
        .unwrap()
}

fn submit_push(clone: &Path, id: &str) -> Output {
    tracker_as(clone, id, &["submit", "--unit", id, "--push"])
}

/// The office's record: each unit's received time, as its own clone's `status` gives it.
fn office_record(server: &Server) -> Value {
    crate::server::status_in(&server.clone("office", &server.url()))
}

#[test]
fn seven_liaisons_each_land_their_first_submit_push_and_are_told_the_office_s_receipt() {
    let (server, ids) = seven_units();
    seven_submit_push(&server, &ids);
}

/// With `[server] unit_branches`, each liaison's `submit --push` goes to its own branch: nobody
/// races, the server's merge is what each is told about, and each clone ends on main.
#[test]
fn with_unit_branches_seven_liaisons_land_without_racing_and_end_on_main() {
    let (server, ids) = seven_units();
    let office = server.clone("office-setup", &server.url());
    let plan = std::fs::read_to_string(office.join("tracker.toml")).unwrap();
    let plan = plan.replace("office = [\"office\"]", "office = [\"office\"]\nunit_branches = true");
    std::fs::write(office.join("tracker.toml"), plan).unwrap();
    ok(git(&office, &["commit", "-q", "-am", "各单位推送到本单位分支"]));
    ok(crate::server::push_as(&office, Some("office"), &["HEAD:main"]));
    let clones = seven_submit_push(&server, &ids);
    for (clone, id) in clones.iter().zip(&ids) {
        let head = git(clone, &["rev-parse", "HEAD", "origin/main"]);
        let heads = String::from_utf8(ok(head).stdout).unwrap();
        let (local, main) = heads.trim().split_once('\n').unwrap();
        assert_eq!(local, main, "{id}'s clone is on main");
        let refs = String::from_utf8(ok(git(&server.bare, &["branch", "--list", "units/*"])).stdout).unwrap();
        assert!(refs.contains(&format!("units/{id}")), "{refs}");
    }
    let merges = String::from_utf8(ok(git(&server.bare, &["rev-list", "--merges", "--count", "main"])).stdout).unwrap();
    assert_eq!(merges.trim(), "7", "one merge a unit");
}

/// Three liaisons `submit --push` one after another, then four at once, each from a clone made
/// before anyone pushed; each lands on its first try and is told the office's receipt.
fn seven_submit_push(server: &Server, ids: &[String]) -> Vec<PathBuf> {
    // Everyone clones first: each clone is stale as soon as another unit pushes.
    let clones: Vec<PathBuf> = ids.iter().map(|id| server.clone(id, &server.url())).collect();
    for (clone, id) in clones.iter().zip(ids) {
        write_report(clone, id);
    }
    // Three one after another, then four at the same moment.
    let mut said: Vec<(String, Output)> = Vec::new();
    for (clone, id) in clones.iter().zip(ids).take(3) {
        said.push((id.clone(), submit_push(clone, id)));
    }
    let together: Vec<_> = clones
        .iter()
        .zip(ids)
        .skip(3)
        .map(|(clone, id)| {
            let (clone, id) = (clone.clone(), id.clone());
            std::thread::spawn(move || (id.clone(), submit_push(&clone, &id)))
        })
        .collect();
    said.extend(together.into_iter().map(|t| t.join().unwrap()));
    let told: Vec<String> = said
        .iter()
        .map(|(id, o)| format!("== {id}\n{}{}", stdout(o), stderr(o)))
        .collect();
    assert_eq!(server.notes(), 7, "every push has its receipt:\n{}", told.join(""));
    let record = office_record(server);
    for (id, out) in &said {
        let text = stdout(out);
        assert!(out.status.success(), "{id}'s first try: {text}{}", stderr(out));
        let unit = find_in(&record["units"], "id", id.as_str());
        assert_eq!(
            (&unit["received_at"], &unit["time_source"]),
            (&CLOCK.into(), &"server".into())
        );
        assert!(
            text.contains("已收到：2024-08-05 17:59（服务器收到时间）。"),
            "{id} is told the office's time: {text}"
        );
        assert!(
            text.contains("收到时间 2024-08-05 17:59，截止 2024-08-05 18:00：按时"),
            "{text}"
        );
    }
    clones
}

#[test]
fn a_push_that_failed_says_the_command_that_delivers_it_and_that_command_does() {
    let (server, ids) = seven_units();
    let clone = server.clone(&ids[0], &server.url());
    write_report(&clone, &ids[0]);
    ok(git(&clone, &["remote", "set-url", "origin", "/nonexistent/office.git"]));
    let out = submit_push(&clone, &ids[0]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("市发展改革委尚未收到，不计报送"), "{text}");
    assert!(
        !text.contains("按时"),
        "nothing is on time that was not received: {text}"
    );
    assert!(
        text.contains("网络恢复后运行：tracker submit --unit u1 --round 2024-08 --push"),
        "{text}"
    );
    assert_eq!(server.notes(), 0);
    ok(git(&clone, &["remote", "set-url", "origin", &server.url()]));
    let again = tracker_as(
        &clone,
        &ids[0],
        &["submit", "--unit", "u1", "--round", "2024-08", "--push"],
    );
    assert!(again.status.success(), "{}{}", stdout(&again), stderr(&again));
    assert!(
        stdout(&again).contains("已收到：2024-08-05 17:59（服务器收到时间）"),
        "{}",
        stdout(&again)
    );
    assert_eq!(server.notes(), 1);
}

#[test]
fn a_refused_push_is_not_tried_again_and_says_the_server_s_reason() {
    let (server, ids) = seven_units();
    let clone = server.clone(&ids[0], &server.url());
    write_report(&clone, &ids[0]);
    // u1's clone pushes as u2: the server refuses a file of another unit, whatever the tries.
    let out = tracker_as(&clone, "u2", &["submit", "--unit", "u1", "--push"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("推送被服务器拒绝"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("u1"),
        "the server names the file: {}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("按上面服务器的说明改正") && !stdout(&out).contains("网络恢复后"),
        "a refusal is no network failure: {}",
        stdout(&out)
    );
    assert_eq!(server.notes(), 0);
}
