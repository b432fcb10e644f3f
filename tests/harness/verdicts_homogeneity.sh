#!/usr/bin/env bash
# tests/harness/verdicts_homogeneity.sh — the homogeneity family where its verdicts turn: a
# linear network holds too (the document's other homogeneous activation); the bias control
# holds once its biases are below the bound (it measures the biases, not the set-up); tanh
# under the main claim fails (outside its declared hypothesis).
. "$(dirname "$0")/../lib.sh"
OUT="$TMP/o"
verdict() { claim_get "$OUT/results.json" "$1" verdict; }
expect_exit 0 "linear" -- "$TC" run homogeneity --set homogeneity.activation=linear --no-plots --out "$OUT"
[ "$(verdict homogeneity)" = pass ] && ok || bad "linear network: $(verdict homogeneity)"
expect_exit 1 "vanishing biases" -- "$TC" run homogeneity_bias --set homogeneity_bias.bias_scale=0 --no-plots --out "$OUT"
[ "$(verdict homogeneity_bias)" = xpass ] && ok || bad "bias 0: $(verdict homogeneity_bias)"
expect_exit 1 "tanh under the claim" -- "$TC" run homogeneity --set homogeneity.activation=tanh --no-plots --out "$OUT"
[ "$(verdict homogeneity)" = fail ] && ok || bad "tanh: $(verdict homogeneity)"
finish
