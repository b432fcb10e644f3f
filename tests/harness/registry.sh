#!/usr/bin/env bash
# tests/harness/registry.sh — registration cannot be forgotten, and the README's claims block is
# the catalogue.
#
# Usage: bash registry.sh THEORYCHECK_BINARY SOURCE_DIR
#   1. every family descriptor `const tc_family tc_family_X` defined under theorems/ is
#      registered by a line TC_FAMILY(X) in theorems/families.def, and every registered family
#      is listed by `theorycheck list` (a defined but unregistered family would compile, link
#      and silently be missing from the catalogue);
#   2. the README block between <!-- claims-table ... --> and <!-- /claims-table --> equals
#      `theorycheck list --format markdown` (regenerate with `make readme`).
# The family check is itself tested on a planted, unregistered descriptor.
. "$(dirname "$0")/../lib.sh"

# defined_families DIR: the X of every `const tc_family tc_family_X =` under DIR
defined_families() {
  grep -rhoE --include='*.c' 'const[[:space:]]+tc_family[[:space:]]+tc_family_[a-z0-9_]+[[:space:]]*=' "$1" |
    sed -E 's/.*tc_family_([a-z0-9_]+).*/\1/' | sort -u
}
registered_families() {
  sed -E 's#/\*.*\*/##' "$1" | grep -oE '^[[:space:]]*TC_FAMILY\([a-z0-9_]+\)' |
    sed -E 's/.*\(([a-z0-9_]+)\)/\1/' | sort -u
}
# unregistered DIR DEF: families defined under DIR and missing from DEF
unregistered() { comm -23 <(defined_families "$1") <(registered_families "$2"); }

defined=$(defined_families "$SRC/theorems")
if [ -n "$defined" ]; then ok; else bad "no family descriptor found under theorems/"; fi
missing=$(unregistered "$SRC/theorems" "$SRC/theorems/families.def")
if [ -z "$missing" ]; then ok; else bad "defined but not registered in theorems/families.def: $missing"; fi

# Self-check: a planted family in a copy of the tree must be reported.
mkdir -p "$TMP/theorems/planted"
cp -r "$SRC/theorems/." "$TMP/theorems/"
printf 'const tc_family tc_family_planted_family = {.name = "planted_family"};\n' \
  >"$TMP/theorems/planted/family.c"
if [ "$(unregistered "$TMP/theorems" "$TMP/theorems/families.def")" = planted_family ]; then ok
else bad "self-check: a planted unregistered family was not reported"; fi

# Every registered family is in the catalogue (the binary's own view of families.def).
"$TC" list --format json >"$TMP/list.json" || bad "list --format json failed"
for fam in $(registered_families "$SRC/theorems/families.def"); do
  if grep -q "\"family\": \"$fam\"" "$TMP/list.json"; then ok; else bad "family $fam has no claim in 'theorycheck list'"; fi
done

# The README's claims block is generated.
expect_exit 0 "list --format markdown" -- "$TC" list --format markdown
sed -n '/<!-- claims-table/,/<!-- \/claims-table -->/p' "$SRC/README.md" | sed '1d;$d' >"$TMP/readme.md"
if [ -s "$TMP/readme.md" ] && cmp -s "$TMP/readme.md" "$TMP/out"; then ok
else bad "README claims block differs from 'theorycheck list --format markdown' (run 'make readme')"
  diff "$TMP/readme.md" "$TMP/out" | head -10 >&2; fi
expect_exit 2 "show --format markdown is refused" -- "$TC" show max_margin --format markdown
expect_exit 2 "list --format junit is refused" -- "$TC" list --format junit
finish
