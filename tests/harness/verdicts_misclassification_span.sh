#!/usr/bin/env bash
# tests/harness/verdicts_misclassification_span.sh — family O (003 §14 "Non separable case"):
# the four verdicts and their key numbers in the quick profile; runs made too short are `error`
# (inconclusive), never a verdict; teacher labels without flips (separable) skip; user data:
# non-separable data pass, separable data skip, the control turns to xpass on non-separable
# data (the check can tell the two apart); bad labels exit 2.
. "$(dirname "$0")/../lib.sh"
OUT="$TMP/o"
C=misclassification_span

# dump [CONDITIONS]: one python per run (its start-up dominates this test). Writes
# "<claim> <verdict> <reason>" lines to $TMP/v; each line "claim metric condition-on-v" of
# CONDITIONS that does not hold is reported as a failure.
dump() {
  python3 - "$OUT/results.json" "$TMP/v" "$1" >"$TMP/c" <<'PY'
import json, sys
cs = json.load(open(sys.argv[1]))["claims"]
with open(sys.argv[2], "w") as f:
    for c in cs:
        f.write(f"{c['id']} {c['verdict']} {c['reason']}\n")
m = {(c["id"], x["name"]): x["value"] for c in cs for x in c["metrics"]}
for line in filter(None, sys.argv[3].splitlines()):
    cid, name, cond = line.split(" ", 2)
    v = m.get((cid, name))
    if v is None or not eval(cond, {"v": v, "abs": abs}):
        print(f"{cid}.{name} = {v}: not {cond}")
PY
  if [ -s "$TMP/c" ]; then bad "$(cat "$TMP/c")"; else ok; fi
}

expect_exit 0 "quick profile" -- "$TC" run $C ${C}_in_span ${C}_unregularised ${C}_separable --no-plots --out "$OUT"
dump "$C hessian_rank v == 10
$C misclassified 0 < v < 10
$C oned_wstar abs(v - 0.23104906018664842) < 1e-15
${C}_in_span out_of_span_fraction v > 0.1
${C}_unregularised out_of_span_moved v > 0.1
${C}_separable separation_certificate v > 0.4"
expect_grep "$TMP/v" "^$C pass " "finite minimiser: pass"
expect_grep "$TMP/v" "^${C}_in_span xfail not within bounds: out_of_span_fraction" "reading 1: xfail"
expect_grep "$TMP/v" "^${C}_unregularised xfail not within bounds: out_of_span_moved" "reading 2: xfail"
expect_grep "$TMP/v" "^${C}_separable xfail not within bounds: separation_certificate" "control: xfail"

expect_exit 1 "too few Newton steps" -- "$TC" run $C ${C}_in_span --set $C.max_newton=1 --set ${C}_in_span.max_newton=2 --no-plots --out "$OUT"
dump ""
expect_grep "$TMP/v" "^$C error inconclusive: not converged after 1 Newton steps" "Newton too short: inconclusive"
expect_grep "$TMP/v" "^${C}_in_span error inconclusive: not converged after 2 Newton steps" "reading 1 too short: inconclusive"
expect_exit 1 "too few GD steps" -- "$TC" run $C --set $C.max_gd=10 --no-plots --out "$OUT"
dump ""
expect_grep "$TMP/v" "^$C error inconclusive: not converged after 10 GD steps" "GD too short: inconclusive"

expect_exit 0 "no flipped labels" -- "$TC" run $C --set $C.flips=0 --no-plots --out "$OUT"
dump ""
expect_grep "$TMP/v" "^$C skip the data are separable in every draw" "flips = 0: separable, skip"

# user data: 120 points in 3-D, teacher x1 > 0 with 15 labels flipped (non-separable), and the
# same points with the teacher's labels (separable through the origin)
python3 - "$TMP" <<'PY'
import random, sys
random.seed(14)
pts = [[random.gauss(0, 1) for _ in range(3)] for _ in range(120)]
for k, name in ((15, "noisy"), (0, "clean")):
    with open(sys.argv[1] + "/" + name + ".csv", "w") as f:
        for i, p in enumerate(pts):
            y = int(p[0] > 0) if i >= k else int(p[0] <= 0)
            f.write(",".join(f"{v:.6f}" for v in p) + f",{y}\n")
PY
expect_exit 1 "user data: non-separable, separable, and the control on non-separable data" -- \
  "$TC" run $C ${C}_in_span ${C}_separable --data $C="$TMP/noisy.csv" --data ${C}_in_span="$TMP/clean.csv" \
  --data ${C}_separable="$TMP/noisy.csv" --no-plots --out "$OUT"
dump ""
expect_grep "$TMP/v" "^$C pass " "user data: the finite minimiser"
expect_grep "$TMP/v" "^${C}_in_span skip the data are separable: the direction" "user data separable: skip"
expect_grep "$TMP/v" "^${C}_separable xpass " "control on non-separable data: xpass"

sed 's/,1$/,2/' "$TMP/noisy.csv" >"$TMP/bad.csv"
expect_exit 2 "labels 0/2" -- "$TC" run $C --data $C="$TMP/bad.csv" --no-plots --out "$OUT"
finish
