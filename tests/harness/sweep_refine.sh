#!/usr/bin/env bash
# tests/harness/sweep_refine.sh — `sweep --refine R`: midpoints between neighbouring cells
# whose verdicts differ, until the flip is between adjacent integers. max_margin_square_loss
# skips when d <= n (n = 12 by default) and is refuted (xfail) above: refining d = 4, 14, 24
# must find the flip at [12, 13] and report it as summary.measured_boundary.
. "$(dirname "$0")/../lib.sh"
CHECK=${3:-}

expect_exit 2 "--refine with --zip" -- "$TC" sweep max_margin --grid n=10,20 --grid step=1,2 --zip --refine 1 --out "$TMP/never"
expect_exit 2 "--refine with --shard" -- "$TC" sweep max_margin --grid n=10,20 --shard 1/2 --refine 1 --out "$TMP/never"
expect_exit 2 "--refine out of range" -- "$TC" sweep max_margin --grid n=10,20 --refine 11 --out "$TMP/never"
expect_absent "$TMP/never" "nothing written on bad input"

ARGS=(sweep max_margin_square_loss --grid d=4:24:3 --refine 5 --no-plots)
expect_exit 0 "refined sweep" -- "$TC" "${ARGS[@]}" --out "$TMP/r"
tr -d ' \n' <"$TMP/r/sweep.json" >"$TMP/flat"
expect_grep "$TMP/flat" '"measured_boundary":\{"d":\[\[12,13\]\]\}' "boundary at d = 12|13"
expect_grep "$TMP/flat" '"param":"d","values":\[4,9,11,12,13,14,24\]' "midpoints inserted, stopping at adjacent integers"
if [ -n "$CHECK" ]; then
  if "$CHECK" "$SRC/docs/sweep.schema.json" "$TMP/r/sweep.json"; then ok; else bad "schema"; fi
fi
cp "$TMP/r/sweep.json" "$TMP/first"
expect_exit 0 "refined sweep again" -- "$TC" "${ARGS[@]}" --out "$TMP/r"
expect_grep "$TMP/out" "\(3 reused\)" "the first pass reuses the grid"
if cmp -s <(grep -v '"reused"' "$TMP/first") <(grep -v '"reused"' "$TMP/r/sweep.json"); then ok
else bad "a rerun of the refined sweep differs"; fi
finish
