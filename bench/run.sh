#!/usr/bin/env bash
# Benchmarks, not tests: builds synthetic workspaces with examples/gen_workspace and prints, side by
# side, tracker against `cat` of the same input bytes and against bench/consolidate.py (a plain
# Python script doing the same one-round consolidation), with peak memory, the growth of status,
# check and units (with tasks and units, and with rounds), and the git part against `git log`.
# Usage: bench/run.sh [--quick]   (--quick: a smaller province, for a first look)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-}
case "$quick" in
  "" | --quick) ;;
  -h | --help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "bench/run.sh: unknown argument $quick (usage: bench/run.sh [--quick])" >&2; exit 2 ;;
esac
cargo build --release --quiet --example gen_workspace
cargo build --release --quiet
tracker=$PWD/target/release/tracker
gen=$PWD/target/release/examples/gen_workspace
work=target/bench
mkdir -p "$work"
# The data sets live inside this repository's folder: without a ceiling, git would find the tracker's
# own repository above a data set that has none, and time its status instead.
export GIT_CEILING_DIRECTORIES="$PWD/$work"

# One run of a command: wall-clock seconds (to the millisecond) and peak resident memory in MB.
once() {
  local t0 t1 out
  out=$(mktemp)
  t0=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$out" "$@" >/dev/null 2>&1 || true
  t1=$(date +%s%N)
  echo "$(awk "BEGIN{printf \"%.3f\", ($t1 - $t0) / 1e9}") $(($(tail -1 "$out") / 1024))"
  rm -f "$out"
}

# Runs a command once and stops the script if it fails (exit `limit` or more: 2 for tracker, whose
# exit 1 means data problems, 1 for the others): a command that cannot run would time as fast.
preflight() {
  local limit=$1 code=0
  shift
  "$@" >/dev/null 2>&1 || code=$?
  if [ "$code" -ge "$limit" ]; then
    echo "bench/run.sh: $* failed (exit $code)" >&2
    exit 2
  fi
}

# The smaller of a best-so-far (empty at first) and a new time.
least() { if [ -z "$1" ] || awk "BEGIN{exit !($2 < $1)}"; then echo "$2"; else echo "$1"; fi; }

# Every figure is the best of five, and the five runs of the commands compared are interleaved (one
# of each, five times over, each time starting with the next): a slow spell of a shared machine then
# falls on all of them alike instead of on one side of a ratio.
ROUNDS=5

# A data set, generated again when the generator changed since it was made (its stamp beside it).
dataset() { # name tasks units rounds [--git]
  local dir=$work/$1 stamp
  stamp="$(md5sum <"$gen" | cut -d' ' -f1) $*"
  if [ ! -d "$dir" ] || [ "$(cat "$work/$1.stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$dir"
    "$gen" --tasks "$2" --units "$3" --rounds "$4" ${5:-} --out "$dir" >/dev/null
    echo "$stamp" >"$work/$1.stamp"
  fi
  echo "$dir"
}

# The Python yardstick must judge as status does, or the ratio compares different work: its totals
# (tasks per assessment, stale tasks) against status's (tests/bench_data.rs checks it as well).
agree() { # dir round as_of
  local python
  python=$(python3 bench/consolidate.py "$1" "$2")
  if ! (cd "$1" && "$tracker" --as-of "$3" status --round "$2" --format json 2>/dev/null) | python3 -c '
import json, sys
mine, theirs = json.loads(sys.argv[1]), json.load(sys.stdin)["totals"]
sys.exit(mine["assessments"] != theirs["assessments"] or mine["stale"] != theirs["stale"])' "$python"; then
    echo "bench/run.sh: bench/consolidate.py and tracker status judge $1 $2 differently" >&2
    exit 2
  fi
}

ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.2f\", $1 / $2; else print \"-\" }"; }

