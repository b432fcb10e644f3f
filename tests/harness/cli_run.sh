#!/usr/bin/env bash
# The CLI's good paths: help, version, list, show, formats, skip on non-separable data,
# notes for unused values, determinism across runs and --jobs, exit codes.
. "$(dirname "$0")/../lib.sh"
CHECK=${3:?usage: SCRIPT THEORYCHECK_BINARY SOURCE_DIR SCHEMA_CHECK}

expect_exit 0 "--help" -- "$TC" --help
expect_grep "$TMP/out" "theorycheck run \[CLAIM ...\]" "help shows run"
expect_grep "$TMP/out" "max_margin: .*n=" "help lists parameters"
expect_exit 0 "--version" -- "$TC" --version
expect_grep "$TMP/out" "^theorycheck [0-9]+\.[0-9]+" "version"
expect_exit 0 "list" -- "$TC" list
expect_grep "$TMP/out" "^max_margin " "list table"
expect_exit 0 "list json" -- "$TC" list --format json
expect_grep "$TMP/out" "\"id\": \"max_margin\"" "list json"
expect_exit 0 "show" -- "$TC" show max_margin
expect_grep "$TMP/out" "quick=.* full=" "show prints defaults per profile"
expect_exit 0 "show json" -- "$TC" show max_margin --format json
expect_grep "$TMP/out" "\"allowed\"" "show json has allowed ranges"

# The README's claims table lists every registered claim (the docs cannot fall behind).
for id in $("$TC" list --format json | grep -o '"id": "[a-z0-9_]*"' | cut -d'"' -f4); do
  if grep -q "| \`$id\` |" "$SRC/README.md"; then ok; else bad "README.md does not list claim $id"; fi
done

# Non-separable user data: skip with the reason; exit 0, but 1 under --strict.
printf '0,0,1\n1,1,1\n1,0,-1\n0,1,-1\n' >"$TMP/xor.csv"
printf '[max_margin]\nbias = true\n' >"$TMP/bias.ini"
expect_exit 0 "non-separable data: skip" -- "$TC" run max_margin --data max_margin="$TMP/xor.csv" --config "$TMP/bias.ini" --out "$TMP/xor" --no-plots
expect_grep "$TMP/out" "max_margin +holds +skip" "skip verdict in the table"
expect_grep "$TMP/xor/results.json" "\"verdict\": \"skip\"" "skip in the record"
expect_grep "$TMP/xor/results.json" "not linearly separable" "skip reason"
expect_grep "$TMP/xor/results.json" "\"bias\": \"config\"" "param source config"
expect_exit 1 "non-separable data: --strict" -- "$TC" run max_margin --data max_margin="$TMP/xor.csv" --config "$TMP/bias.ini" --strict --out "$TMP/xor2" --no-plots

# User data of every kind reaches its claim and decides the verdict from the numbers.
D="$SRC/tests/data"
expect_exit 0 "binary data" -- "$TC" run max_margin --data max_margin="$D/separable.csv" --set max_margin.bias=true --out "$TMP/u1" --no-plots
expect_grep "$TMP/out" "max_margin +holds +pass" "separable user data: pass"
expect_grep "$TMP/u1/results.json" "\"data\": \".*separable.csv\"" "the record names the data file"
expect_exit 0 "target data" -- "$TC" run hessian_degeneracy --data hessian_degeneracy="$D/regression_2targets.csv" --set hessian_degeneracy.targets=2 --out "$TMP/u2" --no-plots
expect_grep "$TMP/out" "hessian_degeneracy +holds +pass" "regression user data: pass"
expect_exit 0 "feature data" -- "$TC" run ntk_limit_kernel --data ntk_limit_kernel="$D/features.csv" --out "$TMP/u3" --no-plots
expect_grep "$TMP/out" "ntk_limit_kernel +holds +pass" "feature user data: pass"
expect_exit 0 "class data" -- "$TC" run neural_collapse_mlp --data neural_collapse_mlp="$D/classes3.csv" --out "$TMP/u4" --no-plots
expect_grep "$TMP/out" "neural_collapse_mlp +refuted +(xfail|xpass)" "class user data: a verdict"
expect_exit 2 "class labels for binary claim" -- "$TC" run max_margin --data max_margin="$D/classes3.csv" --out "$TMP/u5"
expect_grep "$TMP/err" "label 2 is not -1/\+1 or 0/1" "class labels rejected for a binary claim"
expect_absent "$TMP/u5" "rejected data wrote nothing"

# A value for a claim that does not run is reported, not silently dropped.
expect_exit 0 "unused --set" -- "$TC" run max_margin_square_loss --set max_margin.n=30 --out "$TMP/unused" --no-plots
expect_grep "$TMP/err" "note: --set max_margin.n=30 is not used: claim max_margin is not run" "unused note"
expect_grep "$TMP/out" "max_margin_square_loss +refuted +xfail" "refuted control gives xfail"

# Formats on stdout
expect_exit 0 "json format" -- "$TC" run max_margin_square_loss --format json --out "$TMP/fmt" --no-plots
expect_grep "$TMP/out" "\"schema\": \"theorycheck/results/v1\"" "json on stdout"
expect_exit 0 "junit format" -- "$TC" run max_margin_square_loss --format junit --out "$TMP/fmt" --no-plots
expect_grep "$TMP/out" "<testcase classname=\"theorycheck.max_margin\" name=\"max_margin_square_loss\"" "junit on stdout"

# Determinism: same seed -> identical claims (times aside), whatever --jobs; another seed differs.
"$TC" run max_margin max_margin_init --seed 11 --jobs 1 --out "$TMP/d1" --no-plots >/dev/null 2>&1
"$TC" run max_margin max_margin_init --seed 11 --jobs 2 --out "$TMP/d2" --no-plots >/dev/null 2>&1
"$TC" run max_margin max_margin_init --seed 12 --jobs 2 --out "$TMP/d3" --no-plots >/dev/null 2>&1
"$CHECK" --claims "$TMP/d1/results.json" >"$TMP/c1"
"$CHECK" --claims "$TMP/d2/results.json" >"$TMP/c2"
"$CHECK" --claims "$TMP/d3/results.json" >"$TMP/c3"
if [ -s "$TMP/c1" ] && cmp -s "$TMP/c1" "$TMP/c2"; then ok; else bad "same seed gave different claims"; fi
if ! cmp -s "$TMP/c1" "$TMP/c3"; then ok; else bad "a different seed gave identical claims"; fi
if [ -n "$(ls "$TMP/d1/data")" ] && diff -r "$TMP/d1/data" "$TMP/d2/data" >/dev/null; then ok; else
  bad "same seed gave different series"; fi
finish
