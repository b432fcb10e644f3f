#!/usr/bin/env bash
# Verdicts of the 'angle' family that issue #12 (finding 6) pins down:
# angle_intrinsic_dimension is decided by the exact rank of the image of the data's tangent
# space (numerics/local_rank.h), not by the Levina-Bickel estimate. It must pass for every
# subspace_dim the parameters allow (1..8; before the fix k = 4 failed on the estimator's
# 3.99 -> 5.24 creep), with its counts resolved; the noise control must still be caught by the
# same measurement (excess 4 = the ball's extra offsets), and a ball too large to stay in one
# linear region, or a radius at rounding level, must give an inconclusive error, not a verdict.
# Small runs (points 200, seeds 1, depth 4) keep this under ~10 s.
. "$(dirname "$0")/../lib.sh"

# verdict FILE CLAIM WANT [METRIC OP VALUE]...: the claim's verdict is WANT and each metric
# compares as stated (python3 reads results.json).
verdict() {
  local file=$1 claim=$2 want=$3; shift 3
  if python3 - "$file" "$claim" "$want" "$@" <<'PY'
import json, operator, sys
f, claim, want, rest = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
c = {x["id"]: x for x in json.load(open(f))["claims"]}[claim]
m = {x["name"]: x["value"] for x in c["metrics"]}
ok = c["verdict"] == want
ops = {"==": operator.eq, "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}
for i in range(0, len(rest), 3):
    name, op, val = rest[i], rest[i + 1], float(rest[i + 2])
    ok = ok and m.get(name) is not None and ops[op](m[name], val)
if not ok:
    print(f"  {claim}: verdict {c['verdict']} ({c['reason'][:160]}); metrics "
          + ", ".join(f"{k}={m.get(k)}" for k in rest[0::3]), file=sys.stderr)
sys.exit(0 if ok else 1)
PY
  then ok; else bad "$claim: expected $want $*"; fi
}

small="points=200 seeds=1 depth=4 anchors=8"
sets() { local c=$1; shift; local a=(); for kv in $small "$@"; do a+=(--set "$c.$kv"); done; echo "${a[@]}"; }

# Every subspace dimension the parameters allow: pass, counts resolved.
for k in 1 4 8; do
  out="$TMP/id_k$k"
  "$TC" run angle_intrinsic_dimension $(sets angle_intrinsic_dimension subspace_dim=$k) \
    --no-plots --out "$out" >/dev/null 2>&1
  verdict "$out/results.json" angle_intrinsic_dimension pass \
    max_tangent_rank_excess_subspace == 0 max_tangent_rank_excess_curve == 0 \
    min_tangent_rank_subspace == "$k" min_rank_margin_decades ">=" 1 min_rank_gap_decades ">=" 2
done

# The control is caught by the same measurement at the smallest and largest k.
for k in 1 8; do
  out="$TMP/noise_k$k"
  "$TC" run angle_intrinsic_dimension_noise_control \
    $(sets angle_intrinsic_dimension_noise_control subspace_dim=$k) --no-plots --out "$out" \
    >/dev/null 2>&1
  verdict "$out/results.json" angle_intrinsic_dimension_noise_control xfail \
    max_tangent_rank_excess_subspace == 4 max_tangent_rank_excess_curve == $((k + 3))
done

# Unresolved measurements give error, never a verdict: a radius at rounding level (the secants
# sink to the rounding bound) and a radius so large that every ball crosses a boundary.
"$TC" run angle_intrinsic_dimension $(sets angle_intrinsic_dimension ball_radius=1e-9 depth=12) \
  --no-plots --out "$TMP/tiny" >/dev/null 2>&1
verdict "$TMP/tiny/results.json" angle_intrinsic_dimension error
expect_grep "$TMP/tiny/results.json" "inconclusive: no gap at this precision" "tiny ball: reason"
"$TC" run angle_intrinsic_dimension $(sets angle_intrinsic_dimension ball_radius=1e-2) \
  --no-plots --out "$TMP/huge" >/dev/null 2>&1
verdict "$TMP/huge/results.json" angle_intrinsic_dimension error
expect_grep "$TMP/huge/results.json" "inconclusive: in [0-9]+ \(data set, seed\) every ball" \
  "huge ball: reason"

finish
