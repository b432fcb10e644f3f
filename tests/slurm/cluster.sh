#!/usr/bin/env bash
# tests/slurm/cluster.sh — scripts/slurm/ on a real Slurm: a single-node cluster on localhost
# (Debian's slurm-wlm and munge; munged, slurmctld and slurmd started here as root with their
# key, sockets, state, pids and logs in the test's temporary directory, on free ports), a 4-task
# array of a small sweep and its merge job submitted with submit.sh, and the merged sweep.json
# compared with a local unsharded run. Without `theorycheck merge` (exit 2, "unknown command")
# the union of the shards' cells is compared instead, and the test says so.
#
# Exit 77 (ctest: skipped) with "SKIP: <reason>" where the daemons cannot run: not root, the
# packages neither installed nor installable, a daemon that does not start. TC_SLURM_REQUIRED=1
# turns those skips into failures. Every daemon started here is stopped by its pid on exit,
# failure or interrupt, and the temporary directory removed.
. "$(dirname "$0")/../lib.sh"

ARGS=(max_margin --grid n=12,16,20,24 --grid step=0.5,1 --set max_margin.gd_iters=20000 --seeds 2)
TASKS=4
UP_TIMEOUT=60      # s for the node to be idle; it takes about 1 s
JOB_TIMEOUT=200    # s for each submission to leave the queue; it takes about 4 s

unset $(compgen -e | grep -E '^(SLURM|SBATCH)_') 2>/dev/null || true
cd "$TMP" || exit 3
pids=()

