/* common/number.c — see number.h. */
#include "common/number.h"

#include <math.h>
#include <stdlib.h>

int cm_number_parse(const char *s, double *v)
{
    char *end;
    if (!s || !*s)
        return -1;
    *v = strtod(s, &end);
    return (end == s || *end) ? -1 : 0;
}

int cm_number_finite(const char *s, double *v)
{
    return (cm_number_parse(s, v) == 0 && isfinite(*v)) ? 0 : -1;
}
