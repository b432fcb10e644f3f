#!/usr/bin/env bash
# tests/harness/verdicts_min_norm.sh — the min_norm family's verdicts where they turn: a run
# made too short is `error` (inconclusive), never a verdict; X without a null space is `skip`;
# user data with d > n are checked; a start below the rounding floor makes the negative
# control hold (the document's "starts with small weights").
. "$(dirname "$0")/../lib.sh"
OUT="$TMP/o"
verdict() { echo "$(claim_get "$OUT/results.json" "$1" verdict) $(claim_get "$OUT/results.json" "$1" reason)"; }

expect_exit 1 "too few GD steps" -- "$TC" run min_norm --set min_norm.max_iters=50 --no-plots --out "$OUT"
verdict min_norm >"$TMP/v"
expect_grep "$TMP/v" "^error inconclusive: not converged after 50 GD steps from zero" "too short: inconclusive"

expect_exit 0 "d <= n" -- "$TC" run min_norm --set min_norm.d=10 --no-plots --out "$OUT"
verdict min_norm >"$TMP/v"
expect_grep "$TMP/v" "^skip X has full column rank" "no null space: skip"

python3 -c 'import random; random.seed(3)
print("".join(",".join(f"{random.gauss(0, 1):.6f}" for _ in range(13)) + "\n" for _ in range(6)), end="")' >"$TMP/wide.csv"
expect_exit 0 "user data, d = 12 > n = 6" -- "$TC" run min_norm min_norm_any_init --data min_norm="$TMP/wide.csv" --data min_norm_any_init="$TMP/wide.csv" --strict --no-plots --out "$OUT"
verdict min_norm >"$TMP/v"
expect_grep "$TMP/v" "^pass" "user data: min_norm passes"

expect_exit 1 "a start below rounding" -- "$TC" run min_norm_any_init --set min_norm_any_init.init_scale=1e-16 --no-plots --out "$OUT"
verdict min_norm_any_init >"$TMP/v"
expect_grep "$TMP/v" "^xpass" "the control holds for a start below the rounding floor"
finish
