//! The deployment exactly as docs/deployment.md describes it: the office's bare repository behind
//! `sshd` on 127.0.0.1 (a free port, started and stopped by the test), one key per liaison in
//! `authorized_keys` with a forced command that names the pusher and allows git only, and real
//! `git` clients pushing over ssh.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::common::*;
use crate::server::{FGW, GOOD_FGW, GOOD_JTJ, JTJ, Server, commit, commit_edit, git, ok, server};

/// sshd serving this machine's accounts on a free port of 127.0.0.1, stopped when dropped.
struct Sshd {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn keygen(path: &Path) {
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The line docs/deployment.md gives for one liaison's key.
fn authorized(pusher: &str, key: &Path) -> String {
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    format!(
        "command=\"TRACKER_PUSHER={pusher} exec git-shell -c \\\"$SSH_ORIGINAL_COMMAND\\\"\",no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty {}",
        public.trim()
    )
}

fn sshd(pushers: &[&str]) -> Sshd {
    let dir = tempfile::tempdir().unwrap();
    keygen(&dir.path().join("host"));
    let mut keys = String::new();
    for p in pushers {
        keygen(&dir.path().join(p));
        keys.push_str(&authorized(p, &dir.path().join(p)));
        keys.push('\n');
    }
    std::fs::write(dir.path().join("authorized_keys"), keys).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = format!(
        "Port {port}\nListenAddress 127.0.0.1\nHostKey {0}/host\nAuthorizedKeysFile {0}/authorized_keys\n\
         PidFile {0}/sshd.pid\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n\
         KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nPermitUserEnvironment no\n",
        dir.path().display()
    );
    std::fs::write(dir.path().join("sshd_config"), config).unwrap();
    std::fs::create_dir_all("/run/sshd").ok(); // privilege separation, as the Debian service makes it
    let sshd = which("sshd");
    let child = Command::new(sshd)
        .args(["-D", "-e", "-f"])
        .arg(dir.path().join("sshd_config"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let sshd = Sshd { child, port, dir };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return sshd;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("sshd did not start");
}

fn which(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/sbin".into()])
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} not found"))
}

impl Sshd {
    fn url(&self, bare: &Path) -> String {
        let user = std::env::var("USER").unwrap_or_else(|_| "root".into());
        format!("ssh://{user}@127.0.0.1:{}{}", self.port, bare.display())
    }

    /// `git` in `clone` authenticating with `pusher`'s key.
    fn git(&self, clone: &Path, pusher: &str, args: &[&str]) -> std::process::Output {
        let ssh = format!(
            "ssh -i {} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes",
            self.dir.path().join(pusher).display()
        );
        git_env(Command::new("git"), clone)
            .args(args)
            .env("GIT_SSH_COMMAND", ssh)
            .env_remove("TRACKER_PUSHER")
            .current_dir(clone)
            .output()
            .unwrap()
    }
}

fn clone_over_ssh(server: &Server, sshd: &Sshd, pusher: &str) -> PathBuf {
    let clone = server.dir.path().join(format!("{pusher}-ssh"));
    ok(sshd.git(
        server.dir.path(),
        pusher,
        &["clone", "-q", &sshd.url(&server.bare), clone.to_str().unwrap()],
    ));
    clone
}

#[test]
#[cfg_attr(not(has_sshd), ignore = "needs openssh-server and git-shell; .ci/run installs them")]
fn over_ssh_each_key_pushes_as_its_liaison() {
    let server = server("2024-08-05T17:00:00+08:00");
    let sshd = sshd(&["jtj", "fgw", "office"]);
    let jtj = clone_over_ssh(&server, &sshd, "jtj");
    // Its own report: accepted, received by the server, the receipt naming the key's liaison.
    commit(&jtj, JTJ, GOOD_JTJ, "2024-08-05T16:00:00+08:00");
    ok(sshd.git(&jtj, "jtj", &["push", "-q", "origin", "HEAD:main"]));
    let notes = ok(git(
        &server.bare,
        &["notes", "--ref", "refs/notes/tracker-received", "show", "main"],
    ))
    .stdout;
    assert!(
        String::from_utf8_lossy(&notes).trim_end().ends_with("\tjtj"),
        "{}",
        String::from_utf8_lossy(&notes)
    );
    // The same key writing another unit's report: refused, naming the path.
    commit(&jtj, FGW, GOOD_FGW, "2024-08-05T16:10:00+08:00");
    let before = server.main();
    let refused = sshd.git(&jtj, "jtj", &["push", "-q", "origin", "HEAD:main"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("reports/2024-08/fgw.csv"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(server.main(), before);
    // Its own branch: merged into main, the merge's receipt naming the key's liaison; fgw's
    // branch is not its to push.
    ok(git(&jtj, &["reset", "-q", "--hard", "HEAD~1"]));
    commit(&jtj, JTJ, &GOOD_JTJ.replace("60", "65"), "2024-08-05T16:20:00+08:00");
    ok(sshd.git(&jtj, "jtj", &["push", "-q", "origin", "HEAD:refs/heads/units/jtj"]));
    let notes = ok(git(
        &server.bare,
        &["notes", "--ref", "refs/notes/tracker-received", "show", "main"],
    ))
    .stdout;
    assert!(String::from_utf8_lossy(&notes).trim_end().ends_with("\tjtj"));
    let other = sshd.git(&jtj, "jtj", &["push", "-q", "origin", "HEAD:refs/heads/units/fgw"]);
    assert!(stderr(&other).contains("refs/heads/units/fgw"), "{}", stderr(&other));
    // The forced command allows git and nothing else.
    let shell = Command::new("ssh")
        .args([
            "-i",
            sshd.dir.path().join("jtj").to_str().unwrap(),
            "-p",
            &sshd.port.to_string(),
        ])
        .args([
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
        ])
        .arg(format!(
            "{}@127.0.0.1",
            std::env::var("USER").unwrap_or_else(|_| "root".into())
        ))
        .arg("touch /tmp/tracker-ssh-escape")
        .output()
        .unwrap();
    assert!(!shell.status.success() && !Path::new("/tmp/tracker-ssh-escape").exists());
    // The office's key may change the plan.
    let office = clone_over_ssh(&server, &sshd, "office");
    commit_edit(
        &office,
        "tracker.toml",
        "due_time = \"18:00\"",
        "due_time = \"20:00\"",
        "截止时刻改为 20:00",
    );
    ok(sshd.git(&office, "office", &["push", "-q", "origin", "HEAD:main"]));
}
