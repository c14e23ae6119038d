//! The office's bare repository with tracker's receive hooks, and units pushing to it over
//! file:// and over `git daemon` on 127.0.0.1: bad pushes refused, receipts recorded, forged
//! committer dates exposed, simultaneous pushes all recorded.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::repo::Repo;
use crate::common::*;
use serde_json::Value;

pub(crate) const JTJ: &str = "reports/2024-08/jtj.csv";
pub(crate) const FGW: &str = "reports/2024-08/fgw.csv";
pub(crate) const GOOD_JTJ: &str = "2,,推进中,60,,完成初步设计,,,李四,0972-8000002,2024-08-03\n";
pub(crate) const BAD_JTJ: &str = "2,,进行中,60,,完成初步设计,,,李四,0972-8000002,2024-08-03\n";
pub(crate) const GOOD_FGW: &str = "1,,推进中,50,,推进,,,张三,0972-8000001,2024-08-04\n";
pub(crate) const NOTES: &str = "refs/notes/tracker-received";

/// The office's data, its bare repository with the server hooks, and the folder for clones.
pub(crate) struct Server {
    _office: Repo,
    pub(crate) dir: tempfile::TempDir,
    pub(crate) bare: PathBuf,
}

pub(crate) fn git(dir: &Path, args: &[&str]) -> Output {
    git_env(Command::new("git"), dir)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

pub(crate) fn ok(out: Output) -> Output {
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    out
}

/// The pushers the server knows: each unit's clone is named by its id, the office's is `office`.
fn register_pushers(office: &Repo, extra_units: &str) {
    let units = std::fs::read_to_string(office.path().join("units.toml")).unwrap();
    let units = units
        .replace("id = \"fgw\"\n", "id = \"fgw\"\npushers = [\"fgw\"]\n")
        .replace("id = \"jtj\"\n", "id = \"jtj\"\npushers = [\"jtj\"]\n");
    std::fs::write(office.path().join("units.toml"), format!("{units}{extra_units}")).unwrap();
    let plan = std::fs::read_to_string(office.path().join("tracker.toml")).unwrap();
    std::fs::write(
        office.path().join("tracker.toml"),
        format!("{plan}\n[server]\noffice = [\"office\"]\n"),
    )
    .unwrap();
    office.git(&["add", "units.toml", "tracker.toml"]);
    office.commit("登记推送人", "2024-08-01T10:00:00+08:00", "2024-08-01T10:00:00+08:00");
}

/// A server whose units `ids` (each its own pusher) form the group 测试各县, which leads task 3.
pub(crate) fn server_with_group(clock: &str, ids: &[String]) -> Server {
    let mut units = String::new();
    for id in ids {
        units.push_str(&format!(
            "\n[[unit]]\nid = \"{id}\"\nname = \"测试县{id}\"\nkind = \"county\"\npushers = [\"{id}\"]\n"
        ));
    }
    let members: Vec<String> = ids.iter().map(|i| format!("\"{i}\"")).collect();
    units.push_str(&format!(
        "\n[[group]]\nid = \"tests\"\nname = \"测试各县\"\nmembers = [{}]\n",
        members.join(", ")
    ));
    let task = "id = 3\nchapter = 1\nsection = 1\nkey_task = \"测试\"\nwork = \"各县推进测试任务\"\nlead = [\"测试各县\"]\ncooperating = []\ndue = 2024-12-31\nnotes = []\n";
    server_with(clock, &units, Some(("tasks/003.toml", task)))
}

/// `tracker status --round 2024-08 --format json` in a clone, as of 2024-08-20.
pub(crate) fn status_in(clone: &Path) -> Value {
    let out = git_env(Command::new(assert_cmd::cargo::cargo_bin("tracker")), clone)
        .args([
            "--as-of",
            "2024-08-20T12:00:00+08:00",
            "status",
            "--round",
            "2024-08",
            "--format",
            "json",
        ])
        .env("NO_COLOR", "1")
        .current_dir(clone)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)))
}

pub(crate) fn server(clock: &str) -> Server {
    server_with(clock, "", None)
}

