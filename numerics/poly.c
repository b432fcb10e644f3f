/* numerics/poly.c — see poly.h. */
#include "numerics/poly.h"

void num_poly_row(num_poly_basis basis, double x, size_t p, double *row)
{
    for (size_t j = 0; j < p; j++)
        row[j] = j == 0 ? 1.0
                 : basis == NUM_POLY_MONOMIAL ? row[j - 1] * x
                 : j == 1 ? x : 2 * x * row[j - 1] - row[j - 2];
}
