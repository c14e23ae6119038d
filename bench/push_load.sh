#!/usr/bin/env bash
# Many units pushing their reports to the office's server at once (issue #25), outside CI's time.
#
#   bench/push_load.sh [UNITS] [TASKS]        (default 512 units, 20000 tasks: a province)
#
# Makes a generated workspace, serves it as a bare repository with tracker's server hooks, gives
# every unit a pusher, then lets every unit push its report for the last round to its own branch
# (`units/<id>`, as `submit --push` does with `[server] unit_branches = true`) at the same moment;
# the server checks each and merges it into main. Reports the time from a push to its acceptance
# (median, p99, max), the tries, how many files reached main and how many receipts the server
# kept, and the server's peak memory. Runs on this machine only (file://), bounded: each unit
# gives up after 20 tries.
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
printf '\n[server]\noffice = ["office"]\nunit_branches = true\n' >> tracker.toml
git init -q -b main && git add -A && git commit -q -m "计划与 $(ls reports | head -1) 轮"
git clone -q --bare "$WORK/office" "$WORK/server.git"
tracker hook install --server --git-dir "$WORK/server.git" >/dev/null
git -C "$WORK/server.git" config tracker.clock "$(date -d "$LAST-05 17:00" +%Y-%m-%dT%H:%M:%S+08:00 2>/dev/null || echo 2024-12-05T17:00:00+08:00)"

# One shared clone without a working tree: every unit's commit is built first (plumbing, an index
# of its own), on main as the units cloned it, so the pushes themselves can all start at once.
git clone -q --no-checkout --shared "$WORK/server.git" "$WORK/units"
PARENT=$(git -C "$WORK/units" rev-parse origin/main)
build_commit() {
  local id=$1 dir=$WORK/units idx=$WORK/idx.$1 blob tree
  blob=$(git -C "$dir" hash-object -w "$WORK/pending/$id.csv")
  GIT_INDEX_FILE=$idx git -C "$dir" read-tree "$PARENT"
  GIT_INDEX_FILE=$idx git -C "$dir" update-index --add --cacheinfo "100644,$blob,reports/$LAST/$id.csv"
  tree=$(GIT_INDEX_FILE=$idx git -C "$dir" write-tree)
  rm -f "$idx"
  git -C "$dir" update-ref "refs/units/$id" "$(git -C "$dir" commit-tree "$tree" -p "$PARENT" -m "报送 $id $LAST")"
}
export -f build_commit
export WORK LAST PARENT
echo "== building $(ls "$WORK/pending" | wc -l) units' commits"
ls "$WORK/pending" | sed 's/\.csv$//' | xargs -P 2 -I{} bash -c 'build_commit {}'

# Each unit pushes its commit to its own branch once; the server merges it into main. A push that
# fails is tried again (up to 20 times), and counted.
push_unit() {
  local id=$1 start tries=0 said
  start=$(date +%s.%N)
  while [ "$tries" -lt 20 ]; do
    tries=$((tries + 1))
    if said=$(TRACKER_PUSHER=$id git -C "$WORK/units" push -q origin "refs/units/$id:refs/heads/units/$id" 2>&1); then
      echo "$id $tries $(echo "$(date +%s.%N) - $start" | bc)"
      return
    fi
    printf '%s\n' "$said" >> "$WORK/errors"
  done
  echo "$id $tries GAVE-UP"
}
export -f push_unit

# The server's memory: every process working in the bare repository (git receive-pack, the hooks
# and the git commands they run), sampled. Their proportional set sizes (Pss: a page shared by n
# processes, such as the mapped pack files, counts 1/n to each) add up to what the server really
# holds; resident sizes would count each shared page once per process. Also the peak of any one
# tracker process. Shell builtins only (no process per process looked at).
SERVER="$WORK/server.git"
( while true; do
    total=0 one=0
    for d in /proc/[0-9]*; do
      [ "$d/cwd" -ef "$SERVER" ] || continue
      name="" hwm=0
      while read -r key value _; do
        case $key in
          Name:) name=$value ;;
          VmHWM:) hwm=$value ;;
        esac
      done < "$d/status" 2>/dev/null
      while read -r key value _; do
        [ "$key" = Pss: ] && total=$((total + value))
      done < "$d/smaps_rollup" 2>/dev/null
      [ "$name" = tracker ] && [ "$hwm" -gt "$one" ] && one=$hwm
    done
    echo "$total $one"
    sleep 0.05
  done > "$WORK/rss" ) &
SAMPLER=$!

echo "== $(ls "$WORK/pending" | wc -l) units push at once (the generator leaves one in twenty without a report)"
began=$(date +%s.%N)
ls "$WORK/pending" | sed 's/\.csv$//' | xargs -P "$UNITS" -I{} bash -c 'push_unit {}' > "$WORK/results"
took=$(echo "$(date +%s.%N) - $began" | bc)
kill "$SAMPLER" 2>/dev/null || true

landed=$(grep -vc GAVE-UP "$WORK/results" || true)
receipts=$(git -C "$SERVER" notes --ref refs/notes/tracker-received list | wc -l)
on_main=$(git -C "$SERVER" ls-tree --name-only main "reports/$LAST/" | wc -l)
sort -k3 -n "$WORK/results" | awk -v took="$took" -v receipts="$receipts" -v on_main="$on_main" '
  $3 != "GAVE-UP" { t[++k] = $3; tries += $2 }
  END {
    p = t[int(k * 0.99) > 0 ? int(k * 0.99) : 1]
    printf "landed %d of %d pushes in %.1f s; on main: %d files; receipts kept: %d\n", k, NR, took, on_main, receipts
    printf "push to acceptance (merged into main): median %.2f s, p99 %.2f s, max %.2f s; %.2f tries a unit on average\n", t[int((k + 1) / 2)], p, t[k], tries / (k ? k : 1)
  }'
echo "server peak memory: $(sort -n "$WORK/rss" | tail -1 | cut -d' ' -f1) KB for all its processes at once; $(sort -k2 -n "$WORK/rss" | tail -1 | cut -d' ' -f2) KB for one tracker hook"
[ -s "$WORK/errors" ] && { echo "what failed pushes were told (first lines):"; grep -v '^remote: *$' "$WORK/errors" | head -5; }
expected=$(ls "$WORK/pending" | wc -l)
# Receipts: the first round's files were committed by the office before the server existed.
[ "$landed" -eq "$expected" ] && [ "$on_main" -eq "$expected" ] && [ "$receipts" -eq "$expected" ] \
  || { echo "push-load: a push, a file or a receipt was lost"; exit 1; }
