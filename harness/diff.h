/* harness/diff.h — `theorycheck diff OLD NEW`: what a change did to the verdicts. */
#ifndef HX_DIFF_H
#define HX_DIFF_H

int hx_cmd_diff(int argc, char **argv);

#endif /* HX_DIFF_H */
