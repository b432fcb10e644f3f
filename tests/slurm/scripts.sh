#!/usr/bin/env bash
# tests/slurm/scripts.sh — scripts/slurm/submit.sh and sweep.sbatch without a cluster: every
# usage error (exit 2, one message, nothing submitted); what submit.sh hands to sbatch (array
# 0-(N-1), CPUs, absolute paths, the sweep arguments unchanged, a merge job after the array
# with the fixed shard list), read from a stand-in sbatch; a refused job leaves nothing queued;
# sweep.sbatch run as array task 1 of 4 writes shard 2/4. tests/slurm/cluster.sh runs them on a
# real Slurm.
. "$(dirname "$0")/../lib.sh"

SUBMIT="$SRC/scripts/slurm/submit.sh"
SBATCH_SCRIPT="$SRC/scripts/slurm/sweep.sbatch"
unset $(compgen -e | grep -E '^(SLURM|SBATCH)_') TC_BIN TC_OUT 2>/dev/null || true

# A stand-in sbatch: logs its arguments one per line, then TC_BIN and TC_OUT, to
# $FAKE_DIR/sbatch.<n> (and a script read from standard input to sbatch.<n>.stdin); prints
# job id 100+n; refuses the n-th submission when FAKE_SBATCH_REFUSE=n. scancel logs its
# arguments.
mkdir -p "$TMP/bin"
cat >"$TMP/bin/sbatch" <<'EOF'
#!/usr/bin/env bash
n=$(( $(ls "$FAKE_DIR"/sbatch.* 2>/dev/null | wc -l) + 1 ))
printf '%s\n' "$@" "env TC_BIN=${TC_BIN:-} TC_OUT=${TC_OUT:-}" >"$FAKE_DIR/sbatch.$n"
# No script among the arguments: sbatch reads it from its standard input.
case "$*" in *sweep.sbatch*) ;; *) cat >"$FAKE_DIR/sbatch.$n.stdin" ;; esac
[ "${FAKE_SBATCH_REFUSE:-0}" = "$n" ] && { echo "sbatch: error: refused" >&2; exit 1; }
echo "$((100 + n));cluster"
EOF
printf '#!/usr/bin/env bash\nprintf "%%s\\n" "$@" >"$FAKE_DIR/scancel"\n' >"$TMP/bin/scancel"
# A stand-in theorycheck for the merge command: prints its arguments one per line.
printf '#!/usr/bin/env bash\nprintf "%%s\\n" "$@"\n' >"$TMP/bin/fake-tc"
chmod +x "$TMP/bin/"*
export FAKE_DIR="$TMP/fake"
fresh() { rm -rf "$FAKE_DIR"; mkdir -p "$FAKE_DIR"; }
fresh
FAKE_PATH="$TMP/bin:$PATH"
SWEEP=(max_margin --grid n=12,16,20 --grid step=0.5,1 --set "max_margin.gd_iters=20000")

# ---- submit.sh: usage errors, nothing submitted ------------------------------------------------
sub() { PATH="$FAKE_PATH" bash "$SUBMIT" "$@"; }
expect_exit 0 "submit --help" -- sub --help
expect_grep "$TMP/out" "^usage: submit.sh --tasks N --out DIR" "usage text"
expect_exit 2 "no --tasks" -- sub --out "$TMP/o" -- "${SWEEP[@]}"
expect_grep "$TMP/err" "--tasks N is required" "no --tasks message"
expect_exit 2 "--tasks 0" -- sub --tasks 0 --out "$TMP/o" -- "${SWEEP[@]}"
expect_grep "$TMP/err" "--tasks '0' is not allowed: must be an integer from 1 to 100000" \
  "--tasks 0 message"
