#!/usr/bin/env bash
# tests/harness/sweep_resume.sh — kill -9 in the middle of a sweep, start it again: it finishes
# the remaining cells only (reused > 0) and its sweep.json equals an uninterrupted run's
# ("reused" aside). (A torn cell is removed when it is rerun: faults_sweep.sh checks that no
# temporary file survives, and the signals.)
. "$(dirname "$0")/../lib.sh"
ARGS=(sweep etf_definition --grid orientations=1:400:40 --set etf_definition.classes=2,3,4
      --set etf_definition.extra_dims=0,1 --seeds 2 --no-plots --jobs 1)

expect_exit 0 "uninterrupted sweep" -- "$TC" "${ARGS[@]}" --out "$TMP/ref"

"$TC" "${ARGS[@]}" --out "$TMP/run" >/dev/null 2>&1 &
pid=$!
# Kill once a few cells are complete (but long before the 80 cell-seeds are).
for _ in $(seq 1 400); do
  n=$(ls "$TMP/run/cells" 2>/dev/null | wc -l)
  [ "$n" -ge 5 ] && break
  sleep 0.02
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
if [ ! -e "$TMP/run/sweep.json" ]; then ok; else bad "the killed sweep got to its end: kill it earlier"; fi

expect_exit 0 "resumed sweep" -- "$TC" "${ARGS[@]}" --out "$TMP/run"
reused=$(grep -o '([0-9]* reused)' "$TMP/out" | tr -dc 0-9)
if [ "${reused:-0}" -gt 0 ] && [ "$reused" -lt 80 ]; then ok; else bad "resume reused $reused of 80 cell-seeds"; fi
if cmp -s <(grep -v '"reused"' "$TMP/ref/sweep.json") <(grep -v '"reused"' "$TMP/run/sweep.json"); then ok
else bad "the resumed sweep.json differs from the uninterrupted one"; fi
finish
