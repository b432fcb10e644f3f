#!/usr/bin/env bash
# bench/peers/run.sh BUILD_DIR OUT.md — theorycheck's kernels against the tools a user would
# use instead (issue #16), each pair on identical inputs, one thread each, in this process tree:
#   MLP epoch         tc_peer mlp   vs PyTorch CPU (mlp_epoch.py)
#   log-time flow     tc_peer flow  vs scipy solve_ivp LSODA / BDF / DOP853 (flow.py)
#   Hessian spectrum  tc_peer eig   vs numpy.linalg.eigvalsh (eig.py)
# Each peer checks that both give the same answer (tolerances derived in the scripts) and the
# table (report.py) says so. REPS (default 5) repetitions per timing, median reported.
# Called by `make bench-peers`; not part of `make test`.
set -euo pipefail
BUILD=${1:-build}
OUT=${2:-bench/PEERS.md}
REPS=${REPS:-5}
PY=${PY:-/usr/bin/python3} # Debian's interpreter: python3-torch/-scipy/-sklearn live there
HERE=$(cd "$(dirname "$0")" && pwd)
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
WORK=$(mktemp -d /tmp/tc-peers.XXXXXX)
trap 'rm -rf "$WORK"' EXIT # the log is kept as /tmp/tc-peers-last.log
TC=$WORK/tc_peer
# Built against the Release build's numerics library, like tc_bench.
cc -O2 -std=c11 -Wall -Wextra -D_XOPEN_SOURCE=700 -I"$HERE/../.." $(pkg-config --cflags gsl) \
   "$HERE/tc_peer.c" "$BUILD/libtc_numerics.a" -lgsl -lsundials_cvode \
   -lsundials_sunmatrixdense -lsundials_nvecserial $(pkg-config --libs lapacke openblas) \
   -lm -ldl -o "$TC"
LOG=$WORK/log
{
  echo "start load=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ,) nproc=$(getconf _NPROCESSORS_ONLN) date=$(date -u +%FT%TZ)"
  echo "machine os=$(uname -sr | tr ' ' _) blas=$(pkg-config --modversion openblas 2>/dev/null || echo ?) reps=$REPS"
  "$TC" dgemm
} | tee "$LOG"

# MLP epoch: {n d width C epochs}: quick-profile mixture, full-profile optdigits, a wider net
# (the sizes of bench/bench_collapse.c).
for cfg in "128 32 128 4 200" "1797 64 128 10 20" "1797 64 512 10 10"; do
  D=$WORK/mlp; rm -rf "$D"; mkdir -p "$D"
  { "$TC" mlp "$D" $cfg "$REPS"; "$PY" "$HERE/mlp_epoch.py" "$D" $cfg "$REPS"; } | tr '\n' ' ' \
    | sed 's/$/\n/' | tee -a "$LOG"
done

# Flow to log t = 200 at rtol = atol = 1e-10 from w0 = 0.
for ds in iris wine digits; do
  D=$WORK/flow-$ds; mkdir -p "$D"
  read -r nn dd zc < <("$PY" "$HERE/flow.py" prep "$D" "$ds" | sed 's/[a-z_]*=//g')
  line="flowdata set=$ds n=$nn d=$dd zero_cols=$zc"
  ok=()
  # cvode-bdf: numerics/flow_cvode.c (SUNDIALS CVODE BDF), not the claims' default
  for st in msbdf cvode-bdf rk8pd; do
    if out=$("$TC" flow "$D" "$nn" "$dd" "$st" 1e-10 1e-10 200 "$REPS" 2>&1); then
      echo "$out" | grep -o 'steps=[0-9]*' | head -1 | cut -d= -f2 > "$D/steps_$st.txt"
      ok+=("$st"); line+=$'\n'"$out set=$ds"
    else
      line+=$'\n'"flow stepper=$st set=$ds failed=1 msg=$(echo "$out" | tr ' ' _)"
    fi
  done
  echo "$line" | tee -a "$LOG"
  # DOP853 (explicit) only where rk8pd got through: on wine both need ~10^6 steps (a single
  # DOP853 run took 177 s; rk8pd exhausts its 10^6-step budget).
  methods=LSODA,BDF; [[ " ${ok[*]} " == *" rk8pd "* ]] && methods+=,DOP853
  METHODS=$methods "$PY" "$HERE/flow.py" peer "$D" "$nn" "$dd" 1e-10 1e-10 200 "$REPS" "${ok[@]}" \
    | sed "s/\$/ set=$ds/" | tee -a "$LOG"
done

# Hessian spectra: bench/bench_hessian.c's tanh networks (P = 480 and 864).
for spec in 10,40,2 10,24,24,2; do
  D=$WORK/eig; rm -rf "$D"; mkdir -p "$D"
  out=$("$TC" eig "$D" "$spec" "$REPS")
  P=$(echo "$out" | grep -o ' P=[0-9]*' | cut -d= -f2)
  echo "$out $("$PY" "$HERE/eig.py" "$D" "$P" "$REPS")" | tee -a "$LOG"
done
echo "end load=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ,)" | tee -a "$LOG"
cp "$LOG" /tmp/tc-peers-last.log
"$PY" "$HERE/report.py" "$LOG" > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT"
