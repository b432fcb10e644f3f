#!/usr/bin/env bash
# tests/harness/verdicts_regularised_path.sh — family M (regularised_path): the quick-profile
# verdicts with their key metrics (exponent of the gap against log(1/lambda) near -1, gap * s / C
# near 1, the square-loss control ending at the min-norm interpolant, far from the SVM), and
# where the checks turn: too few Newton iterations and a path that stops before the asymptotic
# regime are `error` (inconclusive), d < n takes the square control's interpolant away (`skip`),
# a parameter out of range exits 2.
. "$(dirname "$0")/../lib.sh"
OUT="$TMP/o"
verdict() { echo "$(claim_get "$OUT/results.json" "$1" verdict) $(claim_get "$OUT/results.json" "$1" reason)"; }
# check_quick: verdicts and key metrics of the three claims in one pass over results.json
check_quick() {
  python3 - "$OUT/results.json" <<'PY'
import json, sys
c = {x["id"]: x for x in json.load(open(sys.argv[1]))["claims"]}
m = {k: {r["name"]: r["value"] for r in v["metrics"]} for k, v in c.items()}
want = {"regularised_path": "pass", "regularised_path_logistic": "pass", "regularised_path_square": "xfail"}
bad = [f"{k}: verdict {c[k]['verdict']}, expected {v}" for k, v in want.items() if c[k]["verdict"] != v]
def within(k, name, lo, hi):
    x = m[k][name]
    if not lo <= x <= hi:
        bad.append(f"{k}.{name} = {x} not in [{lo}, {hi}]")
for k in ("regularised_path", "regularised_path_logistic"):
    within(k, "rate_exponent", -1.05, -0.95)           # the gap ~ 1 / log(1/lambda)
    within(k, "gap_times_s_over_C_at_ell_max", 0.9, 1.1)  # and its constant C
within("regularised_path_square", "gap_to_svm_at_ell_max", 0.05, 2.0)   # stays O(0.1)
within("regularised_path_square", "gap_to_minnorm_at_ell_max", 0.0, 1e-4)  # ends at G^+ 1
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
}

ALL="regularised_path regularised_path_logistic regularised_path_square"
for seed in 1 4; do
  expect_exit 0 "quick profile, seed $seed" -- "$TC" run $ALL --seed $seed --strict --no-plots --out "$OUT"
  check_quick >"$TMP/q" 2>&1 && ok || { bad "quick profile, seed $seed"; sed 's/^/  | /' "$TMP/q" >&2; }
done

expect_exit 1 "too few Newton iterations" -- "$TC" run regularised_path --set regularised_path.newton_iters=2 --no-plots --out "$OUT"
verdict regularised_path >"$TMP/v"
expect_grep "$TMP/v" "^error inconclusive: not converged after [0-9]+ Newton iterations" "too short: inconclusive"

expect_exit 1 "path stopped before the asymptotic regime" -- "$TC" run regularised_path_logistic --set regularised_path_logistic.ell_max=100 --no-plots --out "$OUT"
verdict regularised_path_logistic >"$TMP/v"
expect_grep "$TMP/v" "^error inconclusive: only [0-9]+ of 24 path points in the asymptotic regime" "short path: inconclusive"

expect_exit 0 "d < n: no interpolant" -- "$TC" run regularised_path_square --set regularised_path_square.d=8 --no-plots --out "$OUT"
verdict regularised_path_square >"$TMP/v"
expect_grep "$TMP/v" "^skip rank G = 8 < n = 16" "square control without interpolant: skip"

expect_exit 2 "points out of range" -- "$TC" run regularised_path --set regularised_path.points=1 --no-plots --out "$OUT"
finish
