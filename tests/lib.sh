# tests/lib.sh — tiny assertion helpers for the CLI and end-to-end tests (sourced, not a test).
# Each test script is run by ctest as: bash SCRIPT THEORYCHECK_BINARY SOURCE_DIR
set -u
TC=${1:?usage: SCRIPT THEORYCHECK_BINARY SOURCE_DIR}
SRC=${2:?usage: SCRIPT THEORYCHECK_BINARY SOURCE_DIR}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
passes=0

ok()   { passes=$((passes + 1)); }
bad()  { failures=$((failures + 1)); echo "FAIL: $*" >&2; }

# expect_exit CODE NAME -- CMD...: run CMD, capture stdout/stderr in $TMP/out, $TMP/err.
expect_exit() {
  local want=$1 name=$2; shift 3
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok; else
    bad "$name: exit $got, expected $want"; sed 's/^/  stderr: /' "$TMP/err" | head -5 >&2
  fi
}

# expect_grep FILE PATTERN NAME
expect_grep() {
  if grep -qE -- "$2" "$1"; then ok; else bad "$3: '$2' not found in $(basename "$1")"; sed 's/^/  | /' "$1" | head -5 >&2; fi
}

# expect_lines FILE N NAME: the file has exactly N lines
expect_lines() {
  local n; n=$(wc -l <"$1")
  if [ "$n" -eq "$2" ]; then ok; else bad "$3: $n lines, expected $2"; sed 's/^/  | /' "$1" | head -5 >&2; fi
}

expect_absent() { if [ ! -e "$1" ]; then ok; else bad "$2: $1 exists"; fi; }
expect_file()   { if [ -s "$1" ]; then ok; else bad "$2: $1 missing or empty"; fi; }

# claim_get FILE CLAIM KEY...: a field of claim CLAIM's record in FILE (a results.json), keys
# descending into it (claim_get r.json min_norm params n); strings raw, anything else as JSON.
claim_get() {
  python3 -c 'import json, sys
c = {x["id"]: x for x in json.load(open(sys.argv[1]))["claims"]}[sys.argv[2]]
for k in sys.argv[3:]:
    c = c[k]
print(c if isinstance(c, str) else json.dumps(c))' "$@"
}

finish() {
  echo "$passes passed, $failures failed"
  [ "$failures" -eq 0 ]
}
