#!/usr/bin/env bash
# End-to-end: every claim in the quick profile; the record validates against the schema; every
# promised file exists; the verdicts match their expectations (exit code 0 under --strict);
# `report DIR` redraws the reports from the record alone. Under the sanitizer build
# (THEORYCHECK_SANITIZED=1) the same run is made without figures, to keep CI fast.
. "$(dirname "$0")/../lib.sh"
CHECK=${3:?usage: SCRIPT THEORYCHECK_BINARY SOURCE_DIR SCHEMA_CHECK}
OUT="$TMP/run"
plots=()
[ -n "${THEORYCHECK_SANITIZED:-}" ] && plots=(--no-plots)

expect_exit 0 "quick profile, strict" -- "$TC" run --strict --out "$OUT" "${plots[@]}"
[ -s "$TMP/out" ] && sed 's/^/  /' "$TMP/out"
expect_file "$OUT/results.json" "results.json"
expect_file "$OUT/junit.xml" "junit.xml"
expect_file "$OUT/report.md" "report.md"
expect_file "$OUT/report.html" "report.html"
if "$CHECK" "$SRC/docs/results.schema.json" "$OUT/results.json"; then ok; else bad "schema"; fi
n=$("$TC" list --format json | grep -c '"id"')
expect_grep "$OUT/junit.xml" "tests=\"$n\"" "junit has one testcase per claim"
expect_grep "$OUT/report.md" "^\| \[\`max_margin\`\]" "report table lists max_margin"
for f in $(grep -o '"data/[^"]*\.csv"' "$OUT/results.json" | tr -d '"' | sort -u); do
  expect_file "$OUT/$f" "series $f"
done
if [ -z "${THEORYCHECK_SANITIZED:-}" ] && command -v gnuplot >/dev/null; then
  for f in $(grep -o '"figures/[^"]*\.svg"' "$OUT/results.json" | tr -d '"' | sort -u); do
    expect_file "$OUT/$f" "figure $f"
    expect_file "$OUT/${f%.svg}.png" "figure ${f%.svg}.png"
  done
fi
ls "$OUT" "$OUT/data" | grep -q '\.tmp' && bad "temporary files left behind" || ok

# Determinism over the whole catalogue: one job instead of several, same seed, same claims.
expect_exit 0 "quick profile, one job" -- "$TC" run --strict --jobs 1 --out "$TMP/run1" --no-plots
# "figures" lists the files written, and the one-job run draws none: compared without it.
nofigs() { "$CHECK" --claims "$1" | python3 -c 'import json, sys
c = json.load(sys.stdin)
for x in c: x.pop("figures", None)
print(json.dumps(c, indent=1, sort_keys=True))'; }
nofigs "$OUT/results.json" >"$TMP/claims-a"
nofigs "$TMP/run1/results.json" >"$TMP/claims-b"
if [ -s "$TMP/claims-a" ] && cmp -s "$TMP/claims-a" "$TMP/claims-b"; then ok; else
  bad "--jobs 1 and the default gave different claims records"
  diff "$TMP/claims-a" "$TMP/claims-b" | head -10 >&2
fi
if diff -r "$OUT/data" "$TMP/run1/data" >/dev/null; then ok; else bad "series differ between --jobs values"; fi

# report DIR: redraw from the record only (junit.xml too, byte for byte)
cp "$OUT/junit.xml" "$TMP/junit.orig"
rm -f "$OUT/report.md" "$OUT/report.html" "$OUT/junit.xml"
expect_exit 0 "report DIR" -- "$TC" report "$OUT" "${plots[@]}"
expect_file "$OUT/report.md" "report.md redrawn"
expect_file "$OUT/report.html" "report.html redrawn"
if cmp -s "$TMP/junit.orig" "$OUT/junit.xml"; then ok; else bad "report DIR rebuilt a different junit.xml"; fi
finish
