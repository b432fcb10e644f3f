#!/usr/bin/env bash
# scripts/slurm/submit.sh — run a `theorycheck sweep` as a Slurm job array of N shards plus a
# merge job that starts when every shard has succeeded (afterok). See docs/slurm.md.
#
# Prints, on success (exit 0), three lines to read by scripts:
#   array_job=<id>    merge_job=<id>    merged=<OUT>/merged
# Exit 2 with one message for bad usage or when sbatch refuses a job (then nothing is left
# queued: an array accepted before a refused merge job is cancelled).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
  cat <<'EOF'
usage: submit.sh --tasks N --out DIR [--bin PATH] [--cpus C] [--]
                 CLAIM --grid PARAM=VALUES ... [sweep options]

  --tasks N   number of array tasks (shards), N >= 1; task T runs shard T+1 of N
  --out DIR   shared directory: DIR/shard-T (one per task), DIR/merged (the joined sweep),
              DIR/logs (the jobs' output)
  --bin PATH  theorycheck executable reachable from the compute nodes
              (default: $TC_BIN, else theorycheck on PATH, made absolute)
  --cpus C    CPUs per task, passed to sbatch -c; each shard runs --jobs C (default 1)

Everything after the options is passed to `theorycheck sweep` (not --out, --jobs or --shard,
which the scripts set). Other sbatch settings come from sbatch's own environment variables,
e.g. SBATCH_PARTITION, SBATCH_TIMELIMIT, SBATCH_ACCOUNT.

example:
  scripts/slurm/submit.sh --tasks 4 --out /scratch/mm -- max_margin \
      --grid n=12,16,20,24 --grid step=0.5,1 --seeds 2
EOF
}

die() { echo "submit.sh: $*" >&2; echo "(see submit.sh --help)" >&2; exit 2; }

# A count from 1 to 100000 (the largest shard count theorycheck accepts).
is_count() { [[ $1 =~ ^[1-9][0-9]{0,5}$ ]] && [ "$1" -le 100000 ]; }

tasks="" out="" bin=${TC_BIN:-theorycheck} cpus=1
while [ $# -gt 0 ]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --tasks|--out|--bin|--cpus)
      [ $# -ge 2 ] || die "$1 needs a value"
      case $1 in --tasks) tasks=$2 ;; --out) out=$2 ;; --bin) bin=$2 ;; --cpus) cpus=$2 ;; esac
      shift 2 ;;
    --tasks=*) tasks=${1#*=}; shift ;;
    --out=*)   out=${1#*=}; shift ;;
    --bin=*)   bin=${1#*=}; shift ;;
    --cpus=*)  cpus=${1#*=}; shift ;;
    --) shift; break ;;
    -*) die "unknown option '$1' (sweep options go after --)" ;;
    *) break ;;
  esac
done

[ -n "$tasks" ] || die "--tasks N is required"
is_count "$tasks" || die "--tasks '$tasks' is not allowed: must be an integer from 1 to 100000"
is_count "$cpus" || die "--cpus '$cpus' is not allowed: must be an integer from 1 to 100000"
[ -n "$out" ] || die "--out DIR is required"
[ $# -gt 0 ] || die "no sweep arguments: give CLAIM --grid PARAM=VALUES ..."
for a in "$@"; do
  case $a in
    --out|--out=*|--jobs|--jobs=*|--shard|--shard=*)
      die "sweep option '$a' is set by the scripts: use --out, --cpus and --tasks of submit.sh" ;;
  esac
done
command -v sbatch >/dev/null || die "sbatch not found: run this on a Slurm submit host"
# The jobs run elsewhere and later: give them absolute paths.
resolved=$(command -v "$bin") || die "--bin '$bin' is not an executable (set --bin or TC_BIN)"
bin=$(cd "$(dirname "$resolved")" && pwd)/$(basename "$resolved")
mkdir -p "$out/logs" || die "--out: cannot create $out/logs"
out=$(cd "$out" && pwd)

# sbatch --parsable prints "id" or "id;cluster".
jobid() { local r; r=$("$@") || return 1; echo "${r%%;*}"; }

# TC_BIN and TC_OUT reach the tasks through the environment that --export=ALL copies (which
# overrides a user's SBATCH_EXPORT); --export=ALL,TC_BIN=... would delay each launch by about
# 5 s on Slurm 22.05.
export TC_BIN="$bin" TC_OUT="$out"
array=$(jobid sbatch --parsable --array="0-$((tasks - 1))" --cpus-per-task="$cpus" \
          --job-name=tc-sweep --output="$out/logs/sweep-%A_%a.out" --export=ALL \
          "$here/sweep.sbatch" "$@") || die "sbatch refused the array job (message above)"

# The shard list is fixed here, not globbed later: a shard-T left by an earlier, wider
# submission to the same DIR is not merged, and a missing shard makes merge refuse.
shards=()
for ((t = 0; t < tasks; t++)); do shards+=("$out/shard-$t"); done
# The merge job's script goes to sbatch on its standard input; bash, since %q quotes for bash
# (--wrap would run it with /bin/sh).
merge_script=$(printf '#!/usr/bin/env bash\nexec'; printf ' %q' "$bin" merge "${shards[@]}" \
                 --out "$out/merged"; printf '\n')
if ! merge=$(jobid sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
               --cpus-per-task=1 --job-name=tc-merge --output="$out/logs/merge-%j.out" \
               --export=ALL <<<"$merge_script"); then
  scancel "$array" 2>/dev/null || true
  die "sbatch refused the merge job (message above); array job $array cancelled"
fi

echo "array_job=$array"
echo "merge_job=$merge"
echo "merged=$out/merged"
echo "submit.sh: $tasks shard(s) in job $array, merge job $merge runs after all succeed;" \
     "logs in $out/logs" >&2
