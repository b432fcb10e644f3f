#!/usr/bin/env bash
# Verdicts of the max_margin family that issue #12 fixed (findings 1 and 8, convergence gate):
#  - Soudry et al.'s own Figure 1 data (two support vectors and their negatives, whose y_n x_n
#    repeat, plus 12 points off the margin) merge the repeated samples and pass with A2 checked
#    per sample (before: skip, "degenerate data");
#  - genuinely degenerate data (a sample on the margin with alpha = 0) check A1 and report A2/A3
#    as not applicable (before: skip);
#  - runs stopped before convergence on purpose give error "inconclusive: not converged".
# The GD fault injection of finding 8 is tests/unit/test_gd_richardson.c.
. "$(dirname "$0")/../lib.sh"
J=results.json
verdict() { python3 -c "import json,sys;c=json.load(open(sys.argv[1]))['claims'][0];print(c['verdict']);print(c['reason']);[print(m['name'],m['op'],m['value'],m['ok']) for m in c['metrics']]" "$1"; }

expect_exit 0 "Figure 1 data" -- "$TC" run max_margin --data max_margin="$SRC/tests/data/soudry_fig1.csv" \
  --set max_margin.gd_iters=20000 --no-plots --jobs 1 --out "$TMP/fig1"
verdict "$TMP/fig1/$J" >"$TMP/v1"
expect_grep "$TMP/v1" "^pass$" "Figure 1 data: pass"
expect_grep "$TMP/v1" "^samples_merged info 2.0" "Figure 1 data: two repeated y_n x_n merged"
expect_grep "$TMP/v1" "^svm_margin info 1.41421356" "Figure 1 data: margin sqrt 2"
expect_grep "$TMP/v1" "^residual_sv_relerr <= .* True$" "Figure 1 data: A2 checked per sample"
expect_grep "$TMP/v1" "^gd_richardson_q <= .* True$" "Figure 1 data: GD checked"

expect_exit 0 "degenerate data" -- "$TC" run max_margin --data max_margin="$SRC/tests/data/degenerate_on_margin.csv" \
  --set max_margin.gd_iters=20000 --set max_margin.loss=exp --no-plots --jobs 1 --out "$TMP/deg"
verdict "$TMP/deg/$J" >"$TMP/v2"
expect_grep "$TMP/v2" "^pass$" "degenerate data: A1 decided"
expect_grep "$TMP/v2" "on the margin with alpha = 0.*A2 and A3 not applicable" "degenerate data: reason"
expect_grep "$TMP/v2" "^direction_gap_decrease >= .* True$" "degenerate data: A1 checked"

# symmetric data with three support vectors on a line (dependent): the gap falls to ~1e-19, below
# the integrator's resolution, which decides A1 (a decrease check alone would fail there)
expect_exit 0 "degenerate dependent data" -- "$TC" run max_margin --data max_margin="$SRC/tests/data/degenerate_dependent.csv" \
  --set max_margin.gd_iters=20000 --set max_margin.loss=exp --no-plots --jobs 1 --out "$TMP/dep"
verdict "$TMP/dep/$J" >"$TMP/v3"
expect_grep "$TMP/v3" "^pass$" "degenerate dependent data: A1 decided"
expect_grep "$TMP/v3" "^direction_gap <= .* True$" "degenerate dependent data: gap at resolution"

for c in "max_margin max_margin.max_log_t=20" "max_margin_init max_margin_init.max_log_t=20" \
         "max_margin_square_loss max_margin_square_loss.max_log_t=1"; do
  set -- $c
  expect_exit 1 "$1 too short (error exits 1)" -- "$TC" run "$1" --set "$2" --no-plots --jobs 1 --out "$TMP/short_$1"
  verdict "$TMP/short_$1/$J" >"$TMP/v_$1"
  expect_grep "$TMP/v_$1" "^error$" "$1 stopped early: error"
  expect_grep "$TMP/v_$1" "^inconclusive: not converged after" "$1 stopped early: reason"
done

# The degenerate-case rate (Soudry et al. 2018): the drift off the support vectors' span per
# doubling of log t is v, the SVM of the on-margin samples' off-span components; off the margin
# (the control) the drift stops; too short a horizon is inconclusive; non-degenerate data skip.
DR=(max_margin_degenerate_rate max_margin_degenerate_rate_off_margin)
expect_exit 0 "degenerate rate and its control" -- "$TC" run "${DR[@]}" --no-plots --jobs 2 --out "$TMP/dr"
expect_grep "$TMP/out" "max_margin_degenerate_rate +holds +pass" "degenerate rate: pass"
expect_grep "$TMP/out" "max_margin_degenerate_rate_off_margin +refuted +xfail .*drift_relerr=1" \
  "off the margin: the drift stops (xfail)"
expect_exit 0 "degenerate rate on the on-margin file" -- "$TC" run max_margin_degenerate_rate \
  --data max_margin_degenerate_rate="$SRC/tests/data/degenerate_on_margin.csv" --no-plots --out "$TMP/drf"
expect_grep "$TMP/out" "max_margin_degenerate_rate +holds +pass" "on-margin file: pass"
expect_exit 0 "degenerate rate on non-degenerate data" -- "$TC" run max_margin_degenerate_rate \
  --data max_margin_degenerate_rate="$SRC/tests/data/separable.csv" --no-plots --out "$TMP/drs"
expect_grep "$TMP/out" "reason: no sample on the margin outside the support vectors. span" "separable: skip"
expect_exit 1 "degenerate rate too short" -- "$TC" run max_margin_degenerate_rate \
  --set max_margin_degenerate_rate.max_log_t=1000 --no-plots --out "$TMP/drshort"
verdict "$TMP/drshort/$J" >"$TMP/v_dr"
expect_grep "$TMP/v_dr" "^inconclusive: not converged after log t = 1e.03" "degenerate rate short: inconclusive"
finish
