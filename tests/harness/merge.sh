#!/usr/bin/env bash
# tests/harness/merge.sh — `theorycheck merge`: the shards 1/3, 2/3, 3/3 of a small sweep
# merge into the unsharded run's sweep.json ("reused" aside); the merged directory is a sweep
# directory (`sweep` reuses all its cells, merge re-reads it); a missing shard is exit 2 with
# the missing cells listed and nothing written; --partial writes the holes; shards of
# different sweeps are refused naming the field; bad input of every kind is exit 2.
. "$(dirname "$0")/../lib.sh"

ARGS=(sweep max_margin --grid n=12,20 --grid step=0.5,1 --seeds 2 --set max_margin.gd_iters=20000 --no-plots)
same_sweep() { cmp -s <(grep -v '"reused"' "$1") <(grep -v '"reused"' "$2"); }

expect_exit 0 "unsharded sweep" -- "$TC" "${ARGS[@]}" --out "$TMP/full" --jobs 2
for k in 1 2 3; do
  expect_exit 0 "shard $k/3" -- "$TC" "${ARGS[@]}" --out "$TMP/s$k" --shard $k/3 --jobs 2
done

# Shard order on the command line does not matter.
expect_exit 0 "merge 3 shards" -- "$TC" merge "$TMP/s3" "$TMP/s1" "$TMP/s2" --out "$TMP/m"
expect_grep "$TMP/out" "4 of 4 cells: holds everywhere 4" "merge summary line"
if same_sweep "$TMP/full/sweep.json" "$TMP/m/sweep.json"; then ok; else
  bad "merged sweep.json differs from the unsharded one"; diff "$TMP/full/sweep.json" "$TMP/m/sweep.json" | head >&2; fi
n=$(ls "$TMP/m/cells" | wc -l); if [ "$n" -eq 8 ]; then ok; else bad "8 cell-seed records expected in OUT/cells, got $n"; fi
expect_grep "$TMP/m/sweep.json" '"shard": null' "merged sweep has no shard"

# The merged directory is a sweep directory: `sweep` reuses every cell and writes the same file;
# merging it again (with a shard it already holds) changes nothing.
expect_exit 0 "sweep over the merged directory" -- "$TC" "${ARGS[@]}" --out "$TMP/m"
expect_grep "$TMP/out" "\(8 reused\)" "every merged cell reused"
if same_sweep "$TMP/full/sweep.json" "$TMP/m/sweep.json"; then ok; else bad "sweep over merged dir changed sweep.json"; fi
expect_exit 0 "re-merge a merged directory" -- "$TC" merge "$TMP/m" "$TMP/s2" --out "$TMP/m2"
if same_sweep "$TMP/full/sweep.json" "$TMP/m2/sweep.json"; then ok; else bad "re-merged sweep.json differs"; fi
expect_exit 0 "merge into one of its inputs" -- "$TC" merge "$TMP/m" --out "$TMP/m"
if same_sweep "$TMP/full/sweep.json" "$TMP/m/sweep.json"; then ok; else bad "merge in place changed sweep.json"; fi

# A missing shard: exit 2, the missing cells named (shard 2/3 holds cell 1), nothing written.
expect_exit 2 "missing shard" -- "$TC" merge "$TMP/s1" "$TMP/s3" --out "$TMP/hole"
expect_grep "$TMP/err" "1 of 4 cells missing \(no shard has them\): 1$" "missing cells listed"
expect_absent "$TMP/hole" "nothing written when cells are missing"

# --partial writes the map with the hole marked, and the summary counts it.
expect_exit 0 "partial merge" -- "$TC" merge "$TMP/s1" "$TMP/s3" --out "$TMP/hole" --partial
expect_grep "$TMP/err" "--partial: 1 of 4 cells missing: 1" "partial warning"
expect_grep "$TMP/hole/sweep.json" '"missing": true' "missing cell marked"
expect_grep "$TMP/hole/sweep.json" '"missing": 1$' "summary counts the missing cell"
expect_grep "$TMP/hole/sweep.json" '"cells": 3,?$' "summary counts the present cells"
python3 - "$TMP/hole/sweep.json" <<'PY' && ok || bad "partial sweep.json: the hole's params"
import json, sys
s = json.load(open(sys.argv[1]))
hole = [c for c in s["cells"] if c.get("missing")]
assert [c["index"] for c in s["cells"]] == [0, 1, 2, 3]
assert hole == [{"index": 1, "params": {"n": 12, "step": 1.0}, "missing": True}], hole
PY
# ... and the hole filled by the missing shard later gives the full sweep.
expect_exit 0 "fill the hole" -- "$TC" merge "$TMP/hole" "$TMP/s2" --out "$TMP/filled"
if same_sweep "$TMP/full/sweep.json" "$TMP/filled/sweep.json"; then ok; else bad "filled partial differs"; fi

