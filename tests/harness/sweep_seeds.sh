#!/usr/bin/env bash
# tests/harness/sweep_seeds.sh — `sweep --all --seeds N` (seed robustness): claims whose
# verdict is the same under every seed pass (exit 0); a claim made seed-dependent is listed and
# fails the command (exit 1); bad input is refused.
. "$(dirname "$0")/../lib.sh"

expect_exit 2 "--all with --grid" -- "$TC" sweep --all --grid n=1 --out "$TMP/never"
expect_exit 2 "--all with --shard" -- "$TC" sweep --all --shard 1/2 --out "$TMP/never"
expect_absent "$TMP/never" "nothing written on bad input"

expect_exit 0 "stable claims" -- "$TC" sweep --all max_margin etf_definition --seeds 3 --no-plots --out "$TMP/ok"
expect_grep "$TMP/out" "2 claims x 3 seeds: 0 depend on the seed" "summary line"
expect_file "$TMP/ok/seeds.json" "seeds.json"
for k in 0 1 2; do expect_file "$TMP/ok/seed-$k/results.json" "record of seed $k"; done
expect_grep "$TMP/ok/seed-0/results.json" '"seed": 20180629' "seed 0 is --seed itself"
n=$(grep -c '"seed_dependent": false' "$TMP/ok/seeds.json"); [ "$n" -eq 2 ] && ok || bad "2 stable claims expected, $n"

# ntk_min_eig with 2 repetitions cannot resolve its slope at every seed (an inconclusive
# error at some, the verdict at others): exactly what this command is for.
expect_exit 1 "seed-dependent claim" -- "$TC" sweep --all ntk_min_eig --set ntk_min_eig.seeds=2 --seeds 2 --no-plots --out "$TMP/dep"
expect_grep "$TMP/out" "seed-dependent: ntk_min_eig" "the claim is listed"
expect_grep "$TMP/dep/seeds.json" '"seed_dependent": \[' "seeds.json lists it"
finish
