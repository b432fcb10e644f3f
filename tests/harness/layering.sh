#!/usr/bin/env bash
# tests/harness/layering.sh — the layers are kept by the build, not by discipline.
#
# Usage: bash layering.sh THEORYCHECK_BINARY SOURCE_DIR
# Checks, on the source with comments removed (gcc -fpreprocessed):
#   numerics/  includes only numerics/ headers;
#   theorems/  includes only theorems/ and numerics/ headers;
#   reports/   includes only reports/ and common/ headers; common/ only common/ headers;
#   numerics/ and theorems/ call no I/O, no environment and no clock (files, streams,
#   printing, getenv, time, clock_gettime, ...): a record must not depend on them.
# The check itself is tested: a planted upward include and a planted printf must be caught.
. "$(dirname "$0")/../lib.sh"

# Identifiers whose use means I/O, environment or wall clock. snprintf/vsnprintf (formatting
# into memory) are allowed.
IO='\b(fopen|fclose|freopen|fprintf|vfprintf|printf|vprintf|puts|fputs|fputc|putchar|fwrite|fread|fgets|getc|fgetc|scanf|fscanf|perror|stdin|stdout|stderr|getenv|setenv|system|popen|open|creat|unlink|rename|remove|mkdir|opendir|clock_gettime|gettimeofday|time|clock|sleep|usleep|nanosleep)[[:space:]]*\('

strip() { gcc -fpreprocessed -dD -E -P -x c "$1" 2>/dev/null; }

# check_dir DIR ALLOWED_REGEX CHECK_IO: every file under DIR
check_dir() {
  local dir=$1 allowed=$2 io=$3 f bad_inc bad_io
  while IFS= read -r f; do
    bad_inc=$(grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
              grep -vE "#[[:space:]]*include[[:space:]]*\"($allowed)/" || true)
    if [ -n "$bad_inc" ]; then bad "${f#$SRC/}: include outside its layer: $bad_inc"; else ok; fi
    if [ "$io" = 1 ]; then
      bad_io=$(strip "$f" | grep -nE "$IO" | grep -vE '\b(v?snprintf)\b[[:space:]]*\(' | head -3 || true)
      if [ -n "$bad_io" ]; then bad "${f#$SRC/}: I/O, environment or clock call: $bad_io"; else ok; fi
    fi
  done < <(find "$dir" -name '*.[ch]' | sort)
}

check_dir "$SRC/numerics" 'numerics' 1
check_dir "$SRC/theorems" 'theorems|numerics' 1
check_dir "$SRC/reports" 'reports|common' 0
check_dir "$SRC/common" 'common' 0

# The check can fail: plant violations in a copy and expect them to be caught.
mkdir -p "$TMP/plant/theorems" "$TMP/plant/numerics"
printf '#include "harness/context.h"\nint f(void) { return 0; }\n' >"$TMP/plant/theorems/up.c"
printf '#include <stdio.h>\nvoid g(void) { printf("x"); }\n' >"$TMP/plant/numerics/io.c"
printf '#include <time.h>\nlong h(void) { return (long)time (0); }\n' >"$TMP/plant/numerics/clk.c"
printf '/* printf("in a comment is fine") */\n#include <stdio.h>\nint k(char *b) { return snprintf(b, 2, "x"); }\n' >"$TMP/plant/numerics/ok.c"
before=$failures
( SRC=$TMP/plant; failures=0; passes=0
  check_dir "$TMP/plant/numerics" 'numerics' 1 2>/dev/null
  check_dir "$TMP/plant/theorems" 'theorems|numerics' 1 2>/dev/null
  echo "$failures" ) >"$TMP/planted"
if [ "$(tail -1 "$TMP/planted")" = 3 ]; then ok; else bad "planted violations: caught $(tail -1 "$TMP/planted") of 3"; fi
failures=$before
finish
