/* harness/measure_collapse.c — STUB, to be replaced by the neural-collapse implementation. */
#include <stdio.h>

#include "harness/exitcodes.h"
#include "harness/measure_collapse.h"

int hx_measure_collapse(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "theorycheck measure collapse: not implemented yet\n");
    return HX_EXIT_USAGE;
}
