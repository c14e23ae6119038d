//! A mutation fuzzer for the readers of hostile input: task TOML, units.toml, tracker.toml and
//! report CSV (every encoding). It mutates real seeds (this repository's own files and the test
//! fixtures) and asserts that no reader panics, and that no diagnostic grows without bound.
//! Runs on stable, outside CI's time:
//!
//! ```sh
//! cargo run --release --example fuzz -- 1000000
//! ```
//!
//! Inputs that panic are written to `target/fuzz-crashes/` and make the run exit 1; replay one
//! with `cargo run --example fuzz -- target/fuzz-crashes/crash-N.bin`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::Instant;

use tracker::diagnostic::Source;
use tracker::load::report::{FileInfo, parse};
use tracker::load::{parse_plan, parse_task, parse_units};

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

/// Pieces that tend to find edge cases in these formats.
const TOKENS: &[&str] = &[
    "\"",
    ",",
    "\n",
    "\r\n",
    "\t",
    "=",
    "[",
    "]",
    "{",
    "}",
    "nan",
    "inf",
    "-0",
    "1e400",
    "4294967295",
    "99999999999999999999",
    "0001-01-01",
    "2024-02-30",
    "+999999:00",
    "\u{3000}",
    "\u{feff}",
    "％",
    "８０",
    "已完成",
    "../",
    "\\",
    "'''",
    "\"\"\"",
    "\u{0}",
    "\u{fffd}",
    "＝",
    "[[unit]]",
    "[[target]]",
    "id = ",
];

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(data.len() + 1);
        match rng.below(6) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => data
                .splice(at..at, TOKENS[rng.below(TOKENS.len())].bytes())
                .for_each(drop),
            2 if !data.is_empty() => {
                let end = (at + rng.below(64)).min(data.len());
                data.drain(at.min(end)..end);
            }
            3 if !data.is_empty() => {
                let start = rng.below(data.len());
                let end = (start + rng.below(256)).min(data.len());
                let chunk = data[start..end].to_vec();
                data.splice(at..at, chunk).for_each(drop);
            }
            4 => data.splice(at..at, [rng.next() as u8]).for_each(drop),
            _ => {
                let long = TOKENS[rng.below(TOKENS.len())].repeat(1 + rng.below(2000));
                data.splice(at..at, long.into_bytes()).for_each(drop);
            }
        }
    }
    data
}

/// Runs every reader on `data`; the diagnostics must stay bounded whatever the input.
fn read_all(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let src = Source::new("fuzz.toml", text.as_ref());
    let bounded = |d: &tracker::diagnostic::Diagnostic| {
        assert!(
            d.message.chars().count() < 400,
            "unbounded message: {} chars",
            d.message.len()
        );
    };
    match parse_task(&src) {
        Ok(_) => {}
        Err(d) => bounded(&d),
    }
    for result in [parse_units(&src).map(|_| ()), parse_plan(&src).map(|_| ())] {
        if let Err(diags) = result {
            diags.iter().for_each(bounded);
        }
    }
    let info = FileInfo {
        path: "reports/2024-08/jtj.csv",
        round: "2024-08".parse().expect("a valid round"),
        unit: "jtj",
        years: 2024..=2025,
        limits: Default::default(),
    };
    let (_, diags) = parse(&info, data);
    diags.iter().for_each(bounded);
}

fn seeds(repo: &Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut stack = vec![repo.join("tests/fixtures"), repo.join("examples/demo")];
    for f in ["tracker.toml", "units.toml", "tasks/007.toml", "tasks/095.toml"] {
        out.extend(std::fs::read(repo.join(f)));
    }
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("csv" | "toml" | "txt")) {
                out.extend(std::fs::read(&path).ok().filter(|b| b.len() < 200_000));
            }
        }
    }
    out
}

fn main() {
    if let Some(path) = std::env::args().nth(1).filter(|a| Path::new(a).is_file()) {
        // Replay one saved input with the panic message shown.
        read_all(&std::fs::read(path).expect("a readable input"));
        return;
    }
    let iterations: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = seeds(repo);
    assert!(!seeds.is_empty(), "no seed files found");
    std::panic::set_hook(Box::new(|_| {})); // crashes are reported below, with their input saved
    let mut rng = Rng(0x7261_636b_6572_2024);
    let started = Instant::now();
    let (mut crashes, mut bytes) = (0u64, 0u64);
    for i in 0..iterations {
        let seed = &seeds[rng.below(seeds.len())];
        let input = mutate(&mut rng, seed);
        bytes += input.len() as u64;
        if catch_unwind(AssertUnwindSafe(|| read_all(&input))).is_err() {
            crashes += 1;
            let dir = repo.join("target/fuzz-crashes");
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join(format!("crash-{i}.bin")), &input);
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{iterations} mutated inputs ({:.0} MB) from {} seeds in {secs:.1} s ({:.0} inputs/s): {crashes} panics",
        bytes as f64 / 1e6,
        seeds.len(),
        iterations as f64 / secs
    );
    std::process::exit(if crashes == 0 { 0 } else { 1 });
}
