#!/usr/bin/env bash
# tests/harness/inputs.sh — every input is read as written (issue #15, "Inputs read as written"):
# INI lines longer than inih's 200-byte buffer are never split (a long comment stays a comment,
# a long list is read whole, any other long line is refused with its line); the first INI error
# is reported with its own line; --config must be a regular file; a first CSV row of non-finite
# numbers is bad data, not a header; a NUL byte is refused with FILE:LINE in CSV and INI; a UTF-8
# BOM is accepted; subnormal numbers are finite numbers; `measure collapse` gives the same
# metrics at any scale of the features.
. "$(dirname "$0")/../lib.sh"
OUT="$TMP/o"
param() { claim_get "$1" "$2" params "$3"; } # param FILE CLAIM NAME: as JSON

# ---- INI -------------------------------------------------------------------------------------
python3 - "$TMP" <<'PY'
import sys; t = sys.argv[1]
open(t + '/long_comment.ini', 'w').write('[max_margin_square_loss]\n; ' + 'c' * 300 + ' n = 5\n')
sizes = ','.join(str(2 + i) for i in range(48))
open(t + '/long_list.ini', 'w').write('[etf_definition]\nclasses = ' + sizes + '  ; 48 sizes\n')
open(t + '/long_other.ini', 'w').write('[etf_definition]\n' + 'x' * 300 + '\n')
open(t + '/first.ini', 'w').write('[etf_definition]\norientations = zero\n[nope]\nx = 1\n')
open(t + '/nul.ini', 'wb').write(b'[etf_definition]\norientations = 2\x003\n')
open(t + '/bom.ini', 'wb').write(b'\xef\xbb\xbf[etf_definition]\norientations = 2\n')
PY
expect_exit 0 "a long comment" -- "$TC" run max_margin_square_loss --config "$TMP/long_comment.ini" --no-plots --out "$OUT"
if [ "$(param "$OUT/results.json" max_margin_square_loss n)" = 12 ]; then ok; else bad "the tail of a long comment became a setting"; fi
expect_exit 0 "a 48-element list on one line" -- "$TC" run etf_definition --config "$TMP/long_list.ini" --no-plots --out "$OUT"
n=$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])))' "$(param "$OUT/results.json" etf_definition classes)")
if [ "$n" = 48 ]; then ok; else bad "48-element list read as $n elements"; fi
expect_exit 2 "a long line that is not name = value" -- "$TC" run etf_definition --config "$TMP/long_other.ini" --out "$OUT"
expect_grep "$TMP/err" "long_other.ini:2: line longer than 198 characters" "long line named with its line and the limit"
expect_exit 2 "two errors" -- "$TC" run etf_definition --config "$TMP/first.ini" --out "$OUT"
expect_grep "$TMP/err" "first.ini:2: etf_definition.orientations: value 'zero'" "the first error, with its own line"
expect_exit 2 "NUL in an INI value" -- "$TC" run etf_definition --config "$TMP/nul.ini" --out "$OUT"
expect_grep "$TMP/err" "nul.ini:2: the line holds a NUL byte" "INI NUL named with its line"
expect_exit 0 "INI with a BOM" -- "$TC" run etf_definition --config "$TMP/bom.ini" --no-plots --out "$OUT"
expect_exit 2 "--config DIR" -- "$TC" run etf_definition --config "$TMP" --out "$OUT/dir"
expect_grep "$TMP/err" "not a regular file" "--config DIR message"
expect_absent "$OUT/dir" "--config DIR writes nothing"

