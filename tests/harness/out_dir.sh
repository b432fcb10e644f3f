#!/usr/bin/env bash
# --out is checked before any claim runs (exit 2, one message) and replaced whole: a file, a
# read-only directory, data/ or figures/ that are files, an entry a run does not write, a path
# too long, a busy lock; a 1,005-character --out writes every file under its full name; the
# previous run's data and figures never leak into the next record; a symbolic link --out keeps
# the link; leftovers of killed runs beside --out are removed.
. "$(dirname "$0")/../lib.sh"
C=max_margin_square_loss # 0.3 s, one series, one plot

# refused CASE DIR PATTERN: exit 2, exactly one line on stderr matching PATTERN, no claim ran
refused() {
  expect_exit 2 "$1" -- "$TC" run "$C" --no-plots --out "$2"
  expect_grep "$TMP/err" "$3" "$1: message"
  expect_lines "$TMP/err" 1 "$1: one message"
  if [ -s "$TMP/out" ]; then bad "$1: the run printed a verdict table"; else ok; fi
}

expect_exit 0 "first run" -- "$TC" run "$C" --no-plots --out "$TMP/rec"
cp -a "$TMP/rec" "$TMP/rec.want"

: >"$TMP/file"
refused "--out is a file" "$TMP/file" "--out .*/file exists and is not a directory"

cp -a "$TMP/rec.want" "$TMP/ro" && chmod 555 "$TMP/ro"
refused "--out read-only (555)" "$TMP/ro" "--out .*/ro is not writable"
chmod 755 "$TMP/ro"
diff -r "$TMP/ro" "$TMP/rec.want" >/dev/null && ok || bad "a read-only --out was changed"

for entry in data figures; do
  mkdir -p "$TMP/e-$entry" && rm -rf "$TMP/e-$entry/$entry" && : >"$TMP/e-$entry/$entry"
  refused "$entry is a file" "$TMP/e-$entry" "--out .*/e-$entry: '$entry' is not a directory"
done

cp -a "$TMP/rec.want" "$TMP/mine" && echo keep >"$TMP/mine/notes.txt"
refused "a file a run does not write" "$TMP/mine" "holds 'notes.txt', which is not part of"
expect_file "$TMP/mine/notes.txt" "the user's file is kept"

# A parent that cannot be written: chmod for a user; root ignores modes, so a read-only mount.
mkdir -p "$TMP/rop"
if [ "$(id -u)" != 0 ]; then
  chmod 555 "$TMP/rop"
  refused "read-only parent" "$TMP/rop/out" "--out .*/rop/out: cannot create .*(lock|Permission)"
  chmod 755 "$TMP/rop"
elif mount -t tmpfs -o ro,size=64k tmpfs "$TMP/rop" 2>/dev/null; then
  refused "read-only parent" "$TMP/rop/out" "--out .*/rop/out: cannot create .*Read-only"
  umount "$TMP/rop"
else
  echo "note: read-only parent not checked (no mount as root here)"
fi

# 1,005 characters: every series file under its full name (fixed 1,024-byte buffers cut them).
long=$TMP
while [ ${#long} -lt 960 ]; do long=$long/$(printf 'd%.0s' $(seq 1 60)); done
long=$long/$(printf 'x%.0s' $(seq 1 $((1005 - ${#long} - 1))))
[ ${#long} -eq 1005 ] && ok || bad "long path has ${#long} characters"
expect_exit 0 "1,005-character --out" -- "$TC" run max_margin --no-plots --out "$long"
want=$(grep -o '"file": "data/[^"]*"' "$long/results.json" | sort -u | wc -l)
have=$(ls "$long/data" | wc -l)
if [ "$want" -gt 1 ] && [ "$want" -eq "$have" ]; then ok; else
  bad "1,005-character --out: $have data files for $want series"; fi
for f in $(grep -o '"file": "data/[^"]*"' "$long/results.json" | cut -d'"' -f4); do
  [ -s "$long/$f" ] || bad "missing $f"
done
# Too long for the record's names below it: refused before work, nothing created.
huge=$TMP/h
while [ ${#huge} -lt 3950 ]; do huge=$huge/$(printf 'h%.0s' $(seq 1 200)); done
refused "--out too long" "$huge" "--out .* is too long: [0-9]+ characters"
expect_absent "$TMP/h" "a refused long --out created nothing"

# The previous run's data and figures never leak: a record is one run's files only.
expect_exit 0 "other claim into the same --out" -- "$TC" run etf_definition --out "$TMP/rec"
if ls "$TMP/rec/data" | grep -q "^$C-"; then bad "old data leaked into the new record"; else ok; fi
if ls "$TMP/rec/figures" 2>/dev/null | grep -q "^$C-"; then bad "old figures leaked"; else ok; fi
expect_grep "$TMP/rec/results.json" '"id": "etf_definition"' "new record in place"

# A symbolic link: its target is replaced, the link stays.
cp -a "$TMP/rec.want" "$TMP/target" && ln -s target "$TMP/link"
expect_exit 0 "--out is a link" -- "$TC" run etf_definition --no-plots --out "$TMP/link"
if [ -L "$TMP/link" ]; then ok; else bad "the link was replaced"; fi
expect_grep "$TMP/target/results.json" '"id": "etf_definition"' "the link's target holds the record"

# Leftovers of killed runs (their pid in the name) are removed; other names are not ours.
mkdir -p "$TMP/.rec.staging.999999/data" "$TMP/.rec.old.12" "$TMP/.rec.staging.x"
: >"$TMP/.rec.staging.999999/data/part.csv.tmp.999999"
expect_exit 0 "run after a killed one" -- "$TC" run "$C" --no-plots --out "$TMP/rec"
expect_absent "$TMP/.rec.staging.999999" "leftover staging removed"
expect_absent "$TMP/.rec.old.12" "leftover old record removed"
if [ -d "$TMP/.rec.staging.x" ]; then ok; else bad "a name that is not a leftover was removed"; fi
if ls -a "$TMP" | grep -q "^\.rec\.staging\.[0-9]"; then bad "the run left its staging"; else ok; fi

# Killed between the two renames of the fallback switch (no RENAME_EXCHANGE): no --out, the
# previous record under .NAME.old.<pid>. The next run puts it back first, so interrupting that
# run leaves the previous record at --out.
mkdir -p "$TMP/fb" && cp -a "$TMP/rec.want" "$TMP/fb/.rec.old.77"
"$TC" run max_margin --no-plots --out "$TMP/fb/rec" >/dev/null 2>"$TMP/fb.err" &
pid=$!
for _ in $(seq 3000); do [ -d "$TMP/fb/.rec.staging.$pid" ] && break; sleep 0.02; done
kill -INT "$pid"; wait "$pid"; code=$?
[ "$code" = 130 ] && ok || bad "fallback leftover: exit $code, expected 130"
diff -r "$TMP/fb/rec" "$TMP/rec.want" >/dev/null && ok || bad "fallback leftover: not put back"
expect_absent "$TMP/fb/.rec.old.77" "fallback leftover moved"

# A busy lock: refused at once, naming the holder (the pid written in the lock file).
if command -v flock >/dev/null; then
  echo 4242 >"$TMP/.rec.lock"
  flock "$TMP/.rec.lock" sleep 5 &
  holder=$!
  for _ in $(seq 50); do flock -n "$TMP/.rec.lock" true || break; sleep 0.1; done
  refused "--out in use" "$TMP/rec" "--out .*/rec is in use by pid 4242"
  kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
fi
finish
