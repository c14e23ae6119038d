//! A real git repository in a temp dir: the base fixture with times from git, commits at pinned
//! dates, the real binary run inside it.

use std::path::Path;
use std::process::{Command, Output};

use super::{fixture_repo, git_env, stderr};

pub const HEADER: &str = "任务编号,指标,状态,进度,完成值,本月进展,存在问题,下步计划,填报人,联系电话,填报日期\n";

pub struct Repo {
    pub dir: tempfile::TempDir,
    /// The tracker root: the repository's top, or a folder inside it.
    pub root: std::path::PathBuf,
}

impl Repo {
    /// The base fixture with times from git, its plan committed on 2024-08-01.
    pub fn new() -> Repo {
        Repo::setup(fixture_repo(None), "")
    }

    /// The same with the tracker root in `office/`, a folder inside the git repository.
    pub fn in_subfolder() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        super::copy_tree(&super::fixtures().join("base"), &dir.path().join("office"));
        std::fs::write(dir.path().join("README.txt"), "the office's other files").unwrap();
        Repo::setup(dir, "office")
    }

    /// An existing clone (of a repository made by [`Repo::new`]).
    pub fn at(dir: tempfile::TempDir) -> Repo {
        let root = dir.path().to_path_buf();
        Repo { dir, root }
    }

    fn setup(dir: tempfile::TempDir, sub: &str) -> Repo {
        let root = dir.path().join(sub);
        let repo = Repo { dir, root };
        let plan = repo.path().join("tracker.toml");
        let text = std::fs::read_to_string(&plan)
            .unwrap()
            .replace("received_from = \"declared\"", "received_from = \"git\"");
        std::fs::write(plan, text).unwrap();
        repo.git(&["init", "-q", "-b", "main", repo.dir.path().to_str().unwrap()]);
        repo.git(&["add", "tracker.toml", "units.toml", "tasks"]);
        repo.commit("计划", "2024-08-01T09:00:00+08:00", "2024-08-01T09:00:00+08:00");
        repo
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    pub fn git(&self, args: &[&str]) -> Output {
        let out = git_env(Command::new("git"), self.path())
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    pub fn commit(&self, message: &str, authored: &str, committed: &str) {
        let out = git_env(Command::new("git"), self.path())
            .args(["commit", "-q", "-m", message])
            .env("GIT_AUTHOR_DATE", authored)
            .env("GIT_COMMITTER_DATE", committed)
            .current_dir(self.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "commit: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn write(&self, rel: &str, body: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("{HEADER}{body}")).unwrap();
    }

    /// Writes, stages and commits a report at `committed` (author time the same unless given).
    pub fn submit(&self, rel: &str, body: &str, committed: &str) {
        self.write(rel, body);
        self.git(&["add", "-A", "reports"]);
        self.commit("报送", committed, committed);
    }

    pub fn tracker(&self, args: &[&str]) -> Output {
        self.tracker_without_as_of(&[&["--as-of", "2024-08-20T12:00:00+08:00"], args].concat())
    }

    /// Run from a folder inside the root.
    pub fn tracker_in(&self, folder: &str, args: &[&str]) -> Output {
        git_env(Command::new(assert_cmd::cargo::cargo_bin("tracker")), self.path())
            .env("NO_COLOR", "1")
            .env_remove("TRACKER_AS_OF")
            .args(["--as-of", "2024-08-20T12:00:00+08:00"])
            .args(args)
            .current_dir(self.path().join(folder))
            .output()
            .unwrap()
    }

    /// For `submit`, which takes the real commit time and refuses `--as-of`.
    pub fn tracker_without_as_of(&self, args: &[&str]) -> Output {
        git_env(Command::new(assert_cmd::cargo::cargo_bin("tracker")), self.path())
            .env("NO_COLOR", "1")
            .env_remove("TRACKER_AS_OF")
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap()
    }

    pub fn unit(&self, id: &str) -> serde_json::Value {
        let out = self.tracker(&["status", "--round", "2024-08", "--format", "json"]);
        let json: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)));
        super::find_in(&json["units"], "id", id).clone()
    }

    /// jtj's report sent on 2024-08-05 10:00 and corrected on 2024-08-06 10:00 (after the deadline):
    /// jtj's submission as status then gives it.
    pub fn sent_then_corrected(&self) -> serde_json::Value {
        self.submit(
            "reports/2024-08/jtj.csv",
            "2,,推进中,60,,完成初步设计,,,李四,0972,2024-08-03\n",
            "2024-08-05T10:00:00+08:00",
        );
        self.submit(
            "reports/2024-08/jtj.csv",
            "2,,推进中,65,,补充说明,,,李四,0972,2024-08-06\n",
            "2024-08-06T10:00:00+08:00",
        );
        self.unit("jtj")
    }
}
