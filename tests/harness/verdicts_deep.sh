#!/usr/bin/env bash
# tests/harness/verdicts_deep.sh — the deep extensions of families H and I (issue #13):
# perturbation_deep (003 Fig. 5) and double_descent (000 Fig. 1) with their controls, in the
# quick profile: verdicts and key metrics; a run made too short (too few epochs to reach zero
# training error, or too short a period to recover from a perturbation) is `error`
# (inconclusive), never a verdict; the digits data through --data; bad input exits 2.
. "$(dirname "$0")/../lib.sh"
OUT="$TMP/o"
R="$OUT/results.json"
verdict() { echo "$(claim_get "$R" "$1" verdict) $(claim_get "$R" "$1" reason)"; }
# every metric of the last run as "claim.metric value" lines (one python call)
metrics() { python3 -c 'import json, sys
for c in json.load(open(sys.argv[1]))["claims"]:
    for m in c["metrics"]:
        print(c["id"] + "." + m["name"], repr(float(m["value"])))' "$R" >"$TMP/m"; }
# expect_metric CLAIM.METRIC AWK-CONDITION-ON-v NAME
expect_metric() {
  if awk -v k="$1" '$1 == k { v = $2 + 0; found = 1; exit !('"$2"') } END { if (!found) exit 1 }' "$TMP/m"
  then ok; else bad "$3: $(grep -F "$1 " "$TMP/m" || echo "$1 missing") fails $2"; fi
}

# the four claims, quick profile: pass, xfail, pass, xfail
expect_exit 0 "quick profile" -- "$TC" run perturbation_deep perturbation_deep_no_noise \
  double_descent double_descent_ridge --no-plots --out "$OUT"
for c in perturbation_deep double_descent; do
  verdict $c >"$TMP/v"; expect_grep "$TMP/v" "^pass" "$c passes"
done
for c in perturbation_deep_no_noise double_descent_ridge; do
  verdict $c >"$TMP/v"; expect_grep "$TMP/v" "^xfail" "$c is refuted as expected"
done
metrics
expect_metric perturbation_deep.test_loss_rise_lower_bound "v > 0" "test loss rises"
expect_metric perturbation_deep.weight_norm_rise_lower_bound "v > 0" "weight norm rises"
expect_metric perturbation_deep.train_error_max_after_rounds "v == 0" "train error recovered"
expect_metric perturbation_deep_no_noise.test_loss_rise_lower_bound "v == 0" "no noise: no rise"
expect_metric perturbation_deep_no_noise.weight_norm_rise_lower_bound "v == 0" "no noise: same norm"
expect_metric double_descent.peak_features_over_train "v == 1" "peak at N = n"
expect_metric double_descent.peak_rise_lower_bound "v > 0" "peak above the first minimum"
expect_metric double_descent.second_descent_lower_bound "v > 0" "second descent"
expect_metric double_descent.threshold_cond_log10_mean "v > 2" "ill-conditioned at the threshold"
expect_metric double_descent.train_mse_max_past_threshold "v < 1e-20" "interpolates past n"
expect_metric double_descent_ridge.peak_rise_lower_bound "v <= 0" "ridge: no peak"
expect_file "$OUT/data/perturbation_deep-trajectory.csv" "trajectory series"
expect_file "$OUT/data/double_descent-curve.csv" "curve series"
expect_file "$OUT/data/double_descent-threshold.csv" "threshold series"

# too short: inconclusive, not a verdict
expect_exit 1 "too few epochs" -- "$TC" run perturbation_deep --set perturbation_deep.max_epochs=3 --no-plots --out "$OUT"
verdict perturbation_deep >"$TMP/v"
expect_grep "$TMP/v" "^error inconclusive: not converged after 3 epochs: training error .* before the first perturbation" "too few epochs: inconclusive"
expect_exit 1 "too short a period" -- "$TC" run perturbation_deep --set perturbation_deep.period=1 --no-plots --out "$OUT"
verdict perturbation_deep >"$TMP/v"
expect_grep "$TMP/v" "^error inconclusive: not converged after 1 epochs: training error .* throughout the round after perturbation [0-9]+" "period 1: inconclusive"

# the digits (the document-like data)
expect_exit 0 "optdigits" -- "$TC" run double_descent --data double_descent="$SRC/data/optdigits.csv" --no-plots --out "$OUT"
verdict double_descent >"$TMP/v"; expect_grep "$TMP/v" "^pass" "double_descent on optdigits"
head -100 "$SRC/data/optdigits.csv" >"$TMP/small.csv"
expect_exit 0 "too little data" -- "$TC" run double_descent --data double_descent="$TMP/small.csv" --no-plots --out "$OUT"
verdict double_descent >"$TMP/v"; expect_grep "$TMP/v" "^skip the data has 100 rows" "too little data: skip"

# more training points than test and validation points (the prediction workspace holds the
# largest set: ASan checks it); 3 seeds cannot resolve anything at level 1e-6: fail, not error
expect_exit 1 "n > test, val" -- "$TC" run double_descent --set double_descent.train=80 \
  --set double_descent.test=20 --set double_descent.val=10 --set double_descent.seeds=3 \
  --set double_descent.ratios=0.5,1,2 --no-plots --out "$OUT"
verdict double_descent >"$TMP/v"; expect_grep "$TMP/v" "^fail" "n > test: a verdict"

# bad input
expect_exit 2 "noise < 0" -- "$TC" run perturbation_deep --set perturbation_deep.noise=-1 --no-plots --out "$OUT"
expect_exit 2 "train < 4" -- "$TC" run double_descent --set double_descent.train=1 --no-plots --out "$OUT"
finish