expect_exit 2 "--tasks abc" -- sub --tasks abc --out "$TMP/o" -- "${SWEEP[@]}"
expect_exit 2 "--tasks 100001" -- sub --tasks 100001 --out "$TMP/o" -- "${SWEEP[@]}"
expect_exit 2 "--tasks without value" -- sub --out "$TMP/o" --tasks
expect_grep "$TMP/err" "--tasks needs a value" "missing value message"
expect_exit 2 "--cpus 0" -- sub --tasks 2 --cpus 0 --out "$TMP/o" -- "${SWEEP[@]}"
expect_exit 2 "no --out" -- sub --tasks 2 -- "${SWEEP[@]}"
expect_exit 2 "no sweep arguments" -- sub --tasks 2 --out "$TMP/o"
expect_exit 2 "unknown option" -- sub --tasks 2 --out "$TMP/o" --grid n=1 max_margin
expect_grep "$TMP/err" "unknown option '--grid' \(sweep options go after --\)" \
  "unknown option message"
for opt in --out=x --jobs --shard=1/2; do
  expect_exit 2 "sweep $opt refused" -- sub --tasks 2 --out "$TMP/o" -- "${SWEEP[@]}" "$opt"
  expect_grep "$TMP/err" "sweep option '$opt' is set by the scripts" "sweep $opt message"
done
expect_exit 2 "--bin missing" -- sub --tasks 2 --out "$TMP/o" --bin "$TMP/nope" -- "${SWEEP[@]}"
expect_grep "$TMP/err" "--bin '$TMP/nope' is not an executable" "--bin message"
# No sbatch on PATH: a PATH holding only what submit.sh needs besides sbatch.
mkdir -p "$TMP/nosb"
for c in bash dirname basename mkdir; do ln -s "$(command -v $c)" "$TMP/nosb/$c"; done
expect_exit 2 "no sbatch" -- \
  env PATH="$TMP/nosb" bash "$SUBMIT" --tasks 2 --out "$TMP/o" --bin "$TC" -- "${SWEEP[@]}"
expect_grep "$TMP/err" "sbatch not found" "no sbatch message"
if [ -z "$(ls "$FAKE_DIR")" ]; then ok; else
  bad "a usage error submitted a job: $(ls "$FAKE_DIR")"; fi
expect_absent "$TMP/o" "nothing written on a usage error"

# ---- submit.sh: what sbatch receives -----------------------------------------------------------
cd "$TMP" || exit 3
expect_exit 0 "submit" -- \
  sub --tasks 4 --cpus 2 --out "rel/out dir" --bin bin/fake-tc -- "${SWEEP[@]}" \
  --grid "widths=8,8;16,16"
expect_grep "$TMP/out" "^array_job=101$" "array job id (cluster suffix dropped)"
expect_grep "$TMP/out" "^merge_job=102$" "merge job id"
expect_grep "$TMP/out" "^merged=$TMP/rel/out dir/merged$" "merged directory, absolute"
expect_lines "$TMP/out" 3 "three lines on stdout"
A="$FAKE_DIR/sbatch.1" M="$FAKE_DIR/sbatch.2"
expect_grep "$A" "^--array=0-3$" "array 0-(N-1)"
expect_grep "$A" "^--cpus-per-task=2$" "CPUs per task"
expect_grep "$A" "^--export=ALL$" "the environment exported"
expect_grep "$A" "^env TC_BIN=$TMP/bin/fake-tc TC_OUT=$TMP/rel/out dir$" \
  "absolute TC_BIN and TC_OUT"
expect_grep "$A" "^--output=$TMP/rel/out dir/logs/sweep-%A_%a.out$" "task logs under DIR/logs"
if [ -d "$TMP/rel/out dir/logs" ]; then ok; else bad "DIR/logs not created"; fi
# After the script: the sweep's arguments, unchanged and in order.
tail -n +"$(($(grep -n "sweep.sbatch$" "$A" | cut -d: -f1) + 1))" "$A" | sed '$d' >"$TMP/passed"
if cmp -s "$TMP/passed" <(printf '%s\n' "${SWEEP[@]}" --grid "widths=8,8;16,16"); then ok; else
  bad "sweep arguments changed on the way to sbatch"
  diff "$TMP/passed" <(printf '%s\n' "${SWEEP[@]}") >&2
