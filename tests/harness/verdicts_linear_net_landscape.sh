#!/usr/bin/env bash
# tests/harness/verdicts_linear_net_landscape.sh — family L's verdicts and where they turn:
# the quick profile's four verdicts and key numbers; runs made too short are `error`
# (inconclusive), never a verdict; Sigma with repeated eigenvalues (a hypothesis of [41]) is
# `skip`, as is L' where GD's points have no zero unit; bad values exit 2.
. "$(dirname "$0")/../lib.sh"
OUT="$TMP/o"
verdict() { echo "$(claim_get "$OUT/results.json" "$1" verdict) $(claim_get "$OUT/results.json" "$1" reason)"; }
# all metrics of the last run, one "claim.metric value" line each (one python start)
metrics() {
  python3 -c 'import json, sys
for c in json.load(open(sys.argv[1]))["claims"]:
    for m in c["metrics"]:
        print(c["id"] + "." + m["name"], m["value"])' "$OUT/results.json" >"$TMP/m"
}
metric() { awk -v k="$1.$2" '$1 == k {print $2}' "$TMP/m"; }
# check_num VALUE AWK-CONDITION-ON-v NAME
check_num() { if awk -v v="$1" "BEGIN {exit !(v != \"\" && $2)}"; then ok; else bad "$3: '$1' fails $2"; fi; }

ALL="linear_net_landscape linear_net_landscape_relu single_hidden_layer_optimality single_hidden_layer_optimality_narrow"
expect_exit 0 "quick profile" -- "$TC" run $ALL --no-plots --out "$OUT"
metrics
verdict linear_net_landscape >"$TMP/v";  expect_grep "$TMP/v" "^pass" "L passes"
verdict linear_net_landscape_relu >"$TMP/v"; expect_grep "$TMP/v" "^xfail" "ReLU control refuted"
verdict single_hidden_layer_optimality >"$TMP/v"; expect_grep "$TMP/v" "^pass" "L' passes"
verdict single_hidden_layer_optimality_narrow >"$TMP/v"; expect_grep "$TMP/v" "^xfail" "narrow control refuted"
check_num "$(metric linear_net_landscape critical_points)" "v == 16" "16 critical points for m = 5, p = 2"
check_num "$(metric linear_net_landscape spurious_minima)" "v == 0" "no spurious minimum"
check_num "$(metric linear_net_landscape global_zero_eigs)" "v == 4" "p^2 = 4 gauge directions at the minimum"
check_num "$(metric linear_net_landscape saddle_min_negative_eigs)" "v >= 1" "saddles have a negative eigenvalue"
check_num "$(metric linear_net_landscape gd_excess_over_gap_max)" "v <= 1e-3" "GD reaches the global value"
check_num "$(metric linear_net_landscape_relu spurious_active)" "v >= 1" "a spurious minimum with an active unit"
check_num "$(metric single_hidden_layer_optimality zero_units_min)" "v >= 1" "a zero unit at GD's points"
check_num "$(metric single_hidden_layer_optimality dual_gap_rel_max)" "v <= 1e-6" "dual gap closed"
check_num "$(metric single_hidden_layer_optimality_narrow polar_ratio_max)" "v > 2" "narrow: a unit can be added"
check_num "$(metric single_hidden_layer_optimality_narrow dual_gap_rel_max)" "v > 0.1" "narrow: a finite gap"

expect_exit 1 "L: too few GD steps" -- "$TC" run linear_net_landscape --set linear_net_landscape.max_iters=100 --no-plots --out "$OUT"
verdict linear_net_landscape >"$TMP/v"
expect_grep "$TMP/v" "^error inconclusive: not converged after 127 GD steps" "L too short: inconclusive"
expect_exit 1 "control: too few GD steps" -- "$TC" run linear_net_landscape_relu --set linear_net_landscape_relu.max_iters=50 --no-plots --out "$OUT"
verdict linear_net_landscape_relu >"$TMP/v"
expect_grep "$TMP/v" "^error inconclusive: not converged after 50 GD steps" "control too short: inconclusive"
expect_exit 1 "L': too few GD steps" -- "$TC" run single_hidden_layer_optimality --set single_hidden_layer_optimality.max_iters=100 --no-plots --out "$OUT"
verdict single_hidden_layer_optimality >"$TMP/v"
expect_grep "$TMP/v" "^error inconclusive: not converged after 500 GD steps" "L' too short: inconclusive"
expect_exit 1 "L': stopping rule too loose for gap_tol" -- "$TC" run single_hidden_layer_optimality --set single_hidden_layer_optimality.gtol=1e-4 --no-plots --out "$OUT"
verdict single_hidden_layer_optimality >"$TMP/v"
expect_grep "$TMP/v" "^error inconclusive: not converged: GD's stationarity error" "L' loose gtol: inconclusive"

# [41]'s hypothesis broken: a rank-2 map without noise gives Sigma a repeated eigenvalue 0
expect_exit 0 "repeated eigenvalues" -- "$TC" run linear_net_landscape --set linear_net_landscape.signal=2,1,0,0 --set linear_net_landscape.noise=0 --no-plots --out "$OUT"
verdict linear_net_landscape >"$TMP/v"
expect_grep "$TMP/v" "^skip the eigenvalues of Sigma are not resolved as distinct" "repeated eigenvalues: skip"
# L' where GD's points have no zero unit (§III-D's hypothesis): skip, at width 1 and at a
# lambda so small that the solution uses every unit
expect_exit 0 "L' at width 1" -- "$TC" run single_hidden_layer_optimality --set single_hidden_layer_optimality.width=1 --no-plots --out "$OUT"
verdict single_hidden_layer_optimality >"$TMP/v"
expect_grep "$TMP/v" "^skip no zero unit" "L' at width 1: skip"
expect_exit 0 "L' at lambda 0.1" -- "$TC" run single_hidden_layer_optimality --set single_hidden_layer_optimality.lambda=0.1 --no-plots --out "$OUT"
verdict single_hidden_layer_optimality >"$TMP/v"
expect_grep "$TMP/v" "^skip no zero unit" "L' at lambda 0.1: skip"

expect_exit 2 "p = 0 is out of range" -- "$TC" run linear_net_landscape --set linear_net_landscape.p=0 --no-plots --out "$OUT"
expect_exit 2 "negative lambda" -- "$TC" run single_hidden_layer_optimality --set single_hidden_layer_optimality.lambda=-1 --no-plots --out "$OUT"
finish
