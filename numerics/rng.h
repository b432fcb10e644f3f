/* numerics/rng.h — seeded random streams.
 *
 * Every claim draws from its own stream derived from (run seed, claim id, stream index) by a
 * SplitMix64 mix of an FNV-1a hash of the id, so streams are independent of claim order. The
 * generator is GSL's MT19937 (gsl_rng_mt19937), whose state can be saved with gsl_rng_memcpy.
 */
#ifndef NUM_RNG_H
#define NUM_RNG_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

/* The 64-bit seed of stream k of claim `id` under run seed `seed`. */
uint64_t num_rng_derive(uint64_t seed, const char *id, uint64_t k);

/* An MT19937 generator seeded with `seed` (NULL on allocation failure). */
gsl_rng *num_rng_alloc(uint64_t seed);

/* Fill x[0..n) with independent N(0, sigma^2) draws (GSL's ziggurat). Note: an exact 0.0 is
 * drawn with probability about 2^-24 per draw (measured: 12 in 2e8), so code that counts signs
 * must decide what sign(0) means rather than assume it never happens. */
void num_rng_gaussian(gsl_rng *r, double sigma, double *x, size_t n);

/* Fill x[0..n) with a uniformly random unit vector of R^n. */
void num_rng_unit_vector(gsl_rng *r, double *x, size_t n);

#endif /* NUM_RNG_H */
