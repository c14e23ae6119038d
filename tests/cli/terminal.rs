//! The terminal as people live in it: tables that fit every width from 60 columns, colour where
//! it belongs, Chinese help and errors, completions and a man page.

use crate::common::*;
use proptest::prelude::*;
use unicode_width::UnicodeWidthStr;

const AS_OF: &str = "2024-09-10T12:00:00+08:00";

fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("examples/demo"), dir.path());
    dir
}

fn at_width(dir: &std::path::Path, args: &[&str], width: u16) -> String {
    let w = width.to_string();
    let out = run(dir, &[&["--as-of", AS_OF][..], args, &["--width", &w]].concat());
    assert!(out.status.code().is_some_and(|c| c < 2), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// Every line within the width, and none starting with closing punctuation.
fn assert_fits(text: &str, width: u16, what: &str) {
    for line in text.lines() {
        assert!(
            UnicodeWidthStr::width(line) <= usize::from(width),
            "{what} at {width}: a line of {} columns:\n{line}",
            UnicodeWidthStr::width(line)
        );
        assert!(
            !tracker::render::terminal::fit::bad_line_start(line),
            "{what} at {width}: {line}"
        );
    }
}

const COMMANDS: [(&str, &[&str]); 4] = [
    ("status", &["status", "--all"]),
    ("units", &["units"]),
    ("show", &["show", "12"]),
    ("check", &["check"]),
];

#[test]
fn golden_captures_at_60_80_120_and_200_columns() {
    let dir = demo_copy();
    for width in [60, 80, 120, 200] {
        for (name, args) in COMMANDS {
            let text = at_width(dir.path(), args, width);
            assert_fits(&text, width, name);
            assert_snapshot_in("tests/golden/widths", &format!("{name}-{width}"), &text);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn every_line_fits_any_width(width in 60u16..=250) {
        let dir = demo_copy();
        for (name, args) in COMMANDS {
            assert_fits(&at_width(dir.path(), args, width), width, name);
        }
    }
}

/// Runs the binary on a pseudo-terminal (util-linux `script`), the way a person's terminal would.
fn on_a_terminal(extra: &[&str], env: &[(&str, &str)]) -> String {
    let dir = demo_copy();
    let bin = assert_cmd::cargo::cargo_bin("tracker");
    let mut cmd = std::process::Command::new("script");
    cmd.args([
        "-qec",
        &format!(
            "{} --as-of {AS_OF} status --all --width 200 {}",
            bin.display(),
            extra.join(" ")
        ),
        "/dev/null",
    ])
    .current_dir(dir.path())
    .env_remove("NO_COLOR")
    .env_remove("CLICOLOR_FORCE")
    .env_remove("TRACKER_AS_OF");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .expect("script (util-linux) runs a command on a pseudo-terminal");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
#[cfg_attr(not(has_script), ignore = "needs script (util-linux); .ci/run installs it")]
fn lights_in_their_colours_on_a_terminal_and_none_when_asked() {
    let coloured = on_a_terminal(&[], &[]);
    assert!(coloured.contains("\x1b[33m欠进度（黄）"), "黄灯 is yellow:\n{coloured}");
    assert!(coloured.contains("\x1b[31m欠进度（红）"), "红灯 is red:\n{coloured}");
    assert!(coloured.contains("\x1b[32m已完成"), "已完成 is green");
    assert!(
        coloured.contains("\x1b[35m受阻"),
        "受阻 has its own colour:\n{coloured}"
    );
    assert!(coloured.contains("\x1b[90m未报送"), "未报送 has its own colour");
    assert!(coloured.contains("\x1b[34m报送有误"), "报送有误 has its own colour");
    assert!(
        coloured.contains("颜色：绿 已完成/超进度，黄 黄灯，红 红灯，紫 受阻，灰 未报送，蓝 报送有误"),
        "a legend"
    );
    for (extra, env) in [
        (&["--color", "never"][..], &[][..]),
        (&[][..], &[("NO_COLOR", "1")][..]),
    ] {
        let plain = on_a_terminal(extra, env);
        assert!(!plain.contains("\x1b["), "{extra:?} {env:?}: no colour");
        assert!(plain.contains("欠进度（红）"));
    }
    let piped = stdout(&run(demo_copy().path(), &["--as-of", AS_OF, "status", "--all"]));
    assert!(!piped.contains("\x1b["), "a pipe gets no colour");
    let forced = tracker(demo_copy().path())
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .args(["--as-of", AS_OF, "status", "--all"])
        .output()
        .unwrap();
    assert!(
        stdout(&forced).contains("\x1b[31m欠进度（红）"),
        "CLICOLOR_FORCE colours a pipe"
    );
    let always = stdout(&run(
        demo_copy().path(),
        &["--color", "always", "--as-of", AS_OF, "check"],
    ));
    assert!(
        always.contains("\x1b[1m\x1b[31merror") || always.contains("\x1b[1;31merror"),
        "{always}"
    );
}

#[test]
fn help_and_usage_errors_are_chinese() {
    let root = repo_root();
    for args in [
        &["--help"][..],
        &["status", "--help"],
        &["report", "new", "-h"],
        &["help", "units"],
    ] {
        let out = run(&root, args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = stdout(&out);
        assert!(text.contains("用法：") && text.contains("选项："), "{args:?}:\n{text}");
        for english in [
            "Usage:",
            "Options:",
            "Print help",
            "Arguments:",
            "Commands:",
            "[default:",
            "[OPTIONS]",
        ] {
            assert!(!text.contains(english), "{args:?} says {english}:\n{text}");
        }
    }
    let out = run(&root, &["show", "abc"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).lines().next(),
        Some("tracker: 错误: <任务编号> 的值「abc」不可用：应为正整数")
    );
    let out = run(&root, &["stauts"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("不认识的命令「stauts」") && stderr(&out).contains("是否为「status」？"));
    let out = run(&root, &["show", "7", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(2), "show has no csv: refused when parsing");
    assert!(stderr(&out).contains("可用的值：table、json"), "{}", stderr(&out));
}

#[test]
fn version_names_the_build_and_the_data() {
    let out = run(&repo_root(), &["--version"]);
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("tracker {}（构建自 ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(text.contains("数据版本 "), "{text}");
    let outside = tempfile::tempdir().unwrap();
    assert!(stdout(&run(outside.path(), &["-V"])).contains("不在任务仓库中"));
}

#[test]
fn one_vocabulary_for_assessments() {
    let dir = demo_copy();
    let ids = |a: &str| {
        let out = run(
            dir.path(),
            &["--as-of", AS_OF, "status", "--format", "json", "--assessment", a],
        );
        assert_eq!(out.status.code(), Some(0), "{a}: {}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    let red = ids("behind_red");
    assert!(!red.is_empty());
    for name in ["红灯", "欠进度（红）", "红", "RED"] {
        assert_eq!(ids(name), red, "{name}");
    }
    assert_eq!(ids("黄灯"), ids("behind_yellow"));
    assert_eq!(ids("有误"), ids("invalid"));
}

#[test]
fn completions_parse_and_offer_this_repositorys_units() {
    let dir = demo_copy();
    let out = run(dir.path(), &["completions", "bash"]);
    assert!(out.status.success());
    let script = stdout(&out);
    assert!(
        script.contains("zrzyj") && script.contains("市自然资源规划局"),
        "unit ids and names"
    );
    assert!(script.contains("2024-09"), "rounds");
    // bash is required; zsh and fish are parsed where installed.
    for shell in ["bash", "zsh", "fish"] {
        if shell != "bash" && std::process::Command::new(shell).arg("--version").output().is_err() {
            eprintln!("{shell} is not installed: its completion script is generated but not parsed");
            continue;
        }
        let script = stdout(&run(dir.path(), &["completions", shell]));
        let file = dir.path().join(format!("tracker.{shell}"));
        std::fs::write(&file, script).unwrap();
        let check = std::process::Command::new(shell).arg("-n").arg(&file).output().unwrap();
        assert!(
            check.status.success(),
            "{shell} -n: {}",
            String::from_utf8_lossy(&check.stderr)
        );
    }
}

#[test]
#[cfg_attr(not(has_man), ignore = "needs man-db and groff; .ci/run installs them")]
fn the_man_page_renders() {
    let out = run(&repo_root(), &["man"]);
    assert!(out.status.success());
    let roff = out.stdout;
    assert!(String::from_utf8_lossy(&roff).contains(".TH tracker"));
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("tracker.1");
    std::fs::write(&page, &roff).unwrap();
    let rendered = std::process::Command::new("man")
        .args(["-l", "-P", "cat"])
        .arg(&page)
        .env("MANWIDTH", "80")
        .output();
    let r = rendered.expect("man runs");
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let text = String::from_utf8_lossy(&r.stdout);
    assert!(text.contains("tracker") && text.contains("重点任务清单"), "{text}");
}

/// Before the first report, status lists the units to report: at any width each name stays whole
/// on an indented line (wrapped afterwards, lines broke inside names and lost their indent).
#[test]
fn the_units_still_to_report_keep_their_names_whole() {
    for width in [60u16, 80] {
        let text = at_width(&repo_root(), &["status"], width);
        assert_fits(&text, width, "status before any report");
        let list: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.starts_with("本轮尚未收到任何报送"))
            .skip(1)
            .take_while(|l| !l.is_empty())
            .collect();
        assert!(list.iter().all(|l| l.starts_with("  ")), "at {width}: {list:?}");
        let names: Vec<&str> = list.iter().flat_map(|l| l.trim().split('、')).collect();
        assert_eq!(names.len(), 32, "at {width}: {list:?}");
        assert!(names.contains(&"市住房建设局（zjj）"), "at {width}: {list:?}");
    }
}

/// `--round` and `--assessment` are values clap parses: a bad one is refused as a usage error
/// before anything is read, even where there is no repository to read.
#[test]
fn bad_round_and_assessment_are_refused_before_anything_loads() {
    let nowhere = tempfile::tempdir().unwrap();
    for (args, said) in [
        (
            &["status", "--round", "2024-13"][..],
            "--round <轮次> 的值「2024-13」不可用：「2024-13」不是 YYYY-MM 形式的轮次",
        ),
        (&["units", "--round", "24-8"], "「24-8」不是 YYYY-MM 形式的轮次"),
        (
            &["status", "--assessment", "紫"],
            "--assessment <评估> 的值「紫」不可用：评估「紫」无法识别",
        ),
    ] {
        let out = run(nowhere.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(said), "{args:?}: {err}");
        assert!(!err.contains("tracker.toml"), "{args:?} looked for a repository: {err}");
    }
    // A good value gets as far as looking for the repository.
    let out = run(nowhere.path(), &["status", "--assessment", "红灯"]);
    assert!(stderr(&out).contains("tracker.toml"), "{}", stderr(&out));
}

/// `tracker ARGS` on a pseudo-terminal of `cols` columns: the width comes from the terminal.
fn on_a_terminal_of(cols: u16, args: &str) -> String {
    let dir = demo_copy();
    let bin = assert_cmd::cargo::cargo_bin("tracker");
    let out = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("stty cols {cols} rows 50; {} --as-of {AS_OF} {args}", bin.display()),
            "/dev/null",
        ])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env_remove("TRACKER_AS_OF")
        .output()
        .expect("script (util-linux) runs a command on a pseudo-terminal");
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

/// At every width from 60 to 250 columns, through a terminal: every task row is there, a unit is
/// named in full (or, below that, by its id; never cut), and numbers, percentages and durations
/// stay whole with their measure words.
#[test]
#[cfg_attr(not(has_script), ignore = "needs script (util-linux); .ci/run installs it")]
fn every_width_keeps_every_row_and_every_name_whole() {
    // The units the matrix lists: those leading a task.
    let units: Vec<(String, String)> = {
        let dir = demo_copy();
        let out = run(dir.path(), &["--as-of", AS_OF, "units", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                (
                    u["name"].as_str().unwrap().to_string(),
                    u["id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    for cols in [60, 80, 100, 120, 250] {
        let status = on_a_terminal_of(cols, "status --all");
        assert_fits(&status, cols, "status");
        for id in 1..=23 {
            let row = format!("\n{id} ");
            let boxed = format!("│ {id} ");
            assert!(
                status.contains(&row) || status.contains(&boxed),
                "task {id} at {cols}:\n{status}"
            );
        }
        assert!(
            !status.contains('…') || status.lines().all(|l| !l.contains("政府…") && !l.contains("局…")),
            "a cut name at {cols}:\n{status}"
        );
        assert!(status.contains("33.3%"), "a percentage whole at {cols}");
        let units_text = on_a_terminal_of(cols, "units");
        assert_fits(&units_text, cols, "units");
        for (name, id) in &units {
            let by_name = units_text.contains(name.as_str());
            let by_id = units_text.lines().any(|l| l.split([' ', '│', '┆']).any(|w| w == id));
            assert!(by_name || by_id, "{name} ({id}) at {cols}:\n{units_text}");
        }
        for text in [&status, &units_text] {
            for line in text.lines() {
                let cells = line.split(['│', '┆']).flat_map(|c| c.split("  "));
                for cell in cells.map(str::trim).filter(|c| !c.is_empty()) {
                    assert!(
                        !cell.starts_with(['%', '天', '.']) && !cell.starts_with("时 ") && cell != "时",
                        "a number parted from its measure at {cols}: {line}"
                    );
                }
            }
        }
    }
}
