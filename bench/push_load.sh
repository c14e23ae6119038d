#!/usr/bin/env bash
# Many units pushing their reports to the office's server at once (issue #25), outside CI's time.
#
#   bench/push_load.sh [UNITS] [TASKS]        (default 512 units, 20000 tasks: a province)
#
# Makes a generated workspace, serves it as a bare repository with tracker's server hooks, gives
# every unit a pusher, then lets every unit push its report for the last round at the same moment
# (each one, like a liaison, fetching and trying again when another push landed first). Reports the
# time from a unit's first try to its acceptance (median, p99, max), the tries, how many receipts the
# server kept, and the peak memory of the server's hook processes. Runs on 127.0.0.1 only (file://),
# bounded: each unit gives up after 200 tries.
set -euo pipefail
UNITS=${1:-512}
TASKS=${2:-20000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/tracker-push-load.XXXXXX)
trap 'kill "${SAMPLER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cd "$ROOT"
cargo build -q --release --bin tracker --example gen_workspace
export PATH="$ROOT/target/release:$PATH"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t

echo "== workspace: $UNITS units, $TASKS tasks"
"$ROOT/target/release/examples/gen_workspace" --tasks "$TASKS" --units "$UNITS" --rounds 2 --out "$WORK/office" >/dev/null
cd "$WORK/office"
LAST=$(ls reports | sort | tail -1)
mv "reports/$LAST" "$WORK/pending"
sed -i -E 's/^id = "(u[0-9]+)"$/id = "\1"\npushers = ["\1"]/' units.toml
printf '\n[server]\noffice = ["office"]\n' >> tracker.toml
git init -q -b main && git add -A && git commit -q -m "计划与 $(ls reports | head -1) 轮"
git clone -q --bare "$WORK/office" "$WORK/server.git"
tracker hook install --server --git-dir "$WORK/server.git" >/dev/null
git -C "$WORK/server.git" config tracker.clock "$(date -d "$LAST-05 17:00" +%Y-%m-%dT%H:%M:%S+08:00 2>/dev/null || echo 2024-12-05T17:00:00+08:00)"

# One shared clone without a working tree: each unit builds its commit from an index of its own.
git clone -q --no-checkout --shared "$WORK/server.git" "$WORK/units"

push_unit() {
  local id=$1 dir=$WORK/units idx=$WORK/idx.$1 start tries=0 parent tree commit blob
  blob=$(git -C "$dir" hash-object -w "$WORK/pending/$id.csv")
  start=$(date +%s.%N)
  while [ "$tries" -lt 200 ]; do
    tries=$((tries + 1))
    parent=$(git -C "$dir" ls-remote -q origin refs/heads/main | cut -f1)
    git -C "$dir" fetch -q origin main 2>/dev/null || true
    GIT_INDEX_FILE=$idx git -C "$dir" read-tree "$parent"
    GIT_INDEX_FILE=$idx git -C "$dir" update-index --add --cacheinfo "100644,$blob,reports/$LAST/$id.csv"
    tree=$(GIT_INDEX_FILE=$idx git -C "$dir" write-tree)
    commit=$(git -C "$dir" commit-tree "$tree" -p "$parent" -m "报送 $id $LAST")
    if TRACKER_PUSHER=$id git -C "$dir" push -q origin "$commit:refs/heads/main" 2>/dev/null; then
      echo "$id $tries $(echo "$(date +%s.%N) - $start" | bc)"
      return
    fi
  done
  echo "$id $tries GAVE-UP"
}
export -f push_unit
export WORK LAST

# The hooks' peak memory: every tracker process's resident size, sampled.
( while true; do
    for s in /proc/[0-9]*/status; do
      grep -q '^Name:[[:space:]]*tracker$' "$s" 2>/dev/null && awk '/^VmHWM/ { print $2 }' "$s" 2>/dev/null
    done
    sleep 0.05
  done > "$WORK/rss" ) &
SAMPLER=$!

echo "== $(ls "$WORK/pending" | wc -l) units push at once (the generator leaves one in twenty without a report)"
began=$(date +%s.%N)
ls "$WORK/pending" | sed 's/\.csv$//' | xargs -P "$UNITS" -I{} bash -c 'push_unit {}' > "$WORK/results"
took=$(echo "$(date +%s.%N) - $began" | bc)
kill "$SAMPLER" 2>/dev/null || true

landed=$(grep -vc GAVE-UP "$WORK/results" || true)
receipts=$(git -C "$WORK/server.git" notes --ref refs/notes/tracker-received list | wc -l)
sort -k3 -n "$WORK/results" | awk -v n="$landed" -v took="$took" -v receipts="$receipts" '
  $3 != "GAVE-UP" { t[++k] = $3; tries += $2 }
  END {
    p = t[int(k * 0.99) > 0 ? int(k * 0.99) : 1]
    printf "landed %d of %d pushes in %.1f s; receipts kept: %d\n", k, NR, took, receipts
    printf "first try to acceptance: median %.2f s, p99 %.2f s, max %.2f s; %.1f tries a unit on average\n", t[int((k + 1) / 2)], p, t[k], tries / (k ? k : 1)
  }'
echo "peak resident memory of one tracker hook process: $(sort -n "$WORK/rss" | tail -1) KB"
expected=$(ls "$WORK/pending" | wc -l)
[ "$landed" -eq "$expected" ] && [ "$receipts" -eq "$expected" ] || { echo "push-load: a push or a receipt was lost"; exit 1; }