compare() { # name dir round as_of
  local dir=$1 round=$3 as_of=$4
  local bytes files rows
  bytes=$(find "$dir" -path "$dir/.git" -prune -o -type f -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
  files=$(find "$dir/reports" -type f | wc -l)
  rows=$(find "$dir/reports" -type f -print0 | xargs -0 cat | wc -l)
  local cat_s="" st_s="" st_m=0 nt_s="" nt_m=0 py_s="" ck_s="" un_s="" t m
  preflight 1 python3 bench/consolidate.py "$dir" "$round"
  agree "$dir" "$round" "$as_of"
  for cmd in "status --round $round --format json" check "units --format json"; do
    # shellcheck disable=SC2086 # the command's words
    (cd "$dir" && preflight 2 "$tracker" --as-of "$as_of" $cmd)
  done
  for r in $(seq "$ROUNDS"); do
    # Each round starts with the next command: a run after one that took much memory can find
    # the kernel short of free huge pages, and a fixed order put that on the same command each time.
    for j in 0 1 2 3 4; do
      case $(((r + j) % 5)) in
        0)
          read -r t _ < <(cd "$dir" && once sh -c 'find . -path ./.git -prune -o -type f -print0 | xargs -0 cat')
          cat_s=$(least "$cat_s" "$t")
          ;;
        1)
          read -r t m < <(cd "$dir" && once "$tracker" --as-of "$as_of" status --round "$round" --format json)
          st_s=$(least "$st_s" "$t") && st_m=$m
          ;;
        2)
          # The allocator without transparent huge pages: less memory for more time (README, Benchmarks).
          read -r t m < <(cd "$dir" && once env MIMALLOC_ALLOW_THP=0 "$tracker" --as-of "$as_of" status --round "$round" --format json)
          nt_s=$(least "$nt_s" "$t") && nt_m=$m
          ;;
        3)
          read -r t _ < <(cd "$dir" && once "$tracker" --as-of "$as_of" check)
          ck_s=$(least "$ck_s" "$t")
          ;;
        4)
          read -r t _ < <(cd "$dir" && once "$tracker" --as-of "$as_of" units --format json)
          un_s=$(least "$un_s" "$t")
          ;;
      esac
    done
  done
  # The Python script on its own, after the rest: it leaves the kernel short of free huge pages,
  # and whichever tracker run came next was 10-20% slower (check, always, when it was interleaved).
  for _ in $(seq "$ROUNDS"); do
    read -r t _ < <(once python3 bench/consolidate.py "$dir" "$round")
    py_s=$(least "$py_s" "$t")
  done
  printf '%-9s %6s files %8s rows %5s MB | cat %6ss | status %6ss (%5s× cat, %4s MB peak) | python %6ss (%5s× status) | check %7s rows/s | units %6ss (%5s× status)\n' \
    "$2" "$files" "$rows" "$((bytes / 1000000))" "$cat_s" "$st_s" "$(ratio "$st_s" "$cat_s")" "$st_m" \
    "$py_s" "$(ratio "$py_s" "$st_s")" "$(awk "BEGIN{printf \"%d\", $rows / ($ck_s > 0 ? $ck_s : 0.01)}")" \
    "$un_s" "$(ratio "$un_s" "$st_s")"
  printf '%-9s without huge pages (MIMALLOC_ALLOW_THP=0): status %6ss (%5s× cat, %4s MB peak)\n' \
    "$2" "$nt_s" "$(ratio "$nt_s" "$cat_s")" "$nt_m"
}

echo "== side by side (best of 5; cat and tracker interleaved, the Python script after them; ratios: >1 means slower than the yardstick, python column >1 means tracker is faster)"
compare "$(dataset year 194 32 7 --git)" "real-year" 2024-07 2024-08-01
if [ "$quick" = "--quick" ]; then
  compare "$(dataset province-q 5000 128 12)" "province/4" 2024-12 2025-01-01
else
  compare "$(dataset province 20000 512 12)" "province" 2024-12 2025-01-01
fi

