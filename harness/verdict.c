/* harness/verdict.c — mapping outcomes to verdicts (see verdict.h). */
#include "harness/verdict.h"

hx_verdict hx_verdict_of(tc_outcome outcome, tc_expect expect)
{
    switch (outcome) {
    case TC_OUT_HOLDS: return expect == TC_EXPECT_HOLDS ? HX_PASS : HX_XPASS;
    case TC_OUT_NOT_HOLDS: return expect == TC_EXPECT_HOLDS ? HX_FAIL : HX_XFAIL;
    case TC_OUT_SKIP: return HX_SKIP;
    case TC_OUT_ERROR:
    case TC_OUT_UNSET: return HX_ERROR;
    }
    return HX_ERROR;
}

const char *hx_verdict_name(hx_verdict v)
{
    static const char *names[] = {"pass", "fail", "xfail", "xpass", "skip", "error"};
    return v < HX_NVERDICTS ? names[v] : "error";
}

bool hx_verdict_is_failure(hx_verdict v, bool strict)
{
    return v == HX_FAIL || v == HX_XPASS || v == HX_ERROR || (strict && v == HX_SKIP);
}

const char *hx_expect_name(tc_expect e)
{
    return e == TC_EXPECT_REFUTED ? "refuted" : "holds";
}
