//! Writes a synthetic workspace at any scale for benchmarks: ILLUSTRATIVE DATA ONLY.
//!
//! `cargo run --release --example gen_workspace -- --tasks N --units M --rounds R [--git] --out DIR`
//!
//! Shaped like the real list: eight chapters, tasks grouped under a key task, one lead unit (every
//! tenth task two, every 25th a group of six units as 各县区政府 is), cooperating units, a metric
//! target on every fifth task; one report per unit per
//! round with a row per led task and per target, progress rising over the rounds; one unit in
//! twenty misses a round and one in ten is late. Deterministic: the same arguments give the same
//! bytes (and, with `--git`, the same commits: one per report, dated at its 填报日期, written with
//! one `git fast-import`, not a process per file).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const HEADER: &str = "任务编号,指标,状态,进度,完成值,本月进展,存在问题,下步计划,填报人,联系电话,填报日期\n";

const USAGE: &str = "usage: gen_workspace [--tasks N (194)] [--units M (32)] [--rounds R (7)] [--git] \
                     [--out DIR (target/bench/workspace)]";

pub struct Args {
    pub tasks: u32,
    pub units: u32,
    pub rounds: u32,
    pub git: bool,
    pub out: PathBuf,
}

#[allow(dead_code)]
/// A flag's value as a whole number, or a message naming the flag and what was given.
fn count<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag} takes a whole number, not {value:?}\n{USAGE}"))
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        tasks: 194,
        units: 32,
        rounds: 7,
        git: false,
        out: PathBuf::from("target/bench/workspace"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--tasks" => args.tasks = count(&flag, &value()?)?,
            "--units" => args.units = count(&flag, &value()?)?,
            "--rounds" => args.rounds = count(&flag, &value()?)?,
            "--out" => args.out = PathBuf::from(value()?),
            "--git" => args.git = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let ranges = [
        ("--tasks", args.tasks, 1, 99_999),
        ("--units", args.units, 1, u32::MAX),
        ("--rounds", args.rounds, 1, 120),
    ];
    for (flag, value, low, high) in ranges {
        if !(low..=high).contains(&value) {
            let range = if high == u32::MAX {
                format!("at least {low}")
            } else {
                format!("{low}–{high}")
            };
            return Err(format!("{flag} {value} is out of range: {range}"));
        }
    }
    Ok(args)
}

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

/// Round `k` (0-based) as (year, month), starting 2024-01.
fn round(k: u32) -> (u32, u32) {
    (2024 + k / 12, 1 + k % 12)
}

fn plan(args: &Args) -> String {
    let (ly, lm) = round(args.rounds - 1);
    let mut s = format!(
        "[plan]\ntitle = \"合成省级重点任务清单（基准测试数据）\"\ndocument = \"演示〔2024〕1号\"\nissuer = \"演示\"\nissued = 2024-01-01\nreceiver = \"省发展改革委\"\ntimezone = \"+08:00\"\nstart = 2024-01-01\nend = {}-12-31\ndefault_due = {}-12-31\n\n[calendar]\nfirst = \"2024-01\"\nlast = \"{ly}-{lm:02}\"\ndue_day = 5\ndue_time = \"18:00\"\nreceived_from = \"{}\"\non_holiday = \"keep\"\n\n[thresholds]\nyellow = 10.0\nred = 30.0\nnot_started_red_after = 0.3333\n",
        ly,
        ly,
        if args.git { "git" } else { "declared" }
    );
    for c in 1..=8 {
        let _ = write!(s, "\n[[chapter]]\nnumber = {c}\ntitle = \"第{c}篇\"\n");
        for n in 1..=3 {
            let _ = write!(s, "[[chapter.section]]\nnumber = {n}\ntitle = \"第{c}篇第{n}节\"\n");
        }
    }
    s
}

