/* common/number.h — reading a decimal number from text, one rule for every input (--set, INI,
 * --grid, CSV). */
#ifndef CM_NUMBER_H
#define CM_NUMBER_H

/* 0 if `s` is a number filling the whole string, as strtod reads it (nan and inf included, an
 * overflow reads as inf); *v gets its value. -1 if it is not a number at all. */
int cm_number_parse(const char *s, double *v);

/* 0 if `s` is a finite number filling the whole string: not nan or inf, and not so large that
 * it overflows a double. A value below the normal range is finite: it is read as the nearest
 * subnormal or zero (strtod reports that as ERANGE too, which is why errno alone cannot decide). */
int cm_number_finite(const char *s, double *v);

#endif
