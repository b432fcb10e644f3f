/* harness/measure_collapse.h — `theorycheck measure collapse`: neural-collapse metrics of a
 * user's own features, labels and (optionally) classifier weights, printed as JSON. */
#ifndef HX_MEASURE_COLLAPSE_H
#define HX_MEASURE_COLLAPSE_H

/* argv[0] is "collapse"; returns the process exit code (0, or 2 on bad input). */
int hx_measure_collapse(int argc, char **argv);

#endif /* HX_MEASURE_COLLAPSE_H */
