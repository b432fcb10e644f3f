#!/usr/bin/env bash
# tests/harness/verdicts_ntk.sh — the ntk family's verdicts rest on resolved measurements
# (issue #12, finding 7):
#   - lazy_training is decided on the movement at the end of training, with a budget in which
#     every run reaches the target (the former quick budget decided it by one run at
#     r/r0 = 0.0125 against 0.01); a budget too small for that is an error, never a verdict;
#   - ntk_exponential_convergence checks the slides' hypothesis ||Theta_k - Theta_0|| <= 1 (004,
#     "Exponential Convergence"), max_movement recorded, and is refuted on it (not on a rate
#     measured on iterates outside the ball);
#   - every training claim of the family gives "inconclusive: not converged" on a run made too
#     short on purpose (--set CLAIM.steps=small), where the hypothesis still holds.
# Each run uses its own output directory, so every grep reads one claim's record.
. "$(dirname "$0")/../lib.sh"

# expect_metric FILE NAME PYEXPR NAME: the claim's metric NAME satisfies PYEXPR in v.
expect_metric() {
  if python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['claims'][0]
v=[m['value'] for m in c['metrics'] if m['name']==sys.argv[2]]
sys.exit(0 if v and v[0] is not None and ($3) else 1)" "$1" "$2"; then ok
  else bad "$4: metric $2 does not satisfy $3"; fi
}

run() { # run NAME CLAIM [--set ...]: the claim's record in $TMP/NAME/results.json
  local name=$1 claim=$2; shift 2
  "$TC" run "$claim" "$@" --no-plots --jobs 1 --out "$TMP/$name" >"$TMP/out" 2>"$TMP/err"
}

# lazy_training at its defaults: refuted on movement, every run having reached the target.
run lazy lazy_training
R="$TMP/lazy/results.json"
expect_grep "$R" '"verdict": "xfail"' "lazy_training: refuted at the defaults"
expect_grep "$R" '"reason": "not lazy: every run reached r <= 0.01' "lazy_training: reason says every run converged"
expect_grep "$R" 'movement_width_exponent [0-9.+-]+ \+- [0-9.]+ > -0.5' "lazy_training: reason names the movement exponent"
expect_metric "$R" final_risk_over_target_max 'v[0] <= 1' "lazy_training: every run reached the target"
expect_metric "$R" runs_not_reaching_target 'v[0] == 0' "lazy_training: no run missed the target"

# A budget too small to reach the target: error, not refuted.
run lazy_short lazy_training --set lazy_training.steps=200
R="$TMP/lazy_short/results.json"
expect_grep "$R" '"verdict": "error"' "lazy_training steps=200: error"
expect_grep "$R" '"reason": "inconclusive: not converged after 200 steps' "lazy_training steps=200: reason"
run lazy_unit_short lazy_training_unit_init --set lazy_training_unit_init.steps=10
R="$TMP/lazy_unit_short/results.json"
expect_grep "$R" '"verdict": "error"' "lazy_training_unit_init steps=10: error"
expect_grep "$R" '"reason": "inconclusive: not converged after 10 steps' "lazy_training_unit_init steps=10: reason"

# ntk_exponential_convergence at its defaults: the iterates leave the slides' unit ball at
# every width; refuted on that (not on a rate measured outside the hypothesis).
run e4 ntk_exponential_convergence
R="$TMP/e4/results.json"
expect_grep "$R" '"verdict": "xfail"' "ntk_exponential_convergence: refuted"
expect_grep "$R" '"reason": "the iterates leave the slides. ball \|\|Theta_k - Theta_0\|\| <= 1' "ntk_exponential_convergence: reason names the ball"
expect_metric "$R" max_movement 'v[0] > 1' "ntk_exponential_convergence: max_movement recorded, > 1"
expect_metric "$R" widths_in_hypothesis 'v[0] < 3' "ntk_exponential_convergence: widths in the ball"

# Too short (and, for the slides' reading, a small step so that the iterates stay in the
# ball): not converged.
run e4_short ntk_exponential_convergence --set ntk_exponential_convergence.steps=10 \
  --set ntk_exponential_convergence.eta_factor=0.05
R="$TMP/e4_short/results.json"
expect_grep "$R" '"verdict": "error"' "ntk_exponential_convergence steps=10: error"
expect_grep "$R" '"reason": "inconclusive: not converged after 10 steps' "ntk_exponential_convergence steps=10: reason"
expect_metric "$R" max_movement 'v[0] <= 1' "ntk_exponential_convergence steps=10: in the ball"
run e4_unit_short ntk_exponential_convergence_unit_init \
  --set ntk_exponential_convergence_unit_init.steps=10
R="$TMP/e4_unit_short/results.json"
expect_grep "$R" '"verdict": "error"' "ntk_exponential_convergence_unit_init steps=10: error"
expect_grep "$R" '"reason": "inconclusive: not converged after 10 steps' "ntk_exponential_convergence_unit_init steps=10: reason"
expect_metric "$R" max_movement 'v[0] <= 1' "ntk_exponential_convergence_unit_init steps=10: in the ball"

finish
