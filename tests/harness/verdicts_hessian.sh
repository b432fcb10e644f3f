#!/usr/bin/env bash
# Verdicts of the hessian family that issue #12 fixed, decided from results.json:
#  - eq. (29) at the regularised minimiser as the document states it (definite: pass), the
#    catalogue's ">= 2 lambda" as its own reading (xfail), the zero-loss reading's negative
#    control (xfail), and the convergence gate (a Newton budget too small gives error);
#  - eq. (46): the binary128 counts do not move with tol_factor (1, 10, 1000), a scale beyond
#    binary128's resolution is an error, and the limit reading is refuted (4 distinct).
. "$(dirname "$0")/../lib.sh"

verdict() { # verdict DIR CLAIM VERDICT
  python3 - "$1/results.json" "$2" "$3" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = [c for c in d["claims"] if c["id"] == sys.argv[2]]
sys.exit(0 if c and c[0]["verdict"] == sys.argv[3] else 1)
PY
}
expect_verdict() { # expect_verdict DIR CLAIM VERDICT
  if verdict "$1" "$2" "$3"; then ok; else
    bad "$2: verdict is not $3"; grep -E '"(id|verdict|reason)"' "$1/results.json" | head -12 >&2
  fi
}

# Finding 5: the document's reading holds, the strengthening and the control are refuted.
expect_exit 0 "weight decay claims" -- "$TC" run hessian_weight_decay_minimiser \
  hessian_weight_decay_minimiser_2lambda hessian_weight_decay_nonzero_loss --no-plots \
  --jobs 1 --out "$TMP/wd"
expect_verdict "$TMP/wd" hessian_weight_decay_minimiser pass
expect_verdict "$TMP/wd" hessian_weight_decay_minimiser_2lambda xfail
expect_verdict "$TMP/wd" hessian_weight_decay_nonzero_loss xfail
# (the default lambdas are 1e-2, 1e-4, 1e-6: l3 is the last; 1e-8 is not resolved at every seed)
expect_grep "$TMP/wd/results.json" '"name": "min_eig_uncertainty_a2_l3"' "uncertainty recorded"

# Convergence gate: a Newton budget too small is inconclusive, never pass or refuted.
expect_exit 1 "newton budget 2 (error: exit 1)" -- "$TC" run hessian_weight_decay_minimiser \
  hessian_weight_decay_minimiser_2lambda --set hessian_weight_decay_minimiser.newton_iters=2 \
  --set hessian_weight_decay_minimiser_2lambda.newton_iters=2 --no-plots --jobs 1 \
  --out "$TMP/wd2"
expect_verdict "$TMP/wd2" hessian_weight_decay_minimiser error
expect_verdict "$TMP/wd2" hessian_weight_decay_minimiser_2lambda error
expect_grep "$TMP/wd2/results.json" "inconclusive: not converged after 2 Newton iterations" \
  "the reason names the budget"
expect_grep "$TMP/wd2/results.json" '"name": "grad_over_2lambda_a1_l1"' "criterion recorded"

# Finding 4: counts independent of the tolerance factor, or an error.
counts() { # counts DIR: the checked counts of hessian_exp_rank_linear, one line
  python3 - "$1/results.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = [c for c in d["claims"] if c["id"] == "hessian_exp_rank_linear"][0]
print(c["verdict"], [(m["name"], m["value"]) for m in c["metrics"] if m["op"] != "info"])
PY
}
for tf in 1 10 1000; do
  expect_exit 0 "eq. (46) tol_factor $tf" -- "$TC" run hessian_exp_rank_linear \
    --set hessian_exp_rank_linear.tol_factor=$tf --no-plots --jobs 1 --out "$TMP/lin$tf"
  expect_verdict "$TMP/lin$tf" hessian_exp_rank_linear pass
  counts "$TMP/lin$tf" >"$TMP/counts$tf"
done
if cmp -s "$TMP/counts1" "$TMP/counts10" && cmp -s "$TMP/counts10" "$TMP/counts1000"; then ok
else bad "eq. (46) counts move with tol_factor"; cat "$TMP"/counts* >&2; fi
# Beyond the defaults: a count decided at tol_factor 1000 equals the one at tol_factor 1 (the
# accuracy floor), else the claim stops with an error at that scale.
S=1,4,16,32,64,128,256,512,1024
"$TC" run hessian_exp_rank_linear --set hessian_exp_rank_linear.scales=$S \
  --set hessian_exp_rank_linear.tol_factor=1 --no-plots --jobs 1 --out "$TMP/f1" >/dev/null 2>&1
"$TC" run hessian_exp_rank_linear --set hessian_exp_rank_linear.scales=$S \
  --set hessian_exp_rank_linear.tol_factor=1000 --no-plots --jobs 1 --out "$TMP/f1000" \
  >/dev/null 2>&1
if python3 - "$TMP/f1/results.json" "$TMP/f1000/results.json" <<'PY'
import json, sys
m = [{x["name"]: x["value"] for x in json.load(open(f))["claims"][0]["metrics"]
      if x["op"] != "info"} for f in sys.argv[1:]]
sys.exit(0 if m[1] and all(m[0].get(k) == v for k, v in m[1].items()) else 1)
PY
then ok; else bad "eq. (46): a count decided at tol_factor 1000 differs from tol_factor 1"; fi

expect_exit 1 "eq. (46) beyond binary128 (error: exit 1)" -- "$TC" run hessian_exp_rank_linear \
  --set hessian_exp_rank_linear.scales=1,64 --no-plots --jobs 1 --out "$TMP/lin_far"
expect_verdict "$TMP/lin_far" hessian_exp_rank_linear error
expect_grep "$TMP/lin_far/results.json" "inconclusive: no gap at this precision" "no-gap reason"
expect_exit 0 "eq. (46) limit" -- "$TC" run hessian_exp_rank_linear_limit --no-plots --jobs 1 \
  --out "$TMP/lim"
expect_verdict "$TMP/lim" hessian_exp_rank_linear_limit xfail
expect_grep "$TMP/lim/results.json" '"name": "distinct_limit_s1",
 *"value": 4' "limit: 4 distinct"

# Convergence gate of the zero-loss points (GD + LM): a budget too small is an error.
expect_exit 1 "degeneracy, 3 GD steps and 1 LM step (error: exit 1)" -- "$TC" run \
  hessian_degeneracy --set hessian_degeneracy.gd_iters=3 --set hessian_degeneracy.lm_iters=1 \
  --no-plots --jobs 1 --out "$TMP/dg"
expect_verdict "$TMP/dg" hessian_degeneracy error
expect_grep "$TMP/dg/results.json" "inconclusive: not converged after 3 GD steps and 1 LM" \
  "degeneracy: the reason names the budget"

# The underparameterised control at the one teacher draw of 20 (run seed 953242575562029788,
# the 20-seed sweep's draw) whose double count is unresolved (0.37 decade): recounted in
# binary128 (J^T J at the zero-loss point), decided (16.5 decades): no zero eigenvalue, xfail.
expect_exit 0 "underparam, near-degenerate teacher" -- "$TC" run hessian_degeneracy_underparam \
  --seed 953242575562029788 --no-plots --jobs 1 --out "$TMP/up12"
expect_verdict "$TMP/up12" hessian_degeneracy_underparam xfail
expect_grep "$TMP/up12/results.json" '"count_stable_decades_binary128"' "underparam: decided in binary128"
finish
