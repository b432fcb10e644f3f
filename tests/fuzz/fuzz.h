/* tests/fuzz/fuzz.h — what every fuzz target shares: the invariants beyond "no crash", checked
 * with fuzz_require (an abort, so libFuzzer keeps the input that broke it), and a scratch
 * directory of the process for inputs that must be files. */
#ifndef TC_FUZZ_H
#define TC_FUZZ_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/params.h"

#define fuzz_require(cond, what)                                                             \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "fuzz invariant broken: %s (%s:%d)\n", what, __FILE__, __LINE__); \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

/* An accepted value lies in its declared range: INT integral in [min, max], REAL finite in
 * [min, max], LIST 1..TC_LIST_MAX finite entries each in [min, max], CHOICE one of the words. */
static inline void fuzz_value_in_range(const hx_value *v)
{
    const tc_param_spec *s = v->spec;
    switch (s->type) {
    case TC_PARAM_INT:
        fuzz_require(v->i >= s->min && v->i <= s->max, "int in range");
        break;
    case TC_PARAM_REAL:
        fuzz_require(isfinite(v->r) && v->r >= s->min && v->r <= s->max, "real in range");
        break;
    case TC_PARAM_LIST:
        fuzz_require(v->nlist >= 1 && v->nlist <= TC_LIST_MAX, "list length");
        for (size_t k = 0; k < v->nlist; k++)
            fuzz_require(isfinite(v->list[k]) && v->list[k] >= s->min && v->list[k] <= s->max,
                         "list entry in range");
        break;
    case TC_PARAM_CHOICE: {
        size_t n = strlen(v->choice);
        const char *c = strstr(s->choices, v->choice);
        fuzz_require(n && c && (c == s->choices || c[-1] == '|') && (c[n] == '|' || !c[n]),
                     "choice among the words");
        break;
    }
    case TC_PARAM_BOOL:
        break;
    }
}

/* The input as a file in this process's scratch directory (libFuzzer runs one input at a time
 * per process); NULL if it cannot be written. */
static inline const char *fuzz_file(const char *name, const unsigned char *data, size_t n)
{
    static char path[256];
    snprintf(path, sizeof path, "/tmp/tc_fuzz_%ld_%s", (long)getpid(), name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    size_t w = fwrite(data, 1, n, f);
    return (fclose(f) == 0 && w == n) ? path : NULL;
}

#endif
