#!/usr/bin/env bash
# Seed robustness: a verdict must not depend on the run seed. The whole quick catalogue is run
# under seeds that once exposed seed-dependent verdicts (8: dead ReLU initialisation; 13:
# ReLU settling ratio; 14: tanh' underflow and a pattern-dependent Hessian zero; 19: GD
# divergence under the 1/n NTK initialisation) and must still give only pass/xfail.
# (A 40-seed sweep of the catalogue is in the session notes; this keeps the regressions.)
# Skipped in the sanitizer build, which runs the catalogue in run_all.sh already.
. "$(dirname "$0")/../lib.sh"
if [ -n "${THEORYCHECK_SANITIZED:-}" ]; then
  echo "skipped under the sanitizer build"
  finish
  exit $?
fi
for seed in 8 13 14 19; do
  expect_exit 0 "seed $seed, strict" -- "$TC" run --strict --seed "$seed" --no-plots --out "$TMP/s$seed"
  grep -E " (fail|xpass|error|skip) " "$TMP/out" | sed "s/^/  seed $seed: /" >&2
done
finish