# Shards of different sweeps: refused naming the field, nothing written.
expect_exit 0 "other seeds" -- "$TC" "${ARGS[@]}" --seeds 3 --out "$TMP/o_seeds" --shard 2/3
expect_exit 0 "other axes" -- "$TC" "${ARGS[@]/step=0.5,1/step=0.5,1.5}" --out "$TMP/o_axes" --shard 2/3
expect_exit 0 "other seed" -- "$TC" "${ARGS[@]}" --seed 7 --out "$TMP/o_seed" --shard 2/3
expect_exit 0 "other shard count" -- "$TC" "${ARGS[@]}" --out "$TMP/o_n" --shard 2/2
for f in seeds axes seed; do
  expect_exit 2 "different $f" -- "$TC" merge "$TMP/s1" "$TMP/o_$f" "$TMP/s3" --out "$TMP/never"
  expect_grep "$TMP/err" "belong to different sweeps: field '$f' differs" "field $f named"
done
expect_exit 2 "different shard count" -- "$TC" merge "$TMP/s1" "$TMP/o_n" --out "$TMP/never"
expect_grep "$TMP/err" "field 'shard.n' differs" "field shard.n named"
# ... and shards run with another --set, which sweep.json does not record: told apart by the
# records' keys.
expect_exit 0 "other --set" -- "$TC" "${ARGS[@]/gd_iters=20000/gd_iters=20001}" --out "$TMP/o_set" --shard 2/3
expect_exit 2 "different --set" -- "$TC" merge "$TMP/s1" "$TMP/o_set" "$TMP/s3" --out "$TMP/never"
expect_grep "$TMP/err" "field 'param gd_iters' differs \(--set, --config or --data\)" "--set difference named"
for f in claim profile version zip; do
  mkdir -p "$TMP/edit_$f"
  python3 - "$TMP/s2/sweep.json" "$TMP/edit_$f/sweep.json" "$f" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s[sys.argv[3]] = {"claim": "norm_growth", "profile": "full", "version": "0.0.0", "zip": True}[sys.argv[3]]
json.dump(s, open(sys.argv[2], "w"), indent=2)
PY
  expect_exit 2 "different $f" -- "$TC" merge "$TMP/s1" "$TMP/edit_$f" "$TMP/s3" --out "$TMP/never"
  expect_grep "$TMP/err" "field '$f' differs" "field $f named"
done

# Bad input: exit 2, nothing written.
expect_exit 2 "no --out" -- "$TC" merge "$TMP/s1"
expect_grep "$TMP/err" "needs --out DIR" "no --out message"
expect_exit 2 "no directory" -- "$TC" merge --out "$TMP/never"
expect_exit 2 "unknown option" -- "$TC" merge "$TMP/s1" --bogus --out "$TMP/never"
expect_exit 2 "not a sweep directory" -- "$TC" merge "$TMP/nowhere" --out "$TMP/never"
expect_grep "$TMP/err" "nowhere/sweep.json" "missing sweep.json named"
mkdir -p "$TMP/lost"; cp -r "$TMP/s2/sweep.json" "$TMP/s2/cells" "$TMP/lost/"
rm "$TMP/lost/cells/$(ls "$TMP/lost/cells" | head -1)/results.json"
expect_exit 2 "a shard lost a record" -- "$TC" merge "$TMP/s1" "$TMP/lost" "$TMP/s3" --out "$TMP/never"
expect_grep "$TMP/err" "results.json is missing or unreadable" "lost record named"
mkdir -p "$TMP/evil"; sed 's|"cells/max_margin-|"cells/../../max_margin-|' "$TMP/s2/sweep.json" >"$TMP/evil/sweep.json"
expect_exit 2 "record path outside the shard" -- "$TC" merge "$TMP/s1" "$TMP/evil" "$TMP/s3" --out "$TMP/never"
expect_grep "$TMP/err" "bad record path" "bad record path refused"
expect_absent "$TMP/never" "nothing written on bad input"
finish
