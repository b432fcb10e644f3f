#!/usr/bin/env bash
# tests/harness/sweep_hypothesis.sh — hypothesis regions in `theorycheck sweep`: a tiny
# hessian_degeneracy sweep across Theorem 4's boundary gives each cell the declared hypothesis
# (true/false, with hypothesis_why when false), the summary the boundary interval per axis and
# the count of cells where declared and measured regions disagree; the boundary is the same in
# a shard (computed over the whole grid); a claim declaring no hypothesis gives null.
. "$(dirname "$0")/../lib.sh"

# One hidden layer of 8 units, d = 6, d' = 2 (the defaults): widths [6, 8, 2]. Theorem 4's
# condition: k=1, 8*6 = 48 > n min(8, 2) = 2n, i.e. n <= 23 (k=2: 16 > 2n, weaker).
OUT="$TMP/h1"
ARGS=(sweep hessian_degeneracy --set hessian_degeneracy.widths=8 --grid samples=20,23,24,30
      --seeds 2 --no-plots)
expect_exit 0 "hessian sweep" -- "$TC" "${ARGS[@]}" --out "$OUT"
J="$OUT/sweep.json"
# Each cell: "<samples> <hypothesis> <holds>/<runs> <why or ->".
python3 - "$J" > "$TMP/cells.txt" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
for c in j["cells"]:
    h = {True: "true", False: "false", None: "null"}[c["hypothesis"]]
    print(c["params"]["samples"], h, "%d/%d" % (c["holds"], c["runs"]),
          "why" if c.get("hypothesis_why") else "-")
s = j["summary"]
print("disagree", s["hypothesis_disagree"])
print("boundary", json.dumps(s["hypothesis_boundary"], sort_keys=True))
PY
expect_grep "$TMP/cells.txt" "^20 true 2/2 -$" "n = 20 inside the region, holds"
expect_grep "$TMP/cells.txt" "^23 true 2/2 -$" "n = 23 inside the region (48 > 46), holds"
expect_grep "$TMP/cells.txt" "^24 false 0/2 why$" "n = 24 outside (48 = 48), skipped, why given"
expect_grep "$TMP/cells.txt" "^30 false 0/2 why$" "n = 30 outside"
expect_grep "$TMP/cells.txt" '^disagree 0$' "no disagreement"
expect_grep "$TMP/cells.txt" '^boundary \{"samples": \[\[23, 24\]\]\}$' "boundary between 23 and 24"
expect_grep "$J" "N_k N_{k-1} > n min\(N_k..N_\{H\+1\}\) for n = 24, d = 6, d' = 2" "why text"

# Two axes: samples x outputs. d' = 1: 48 > n for n = 20, 24 (inside); d' = 2: n <= 23. The
# hypothesis flips along samples (at d' = 2) and along outputs (at n = 24). A shard holds only
# half the cells but reports the same boundary.
for shard in "" "--shard 2/2"; do
    O="$TMP/h2${shard:+s}"
    expect_exit 0 "2-axis sweep $shard" -- "$TC" sweep hessian_degeneracy \
        --set hessian_degeneracy.widths=8 --grid samples=20,24 --grid outputs=1,2 --no-plots \
        $shard --out "$O"
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]
print(json.dumps(s["hypothesis_boundary"], sort_keys=True))
print(" ".join(str(c["hypothesis"]) for c in json.load(open(sys.argv[1]))["cells"]))' \
        "$O/sweep.json" > "$TMP/b.txt"
    expect_grep "$TMP/b.txt" '^\{"outputs": \[\[1, 2\]\], "samples": \[\[20, 24\]\]\}$' \
        "2-axis boundary $shard"
done
expect_grep "$TMP/b.txt" '^True False$' "shard 2/2: cells 1 (20, 2) and 3 (24, 2)"

# A disagreement: relu violates the slides' "rho smooth", yet lambda_min(K_bar) still grows
# linearly (the ReLU limit kernel is positive definite): hypothesis false, holds at both seeds.
O="$TMP/h4"
expect_exit 0 "ntk sweep" -- "$TC" sweep ntk_min_eig_unit_init --grid activation=erf,relu \
    --set ntk_min_eig_unit_init.widths=256,1024,4096 --seeds 2 --no-plots --out "$O"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1]))
print([(c["hypothesis"], c["holds"]) for c in j["cells"]], j["summary"]["hypothesis_disagree"],
      j["summary"]["hypothesis_boundary"])' "$O/sweep.json" > "$TMP/n.txt"
expect_grep "$TMP/n.txt" "^\[\(True, 2\), \(False, 2\)\] 1 \{'activation': \[\['erf', 'relu'\]\]\}$" \
    "relu: hypothesis false, holds at every seed: one disagreement"

# A claim that declares no hypothesis: null everywhere, disagreement null.
O="$TMP/h3"
expect_exit 0 "undeclared" -- "$TC" sweep etf_definition --grid orientations=1,2 --no-plots \
    --out "$O"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1]))
print([c["hypothesis"] for c in j["cells"]], j["summary"]["hypothesis_disagree"],
      j["summary"]["hypothesis_boundary"])' "$O/sweep.json" > "$TMP/u.txt"
expect_grep "$TMP/u.txt" '^\[None, None\] None None$' "no hypothesis declared: null"

finish
