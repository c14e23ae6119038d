#!/usr/bin/env python3
"""Fails when Cargo.toml's rust-version is below what a locked dependency declares it needs.

Reads `cargo metadata --locked`: every resolved package's `rust_version`. The crate's own
rust-version must be at least the highest of them, or the promise in Cargo.toml is false."""
import json
import subprocess
import sys


def version(text):
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


meta = json.loads(subprocess.run(
    ["cargo", "metadata", "--format-version", "1", "--locked"],
    check=True, capture_output=True, text=True).stdout)
ours = next(p for p in meta["packages"] if p["id"] in meta["workspace_members"])
declared = ours.get("rust_version") or "0"
needed = max(
    (version(p.get("rust_version") or "0"), p["name"], p.get("rust_version") or "0")
    for p in meta["packages"] if p is not ours)
if version(declared) < needed[0]:
    print(f"msrv: Cargo.toml says rust-version = {declared}, but {needed[1]} needs {needed[2]}")
    sys.exit(1)
print(f"msrv: rust-version {declared} covers every locked dependency (highest: {needed[1]} {needed[2]})")
