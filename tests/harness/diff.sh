#!/usr/bin/env bash
# tests/harness/diff.sh — `theorycheck diff OLD NEW`: identical runs exit 0 with nothing
# changed; a --set that flips a verdict (max_margin_square_loss needs d > n: d = 8 < n = 12
# makes it skip) exits 1 naming the claim; a parameter change that moves metrics without a
# verdict change exits 0 listing them; sweeps are matched cell by cell on their parameters;
# --format json; every bad input exits 2.
. "$(dirname "$0")/../lib.sh"

CLAIMS=(max_margin_square_loss etf_definition)
expect_exit 0 "run A" -- "$TC" run "${CLAIMS[@]}" --no-plots --out "$TMP/a"
expect_exit 0 "run A again" -- "$TC" run "${CLAIMS[@]}" --no-plots --out "$TMP/a2"
expect_exit 0 "run with d < n" -- "$TC" run "${CLAIMS[@]}" --no-plots --out "$TMP/skip" --set max_margin_square_loss.d=8
expect_exit 0 "run with n = 10" -- "$TC" run "${CLAIMS[@]}" --no-plots --out "$TMP/n10" --set max_margin_square_loss.n=10

expect_exit 0 "identical runs" -- "$TC" diff "$TMP/a" "$TMP/a2"
expect_grep "$TMP/out" "2 claims compared; 0 verdicts changed, 0 metrics moved" "nothing changed"

expect_exit 1 "a verdict flips" -- "$TC" diff "$TMP/a" "$TMP/skip"
expect_grep "$TMP/out" "1 verdict changed" "one verdict changed"
expect_grep "$TMP/out" "max_margin_square_loss +xfail -> skip" "the claim and its verdicts named"
if grep -q "etf_definition" "$TMP/out"; then bad "an unchanged claim is listed"; else ok; fi

# n = 10 moves the direction gaps (still refuted): exit 0, the metrics listed with their
# thresholds; the SVM's KKT defects (~1e-15 against 1e-9) move by rounding only, not listed.
expect_exit 0 "metrics move, verdicts stay" -- "$TC" diff "$TMP/a" "$TMP/n10"
expect_grep "$TMP/out" "0 verdicts changed, 2 metrics moved" "two metrics moved"
expect_grep "$TMP/out" "max_margin_square_loss +direction_gap_min +0\.0863.* <= 1e-06" "moved metric row"
if grep -q "svm_kkt" "$TMP/out"; then bad "rounding-level KKT moves listed"; else ok; fi
expect_exit 0 "a large --rtol hides them" -- "$TC" diff "$TMP/a" "$TMP/n10" --rtol 0.9
expect_grep "$TMP/out" "0 metrics moved" "--rtol 0.9"

expect_exit 1 "--format json" -- "$TC" diff "$TMP/a" "$TMP/skip" --format json
python3 - "$TMP/out" <<'PY' && ok || bad "diff --format json content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "theorycheck/diff/v1" and d["kind"] == "run" and d["compared"] == 2
assert d["verdicts"] == [{"claim": "max_margin_square_loss", "old": "xfail", "new": "skip"}], d
PY

# A claim on one side only is listed, not a verdict change.
expect_exit 0 "one claim only" -- "$TC" run etf_definition --no-plots --out "$TMP/one"
expect_exit 0 "claim only in OLD" -- "$TC" diff "$TMP/a" "$TMP/one"
expect_grep "$TMP/out" "only in .*/a:" "only-in-OLD section"

# Sweeps: cells matched by parameters. With d = 14, n = 16 loses d > n and skips.
SW=(sweep max_margin_square_loss --grid n=12,16 --no-plots)
expect_exit 0 "sweep A" -- "$TC" "${SW[@]}" --out "$TMP/sa"
expect_exit 0 "sweep B" -- "$TC" "${SW[@]}" --set max_margin_square_loss.d=14 --out "$TMP/sb"
expect_exit 0 "sweep C (other cells)" -- "$TC" sweep max_margin_square_loss --grid n=16,20 --no-plots --out "$TMP/sc"
expect_exit 0 "identical sweeps" -- "$TC" diff "$TMP/sa" "$TMP/sa"
expect_grep "$TMP/out" "2 cells compared; 0 verdicts changed, 0 metrics moved" "identical sweeps"
expect_exit 1 "a cell's verdict flips" -- "$TC" diff "$TMP/sa" "$TMP/sb"
expect_grep "$TMP/out" 'n=16 +\["xfail"\] -> \["skip"\]' "the flipped cell named"
expect_exit 0 "partly overlapping grids" -- "$TC" diff "$TMP/sa" "$TMP/sc"
expect_grep "$TMP/out" "1 cells compared" "one common cell"
expect_grep "$TMP/out" "^  n=12$" "cell only in OLD"
expect_grep "$TMP/out" "^  n=20$" "cell only in NEW"

# Bad input: exit 2 with one message.
expect_exit 0 "sweep of another claim" -- "$TC" sweep etf_definition --grid classes=3,4 --no-plots --out "$TMP/se"
expect_exit 2 "sweeps of different claims" -- "$TC" diff "$TMP/sa" "$TMP/se"
expect_grep "$TMP/err" "different claims" "different claims message"
expect_exit 2 "run against sweep" -- "$TC" diff "$TMP/a" "$TMP/sa"
expect_grep "$TMP/err" "is a run directory and NEW .* a sweep directory" "mixed kinds message"
expect_exit 2 "missing directory" -- "$TC" diff "$TMP/a" "$TMP/nowhere"
expect_grep "$TMP/err" "nowhere holds neither sweep.json nor results.json" "missing directory message"
expect_exit 2 "one directory" -- "$TC" diff "$TMP/a"
expect_exit 2 "three directories" -- "$TC" diff "$TMP/a" "$TMP/a2" "$TMP/skip"
expect_exit 2 "bad format" -- "$TC" diff "$TMP/a" "$TMP/a2" --format xml
expect_exit 2 "bad rtol" -- "$TC" diff "$TMP/a" "$TMP/a2" --rtol -1
expect_exit 2 "unknown option" -- "$TC" diff "$TMP/a" "$TMP/a2" --bogus
echo '{"schema": "other"}' >"$TMP/bogus.json"; mkdir -p "$TMP/bogus"; mv "$TMP/bogus.json" "$TMP/bogus/results.json"
expect_exit 2 "not a record" -- "$TC" diff "$TMP/a" "$TMP/bogus"
expect_grep "$TMP/err" "not a theorycheck/results/v1 record" "wrong schema message"
finish