fi
expect_grep "$M" "^--dependency=afterok:101$" "merge after the array succeeds"
expect_grep "$M" "^--kill-on-invalid-dep=yes$" "merge cancelled when a shard fails"
# The merge job's script, run as Slurm would: merge shard-0..3 --out DIR/merged.
expect_grep "$M.stdin" "^#!/usr/bin/env bash$" "merge script run by bash"
bash "$M.stdin" >"$TMP/merge.args"
D="$TMP/rel/out dir"
printf '%s\n' merge "$D"/shard-{0,1,2,3} --out "$D/merged" >"$TMP/merge.want"
if cmp -s "$TMP/merge.args" "$TMP/merge.want"; then ok; else
  bad "merge job command"; diff "$TMP/merge.want" "$TMP/merge.args" >&2; fi

# A refused merge job cancels the array: nothing is left queued.
fresh
FAKE_SBATCH_REFUSE=2 expect_exit 2 "merge refused" -- \
  sub --tasks 2 --out "$TMP/o2" --bin "$TC" -- "${SWEEP[@]}"
expect_grep "$TMP/err" "array job 101 cancelled" "merge refused message"
expect_grep "$FAKE_DIR/scancel" "^101$" "scancel of the array"
fresh
FAKE_SBATCH_REFUSE=1 expect_exit 2 "array refused" -- \
  sub --tasks 2 --out "$TMP/o3" --bin "$TC" -- "${SWEEP[@]}"
expect_grep "$TMP/err" "sbatch refused the array job" "array refused message"
expect_absent "$FAKE_DIR/sbatch.2" "no merge job without an array"

# ---- sweep.sbatch, run as a task would be ---------------------------------------------------
# task [VAR=VALUE...] -- SWEEP ARGS: array task 1 of 4, the assignments overriding.
task() {
  local vars=()
  while [ "$1" != -- ]; do vars+=("$1"); shift; done
  shift
  env SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_MIN=0 \
      SLURM_ARRAY_TASK_MAX=3 TC_BIN="$TC" TC_OUT="$TMP/t" "${vars[@]}" bash "$SBATCH_SCRIPT" "$@"
}
expect_exit 2 "not an array task" -- env TC_OUT="$TMP/t" bash "$SBATCH_SCRIPT" "${SWEEP[@]}"
expect_grep "$TMP/err" "not a task of a job array" "not an array message"
expect_exit 2 "array from 1" -- task SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=4 -- "${SWEEP[@]}"
expect_grep "$TMP/err" "the array must be --array=0-3 \(ids 1..4, 4 tasks\)" "array range message"
expect_exit 2 "no TC_OUT" -- task TC_OUT= -- "${SWEEP[@]}"
expect_grep "$TMP/err" "TC_OUT is not set" "no TC_OUT message"
expect_exit 2 "no sweep arguments" -- task --
expect_exit 2 "--jobs given" -- task -- "${SWEEP[@]}" --jobs 2
expect_grep "$TMP/err" "the script sets --out, --jobs and the shard itself" "--jobs message"
expect_exit 2 "TC_BIN missing" -- task TC_BIN="$TMP/nope" -- "${SWEEP[@]}"
expect_exit 2 "bad sweep input passed through" -- task -- max_margin --grid nope=1
expect_grep "$TMP/err" "claim max_margin has no parameter 'nope'" "theorycheck's own message"
expect_absent "$TMP/t" "nothing written on bad input"
# Task 1 of 4 is shard 2/4: cells 1 and 5 of the 3 x 2 grid, --jobs from SLURM_CPUS_PER_TASK.
expect_exit 0 "task 1 of 4" -- task SLURM_CPUS_PER_TASK=2 -- "${SWEEP[@]}"
expect_grep "$TMP/out" "task 1 of 4 .* -> $TMP/t/shard-1$" "task line"
expect_grep "$TMP/t/shard-1/sweep.json" '"k": 2,' "shard k"
expect_grep "$TMP/t/shard-1/sweep.json" '"n": 4$' "shard n"
idx=$(grep -o '"index": [0-9]*' "$TMP/t/shard-1/sweep.json" | tr '\n' ' ')
if [ "$idx" = '"index": 1 "index": 5 ' ]; then ok; else bad "shard 2/4 holds $idx"; fi
finish
