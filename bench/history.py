#!/usr/bin/env python3
"""Benchmark: `tracker units` end to end over a long git history.

Builds a workspace of 50 units and 50 tasks with 10 years x 12 monthly rounds of reports: 6,000
report files in 6,000 commits (made with one `git fast-import`), then times `tracker units` with
hyperfine when it is installed, otherwise with repeated runs here.

    cargo build --release && python3 bench/history.py [--years 10] [--units 50] [--keep DIR]
"""
import argparse, os, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def workspace(dir, years, units):
    first, last = 2015, 2015 + years - 1
    files = {}
    files["tracker.toml"] = f"""[plan]
title = "基准测试清单"
document = "基准〔{first}〕1号"
issuer = "基准"
issued = {first}-01-01
receiver = "市发展改革委"
timezone = "+08:00"
start = {first}-01-01
end = {last + 1}-12-31
default_due = {last}-12-31

[calendar]
first = "{first}-01"
last = "{last}-12"
due_day = 5
due_time = "18:00"
received_from = "git"

[thresholds]
yellow = 10.0
red = 30.0
not_started_red_after = 0.3333

[[chapter]]
number = 1
title = "基准"
[[chapter.section]]
number = 1
title = "基准"
"""
    files["units.toml"] = "".join(
        f'[[unit]]\nid = "u{i:02}"\nname = "单位{i:02}"\nkind = "department"\naliases = []\nliaison = ""\nphone = ""\n\n'
        for i in range(1, units + 1))
    for i in range(1, units + 1):
        files[f"tasks/{i:03}.toml"] = (f'id = {i}\nchapter = 1\nsection = 1\nkey_task = "基准任务"\nwork = "第 {i} 项"\n'
                                       f'lead = ["单位{i:02}"]\ncooperating = []\ndue = {last}-12-31\nnotes = []\n')
    return files, first, last


def fast_import_stream(files, first, last, units):
    out = []
    def data(b):
        out.append(f"data {len(b)}\n".encode())
        out.append(b)
        out.append(b"\n")
    ts = int(time.mktime((first - 1, 12, 1, 0, 0, 0, 0, 0, 0)))
    out.append(b"commit refs/heads/main\n")
    out.append(f"committer Office <office@example.org> {ts} +0800\n".encode())
    data("计划".encode())
    for path, text in files.items():
        out.append(f"M 100644 inline {path}\n".encode())
        data(text.encode())
    header = "任务编号,指标,状态,进度,完成值,本月进展,存在问题,下步计划,填报人,联系电话,填报日期\r\n"
    n = 0
    for year in range(first, last + 1):
        for month in range(1, 13):
            due = int(time.mktime((year, month, 5, 10, 0, 0, 0, 0, 0)))  # 18:00 +08:00 is 10:00 UTC
            for u in range(1, units + 1):
                n += 1
                late = (u + month) % 7 == 0
                at = due + (3600 * 20 if late else -3600 * (u % 48 + 1))
                progress = min(100, (month * 8 + u) % 101)
                body = header + f"{u},,推进中,{progress},,第 {month} 月进展,,,,,{year}-{month:02}-04\r\n"
                out.append(b"commit refs/heads/main\n")
                out.append(f"committer Unit{u:02} <u{u:02}@example.org> {at} +0800\n".encode())
                data(f"报送 单位{u:02} {year}-{month:02}".encode())
                out.append(f"M 100644 inline reports/{year}-{month:02}/u{u:02}.csv\n".encode())
                data(body.encode())
    return b"".join(out), n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--units", type=int, default=50)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", help="build the workspace here and keep it")
    ap.add_argument("--tracker", default=os.path.join(ROOT, "target/release/tracker"))
    args = ap.parse_args()
    if not os.path.exists(args.tracker):
        sys.exit(f"{args.tracker} not found: run cargo build --release first")
    dir = args.keep or tempfile.mkdtemp(prefix="tracker-bench-")
    if os.path.exists(dir) and args.keep:
        shutil.rmtree(dir)
    os.makedirs(dir, exist_ok=True)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null", HOME=dir)
    files, first, last = workspace(dir, args.years, args.units)
    stream, commits = fast_import_stream(files, first, last, args.units)
    subprocess.run(["git", "init", "-q", "-b", "main", dir], check=True, env=env)
    t0 = time.time()
    subprocess.run(["git", "-C", dir, "fast-import", "--quiet"], input=stream, check=True, env=env)
    subprocess.run(["git", "-C", dir, "checkout", "-q", "-f", "main"], check=True, env=env)
    print(f"history: {commits} report files in {commits} commits ({args.years} years x 12 rounds x {args.units} units), "
          f"built in {time.time() - t0:.1f} s at {dir}")
    cmd = [args.tracker, "--root", dir, "--as-of", f"{last + 1}-01-10", "units", "--format", "json"]
    out = subprocess.run(cmd, capture_output=True, env=env)
    if out.returncode != 0:
        sys.exit(out.stderr.decode())
    if shutil.which("hyperfine"):
        quoted = " ".join(f"'{c}'" for c in cmd)
        subprocess.run(["hyperfine", "--warmup", "1", "--runs", str(args.runs), "--output", "null", quoted], check=True, env=env)
    else:
        times = []
        for _ in range(args.runs):
            t = time.time()
            subprocess.run(cmd, capture_output=True, check=True, env=env)
            times.append(time.time() - t)
        times.sort()
        print(f"tracker units: median {times[len(times) // 2]:.3f} s, min {times[0]:.3f} s over {args.runs} runs "
              "(install hyperfine for a fuller report)")
    if not args.keep:
        shutil.rmtree(dir)


if __name__ == "__main__":
    main()
