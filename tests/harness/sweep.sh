#!/usr/bin/env bash
# tests/harness/sweep.sh — `theorycheck sweep`: bad input refused before anything is written;
# a small sweep's sweep.json (cells, seeds, verdict counts, Clopper-Pearson interval); cells
# reused on a rerun and rerun with --force; sweep.json byte-identical across --jobs and across
# a rerun; shards partition the cells.
. "$(dirname "$0")/../lib.sh"

S="$TMP/never"
expect_exit 2 "no grid" -- "$TC" sweep max_margin --out "$S"
expect_grep "$TMP/err" "at least one --grid" "no grid message"
expect_exit 2 "no claim" -- "$TC" sweep --grid n=10 --out "$S"
expect_exit 2 "two claims" -- "$TC" sweep max_margin norm_growth --grid n=10 --out "$S"
expect_exit 2 "unknown claim" -- "$TC" sweep nope --grid n=10 --out "$S"
expect_exit 2 "unknown parameter" -- "$TC" sweep max_margin --grid nope=1,2 --out "$S"
expect_grep "$TMP/err" "claim max_margin has no parameter 'nope'" "unknown parameter message"
expect_exit 2 "value out of range" -- "$TC" sweep max_margin --grid step=0.5,4.5 --out "$S"
expect_grep "$TMP/err" "value '4.5' is not allowed" "range message"
expect_exit 2 "bad range" -- "$TC" sweep max_margin --grid step=1:0.5 --out "$S"
expect_exit 2 "log range through zero" -- "$TC" sweep max_margin --grid step=0:1:3:log --out "$S"
expect_exit 2 "zip of unequal axes" -- "$TC" sweep max_margin --grid n=10,20 --grid step=1 --zip --out "$S"
expect_exit 2 "too many cells" -- "$TC" sweep max_margin --grid n=10:100:91 --max-cells 50 --out "$S"
expect_grep "$TMP/err" "more than --max-cells 50" "max-cells message"
expect_exit 2 "seeds 0" -- "$TC" sweep max_margin --grid n=10 --seeds 0 --out "$S"
expect_exit 2 "shard K > N" -- "$TC" sweep max_margin --grid n=10 --shard 3/2 --out "$S"
expect_exit 2 "shard garbage" -- "$TC" sweep max_margin --grid n=10 --shard 1/2x --out "$S"
expect_exit 2 "swept and set" -- "$TC" sweep max_margin --grid n=10,20 --set max_margin.n=30 --out "$S"
expect_grep "$TMP/err" "both swept" "swept and set message"
expect_exit 2 "grid without value" -- "$TC" sweep max_margin --grid
expect_absent "$S" "nothing written on bad input"

# A small sweep: 2 x 2 cells, 2 seeds. max_margin holds at every cell (GD step < 2/beta).
OUT="$TMP/sw"
ARGS=(sweep max_margin --grid n=12,20 --grid step=0.5,1 --seeds 2 --set max_margin.gd_iters=20000 --no-plots)
expect_exit 0 "sweep" -- "$TC" "${ARGS[@]}" --out "$OUT" --jobs 2
expect_grep "$TMP/out" "4 cells x 2 seeds \(0 reused\): holds everywhere 4" "sweep summary line"
expect_file "$OUT/sweep.json" "sweep.json"
expect_grep "$OUT/sweep.json" '"schema": "theorycheck/sweep/v1"' "schema"
CHECK=${3:-}
if [ -n "$CHECK" ]; then
  if "$CHECK" "$SRC/docs/sweep.schema.json" "$OUT/sweep.json"; then ok; else bad "sweep.json against docs/sweep.schema.json"; fi
fi
n=$(grep -c '"index": ' "$OUT/sweep.json"); if [ "$n" -eq 4 ]; then ok; else bad "4 cells expected, got $n"; fi
# the fixed (--set) parameters and the --data file are in the header: sweep.json says how to rerun
expect_grep "$OUT/sweep.json" '"set": \{' "set in the header"
expect_grep "$OUT/sweep.json" '"gd_iters": "20000"' "--set value in the header"
expect_grep "$OUT/sweep.json" '"data": null' "no --data"
D="$TMP/swd"
expect_exit 0 "sweep with --data" -- "$TC" sweep max_margin --grid step=0.5,1 --set max_margin.gd_iters=20000 \
    --data max_margin="$SRC/tests/data/separable.csv" --no-plots --jobs 1 --out "$D"
expect_grep "$D/sweep.json" '"path": ".*tests/data/separable.csv"' "--data path in the header"
expect_grep "$D/sweep.json" '"fnv1a": "[0-9a-f]{16}"' "--data hash in the header"
n=$(ls "$OUT/cells" | wc -l); if [ "$n" -eq 8 ]; then ok; else bad "8 cell-seed records expected, got $n"; fi
# 2 of 2 seeds hold: Clopper-Pearson lower bound (alpha/2)^(1/2) = 0.158113883...
expect_grep "$OUT/sweep.json" '0\.15811388300841' "Clopper-Pearson interval of 2/2"
# sweep.json holds no times; only "reused" (this invocation's count) may differ between runs.
same_sweep() { cmp -s <(grep -v '"reused"' "$1") <(grep -v '"reused"' "$2"); }
cp "$OUT/sweep.json" "$TMP/sweep.first"

expect_exit 0 "rerun reuses every cell" -- "$TC" "${ARGS[@]}" --out "$OUT" --jobs 1
expect_grep "$TMP/out" "\(8 reused\)" "all cells reused"
if same_sweep "$TMP/sweep.first" "$OUT/sweep.json"; then ok; else bad "sweep.json changed on a rerun"; fi
expect_exit 0 "force reruns" -- "$TC" "${ARGS[@]}" --out "$OUT" --jobs 1 --force
expect_grep "$TMP/out" "\(0 reused\)" "--force reruns every cell"
if cmp -s "$TMP/sweep.first" "$OUT/sweep.json"; then ok; else bad "sweep.json differs between --jobs 2 and --jobs 1"; fi

# A half-written cell (no results.json) is rerun, not trusted.
victim=$(ls "$OUT/cells" | head -1)
rm "$OUT/cells/$victim/results.json"
expect_exit 0 "resume after a lost record" -- "$TC" "${ARGS[@]}" --out "$OUT"
expect_grep "$TMP/out" "\(7 reused\)" "only the lost cell reruns"
if same_sweep "$TMP/sweep.first" "$OUT/sweep.json"; then ok; else bad "sweep.json changed after resume"; fi

# Shards partition the cells: 1/3, 2/3, 3/3 together hold each cell exactly once.
for k in 1 2 3; do
  expect_exit 0 "shard $k/3" -- "$TC" "${ARGS[@]}" --out "$TMP/shard$k" --shard $k/3
done
idx=$(cat "$TMP"/shard*/sweep.json | grep -o '"index": [0-9]*' | sort | tr '\n' ' ')
if [ "$idx" = '"index": 0 "index": 1 "index": 2 "index": 3 ' ]; then ok; else bad "shards do not partition the cells: $idx"; fi
# Slurm's array variables choose the shard when --shard is absent (task ids from 0).
SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=3 expect_exit 0 "slurm shard" -- "$TC" "${ARGS[@]}" --out "$TMP/slurm"
expect_grep "$TMP/slurm/sweep.json" '"k": 2' "SLURM_ARRAY_TASK_ID=1 is shard 2"
finish
