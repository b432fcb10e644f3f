/* harness/diff.c — `theorycheck diff OLD NEW` (see diff.h). */
#include "harness/diff.h"

#include <stdio.h>

#include "harness/exitcodes.h"

int hx_cmd_diff(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "theorycheck: diff: not implemented yet\n");
    return HX_EXIT_USAGE;
}
