#!/usr/bin/env python3
"""The plain-Python yardstick for `tracker status`: the same consolidation of one round with the
standard library only (csv + tomllib). Usage: consolidate.py WORKSPACE ROUND. Prints the totals."""

import csv
import datetime as dt
import glob
import json
import os
import re
import sys
import tomllib


def load_toml(path):
    with open(path, "rb") as f:
        return tomllib.load(f)


def main(root, rnd):
    plan = load_toml(os.path.join(root, "tracker.toml"))
    listed = load_toml(os.path.join(root, "units.toml"))
    # A name stands for a unit, or for every member of a group (各县区政府).
    units = {u["name"]: [u["id"]] for u in listed["unit"]}
    units.update({g["name"]: g["members"] for g in listed.get("group", [])})
    cal, thr = plan["calendar"], plan["thresholds"]
    year, month = map(int, rnd.split("-"))
    hh, mm = map(int, cal["due_time"].split(":"))
    due = dt.datetime(year, month, cal["due_day"], hh, mm)
    start = dt.datetime.combine(plan["plan"]["start"], dt.time())
    tasks = [load_toml(p) for p in sorted(glob.glob(os.path.join(root, "tasks", "*.toml")))]
    rows = {}
    for path in sorted(glob.glob(os.path.join(root, "reports", rnd, "*.csv"))):
        unit = os.path.basename(path)[:-4]
        with open(path, encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f):
                if r["指标"]:
                    continue
                rows[(unit, int(r["任务编号"]))] = (r["状态"], float(r["进度"]) if r["进度"] else None)
    totals, chapters = {}, {}
    for t in tasks:
        end = dt.datetime.combine(t["due"], dt.time(23, 59, 59))
        expected = max(0.0, min(100.0, (due - start) / (end - start) * 100))
        leads = [rows.get((uid, t["id"])) for name in t["lead"] for uid in units[name]]
        if any(r is None for r in leads):
            light = "missing"
        else:
            progress = min(p for _, p in leads if p is not None) if any(p is not None for _, p in leads) else 0.0
            lag = expected - progress
            light = ("done" if progress >= 100 else "red" if lag > thr["red"]
                     else "yellow" if lag >= thr["yellow"] else "on_pace")
        totals[light] = totals.get(light, 0) + 1
        ch = chapters.setdefault(t["chapter"], {})
        ch[light] = ch.get(light, 0) + 1
    print(json.dumps({"round": rnd, "tasks": len(tasks), "totals": totals}, ensure_ascii=False))


if __name__ == "__main__":
    if (len(sys.argv) != 3 or not os.path.isfile(os.path.join(sys.argv[1], "tracker.toml"))
            or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", sys.argv[2])):
        sys.exit("usage: consolidate.py WORKSPACE ROUND  (WORKSPACE holds tracker.toml; ROUND is YYYY-MM)")
    main(sys.argv[1], sys.argv[2])