fn units(args: &Args) -> String {
    let mut s = String::new();
    for u in 0..args.units {
        let _ = write!(
            s,
            "[[unit]]\nid = \"u{u:04}\"\nname = \"合成单位{u:04}\"\nkind = \"department\"\naliases = []\nliaison = \"联络员{u:04}\"\nphone = \"0971-{u:07}\"\n\n"
        );
    }
    if args.units > GROUP_SIZE {
        let members: Vec<String> = (args.units - GROUP_SIZE..args.units)
            .map(|u| format!("\"u{u:04}\""))
            .collect();
        let _ = write!(
            s,
            "[[group]]\nid = \"xq\"\nname = \"{GROUP_NAME}\"\naliases = []\nmembers = [{}]\n",
            members.join(", ")
        );
    }
    s
}

/// Like 各县区政府 in the real list: a group of the last six units, leading every 25th task (as
/// the group's name, which each member reports on), when there are units enough beside it.
const GROUP_NAME: &str = "合成县区政府";
const GROUP_SIZE: u32 = 6;

fn group_led(id: u32, units: u32) -> bool {
    units > GROUP_SIZE && id.is_multiple_of(25)
}

/// The lead units of task `id` (0-based unit numbers).
fn leads(id: u32, units: u32) -> Vec<u32> {
    if group_led(id, units) {
        return (units - GROUP_SIZE..units).collect();
    }
    let first = (id * 7) % units;
    if id.is_multiple_of(10) && units > 1 {
        vec![first, (first + 1) % units]
    } else {
        vec![first]
    }
}

fn task(id: u32, args: &Args) -> String {
    let (ly, _) = round(args.rounds - 1);
    let name = |u: u32| format!("\"合成单位{u:04}\"");
    let lead: Vec<String> = if group_led(id, args.units) {
        vec![format!("\"{GROUP_NAME}\"")]
    } else {
        leads(id, args.units).into_iter().map(name).collect()
    };
    let coop: Vec<String> = (1..=2).map(|k| name((id * 7 + 3 * k) % args.units)).collect();
    let mut s = format!(
        "id = {id}\nchapter = {}\nsection = {}\nkey_task = \"重点任务{}\"\nwork = \"推进第 {id} 项工作，年内完成建设任务并形成可复制经验，按季度调度进展。\"\nlead = [{}]\ncooperating = [{}]\ndue = {ly}-12-31\nnotes = []\n",
        1 + id % 8,
        1 + id % 3,
        id / 5,
        lead.join(", "),
        coop.join(", ")
    );
    if id.is_multiple_of(5) {
        let _ = write!(
            s,
            "\n[[target]]\nmetric = \"建设项目{id}\"\nvalue = 100\nunit = \"个\"\n"
        );
    }
    s
}

/// One unit's report for round `k`, or None when it missed the round; with its 填报日期 (day of month).
fn report(u: u32, k: u32, led: &[u32], rng: &mut Rng) -> Option<(String, u32)> {
    if rng.below(20) == 0 {
        return None;
    }
    let day = if rng.below(10) == 0 {
        6 + rng.below(5) as u32
    } else {
        1 + rng.below(5) as u32
    };
    let (y, m) = round(k);
    let date = format!("{y}-{m:02}-{day:02}");
    let mut s = String::from("\u{feff}");
    s.push_str(HEADER);
    for &id in led {
        let progress = ((k + 1) * 100 / 13 + rng.below(15) as u32).min(100);
        let status = if progress >= 100 { "已完成" } else { "推进中" };
        let _ = writeln!(
            s,
            "{id},,{status},{progress},,{y} 年 {m} 月推进第 {id} 项工作，完成阶段目标，召开调度会 {} 次。,,下月继续推进。,联络员{u:04},0971-{u:07},{date}",
            1 + rng.below(3)
        );
        if id % 5 == 0 {
            let _ = writeln!(s, "{id},建设项目{id},,,{},,,,联络员{u:04},0971-{u:07},{date}", progress);
        }
    }
    Some((s, day))
}

fn write(root: &Path, rel: &str, text: &str) -> std::io::Result<()> {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap_or(root))?;
    std::fs::write(path, text)
}