# ---- CSV -------------------------------------------------------------------------------------
data() { "$TC" run max_margin --data max_margin="$1" --set max_margin.gd_iters=2000 --no-plots --out "$OUT"; }
printf 'nan,nan,nan\n1,2,1\n-1,-2,-1\n' >"$TMP/nan.csv"
printf '1e400,1,1\n1,2,1\n-1,-2,-1\n' >"$TMP/big.csv"
printf '1,2,1\n-1,-2\0,-1\n' >"$TMP/nul.csv"
printf '\xef\xbb\xbf1,2,1\n-1,-2,-1\n2,1,1\n' >"$TMP/bom.csv"
printf 'x,y,label\n1,2,1\n-1,-2,-1\n1e-310,3,1\n' >"$TMP/subnormal.csv"
expect_exit 2 "a first row of NaN" -- data "$TMP/nan.csv"
expect_grep "$TMP/err" "nan.csv:1: field 1 \('nan'\) is not a finite number" "NaN row is data, not a header"
expect_exit 2 "a first row that overflows" -- data "$TMP/big.csv"
expect_grep "$TMP/err" "big.csv:1: field 1 \('1e400'\)" "1e400 row is data, not a header"
expect_exit 2 "NUL in a CSV row" -- data "$TMP/nul.csv"
expect_grep "$TMP/err" "nul.csv:2: the line holds a NUL byte" "CSV NUL named with its line"
expect_exit 0 "CSV with a BOM" -- data "$TMP/bom.csv"
expect_exit 0 "a subnormal value" -- data "$TMP/subnormal.csv"
expect_exit 0 "a subnormal --set" -- "$TC" run max_margin_square_loss --set max_margin_square_loss.margin=1e-310 --no-plots --out "$OUT"
expect_exit 2 "an overflowing --set" -- "$TC" run max_margin_square_loss --set max_margin_square_loss.margin=1e400 --out "$OUT"

# ---- unsigned options: no sign, no blank -------------------------------------------------------
for v in ' -18446744073709551615' '-1' ' 2' '+2'; do
  expect_exit 2 "--seed '$v'" -- "$TC" run etf_definition --seed "$v" --out "$OUT"
  expect_exit 2 "--jobs '$v'" -- "$TC" run etf_definition --jobs "$v" --out "$OUT"
done

# ---- measure collapse at any scale -------------------------------------------------------------
python3 - "$TMP" <<'PY'
import random, sys; t = sys.argv[1]; random.seed(1)
F = [[c + random.gauss(0, .5), -c + random.gauss(0, .5), random.gauss(0, 1)] for c in [i % 3 for i in range(12)]]
for s, name in [(1, 'f1'), (1e160, 'fbig'), (1e-160, 'fsmall')]:
    open(f'{t}/{name}.csv', 'w').write(''.join(','.join(repr(x * s) for x in r) + '\n' for r in F))
open(t + '/l.csv', 'w').write(''.join(f'{i % 3}\n' for i in range(12)))
open(t + '/w.csv', 'w').write('1,0,0.1\n0,1,0.2\n-1,-1,0\n')
open(t + '/wbig.csv', 'w').write('1e300,0,1e299\n0,1e300,2e299\n-1e300,-1e300,0\n')
PY
for f in f1 fbig fsmall; do
  "$TC" measure collapse --features "$TMP/$f.csv" --labels "$TMP/l.csv" \
      --weights "$TMP/$([ $f = fbig ] && echo wbig || echo w).csv" >"$TMP/$f.json" || bad "measure $f"
done
# The features at 1e160 and 1e-160 are the same numbers rounded once more (relative 1.1e-16 per
# entry); the metrics are smooth in them, so they agree to ~1e-14 relative (1e-12 allows 100x).
python3 - "$TMP" <<'PY' || bad "measure collapse depends on the scale of the features"
import json, sys; t = sys.argv[1]
a = json.load(open(t + '/f1.json'))
for f in ('fbig', 'fsmall'):
    b = json.load(open(f'{t}/{f}.json'))
    for k, v in a.items():
        if v is None or b[k] is None or abs(b[k] - v) > 1e-12 * max(1, abs(v)):
            sys.exit(f'{f}: {k} = {b[k]} against {v} at scale 1')
PY
finish