# One row of a growth table: status, check and units on a data set (best of five, interleaved),
# each with its ratio to the previous row's (PREV, set here for the next row).
PREV=()
growth_row() { # label dir round as_of
  local label=$1 dir=$2 round=$3 as_of=$4 s="" c="" u="" m=0 t
  for r in $(seq "$ROUNDS"); do
    for j in 0 1 2; do # each round starting with the next command, as in compare
      case $(((r + j) % 3)) in
        0) read -r t m < <(cd "$dir" && once "$tracker" --as-of "$as_of" status --round "$round" --format json) && s=$(least "$s" "$t") ;;
        1) read -r t _ < <(cd "$dir" && once "$tracker" --as-of "$as_of" check) && c=$(least "$c" "$t") ;;
        2) read -r t _ < <(cd "$dir" && once "$tracker" --as-of "$as_of" units --format json) && u=$(least "$u" "$t") ;;
      esac
    done
  done
  printf '%s  status %6ss %6s  check %6ss %6s  units %6ss %6s  peak %4s MB\n' "$label" \
    "$s" "${PREV[0]:+($(ratio "$s" "${PREV[0]}")×)}" "$c" "${PREV[1]:+($(ratio "$c" "${PREV[1]}")×)}" \
    "$u" "${PREV[2]:+($(ratio "$u" "${PREV[2]}")×)}" "$m"
  PREV=("$s" "$c" "$u")
}

echo "== growth with tasks and units (12 rounds): each command's time, and its ratio to the previous row"
PREV=()
for k in 1 2 4 8; do
  label=$(printf '%d×  %6d tasks %5d units' "$k" $((1250 * k)) $((32 * k)))
  growth_row "$label" "$(dataset "growth-$k" $((1250 * k)) $((32 * k)) 12)" 2024-12 2025-01-01
done

echo "== growth with rounds (2,500 tasks, 64 units; the last round shown): each command's time, and its ratio to the previous row"
PREV=()
for r in 3 6 12 24; do
  last=$(printf '%d-%02d' $((2024 + (r - 1) / 12)) $((1 + (r - 1) % 12)))
  as_of=$(printf '%d-%02d-01' $((2024 + r / 12)) $((1 + r % 12)))
  growth_row "$(printf '%2d rounds' "$r")" "$(dataset "rounds-$r" 2500 64 "$r")" "$last" "$as_of"
done

echo "== received times from git: the git part of status (with received_from = git, minus with declared dates) against git log --name-only"
for spec in "git-6k 512" "git-24k 2048"; do
  read -r name units <<<"$spec"
  dir=$(dataset "$name" 2000 "$units" 12 --git)
  commits=$(git -C "$dir" rev-list --count HEAD)
  log_s="" git_s="" un_s="" dec_s=""
  for _ in $(seq "$ROUNDS"); do
    read -r t _ < <(cd "$dir" && once git log --name-only)
    log_s=$(least "$log_s" "$t")
    read -r t _ < <(cd "$dir" && once "$tracker" --as-of 2025-01-01 status --round 2024-12 --format json)
    git_s=$(least "$git_s" "$t")
    read -r t _ < <(cd "$dir" && once "$tracker" --as-of 2025-01-01 units --format json)
    un_s=$(least "$un_s" "$t")
    sed -i 's/received_from = "git"/received_from = "declared"/' "$dir/tracker.toml"
    read -r t _ < <(cd "$dir" && once "$tracker" --as-of 2025-01-01 status --round 2024-12 --format json)
    dec_s=$(least "$dec_s" "$t")
    git -C "$dir" checkout -q tracker.toml
  done
  part=$(awk "BEGIN{printf \"%.2f\", $git_s - $dec_s}")
  printf '%6d commits  git log --name-only %6ss  git part of status %6ss (%5s× git log)  units %6ss (%5s× status)\n' \
    "$commits" "$log_s" "$part" "$(ratio "$part" "$log_s")" "$un_s" "$(ratio "$un_s" "$git_s")"
done