/// Every file of the workspace, in commit order: (path, text, commit time as unix seconds).
pub fn files(args: &Args) -> Vec<(String, String, i64)> {
    let base = 1_704_038_400; // 2023-12-31T16:00:00Z = 2024-01-01 00:00 +08:00
    let mut out = vec![
        ("tracker.toml".to_string(), plan(args), base),
        ("units.toml".to_string(), units(args), base),
    ];
    let mut led: Vec<Vec<u32>> = vec![Vec::new(); args.units as usize];
    for id in 1..=args.tasks {
        out.push((format!("tasks/{id:03}.toml"), task(id, args), base));
        for u in leads(id, args.units) {
            led[u as usize].push(id);
        }
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for k in 0..args.rounds {
        let (y, m) = round(k);
        let month_start = chrono_free_unix(y, m);
        for (u, tasks) in led.iter().enumerate() {
            if tasks.is_empty() {
                continue;
            }
            if let Some((text, day)) = report(u as u32, k, tasks, &mut rng) {
                let at = month_start + i64::from(day - 1) * 86_400 + 3_600 + u as i64;
                out.push((format!("reports/{y}-{m:02}/u{u:04}.csv"), text, at));
            }
        }
    }
    out
}

/// Unix seconds of the 1st of the month, 00:00 +08:00 (days from civil, no dependency).
fn chrono_free_unix(y: u32, m: u32) -> i64 {
    let (y, m) = (i64::from(y), i64::from(m));
    let (y2, m2) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doy = (153 * m2 + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400 - 8 * 3_600
}

/// All commits in one `git fast-import` stream: the base, then one commit per report.
fn commit_all(root: &Path, files: &[(String, String, i64)]) -> std::io::Result<()> {
    let git = |args: &[&str]| Command::new("git").arg("-C").arg(root).args(args).status();
    git(&["init", "-q", "-b", "main"])?;
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()?;
    let mut stream = std::io::BufWriter::new(child.stdin.take().expect("piped stdin"));
    let base_count = files.iter().take_while(|f| !f.0.starts_with("reports/")).count();
    let mut commits: Vec<&[(String, String, i64)]> = vec![&files[..base_count]];
    commits.extend(files[base_count..].chunks(1));
    for (n, batch) in commits.iter().enumerate() {
        let at = batch[0].2;
        let who = format!("基准 <bench@example.invalid> {at} +0800");
        let message = if n == 0 {
            "导入清单".to_string()
        } else {
            format!("报送 {}", batch[0].0)
        };
        write!(
            stream,
            "commit refs/heads/main\ncommitter {who}\ndata {}\n{message}\n",
            message.len()
        )?;
        for (path, text, _) in batch.iter() {
            write!(stream, "M 100644 inline {path}\ndata {}\n{text}\n", text.len())?;
        }
    }
    drop(stream);
    child.wait()?;
    git(&["reset", "-q"])?;
    Ok(())
}

/// Writes the workspace at `args.out` (and commits it with `--git`); returns its files and bytes.
pub fn generate(args: &Args) -> std::io::Result<(usize, usize)> {
    let files = files(args);
    let bytes: usize = files.iter().map(|f| f.1.len()).sum();
    for (path, text, _) in &files {
        write(&args.out, path, text)?;
    }
    if args.git {
        commit_all(&args.out, &files)?;
    }
    Ok((files.len(), bytes))
}

#[allow(dead_code)] // the tests include this file for `generate`
fn main() {
    let args = parse_args().unwrap_or_else(|e| {
        eprintln!("gen_workspace: {e}");
        std::process::exit(2);
    });
    if args.out.exists() {
        eprintln!("gen_workspace: {} exists; remove it first", args.out.display());
        std::process::exit(2);
    }
    let (files, bytes) = generate(&args).unwrap_or_else(|e| {
        eprintln!("gen_workspace: {e}");
        std::process::exit(2);
    });
    println!(
        "{}: {} tasks, {} units, {} rounds, {files} files, {}",
        args.out.display(),
        args.tasks,
        args.units,
        args.rounds,
        if bytes < 1_000_000 {
            format!("{} KB", bytes.div_ceil(1000))
        } else {
            format!("{:.1} MB", bytes as f64 / 1e6)
        }
    );
}
