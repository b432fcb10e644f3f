#!/usr/bin/env bash
# Every bad-input path of the CLI: exit code 2, one message naming the option, the value and
# what is allowed, and nothing written.
. "$(dirname "$0")/../lib.sh"
OUT="$TMP/out-dir"   # must never be created by a rejected command

expect_exit 2 "no command" -- "$TC"
expect_exit 2 "unknown command" -- "$TC" frobnicate
expect_grep "$TMP/err" "unknown command 'frobnicate'" "unknown command message"
expect_exit 2 "unknown claim" -- "$TC" run no_such_claim --out "$OUT"
expect_grep "$TMP/err" "unknown claim 'no_such_claim'" "unknown claim message"
expect_lines "$TMP/err" 1 "unknown claim: one message"
expect_exit 2 "show unknown" -- "$TC" show no_such_claim
expect_exit 2 "bad profile" -- "$TC" run max_margin --profile medium --out "$OUT"
expect_grep "$TMP/err" "--profile 'medium' is not allowed: must be quick or full" "profile message"
expect_exit 2 "bad seed" -- "$TC" run max_margin --seed -4 --out "$OUT"
expect_exit 2 "bad jobs" -- "$TC" run max_margin --jobs 0 --out "$OUT"
expect_exit 2 "bad format" -- "$TC" run max_margin --format xml --out "$OUT"
expect_exit 2 "unknown option" -- "$TC" run max_margin --fast --out "$OUT"
expect_exit 2 "missing value" -- "$TC" run max_margin --seed
expect_exit 2 "malformed --set" -- "$TC" run max_margin --set max_margin.n --out "$OUT"
expect_grep "$TMP/err" "expected CLAIM.PARAM=VALUE" "malformed --set message"
expect_exit 2 "--set unknown claim" -- "$TC" run max_margin --set nope.n=3 --out "$OUT"
expect_grep "$TMP/err" "unknown claim 'nope'" "--set unknown claim message"
expect_exit 2 "--set unknown parameter" -- "$TC" run max_margin --set max_margin.bogus=3 --out "$OUT"
expect_grep "$TMP/err" "no parameter 'bogus'" "unknown parameter message"
expect_exit 2 "--set wrong type" -- "$TC" run max_margin --set max_margin.n=abc --out "$OUT"
expect_grep "$TMP/err" "value 'abc' is not allowed: must be an integer in" "wrong type message"
expect_exit 2 "--set out of range" -- "$TC" run max_margin --set max_margin.n=1 --out "$OUT"
expect_grep "$TMP/err" "max_margin.n: value '1' is not allowed" "out of range message"
expect_exit 2 "--set non-integer" -- "$TC" run max_margin --set max_margin.n=10.5 --out "$OUT"

# config files: unreadable, syntax error, unknown claim, unknown parameter, bad value (with line)
expect_exit 2 "missing config" -- "$TC" run max_margin --config "$TMP/none.ini" --out "$OUT"
expect_grep "$TMP/err" "none.ini: cannot open" "missing config message"
printf '[max_margin]\nn = 30\nthis line is not ini\n' >"$TMP/syntax.ini"
expect_exit 2 "config syntax" -- "$TC" run max_margin --config "$TMP/syntax.ini" --out "$OUT"
expect_grep "$TMP/err" "syntax.ini:3:" "config syntax names line 3"
printf '# comment\n[nope]\nn = 3\n' >"$TMP/claim.ini"
expect_exit 2 "config unknown claim" -- "$TC" run max_margin --config "$TMP/claim.ini" --out "$OUT"
expect_grep "$TMP/err" "claim.ini:3: unknown claim \[nope\]" "config unknown claim message"
printf '[max_margin]\n\nn = zero\n' >"$TMP/value.ini"
expect_exit 2 "config bad value" -- "$TC" run max_margin --config "$TMP/value.ini" --out "$OUT"
expect_grep "$TMP/err" "value.ini:3: .*value 'zero' is not allowed" "config bad value message"
printf '[max_margin]\nsamples = 3\n' >"$TMP/param.ini"
expect_exit 2 "config unknown parameter" -- "$TC" run max_margin --config "$TMP/param.ini" --out "$OUT"
expect_grep "$TMP/err" "param.ini:2: claim max_margin has no parameter 'samples'" "config unknown param"

# data files
expect_exit 2 "data for a claim without data" -- "$TC" run max_margin_square_loss --data max_margin_square_loss=x.csv --out "$OUT"
expect_grep "$TMP/err" "takes no data" "no-data claim message"
expect_exit 2 "missing data file" -- "$TC" run max_margin --data max_margin="$TMP/none.csv" --out "$OUT"
printf '1,2,1\n3,4\n' >"$TMP/ragged.csv"
expect_exit 2 "ragged csv" -- "$TC" run max_margin --data max_margin="$TMP/ragged.csv" --out "$OUT"
expect_grep "$TMP/err" "ragged.csv:2: 2 fields, but earlier rows have 3" "ragged message"
printf 'x1,x2,y\n1,2,1\n3,abc,-1\n' >"$TMP/text.csv"
expect_exit 2 "non-numeric csv" -- "$TC" run max_margin --data max_margin="$TMP/text.csv" --out "$OUT"
expect_grep "$TMP/err" "text.csv:3: field 2 \('abc'\) is not a finite number" "non-numeric message"
printf '1,2,1\n3,4,1\n' >"$TMP/oneclass.csv"
expect_exit 2 "single class" -- "$TC" run max_margin --data max_margin="$TMP/oneclass.csv" --out "$OUT"
expect_grep "$TMP/err" "only one class" "single class message"
printf '1,2,1\n3,4,2\n' >"$TMP/labels.csv"
expect_exit 2 "bad labels" -- "$TC" run max_margin --data max_margin="$TMP/labels.csv" --out "$OUT"
expect_exit 2 "malformed --data" -- "$TC" run max_margin --data max_margin --out "$OUT"
expect_exit 2 "report of nothing" -- "$TC" report "$TMP/nothing"
expect_exit 2 "seed beyond 2^63" -- "$TC" run max_margin --seed 9223372036854775808 --out "$OUT"
# strtoull reads " -18446744073709551615" as 1: signs and blanks are refused in unsigned options
expect_exit 2 "seed with blank and sign" -- "$TC" run max_margin --seed ' -18446744073709551615' --out "$OUT"
expect_exit 2 "jobs with blank" -- "$TC" run max_margin --jobs ' 2' --out "$OUT"
expect_exit 2 "flag given a value" -- "$TC" run max_margin --strict=yes --out "$OUT"
expect_exit 2 "unknown short option" -- "$TC" run max_margin -j 2 --out "$OUT"
touch "$TMP/a-file"
expect_exit 2 "--out is a file" -- "$TC" run max_margin --out "$TMP/a-file/sub"
expect_grep "$TMP/err" "--out .*a-file/sub: cannot create the directory" "--out message"

expect_absent "$OUT" "rejected commands wrote nothing"
finish
