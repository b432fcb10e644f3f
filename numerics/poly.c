/* numerics/poly.c — see poly.h. */
#include "numerics/poly.h"

#include <math.h>

void num_poly_row(num_poly_basis basis, double x, size_t p, double *row)
{
    for (size_t j = 0; j < p; j++)
        row[j] = j == 0 ? 1.0
                 : basis == NUM_POLY_MONOMIAL ? row[j - 1] * x
                 : j == 1 ? x : 2 * x * row[j - 1] - row[j - 2];
}

double num_poly_lebesgue_chebyshev(size_t n)
{
    return 2 / M_PI * log((double)n + 1) + 1;
}
