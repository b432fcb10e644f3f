#!/usr/bin/env bash
# tests/harness/verdicts_sgd_rate.sh — the sgd_rate family's verdicts and where they turn: the
# claim passes with its key numbers in range (also on the linear worst case a = 0, s = 0.5);
# the two controls are refuted by the mechanism their reasons name; too few runs leave the
# bound unresolved (`error` inconclusive, never a verdict); a gradient bound above 1 or a ripple
# in the convex claim is `skip`; the last-iterate control holds (xpass) in its small-step band;
# bad input exits 2.
. "$(dirname "$0")/../lib.sh"
OUT="$TMP/o"
verdict() { python3 -c 'import json, sys
c = {x["id"]: x for x in json.load(open(sys.argv[1]))["claims"]}[sys.argv[2]]
print(c["verdict"], c["reason"])' "$OUT/results.json" "$1"; }
# in_range "CLAIM METRIC LO HI" ...: each metric of the last run within [LO, HI] (one python)
in_range() {
  if python3 - "$OUT/results.json" "$@" >"$TMP/r" <<'PY'
import json, sys
cs = {x["id"]: {m["name"]: m["value"] for m in x["metrics"]} for x in json.load(open(sys.argv[1]))["claims"]}
bad = [f"{c} {m} = {cs[c][m]} not in [{lo}, {hi}]" for c, m, lo, hi in (a.split() for a in sys.argv[2:])
       if not float(lo) <= cs[c][m] <= float(hi)]
print("\n".join(bad)); sys.exit(1 if bad else 0)
PY
  then ok; else bad "$(cat "$TMP/r")"; fi
}

expect_exit 0 "quick family" -- "$TC" run sgd_rate sgd_rate_last_iterate sgd_rate_nonconvex --no-plots --out "$OUT"
verdict sgd_rate >"$TMP/v";              expect_grep "$TMP/v" "^pass" "sgd_rate passes"
verdict sgd_rate_last_iterate >"$TMP/v"; expect_grep "$TMP/v" "^xfail .*rate_exponent" "last iterate refuted by its rate"
verdict sgd_rate_nonconvex >"$TMP/v";    expect_grep "$TMP/v" "^xfail .*bound_ratio" "non-convex refuted by the bound"
# the averaged iterate: sqrt(K) E[excess] ~ 0.45 (the theorem allows 1), exponent ~ -1/2
in_range "sgd_rate bound_ratio 0.3 0.7" "sgd_rate rate_exponent -0.55 -0.42" \
  "sgd_rate dnorm_max 0.5 1.0000000000000002" "sgd_rate_last_iterate rate_exponent -0.1 0.1" \
  "sgd_rate_nonconvex bound_ratio 5 12"

expect_exit 0 "linear worst case" -- "$TC" run sgd_rate --set sgd_rate.curvature=0 --set sgd_rate.noise=0.5 --set sgd_rate.ks=16,64,256 --no-plots --out "$OUT"
verdict sgd_rate >"$TMP/v"; expect_grep "$TMP/v" "^pass" "linear r: passes"
in_range "sgd_rate bound_ratio 0.45 0.65"

expect_exit 1 "too few runs" -- "$TC" run sgd_rate --set sgd_rate.runs=20 --no-plots --out "$OUT"
verdict sgd_rate >"$TMP/v"
expect_grep "$TMP/v" "^error inconclusive: sqrt\(K\) E\[excess\] is .* upper bound .* above 1 with 20 runs" "too few runs: inconclusive"

expect_exit 0 "gradient bound above 1" -- "$TC" run sgd_rate --set sgd_rate.noise=0.5 --no-plots --out "$OUT"
verdict sgd_rate >"$TMP/v"; expect_grep "$TMP/v" "^skip \|\|D\|\| <= 1 a.s. is not guaranteed" "||D|| > 1: skip"
expect_exit 0 "ripple in the convex claim" -- "$TC" run sgd_rate --set sgd_rate.ripple=0.01 --set sgd_rate.noise=0.3 --no-plots --out "$OUT"
verdict sgd_rate >"$TMP/v"; expect_grep "$TMP/v" "^skip r is not convex" "ripple: skip"

expect_exit 1 "small constant step" -- "$TC" run sgd_rate_last_iterate --set sgd_rate_last_iterate.eta0=0.1 --set sgd_rate_last_iterate.ks=16,64,256 --no-plots --out "$OUT"
verdict sgd_rate_last_iterate >"$TMP/v"; expect_grep "$TMP/v" "^xpass" "the last iterate holds in its small-step band"

expect_exit 2 "bad input" -- "$TC" run sgd_rate --set sgd_rate.noise=-1 --no-plots --out "$OUT"
expect_exit 2 "bad K list" -- "$TC" run sgd_rate --set sgd_rate.ks=2,8 --no-plots --out "$OUT"
expect_exit 1 "two budgets only" -- "$TC" run sgd_rate --set sgd_rate.ks=16,64 --no-plots --out "$OUT"
verdict sgd_rate >"$TMP/v"; expect_grep "$TMP/v" "^error the rate fit needs at least 3 budgets" "two budgets: error"
finish
