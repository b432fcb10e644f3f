/* harness/exitcodes.h — the process exit codes of the public contract (DESIGN.md). */
#ifndef HX_EXITCODES_H
#define HX_EXITCODES_H

enum {
    HX_EXIT_OK = 0,       /* every verdict pass, xfail or skip (skip fails under --strict) */
    HX_EXIT_FAIL = 1,     /* any fail, xpass or error */
    HX_EXIT_USAGE = 2,    /* usage or bad input; nothing written */
    HX_EXIT_INTERNAL = 3  /* internal fault */
};

#endif /* HX_EXITCODES_H */
