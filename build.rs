//! Records the commit the binary is built from, for `tracker --version`, and probes for the
//! programs some integration tests drive (LibreOffice, openpyxl, Chromium, man, script, sshd).
//!
//! A test that needs a program carries `#[cfg_attr(not(has_<program>), ignore = "<program> …")]`:
//! where the program is missing it is reported as ignored, with the reason, never as passed. Under
//! `CI` every program counts as present, so a missing one fails its tests instead.

use std::path::Path;
use std::process::{Command, Stdio};

/// (cfg name, how to tell the program is here).
const PROGRAMS: [(&str, Probe); 7] = [
    ("has_soffice", Probe::OnPath("soffice")),
    ("has_chromium", Probe::AllOnPath(&["chromium", "pdfinfo", "pdftotext"])),
    ("has_man", Probe::AllOnPath(&["man", "groff"])),
    ("has_script", Probe::OnPath("script")),
    (
        "has_openpyxl",
        Probe::Runs("python3", &["-c", "from openpyxl import Workbook, load_workbook"]),
    ),
    ("has_python3", Probe::OnPath("python3")),
    (
        "has_sshd",
        Probe::AllOnPath(&["sshd", "ssh", "ssh-keygen", "git-shell"]),
    ),
];

enum Probe {
    OnPath(&'static str),
    AllOnPath(&'static [&'static str]),
    Runs(&'static str, &'static [&'static str]),
}

fn main() {
    record_commit();
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    for (cfg, probe) in PROGRAMS {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if ci || probe.finds() {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-env-changed=TRACKER_REPROBE");
    println!("cargo::rerun-if-changed=build.rs");
}

impl Probe {
    fn finds(&self) -> bool {
        match self {
            Probe::OnPath(name) => on_path(name),
            Probe::AllOnPath(names) => names.iter().all(|n| on_path(n)),
            Probe::Runs(program, args) => Command::new(program)
                .args(*args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success()),
        }
    }
}

fn on_path(name: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let extra = ["/usr/sbin", "/sbin"].map(Path::new);
    std::env::split_paths(&path)
        .chain(extra.iter().map(|p| p.to_path_buf()))
        .any(|dir| dir.join(name).is_file())
}

fn record_commit() {
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo::rustc-env=TRACKER_BUILD_COMMIT={commit}");
    for path in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        if Path::new(path).exists() {
            println!("cargo::rerun-if-changed={path}");
        }
    }
}