# Processes of this cluster that would outlive it (slurmstepd and the jobs' processes, once
# slurmd is gone): they run in $TMP or hold files in it open. Their pids, not ours.
strays() {
  local d
  for d in /proc/[0-9]*; do
    { [ "${d#/proc/}" = $$ ] || [ "${d#/proc/}" = "$BASHPID" ]; } && continue
    if [ "$(readlink "$d/cwd" 2>/dev/null)" = "$TMP" ] ||
       readlink "$d/cwd" "$d"/fd/* 2>/dev/null | grep -qF "$TMP/"; then echo "${d#/proc/}"; fi
  done
}
cleanup() {
  local p i
  cd / || true
  # Cancel what is still queued and let slurmd end it, so that no job outlives the daemons.
  if [ -n "${SLURM_CONF:-}" ] && kill -0 "${pids[1]:-}" 2>/dev/null &&
     [ -n "$(squeue -h -o %i 2>/dev/null)" ]; then
    scancel -u "$(id -un)" 2>/dev/null
    for i in $(seq 40); do [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.25; done
  fi
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do
    for i in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  p=$(strays)
  [ -z "$p" ] || { echo "slurm: killing leftover processes $p" >&2; kill -KILL $p 2>/dev/null; }
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

skip() {
  if [ "${TC_SLURM_REQUIRED:-0}" = 1 ]; then echo "FAIL (TC_SLURM_REQUIRED=1): $*" >&2; exit 1; fi
  echo "SKIP: $*"
  exit 77
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# ---- sweep.json comparison (jansson's 2-space layout, one cell object per "    {" block) ----
# The sweep without "reused" (this invocation's count) and "shard" (null or {k, n}).
sweep_strip() {
  awk '/^  "reused": /            { next }
       /^  "shard": \{/           { skip = 1; next }
       skip && /^  \},?$/         { skip = 0; next }
       skip || /^  "shard": null/ { next }
       { print }' "$1"
}
# One line per cell, "index<TAB>the cell's lines joined", for every file given.
sweep_cells() {
  awk '/^  "cells": \[/     { in_cells = 1; next }
       in_cells && /^  \]/  { in_cells = 0; next }
       in_cells && /^    \{/ { cell = ""; idx = "" }
       in_cells && /^      "index": / { idx = $2; sub(/,$/, "", idx) }
       in_cells             { line = $0; sub(/^ +/, "", line); sub(/,$/, "", line)
                              cell = cell line }
       in_cells && /^    \},?$/ { print idx "\t" cell }' "$@" | sort -n -k1,1
}
# The fields outside "cells", "summary", "shard" and "reused": what every shard must share.
sweep_head() { sweep_strip "$1" | awk '/^  "cells": \[/ { exit } { print }'; }

# Same sweep: the whole file but for reused and shard.
same_sweep() { cmp -s <(sweep_strip "$1") <(sweep_strip "$2"); }
# Shards that together hold every cell of REF exactly once, each equal to REF's.
same_union() {
  local ref=$1; shift
  local s
  for s in "$@"; do cmp -s <(sweep_head "$ref") <(sweep_head "$s") || return 1; done
  [ -z "$(sweep_cells "$@" | cut -f1 | uniq -d)" ] || return 1
  cmp -s <(sweep_cells "$ref") <(sweep_cells "$@")
}

# ---- the cluster ----------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || skip "not root: munged, slurmctld and slurmd are started as root"
need=(munged mungekey munge unmunge slurmctld slurmd sbatch squeue sinfo scontrol scancel)
have_all() { local c; for c in "${need[@]}"; do command -v "$c" >/dev/null || return 1; done; }
if ! have_all; then
  export DEBIAN_FRONTEND=noninteractive
  inst=(apt-get install -y --no-install-recommends slurm-wlm munge)
  command -v apt-get >/dev/null || skip "slurm-wlm and munge are missing and there is no apt-get"
  "${inst[@]}" >"$TMP/apt.log" 2>&1 ||
    { apt-get update -qq >>"$TMP/apt.log" 2>&1 && "${inst[@]}" >>"$TMP/apt.log" 2>&1; } ||
    skip "slurm-wlm and munge are not installable: $(tail -1 "$TMP/apt.log")"
  have_all || skip "slurm-wlm and munge installed, yet a command is missing (${need[*]})"
fi

# A free TCP port on localhost from 20000-29999 (a connection refused means nobody listens).
free_port() {
  local p i
  for i in $(seq 50); do
    p=$((20000 + RANDOM % 10000))
    [ "$p" != "${1:-}" ] || continue
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  return 1
}
ctld_port=$(free_port) && slurmd_port=$(free_port "$ctld_port") || skip "no free TCP port found"

# munged refuses a socket in a directory that not everybody may traverse.
chmod 755 "$TMP"
mkdir -p "$TMP/munge" "$TMP/state" "$TMP/spool"
M="$TMP/munge"
t_start=$(now)
mungekey --create --keyfile="$M/munge.key" >"$M/mungekey.log" 2>&1 ||
  skip "mungekey cannot create a key: $(tail -1 "$M/mungekey.log")"
munged -F --key-file="$M/munge.key" --socket="$M/socket" --pid-file="$M/munged.pid" \
       --seed-file="$M/seed" --log-file="$M/munged.log" >"$M/munged.out" 2>&1 &
pids+=($!)
for i in $(seq 100); do
  [ -S "$M/socket" ] && break
  kill -0 "${pids[0]}" 2>/dev/null || break
  sleep 0.1
done
munge -n -S "$M/socket" 2>/dev/null | unmunge -S "$M/socket" >/dev/null 2>&1 ||
  skip "munged does not start: $(tail -1 "$M/munged.out")"

cat >"$TMP/slurm.conf" <<EOF
# A single-node cluster for tests/slurm/cluster.sh: every file under $TMP.
ClusterName=tctest$$
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$M/socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
# Schedule at once when a job ends, not about 3 s later: 4 tasks on 2 CPUs plus the merge job
# take 3 s of scheduling instead of 8.
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
MinJobAge=600
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool
SlurmctldPidFile=$TMP/slurmctld.pid
SlurmdPidFile=$TMP/slurmd.pid
SlurmctldLogFile=$TMP/slurmctld.log
SlurmdLogFile=$TMP/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$TMP/slurm.conf"
# -D keeps each daemon in the foreground, so $! is its pid.
slurmctld -D -f "$SLURM_CONF" >"$TMP/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N localhost -f "$SLURM_CONF" >"$TMP/slurmd.out" 2>&1 &
pids+=($!)
state=""
for i in $(seq $((UP_TIMEOUT * 4))); do
  state=$(sinfo -h -n localhost -o %T 2>/dev/null)
  [ "$state" = idle ] && break
  kill -0 "${pids[1]}" 2>/dev/null ||
    skip "slurmctld does not start: $(tail -1 "$TMP/slurmctld.log")"
  kill -0 "${pids[2]}" 2>/dev/null || skip "slurmd does not start: $(tail -1 "$TMP/slurmd.log")"
  sleep 0.25
done
[ "$state" = idle ] ||
  skip "the node is '$state', not idle, after ${UP_TIMEOUT} s: $(tail -1 "$TMP/slurmctld.log")"
t_up=$(now)
echo "slurm: munged, slurmctld and slurmd up and the node idle in $(elapsed "$t_start" "$t_up") s" \
     "(ports $ctld_port, $slurmd_port)"

# ---- the sweep: local, then on the cluster ---------------------------------------------------
t_local=$(now)
expect_exit 0 "local unsharded sweep" -- "$TC" sweep "${ARGS[@]}" --out "$TMP/local" --jobs 1
echo "slurm: the same sweep unsharded, locally, --jobs 1: $(elapsed "$t_local" "$(now)") s"
expect_file "$TMP/local/sweep.json" "local sweep.json"

SUBMIT="$SRC/scripts/slurm/submit.sh"
t_submit=$(now)
expect_exit 0 "submit.sh" -- \
  bash "$SUBMIT" --tasks $TASKS --out "$TMP/cl" --bin "$TC" -- "${ARGS[@]}"
array_job=$(sed -n 's/^array_job=\([0-9]*\)$/\1/p' "$TMP/out")
merge_job=$(sed -n 's/^merge_job=\([0-9]*\)$/\1/p' "$TMP/out")
expect_grep "$TMP/out" "^merged=$TMP/cl/merged$" "submit.sh prints the merged directory"
[ -n "$array_job" ] && [ -n "$merge_job" ] || { bad "submit.sh printed no job ids"; finish; exit; }
ok
queued=""
for i in $(seq $((JOB_TIMEOUT * 4))); do
  queued=$(squeue -h -j "$array_job,$merge_job" -o %i 2>/dev/null)
  [ -z "$queued" ] && break
  sleep 0.25
done
t_done=$(now)
if [ -z "$queued" ]; then ok; else bad "jobs still queued after ${JOB_TIMEOUT} s: $queued"; fi
echo "slurm: submit to merge job finished in $(elapsed "$t_submit" "$t_done") s" \
     "($TASKS tasks, array job $array_job, merge job $merge_job)"

# Every task ran and succeeded; its shard directory holds its part of the sweep.
scontrol show job "$array_job" >"$TMP/array.txt" 2>&1
n=$(grep -c 'JobState=COMPLETED' "$TMP/array.txt")
if [ "$n" -eq $TASKS ]; then ok; else
  bad "$n of $TASKS array tasks COMPLETED"
  grep -o 'JobState=[A-Z_]*\|ExitCode=[0-9:]*' "$TMP/array.txt" | head >&2
  tail -3 "$TMP"/cl/logs/sweep-*.out >&2
fi
shards=()
for ((t = 0; t < TASKS; t++)); do
  shards+=("$TMP/cl/shard-$t/sweep.json")
  expect_file "$TMP/cl/shard-$t/sweep.json" "shard-$t/sweep.json"
  expect_grep "$TMP/cl/shard-$t/sweep.json" "\"k\": $((t + 1)),"  \
    "task $t runs shard $((t + 1))/$TASKS"
done
merge_state=$(scontrol show job "$merge_job" 2>&1 | grep -o 'JobState=[A-Z_]*')

# ---- the merged result -----------------------------------------------------------------------
"$TC" merge >"$TMP/merge.out" 2>&1
merge_rc=$?
if [ $merge_rc -eq 2 ] && grep -q "unknown command" "$TMP/merge.out"; then
  echo "slurm: 'theorycheck merge' is not built yet: the merge job fails ($merge_state) and the" \
       "union of the $TASKS shards' cells is compared with the local run instead"
  if same_union "$TMP/local/sweep.json" "${shards[@]}"; then ok; else
    bad "the shards' cells are not the local run's cells, each exactly once"
    diff <(sweep_cells "$TMP/local/sweep.json" | cut -c1-150) \
         <(sweep_cells "${shards[@]}" | cut -c1-150) | head >&2
  fi
else
  if [ "$merge_state" = JobState=COMPLETED ]; then ok; else
    bad "merge job $merge_job: $merge_state"; tail -5 "$TMP"/cl/logs/merge-*.out >&2
  fi
  if same_sweep "$TMP/local/sweep.json" "$TMP/cl/merged/sweep.json"; then ok; else
    bad "merged sweep.json differs from the local run's (reused and shard aside)"
    diff <(sweep_strip "$TMP/local/sweep.json") <(sweep_strip "$TMP/cl/merged/sweep.json") |
      head >&2
  fi
fi

# ---- a failing shard holds the merge back and leaves nothing queued ---------------------------
wait_gone() {
  local i q=""
  for i in $(seq $((JOB_TIMEOUT * 4))); do
    q=$(squeue -h -j "$1" -o %i 2>/dev/null); [ -z "$q" ] && return 0; sleep 0.25
  done
  return 1
}
expect_exit 0 "submit.sh of a sweep that fails" -- \
  bash "$SUBMIT" --tasks 2 --out "$TMP/bad" --bin "$TC" -- max_margin --grid nope=1,2
array_job=$(sed -n 's/^array_job=\([0-9]*\)$/\1/p' "$TMP/out")
merge_job=$(sed -n 's/^merge_job=\([0-9]*\)$/\1/p' "$TMP/out")
if [ -n "$array_job" ] && [ -n "$merge_job" ] && wait_gone "$array_job,$merge_job"; then ok; else
  bad "the failed sweep's jobs are still queued: $(squeue -h 2>&1 | head -3)"; fi
n=$(scontrol show job "$array_job" 2>&1 | grep -c 'JobState=FAILED')
if [ "$n" -eq 2 ]; then ok; else bad "$n of 2 failing tasks FAILED"; fi
expect_grep "$TMP/bad/logs/sweep-${array_job}_0.out" "claim max_margin has no parameter 'nope'" \
  "the task's log holds theorycheck's message"
state=$(scontrol show job "$merge_job" 2>&1 | grep -o 'JobState=[A-Z_]*')
if [ "$state" = JobState=CANCELLED ]; then ok; else bad "merge job after failed shards: $state"; fi
expect_absent "$TMP/bad/merged" "no merged sweep after failed shards"

# ---- the comparisons notice a fault (planted in copies) ----------------------------------------
# A verdict changed in one shard; a shard missing; a cell present twice; a different grid.
sed '0,/"pass"/s//"fail"/' "${shards[1]}" >"$TMP/bad1.json"
if same_union "$TMP/local/sweep.json" "${shards[0]}" "$TMP/bad1.json" "${shards[@]:2}"; then
  bad "a changed verdict went unnoticed"; else ok; fi
if same_union "$TMP/local/sweep.json" "${shards[@]:1}"; then
  bad "a missing shard went unnoticed"; else ok; fi
if same_union "$TMP/local/sweep.json" "${shards[@]}" "${shards[0]}"; then
  bad "a duplicated cell went unnoticed"; else ok; fi
sed 's/"ncells": 8/"ncells": 9/' "$TMP/local/sweep.json" >"$TMP/bad2.json"
if same_sweep "$TMP/local/sweep.json" "$TMP/bad2.json"; then
  bad "a changed header went unnoticed"; else ok; fi
if same_union "$TMP/bad2.json" "${shards[@]}"; then
  bad "shards of another sweep went unnoticed"; else ok; fi
sed 's/"reused": 0/"reused": 5/' "$TMP/local/sweep.json" >"$TMP/reused.json"
if same_sweep "$TMP/local/sweep.json" "$TMP/reused.json"; then ok; else
  bad "reused is not ignored"; fi
finish
