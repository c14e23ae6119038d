#!/usr/bin/env python3
"""The plain-Python yardstick for `tracker status`: the same consolidation of one round with the
standard library only (csv + tomllib), by the same rules, so that its totals are tracker's.

Usage: consolidate.py WORKSPACE ROUND. Prints the round's totals as JSON: tasks per assessment
(every key) and stale tasks, as `status --format json` gives them under "totals".

Like any script of its kind it checks nothing: it takes every row as valid and every file as
received (it is run after the round's due time), and leaves out extensions and received times.
On data that passes `tracker check` with no extension, its totals equal tracker's; bench/run.sh
and tests/bench_data.rs compare them, so a yardstick that judged differently would be caught."""

import csv
import datetime as dt
import glob
import json
import os
import re
import sys
import tomllib

ASSESSMENTS = ["done", "ahead", "on_pace", "behind_yellow", "behind_red", "blocked", "not_started",
               "missing", "invalid", "pending"]
# A report's 状态, by its label, with how bad it is (the worst of the leads' states counts).
SEVERITY = {"已完成": 0, "推进中": 1, "未启动": 2, "滞后": 3, "受阻": 4}
LABELS = {"done": "已完成", "in_progress": "推进中", "not_started": "未启动", "behind": "滞后",
          "blocked": "受阻"}


def load_toml(path):
    with open(path, "rb") as f:
        return tomllib.load(f)


def unit_ids(listed):
    """Each name people write for a unit (its name or an alias) -> its id; a group's -> its members."""
    ids = {}
    for u in listed["unit"]:
        for name in [u["name"], *u.get("aliases", [])]:
            ids[name] = [u["id"]]
    for g in listed.get("group", []):
        for name in [g["name"], *g.get("aliases", [])]:
            ids[name] = g["members"]
    return ids


def main_rows(path):
    """task id -> (状态, 进度) of the file's first main row for it."""
    rows = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            status, progress = r["状态"].strip(), r["进度"].strip().rstrip("%")
            if r["指标"] or not (status or progress or r["本月进展"].strip()):
                continue  # a metric row, or a cooperating unit's row left blank
            status = LABELS.get(status.lower(), status)
            # 未启动 may leave 进度 blank: it counts as 0.
            value = float(progress) if progress else 0.0 if status == "未启动" else None
            rows.setdefault(int(r["任务编号"]), (status, value))
    return rows


def round_files(root):
    """round -> {unit id: path} of every report file."""
    files = {}
    for path in glob.glob(os.path.join(root, "reports", "*", "*.csv")):
        rnd = os.path.basename(os.path.dirname(path))
        files.setdefault(rnd, {})[os.path.basename(path)[:-4]] = path
    return files


def previous_rows(files, rnd, units):
    """Each unit's rows in its latest file before the round (for stale rows), read only when needed."""
    earlier = sorted((r for r in files if r < rnd), reverse=True)
    cache = {}

    def of(unit):
        if unit not in cache:
            path = next((files[r][unit] for r in earlier if unit in files[r]), None)
            cache[unit] = main_rows(path) if path else {}
        return cache[unit]

    return of


def nominal_due(cal, rnd, tz):
    year, month = map(int, rnd.split("-"))
    override = cal.get("overrides", {}).get(rnd)
    if override:
        return dt.datetime.fromisoformat(str(override)).replace(tzinfo=tz)
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    hh, mm = map(int, cal["due_time"].split(":"))
    return dt.datetime(year, month, min(cal["due_day"], last), hh, mm, tzinfo=tz)


def assess(status, progress, elapsed, thr):
    """The rules of `tracker status`, in its order (README, 研判规则)."""
    if status == "已完成":
        return "done"
    if status == "受阻":
        return "blocked"
    if status == "未启动":
        return "behind_red" if elapsed > thr["not_started_red_after"] else "not_started"
    if progress is None:
        return "missing"
    gap = elapsed * 100 - progress
    by_numbers = ("behind_red" if gap > thr["red"] else "behind_yellow" if gap >= thr["yellow"]
                  else "ahead" if -gap >= thr["yellow"] else "on_pace")
    if status == "滞后" and by_numbers in ("ahead", "on_pace"):
        return "behind_yellow"
    return by_numbers


def judge(task, leads, current, previous, elapsed, thr):
    """A task's assessment and whether it is stale, from its leads' rows."""
    rows, stale, absent = [], False, False
    for uid in leads:
        row = current.get(uid, {}).get(task["id"])
        if row is None:
            absent = True
            continue
        # Stale: a lead's row as it was in the unit's previous file (whatever the task's verdict).
        stale |= row[0] != "已完成" and previous(uid).get(task["id"]) == row
        rows.append(row)
    if absent:
        return "missing", stale
    progresses = [p for _, p in rows if p is not None]
    progress = sum(progresses) / len(progresses) if progresses else None
    worst = max((s for s, _ in rows), key=SEVERITY.get)
    return assess(worst, progress, elapsed, thr), stale


def main(root, rnd):
    plan = load_toml(os.path.join(root, "tracker.toml"))
    ids = unit_ids(load_toml(os.path.join(root, "units.toml")))
    cal, thr = plan["calendar"], plan["thresholds"]
    hours, minutes = map(int, plan["plan"]["timezone"].split(":"))
    tz = dt.timezone(dt.timedelta(hours=hours, minutes=minutes if hours >= 0 else -minutes))
    at = nominal_due(cal, rnd, tz)
    start = dt.datetime.combine(plan["plan"]["start"], dt.time(), tz)
    files = round_files(root)
    current = {unit: main_rows(path) for unit, path in files.get(rnd, {}).items()}
    previous = previous_rows(files, rnd, current)
    totals = dict.fromkeys(ASSESSMENTS, 0)
    stale = 0
    tasks = [load_toml(p) for p in glob.glob(os.path.join(root, "tasks", "*.toml"))]
    for task in tasks:
        end = dt.datetime.combine(task["due"] + dt.timedelta(days=1), dt.time(), tz)
        elapsed = 1.0 if end <= start else min(1.0, max(0.0, (at - start) / (end - start)))
        # A unit named twice (directly and through a group) leads once.
        leads = list(dict.fromkeys(uid for name in task["lead"] for uid in ids[name]))
        assessment, is_stale = judge(task, leads, current, previous, elapsed, thr)
        totals[assessment] += 1
        stale += is_stale
    print(json.dumps({"round": rnd, "tasks": len(tasks), "assessments": totals, "stale": stale},
                     ensure_ascii=False))


if __name__ == "__main__":
    if (len(sys.argv) != 3 or not os.path.isfile(os.path.join(sys.argv[1], "tracker.toml"))
            or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", sys.argv[2])):
        sys.exit("usage: consolidate.py WORKSPACE ROUND  (WORKSPACE holds tracker.toml; ROUND is YYYY-MM)")
    main(sys.argv[1], sys.argv[2])