/// A server whose data also holds `extra_units` (units.toml entries) and `extra_task` (a task file).
pub(crate) fn server_with(clock: &str, extra_units: &str, extra_task: Option<(&str, &str)>) -> Server {
    let office = Repo::new();
    if let Some((rel, text)) = extra_task {
        std::fs::write(office.path().join(rel), text).unwrap();
        office.git(&["add", rel]);
    }
    register_pushers(&office, extra_units);
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("office.git");
    ok(git(
        dir.path(),
        &["clone", "-q", "--bare", office.path().to_str().unwrap(), "office.git"],
    ));
    let install = git_env(Command::new(assert_cmd::cargo::cargo_bin("tracker")), dir.path())
        .args(["hook", "install", "--server", "--git-dir", "office.git"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(install.status.success(), "{}", stderr(&install));
    assert!(stdout(&install).contains("已在"), "{}", stdout(&install));
    ok(git(&bare, &["config", "tracker.clock", clock]));
    Server {
        _office: office,
        dir,
        bare,
    }
}

impl Server {
    /// A unit's (or the office's) clone that also fetches the receipts.
    pub(crate) fn clone(&self, name: &str, url: &str) -> PathBuf {
        ok(git(self.dir.path(), &["clone", "-q", url, name]));
        let clone = self.dir.path().join(name);
        ok(git(
            &clone,
            &["config", "--add", "remote.origin.fetch", "+refs/notes/*:refs/notes/*"],
        ));
        ok(git(&clone, &["fetch", "-q", "origin"]));
        clone
    }

    pub(crate) fn url(&self) -> String {
        format!("file://{}", self.bare.display())
    }

    pub(crate) fn main(&self) -> String {
        String::from_utf8(ok(git(&self.bare, &["rev-parse", "main"])).stdout).unwrap()
    }

    pub(crate) fn notes(&self) -> usize {
        let out = git(&self.bare, &["notes", "--ref", NOTES, "list"]);
        String::from_utf8_lossy(&out.stdout).lines().count()
    }
}

/// Writes and commits one file in a clone, with the committer date the unit's machine claims.
pub(crate) fn commit(clone: &Path, rel: &str, body: &str, claimed: &str) {
    let path = clone.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, format!("{}{body}", crate::common::repo::HEADER)).unwrap();
    ok(git(clone, &["add", rel]));
    let out = git_env(Command::new("git"), clone)
        .args(["commit", "-q", "-m", "报送"])
        .env("GIT_AUTHOR_DATE", claimed)
        .env("GIT_COMMITTER_DATE", claimed)
        .current_dir(clone)
        .output()
        .unwrap();
    ok(out);
}

/// Edits `rel` in a clone (replacing `from`, which must be there, with `to`) and commits it.
pub(crate) fn commit_edit(clone: &Path, rel: &str, from: &str, to: &str, message: &str) {
    let text = std::fs::read_to_string(clone.join(rel)).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(clone.join(rel), text.replacen(from, to, 1)).unwrap();
    ok(git(clone, &["commit", "-q", "-am", message]));
}

/// Pushes as the clone's owner: the server is told who pushes (`TRACKER_PUSHER`, as the SSH
/// forced command sets it) by the clone's folder name, a unit's id or `office`.
pub(crate) fn push(clone: &Path) -> Output {
    let who = clone.file_name().unwrap().to_string_lossy().into_owned();
    push_as(clone, Some(&who), &["HEAD:main"])
}

/// Pushes `refspecs` with `who` as the pusher (None: the server is told nobody).
pub(crate) fn push_as(clone: &Path, who: Option<&str>, refspecs: &[&str]) -> Output {
    let mut cmd = git_env(Command::new("git"), clone);
    cmd.args(["push", "-q", "origin"]).args(refspecs).current_dir(clone);
    match who {
        Some(w) => cmd.env("TRACKER_PUSHER", w),
        None => cmd.env_remove("TRACKER_PUSHER"),
    };
    cmd.output().unwrap()
}

pub(crate) fn unit_status(clone: &Path, id: &str) -> Value {
    find_in(&status_in(clone)["units"], "id", id).clone()
}

#[test]
fn a_forged_committer_date_is_exposed_by_the_servers_receipt() {
    let server = server("2024-08-07T10:00:00+08:00");
    let unit = server.clone("jtj", &server.url());
    commit(&unit, JTJ, GOOD_JTJ, "2024-08-05T10:00:00+08:00"); // "on time", says the unit's clock
    ok(push(&unit));
    assert_eq!(server.notes(), 1);
    let office = server.clone("office", &server.url());
    let jtj = unit_status(&office, "jtj");
    assert_eq!(jtj["time_source"], "server", "{jtj}");
    assert_eq!(jtj["received_at"], "2024-08-07T10:00:00+08:00");
    assert_eq!(jtj["submission"], "late");
    assert_eq!(jtj["clock_skew"], true);
    assert!(
        jtj["remark"].as_str().unwrap().contains("以服务器收到时间为准"),
        "{jtj}"
    );
    let check = stdout(
        &git_env(Command::new(assert_cmd::cargo::cargo_bin("tracker")), &office)
            .args(["--as-of", "2024-08-20", "check"])
            .current_dir(&office)
            .output()
            .unwrap(),
    );
    assert!(check.contains("warning[clock-skew]"), "{check}");
}

#[test]
fn a_bad_push_is_refused_with_the_cell_and_leaves_the_repository_unchanged() {
    let server = server("2024-08-05T12:00:00+08:00");
    let before = server.main();
    let unit = server.clone("jtj", &server.url());
    commit(&unit, JTJ, BAD_JTJ, "2024-08-05T12:00:00+08:00");
    let out = push(&unit);
    assert!(!out.status.success(), "the push must be refused");
    let said = stderr(&out);
    assert!(
        said.contains("reports/2024-08/jtj.csv:2:3: error[invalid-status]: 状态「进行中」不在规定范围内"),
        "{said}"
    );
    assert!(said.contains("推送被拒绝"), "{said}");
    assert_eq!(server.main(), before, "main did not move");
    assert_eq!(server.notes(), 0, "nothing recorded");
    // Corrected, it goes through.
    commit(&unit, JTJ, GOOD_JTJ, "2024-08-05T12:05:00+08:00");
    ok(push(&unit));
    assert_eq!(
        server.notes(),
        2,
        "both pushed commits carry the receipt of the push that brought them"
    );
}

#[test]
fn a_clone_without_the_receipts_is_told_to_fetch_them() {
    let server = server("2024-08-05T12:00:00+08:00");
    let unit = server.clone("jtj", &server.url());
    commit(&unit, JTJ, GOOD_JTJ, "2024-08-05T12:00:00+08:00");
    ok(push(&unit));
    ok(git(server.dir.path(), &["clone", "-q", &server.url(), "plain"]));
    let plain = server.dir.path().join("plain");
    let check = stdout(
        &git_env(Command::new(assert_cmd::cargo::cargo_bin("tracker")), &plain)
            .args(["--as-of", "2024-08-20", "check"])
            .current_dir(&plain)
            .output()
            .unwrap(),
    );
    assert!(
        check.contains("服务器记录了各报送文件的收到时间，本地没有取回"),
        "{check}"
    );
}

#[test]
fn two_units_pushing_at_once_are_both_recorded() {
    let server = server("2024-08-05T17:59:00+08:00");
    let jtj = server.clone("jtj", &server.url());
    let fgw = server.clone("fgw", &server.url());
    commit(&jtj, JTJ, GOOD_JTJ, "2024-08-05T17:58:00+08:00");
    commit(&fgw, FGW, GOOD_FGW, "2024-08-05T17:58:30+08:00");
    let pushes: Vec<_> = [jtj.clone(), fgw.clone()]
        .into_iter()
        .map(|clone| std::thread::spawn(move || (push(&clone).status.success(), clone)))
        .collect();
    for handle in pushes {
        let (pushed, clone) = handle.join().unwrap();
        if !pushed {
            // The other unit was first: as a liaison would, fetch their commit and push again.
            ok(git(&clone, &["pull", "-q", "--rebase", "origin", "main"]));
            ok(push(&clone));
        }
    }
    assert_eq!(server.notes(), 2, "each unit's commit has its receipt");
    let office = server.clone("office", &server.url());
    for id in ["jtj", "fgw"] {
        let u = unit_status(&office, id);
        assert_eq!(
            (u["time_source"].as_str(), u["submission"].as_str()),
            (Some("server"), Some("on_time")),
            "{u}"
        );
    }
}

/// `git daemon` serving the bare repository on a free port of 127.0.0.1, stopped when dropped.
pub(crate) struct Daemon(std::process::Child, u16);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn daemon(base: &Path) -> Daemon {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // git-daemon itself, not the `git daemon` wrapper, so that killing the child stops the server.
    let exec_path = String::from_utf8(ok(git(base, &["--exec-path"])).stdout).unwrap();
    let daemon = Daemon(
        git_env(Command::new(Path::new(exec_path.trim()).join("git-daemon")), base)
            .args([
                "--reuseaddr",
                "--export-all",
                "--enable=receive-pack",
                "--listen=127.0.0.1",
            ])
            .arg(format!("--port={port}"))
            .arg(format!("--base-path={}", base.display()))
            .arg(base)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
        port,
    );
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return daemon;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("git daemon did not start");
}

/// `git daemon` tells the hooks nobody's name: every push over it is refused as having no
/// identity, and the server is left as it was.
#[test]
fn over_git_daemon_a_push_without_identity_is_refused() {
    let server = server("2024-08-06T09:00:00+08:00");
    let daemon = daemon(server.dir.path());
    let url = format!("git://127.0.0.1:{}/office.git", daemon.1);
    let unit = server.clone("jtj", &url);
    commit(&unit, JTJ, GOOD_JTJ, "2024-08-05T09:00:00+08:00");
    let before = server.main();
    let refused = push(&unit);
    assert!(!refused.status.success());
    let said = stderr(&refused);
    assert!(said.contains("推送人不明") && said.contains("TRACKER_PUSHER"), "{said}");
    assert_eq!(server.main(), before, "nothing landed");
    assert_eq!(server.notes(), 0);
    drop(daemon);
}
