#!/usr/bin/env bash
# A run's record is whole or absent. With a previous complete record (seed 1) at --out, a run
# (seed 2) is killed (kill -9, SIGINT, SIGTERM) while its claims run and while it draws figures;
# --out must then hold exactly the seed-1 record: results.json, report.md and report.html of one
# seed, every listed data and figure file present with the bytes of that seed's reference run,
# no temporary files. SIGINT/SIGTERM: exit 130/143, one line, no staging left. The next run
# removes a killed run's leftovers. Two concurrent runs: the second is refused at once (exit 2,
# naming the first). Disk full (a small tmpfs; root only): exit 3, one message, the previous
# record intact, nothing left.
. "$(dirname "$0")/../lib.sh"
CHECK=${3:?usage: SCRIPT THEORYCHECK_BINARY SOURCE_DIR SCHEMA_CHECK}
CLAIMS=(angle_depth norm_growth_ode max_margin_init) # ~1 s of claims, 4 figures
O=$TMP/rec # (not $TMP/out: lib.sh captures stdout there)
S() { echo "$TMP/.rec.staging.$1"; }

"$TC" run "${CLAIMS[@]}" --jobs 2 --seed 1 --out "$TMP/ref1" >/dev/null 2>&1 &
r1=$!
"$TC" run "${CLAIMS[@]}" --jobs 2 --seed 2 --out "$TMP/ref2" >/dev/null 2>&1
wait $r1 && [ -s "$TMP/ref2/results.json" ] && ok || bad "reference runs failed"
figs=0; command -v "${THEORYCHECK_GNUPLOT:-gnuplot}" >/dev/null && figs=1

# consistent NAME SEED: --out holds one complete record of SEED, as its reference run wrote it.
consistent() {
  local name=$1 want=$2 seed ref f
  seed=$(grep -o '"seed": [0-9]*' "$O/results.json" 2>/dev/null | head -1 | grep -o '[0-9]*$')
  if [ "$seed" != "$want" ]; then bad "$name: results.json seed '$seed', expected $want"; return; fi
  ref=$TMP/ref$seed
  grep -q "seed $seed " "$O/report.md" && grep -q "seed $seed " "$O/report.html" && ok ||
    bad "$name: the reports are not of seed $seed"
  "$CHECK" --claims "$O/results.json" >"$TMP/c.have"
  "$CHECK" --claims "$ref/results.json" >"$TMP/c.want"
  cmp -s "$TMP/c.have" "$TMP/c.want" && ok || bad "$name: claims differ from seed $seed's"
  diff -r "$O/data" "$ref/data" >/dev/null && ok || bad "$name: data differ from seed $seed's"
  [ "$(ls "$O/figures" 2>/dev/null)" = "$(ls "$ref/figures" 2>/dev/null)" ] && ok ||
    bad "$name: figures differ from seed $seed's"
  for f in $(grep -oE '"(data|figures)/[^"]*\.(csv|svg)"' "$O/results.json" | tr -d '"'); do
    case $f in figures/*) [ $figs = 1 ] || continue ;; esac
    [ -s "$O/$f" ] || bad "$name: listed file $f missing"
  done
  [ -z "$(find "$O" -name '*.tmp*')" ] && ok || bad "$name: temporary files in --out"
}

# start: a seed-2 run into --out in the background; $pid
start() {
  "$TC" run "${CLAIMS[@]}" --jobs 2 --seed 2 --out "$O" >"$TMP/bg.out" 2>"$TMP/bg.err" &
  pid=$!
}
# wait_for PATH: until it exists (the run's own progress marks the kill point), at most 60 s
wait_for() {
  for _ in $(seq 3000); do
    [ -e "$1" ] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.02
  done
  return 1
}

cp -a "$TMP/ref1" "$O"
# kill_at SIG POINT: POINT "claims" (staging created, still empty) or "figures"
kill_at() {
  local sig=$1 point=$2 name="$1 while $2" code want
  start
  if [ "$point" = claims ]; then wait_for "$(S $pid)"; else wait_for "$(S $pid)/figures"; fi ||
    { bad "$name: the run ended before the kill point"; wait "$pid"; return; }
  kill -"$sig" "$pid"
  wait "$pid" 2>/dev/null; code=$?
  case $sig in INT) want=130 ;; TERM) want=143 ;; KILL) want=137 ;; esac
  [ "$code" = "$want" ] && ok || bad "$name: exit $code, expected $want"
  if [ "$sig" != KILL ]; then
    expect_grep "$TMP/bg.err" "^theorycheck: interrupted \(SIG$sig\), .*/rec unchanged$" \
      "$name: message"
    expect_lines "$TMP/bg.err" 1 "$name: one line"
    sleep 0.3 # a writer or gnuplot left running would recreate files now
    expect_absent "$(S $pid)" "$name: staging removed"
  fi
  consistent "$name" 1
}
kill_at INT claims
kill_at TERM claims
kill_at KILL claims
if [ $figs = 1 ]; then
  kill_at INT figures
  kill_at TERM figures
  kill_at KILL figures
else
  echo "note: gnuplot not found: no kills while figures are drawn"
fi
sleep 1 # gnuplot of the kill -9 run may still finish its figure into the leftover staging

# Two runs into one --out: the second is refused at once; the first completes and cleans up.
start
wait_for "$(S $pid)" || bad "concurrent: the first run ended early"
t0=$(date +%s)
expect_exit 2 "concurrent run refused" -- "$TC" run max_margin_square_loss --no-plots --out "$O"
[ $(($(date +%s) - t0)) -le 5 ] && ok || bad "concurrent: the refusal was not immediate"
expect_grep "$TMP/err" "^theorycheck: --out .*/rec is in use by pid $pid$" "concurrent: holder"
expect_lines "$TMP/err" 1 "concurrent: one message"
wait "$pid" && ok || bad "concurrent: the first run failed: $(head -3 "$TMP/bg.err")"
consistent "complete run after the kills" 2
if ls -a "$TMP" | grep -qE '^\.rec\.(staging|old)\.'; then bad "leftovers beside --out"; else ok; fi

# Disk full on a small tmpfs (root only): the previous record stays, exit 3, one message.
F=$TMP/full
mkdir -p "$F"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=192k tmpfs "$F" 2>/dev/null; then
  expect_exit 0 "small previous record" -- "$TC" run etf_definition --no-plots --out "$F/rec"
  cp -a "$F/rec" "$TMP/full.want"
  expect_exit 3 "disk full, previous record" -- "$TC" run "${CLAIMS[@]}" --seed 2 --out "$F/rec"
  expect_grep "$TMP/err" "No space left on device; .*/rec unchanged$" "disk full: message"
  expect_lines "$TMP/err" 1 "disk full: one message"
  diff -r "$F/rec" "$TMP/full.want" >/dev/null && ok || bad "disk full: previous record changed"
  expect_exit 3 "disk full, no previous record" -- "$TC" run "${CLAIMS[@]}" --out "$F/new"
  expect_lines "$TMP/err" 1 "disk full, no previous: one message"
  expect_absent "$F/new" "disk full, no previous: no --out"
  if ls -a "$F" | grep -qE '\.(staging|old)\.'; then bad "disk full: staging left"; else ok; fi
  umount "$F"
else
  echo "note: disk full not checked (needs root and a tmpfs mount)"
fi
finish
