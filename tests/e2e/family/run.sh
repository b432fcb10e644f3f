#!/usr/bin/env bash
# tests/e2e/family/run.sh — end-to-end run of one claim family, so that a family can be
# iterated on alone: `ctest -R e2e/ntk` (CMake adds one test per line of theorems/families.def).
#
# Usage: bash run.sh THEORYCHECK_BINARY SOURCE_DIR SCHEMA_CHECK FAMILY
# The family's claims in the quick profile under --strict (every verdict matches its
# expectation, no skip); the record validates against the schema and names exactly the
# family's claims; every promised data file exists; no temporary file is left behind.
. "$(dirname "$0")/../../lib.sh"
CHECK=${3:?usage: run.sh THEORYCHECK_BINARY SOURCE_DIR SCHEMA_CHECK FAMILY}
FAMILY=${4:?usage: run.sh THEORYCHECK_BINARY SOURCE_DIR SCHEMA_CHECK FAMILY}
OUT="$TMP/run"

"$TC" list --format json >"$TMP/list.json"
# `list --format json` prints "id" then "family" on the next line of each entry.
ids=$(awk -v fam="$FAMILY" -F'"' '$2 == "id" { id = $4 } $2 == "family" && $4 == fam { print id }' \
      "$TMP/list.json")
if [ -n "$ids" ]; then ok; else bad "family $FAMILY has no claims"; finish; exit 1; fi

# shellcheck disable=SC2086
expect_exit 0 "$FAMILY: quick profile, strict" -- "$TC" run $ids --strict --no-plots --jobs 2 --out "$OUT"
sed 's/^/  /' "$TMP/out"
if "$CHECK" "$SRC/docs/results.schema.json" "$OUT/results.json"; then ok; else bad "schema"; fi
for id in $ids; do
  expect_grep "$OUT/results.json" "\"id\": \"$id\"" "record of $id"
done
n_ids=$(echo "$ids" | wc -w)
n_rec=$(grep -cE '^ {6}"id": ' "$OUT/results.json" || true)
if [ "$n_rec" -eq "$n_ids" ]; then ok; else bad "record holds $n_rec claims, the family $n_ids"; fi
for f in $(grep -o '"data/[^"]*\.csv"' "$OUT/results.json" | tr -d '"' | sort -u); do
  expect_file "$OUT/$f" "series $f"
done
find "$OUT" -name '*.tmp*' | grep -q . && bad "temporary files left behind" || ok
finish
