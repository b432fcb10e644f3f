#!/usr/bin/env bash
# A sweep's cells are each whole or absent and its summary is one sweep's or the previous one's.
# With a previous complete sweep (seed 1) at --out, a sweep of seed 2 is stopped (SIGINT,
# SIGTERM, kill -9) while its cells run and while its summary is drawn. Then: exit 130/143/137;
# SIGINT/SIGTERM print one line saying the finished cells are kept and the command resumes; no
# staging directory is left; the summary (sweep.json, sweep.md, sweep.html, data/, figures/)
# is exactly seed 1's. Rerunning the seed-2 command resumes: its sweep.json equals an
# uninterrupted seed-2 sweep's and no temporary file of a torn cell is left. A second sweep
# into a --out in use is refused at once (exit 2, naming the holder). The switch without
# RENAME_EXCHANGE (a file system that lacks it, simulated by a preloaded renameat2 failing with
# EINVAL) publishes the same summary, for a sweep and for a run.
. "$(dirname "$0")/../lib.sh"
ARGS=(sweep etf_definition --grid orientations=1:400:20 --set etf_definition.classes=2,3,4
      --seeds 2 --jobs 1)
O=$TMP/sw
S() { echo "$TMP/.sw.staging.$1"; }

expect_exit 0 "reference sweep, seed 1" -- "$TC" "${ARGS[@]}" --seed 1 --out "$TMP/ref1"
expect_exit 0 "reference sweep, seed 2" -- "$TC" "${ARGS[@]}" --seed 2 --out "$TMP/ref2"
strip() { grep -v 'reused' "$1"; } # how many cells were reused is the run's, not the sweep's

# same_summary NAME REF: --out's summary is REF's, byte for byte (the "reused" count aside).
same_summary() {
  local name=$1 ref=$2 f
  for f in sweep.json sweep.md sweep.html; do
    cmp -s <(strip "$O/$f") <(strip "$ref/$f") && ok || bad "$name: $f is not the expected sweep's"
  done
  diff -r "$O/data" "$ref/data" >/dev/null && ok || bad "$name: data differ"
  [ "$(ls "$O/figures" 2>/dev/null)" = "$(ls "$ref/figures" 2>/dev/null)" ] && ok ||
    bad "$name: figures differ"
}

start() {
  "$TC" "${ARGS[@]}" --seed 2 --out "$O" >"$TMP/bg.out" 2>"$TMP/bg.err" &
  pid=$!
}
wait_for() { # PATH: until it exists, at most 60 s
  for _ in $(seq 3000); do
    [ -e "$1" ] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.02
  done
  return 1
}
ncells() { ls "$1/cells" 2>/dev/null | wc -l; }

cp -a "$TMP/ref1" "$O"
# kill_at SIG POINT: "cells" (a few of seed 2's cells written) or "summary" (being drawn)
kill_at() {
  local sig=$1 point=$2 name="$1 while $2" code want n0
  n0=$(ncells "$O") # cells kept by an earlier kill count as written already: wait for new ones
  start
  if [ "$point" = cells ]; then
    for _ in $(seq 3000); do [ "$(ncells "$O")" -ge $((n0 + 3)) ] && break; sleep 0.02; done
  else
    wait_for "$(S $pid)/sweep.json" || bad "$name: the sweep ended before the kill point"
  fi
  kill -"$sig" "$pid"
  wait "$pid" 2>/dev/null; code=$?
  case $sig in INT) want=130 ;; TERM) want=143 ;; KILL) want=137 ;; esac
  [ "$code" = "$want" ] && ok || bad "$name: exit $code, expected $want"
  if [ "$sig" != KILL ]; then
    expect_grep "$TMP/bg.err" "^theorycheck: interrupted \(SIG$sig\)(: the finished cells are \
kept in .*/sw and its summary is unchanged; the same command resumes|, .*/sw unchanged)$" \
      "$name: message"
    expect_lines "$TMP/bg.err" 1 "$name: one line"
    sleep 0.3 # a writer or gnuplot left running would recreate files now
    expect_absent "$(S $pid)" "$name: staging removed"
  fi
  same_summary "$name" "$TMP/ref1"
}
kill_at INT cells
kill_at TERM cells
kill_at KILL cells

real_gnuplot=$(command -v "${THEORYCHECK_GNUPLOT:-gnuplot}" || true)
if [ -n "$real_gnuplot" ]; then
  # A slow plotter holds the summary phase open long enough to be hit, on any machine.
  printf '#!/bin/sh\nsleep 2\nexec "%s" "$@"\n' "$real_gnuplot" >"$TMP/slowplot"
  chmod +x "$TMP/slowplot"
  export THEORYCHECK_GNUPLOT=$TMP/slowplot
  kill_at INT summary
  kill_at TERM summary
  kill_at KILL summary
  sleep 2.5 # the kill -9 run's plotter may still draw into its leftover staging
  export THEORYCHECK_GNUPLOT=$real_gnuplot
else
  echo "note: gnuplot not found: no kills while the summary is drawn"
fi

# Two sweeps into one --out: the second is refused at once; the first resumes and finishes.
start
wait_for "$(S $pid)" || bad "concurrent: the first sweep ended early"
expect_exit 2 "concurrent sweep refused" -- "$TC" "${ARGS[@]}" --out "$O"
expect_grep "$TMP/err" "^theorycheck: --out .*/sw is in use by pid $pid$" "concurrent: holder"
wait "$pid" && ok || bad "concurrent: the first sweep failed: $(head -3 "$TMP/bg.err")"
same_summary "resumed after the kills" "$TMP/ref2"
grep -q '([1-9][0-9]* reused)' "$TMP/bg.out" && ok || bad "resume reused no cell"
[ -z "$(find "$O" -name '*.tmp*')" ] && ok || bad "temporary files of torn cells left"
if ls -a "$TMP" | grep -qE '^\.sw\.(staging|old)\.'; then bad "leftovers beside --out"; else ok; fi

# The switch without RENAME_EXCHANGE (tests/tools/no_exchange.c, built beside the binary).
SHIM=$(dirname "$TC")/libtc_no_exchange.so
if [ -f "$SHIM" ]; then
  export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
  cp -a "$TMP/ref1" "$TMP/fb"
  expect_exit 0 "sweep, fallback switch" -- env LD_PRELOAD="$SHIM" \
    "$TC" "${ARGS[@]}" --seed 2 --out "$TMP/fb"
  expect_grep "$TMP/err" "no_exchange: RENAME_EXCHANGE refused" "sweep: the shim was used"
  O=$TMP/fb same_summary "sweep, fallback switch" "$TMP/ref2"
  expect_exit 0 "run, first record" -- "$TC" run etf_definition --no-plots --seed 1 \
    --out "$TMP/fbrun"
  expect_exit 0 "run, fallback switch" -- env LD_PRELOAD="$SHIM" \
    "$TC" run etf_definition --no-plots --seed 2 --out "$TMP/fbrun"
  expect_grep "$TMP/err" "no_exchange: RENAME_EXCHANGE refused" "run: the shim was used"
  grep -q '"seed": 2' "$TMP/fbrun/results.json" && ok || bad "run, fallback: not the new record"
  if ls -a "$TMP" | grep -qE '^\.(fb|fbrun)\.(staging|old)\.'; then bad "fallback: leftovers"
  else ok; fi
else
  echo "note: $SHIM not built: the fallback switch is not checked"
fi
finish
