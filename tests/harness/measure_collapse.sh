#!/usr/bin/env bash
# tests/harness/measure_collapse.sh — `theorycheck measure collapse`: outputs and bad input.
#
# Usage: bash measure_collapse.sh THEORYCHECK_BINARY SOURCE_DIR
# Checks: the JSON object has exactly the documented keys; a hand-computed case (values derived
# in tests/unit/test_collapse.c: nc1 = 2/13, self-duality 2 + 1/sqrt(13), NCC mismatch 3/4
# without bias); weight metrics null without --weights; an exact simplex ETF gives zeros; header
# and comment lines are accepted; every bad input exits 2 with FILE:LINE on stderr and nothing
# on stdout.
set -u
BIN=${1:?usage: measure_collapse.sh THEORYCHECK_BINARY SOURCE_DIR}
SRC=${2:?usage: measure_collapse.sh THEORYCHECK_BINARY SOURCE_DIR}
[ -d "$SRC" ] || { echo "no source dir $SRC"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

run() { # run ARGS... ; sets rc, out, errtxt
    "$BIN" measure collapse "$@" >"$T/out" 2>"$T/err"
    rc=$?
    out=$(cat "$T/out")
    errtxt=$(cat "$T/err")
}

# value KEY: the JSON value of KEY in $out (one "key": value per line, as printed)
value() { printf '%s\n' "$out" | sed -n "s/^ *\"$1\": *\([^,]*\),\{0,1\}$/\1/p"; }

near() { # near NAME OBSERVED EXPECTED TOL
    awk -v o="$2" -v e="$3" -v t="$4" 'BEGIN { d = o - e; if (d < 0) d = -d; exit !(o != "" && d <= t) }' ||
        fail "$1: $2 observed vs $3 expected (tol $4)"
}

# ---- a hand-computed case -------------------------------------------------------------------
printf '0,1\n2,1\n-1,-1\n-1,-3\n' >"$T/F.csv"
printf '0\n0\n1\n1\n' >"$T/L.csv"
printf '1,0\n0,1\n' >"$T/W.csv"
run --features "$T/F.csv" --labels "$T/L.csv" --weights "$T/W.csv"
[ "$rc" -eq 0 ] || fail "good input: exit $rc ($errtxt)"
keys=$(printf '%s\n' "$out" | sed -n 's/^ *"\([a-z_0-9]*\)":.*/\1/p' | sort | tr '\n' ' ')
want=$(printf '%s\n' nc1 nc1_over_c equinorm_means equinorm_weights equiangularity \
    equiangularity_weights self_duality ncc_mismatch classes samples dim | sort | tr '\n' ' ')
[ "$keys" = "$want" ] || fail "keys: '$keys' vs '$want'"
[ "$(printf '%s\n' "$out" | head -c1)" = "{" ] || fail "output is not one JSON object"
near nc1 "$(value nc1)" 0.153846153846153846 1e-12
near nc1_over_c "$(value nc1_over_c)" 0.076923076923076923 1e-12
near equinorm_means "$(value equinorm_means)" 0 1e-12
near equiangularity "$(value equiangularity)" 0 1e-12
near equinorm_weights "$(value equinorm_weights)" 0 1e-12
near equiangularity_weights "$(value equiangularity_weights)" 1 1e-12
near self_duality "$(value self_duality)" 2.27735009811261456 1e-12
near ncc_mismatch "$(value ncc_mismatch)" 0.75 0
[ "$(value classes)" = 2 ] || fail "classes $(value classes)"
[ "$(value samples)" = 4 ] || fail "samples $(value samples)"
[ "$(value dim)" = 2 ] || fail "dim $(value dim)"

# without weights: weight metrics are null, the others unchanged (--opt=value form)
run --features="$T/F.csv" --labels="$T/L.csv"
[ "$rc" -eq 0 ] || fail "no weights: exit $rc ($errtxt)"
for k in equinorm_weights equiangularity_weights self_duality ncc_mismatch; do
    [ "$(value $k)" = null ] || fail "$k without weights: '$(value $k)' vs null"
done
near nc1 "$(value nc1)" 0.153846153846153846 1e-12

# ---- an exact simplex ETF (C = 3 in R^2), two samples per class, W = means; header/comments --
s=0.86602540378443865
printf '# features\nh1,h2\n1,0\n-0.5,%s\n-0.5,-%s\n1,0\n-0.5,%s\n-0.5,-%s\n' $s $s $s $s >"$T/E.csv"
printf 'label\n0\n1\n2\n\n# blank line above\n0\n1\n2\n' >"$T/EL.csv"
printf '1,0\n-0.5,%s\n-0.5,-%s\n' $s $s >"$T/EW.csv"
run --features "$T/E.csv" --labels "$T/EL.csv" --weights "$T/EW.csv"
[ "$rc" -eq 0 ] || fail "ETF: exit $rc ($errtxt)"
for k in nc1 equinorm_means equiangularity equinorm_weights equiangularity_weights \
    self_duality ncc_mismatch; do
    near "ETF $k" "$(value $k)" 0 1e-12
done
[ "$(value classes)" = 3 ] && [ "$(value samples)" = 6 ] || fail "ETF sizes"

# ---- --help ----------------------------------------------------------------------------------
run --help
[ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q -- '--features' || fail "--help (exit $rc)"

# ---- bad input: exit 2, FILE:LINE in the message, nothing on stdout --------------------------
expect_bad() { # expect_bad NAME PATTERN ARGS...
    local name=$1 pat=$2
    shift 2
    run "$@"
    [ "$rc" -eq 2 ] || fail "$name: exit $rc, expected 2 (stderr: $errtxt)"
    [ -z "$out" ] || fail "$name: wrote to stdout: $out"
    printf '%s' "$errtxt" | grep -q -- "$pat" || fail "$name: stderr '$errtxt' lacks '$pat'"
}

printf '0,1\n2,1\n-1,-1,7\n-1,-3\n' >"$T/ragged.csv"
expect_bad "ragged features" "ragged.csv:3:" --features "$T/ragged.csv" --labels "$T/L.csv"
printf '0,1\n2,x\n-1,-1\n-1,-3\n' >"$T/nonnum.csv"
expect_bad "non-numeric features" "nonnum.csv:2:" --features "$T/nonnum.csv" --labels "$T/L.csv"
printf '0,1\n2,nan\n-1,-1\n-1,-3\n' >"$T/nan.csv"
expect_bad "NaN feature" "nan.csv:2:" --features "$T/nan.csv" --labels "$T/L.csv"
: >"$T/empty.csv"
expect_bad "empty features" "empty.csv" --features "$T/empty.csv" --labels "$T/L.csv"
expect_bad "missing file" "nosuch.csv" --features "$T/nosuch.csv" --labels "$T/L.csv"
printf '0\n0\n1\n' >"$T/short.csv"
expect_bad "fewer labels" "short.csv:4:" --features "$T/F.csv" --labels "$T/short.csv"
printf '0\n0\n1\n1\n1\n' >"$T/long.csv"
expect_bad "more labels" "long.csv:5:" --features "$T/F.csv" --labels "$T/long.csv"
printf '0,1\n0,1\n1,1\n1,1\n' >"$T/twocol.csv"
expect_bad "two label columns" "twocol.csv:1:" --features "$T/F.csv" --labels "$T/twocol.csv"
printf '# c\nlabel\n0\n0\n1.5\n1\n' >"$T/frac.csv"
expect_bad "non-integer label (after comment and header)" "frac.csv:5:" \
    --features "$T/F.csv" --labels "$T/frac.csv"
printf '0\n-1\n1\n1\n' >"$T/neg.csv"
expect_bad "negative label" "neg.csv:2:" --features "$T/F.csv" --labels "$T/neg.csv"
printf '0\nabc\n1\n1\n' >"$T/word.csv"
expect_bad "non-numeric label" "word.csv:2:" --features "$T/F.csv" --labels "$T/word.csv"
printf '0\n0\n0\n0\n' >"$T/one.csv"
expect_bad "one class" "one.csv:1:" --features "$T/F.csv" --labels "$T/one.csv"
printf '0\n0\n2\n2\n' >"$T/gap.csv"
expect_bad "class without a sample" "gap.csv:4:.*class 1" --features "$T/F.csv" --labels "$T/gap.csv"
printf '0\n0\n1\n9\n' >"$T/big.csv"
expect_bad "label beyond the sample count" "big.csv:4:" --features "$T/F.csv" --labels "$T/big.csv"
printf '1,0\n0,1\n1,1\n' >"$T/W3.csv"
expect_bad "weights: too many rows" "W3.csv:3:" --features "$T/F.csv" --labels "$T/L.csv" \
    --weights "$T/W3.csv"
printf '1,0,0\n0,1,0\n' >"$T/Wc.csv"
expect_bad "weights: wrong columns" "Wc.csv:1:" --features "$T/F.csv" --labels "$T/L.csv" \
    --weights "$T/Wc.csv"
printf '1,0\n0\n' >"$T/Wr.csv"
expect_bad "weights: ragged" "Wr.csv:2:" --features "$T/F.csv" --labels "$T/L.csv" \
    --weights "$T/Wr.csv"

# ---- bad usage ------------------------------------------------------------------------------
expect_bad "unknown option" "unknown option" --features "$T/F.csv" --labels "$T/L.csv" --bias x
expect_bad "missing --labels" "labels" --features "$T/F.csv"
expect_bad "missing --features" "features" --labels "$T/L.csv"
expect_bad "option without value" "needs a file" --features "$T/F.csv" --labels
expect_bad "option twice" "twice" --features "$T/F.csv" --features "$T/F.csv" --labels "$T/L.csv"
"$BIN" measure nosuch >"$T/out" 2>"$T/err"
[ $? -eq 2 ] || fail "unknown measurement: exit not 2"

if [ "$fails" -ne 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "measure collapse: all checks passed"
