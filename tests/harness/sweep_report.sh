#!/usr/bin/env bash
# tests/harness/sweep_report.sh — a sweep's documents and verdict map: tiny 1-, 2- and 3-axis
# sweeps of max_margin write sweep.md, sweep.html (every cell, the sortable table),
# data/sweep_cells.csv and figures/verdict_map.{svg,png,pdf} titled with the claim and axes;
# `report DIR` redraws a sweep directory (and notices a cell report made since); --no-plots
# and a missing gnuplot are noted in both documents; a malformed sweep.json is refused.
. "$(dirname "$0")/../lib.sh"

SET=(--set max_margin.gd_iters=20000)
GNUPLOT=${THEORYCHECK_GNUPLOT:-gnuplot}
have_gnuplot=0
command -v "$GNUPLOT" >/dev/null 2>&1 && have_gnuplot=1

# check_sweep DIR NCELLS TITLE: documents, CSV and (with gnuplot) the three figures.
check_sweep() {
  local dir=$1 ncells=$2 title=$3
  expect_file "$dir/sweep.md" "sweep.md"
  expect_file "$dir/sweep.html" "sweep.html"
  expect_lines "$dir/data/sweep_cells.csv" $((ncells + 1)) "one CSV row per cell"
  expect_grep "$dir/data/sweep_cells.csv" '^index,.*,holds,runs,ci_lo,ci_hi,seed_dependent,hypothesis' "CSV header"
  for i in $(seq 0 $((ncells - 1))); do
    expect_grep "$dir/sweep.md" "^\| $i \|" "cell $i in sweep.md"
    expect_grep "$dir/sweep.html" "<tr[^>]*><td class=\"n\" data-v=\"$i\">" "cell $i in sweep.html"
  done
  expect_grep "$dir/sweep.html" '<table class="sortable">' "sortable table"
  expect_grep "$dir/sweep.md" '\]\(cells/max_margin-[0-9a-f]+/results.json\)' "links to cell records"
  if [ "$have_gnuplot" -eq 1 ]; then
    for ext in svg png pdf; do expect_file "$dir/figures/verdict_map.$ext" "verdict_map.$ext"; done
    expect_grep "$dir/figures/verdict_map.svg" ">max_margin<" "svg title: the claim, its own line"
    expect_grep "$dir/figures/verdict_map.svg" "$title" "svg title: what is shown"
    expect_grep "$dir/sweep.html" '<figure>' "map inlined in sweep.html"
    expect_grep "$dir/sweep.md" 'figures/verdict_map.png' "map in sweep.md"
  else
    expect_grep "$dir/sweep.md" 'gnuplot not found' "gnuplot missing noted"
  fi
}

# One axis: the key metric against a geometric range of GD steps.
D1="$TMP/one"
expect_exit 0 "1-axis sweep" -- "$TC" sweep max_margin --grid step=0.1:1.9:3:log --set max_margin.n=12 "${SET[@]}" --out "$D1"
expect_grep "$TMP/out" "report: .*/sweep.md" "sweep prints its report"
check_sweep "$D1" 3 "median direction_gap over step \(1 seed per cell\)"

# Two axes.
D2="$TMP/two"
expect_exit 0 "2-axis sweep" -- "$TC" sweep max_margin --grid n=12,16 --grid step=0.5,1 --seeds 2 "${SET[@]}" --out "$D2"
check_sweep "$D2" 4 "verdict map over n × step \(2 seeds per cell\)"

# Three axes: small multiples, one panel per value of the third.
D3="$TMP/three"
expect_exit 0 "3-axis sweep" -- "$TC" sweep max_margin --grid n=12,16 --grid step=0.5,1 --grid loss=exp,logistic "${SET[@]}" --out "$D3"
check_sweep "$D3" 8 "verdict maps over n × step"
[ "$have_gnuplot" -eq 1 ] && expect_grep "$D3/figures/verdict_map.svg" "loss = logistic" "panel title"

# `report DIR` redraws a sweep directory from sweep.json and the records alone, and links a
# cell's report.md once `report` has made one.
cp "$D2/sweep.md" "$TMP/md.before"
rm -rf "$D2/figures" "$D2/sweep.html" "$D2/data"
expect_exit 0 "report redraws a sweep" -- "$TC" report "$D2"
check_sweep "$D2" 4 "verdict map over n × step"
if cmp -s "$D2/sweep.md" "$TMP/md.before"; then ok; else bad "redrawn sweep.md differs"; fi
cell=$(ls "$D2/cells" | head -1)
expect_exit 0 "report of one cell" -- "$TC" report "$D2/cells/$cell"
expect_exit 0 "report again" -- "$TC" report "$D2"
expect_grep "$D2/sweep.md" "\(cells/$cell/report.md\)" "link to the cell's report.md"
expect_grep "$D2/sweep.html" "href=\"cells/$cell/report.html\"" "link to the cell's report.html"

# --no-plots (on the sweep and on report) and a missing gnuplot: noted, no figure.
D4="$TMP/noplots"
expect_exit 0 "sweep --no-plots" -- "$TC" sweep max_margin --grid step=0.5,1 --set max_margin.n=12 "${SET[@]}" --no-plots --out "$D4"
expect_absent "$D4/figures/verdict_map.svg" "no figure with --no-plots"
expect_grep "$D4/sweep.md" 'figures not drawn: plots disabled \(--no-plots\)' "--no-plots noted in sweep.md"
expect_grep "$D4/sweep.html" 'figures not drawn: plots disabled \(--no-plots\)' "--no-plots noted in sweep.html"
THEORYCHECK_GNUPLOT=/nonexistent/gnuplot expect_exit 0 "report without gnuplot" -- "$TC" report "$D4"
expect_grep "$D4/sweep.md" 'figures not drawn: gnuplot not found' "missing gnuplot noted"
expect_exit 0 "report --no-plots" -- "$TC" report "$D4" --no-plots
expect_grep "$D4/sweep.html" 'plots disabled' "report --no-plots noted"

# A sweep.json that is not a sweep record: exit 2, nothing written.
D5="$TMP/bad"
mkdir -p "$D5"
echo '{"schema": "theorycheck/sweep/v1", "claim": "max_margin", "axes": 3, "cells": []}' >"$D5/sweep.json"
expect_exit 2 "malformed sweep.json" -- "$TC" report "$D5"
expect_grep "$TMP/err" '"axes" is not an array' "malformed sweep.json message"
expect_absent "$D5/sweep.md" "nothing written for a malformed sweep.json"

finish
