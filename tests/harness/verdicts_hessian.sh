#!/usr/bin/env bash
# Verdicts of the hessian family that issue #12 fixed, decided from results.json:
#  - eq. (29) at the regularised minimiser as the document states it (definite: pass), the
#    catalogue's ">= 2 lambda" as its own reading (xfail), the zero-loss reading's negative
#    control (xfail), and the convergence gate (a Newton budget too small gives error);
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
expect_grep "$TMP/wd/results.json" '"name": "min_eig_uncertainty_a2_l4"' "uncertainty recorded"

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

finish
