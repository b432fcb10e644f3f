/* numerics/poly.h — polynomial feature rows: monomials x^j and Chebyshev polynomials T_j(x)
 * (three-term recurrence T_0 = 1, T_1 = x, T_{j+1} = 2x T_j - T_{j-1}). */
#ifndef NUM_POLY_H
#define NUM_POLY_H

#include <stddef.h>

typedef enum { NUM_POLY_MONOMIAL = 0, NUM_POLY_CHEBYSHEV = 1 } num_poly_basis;

/* row[j] = x^j or T_j(x) for j < p. */
void num_poly_row(num_poly_basis basis, double x, size_t p, double *row);

/* An upper bound on the Lebesgue constant of polynomial interpolation at the n Chebyshev nodes
 * of the first kind, (2/pi) log(n + 1) + 1 (Rivlin, "An Introduction to the Approximation of
 * Functions", Thm 4.5): interpolating a function that is within r of zero at the nodes gives a
 * polynomial within Lambda_n r of zero on [-1, 1]. */
double num_poly_lebesgue_chebyshev(size_t n);

#endif
