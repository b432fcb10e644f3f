/* numerics/rng.c — seeded random streams (see rng.h). */
#include "numerics/rng.h"

#include <math.h>

#include <gsl/gsl_randist.h>

/* SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijective avalanche mix of 64 bits. */
static uint64_t splitmix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* FNV-1a, 64-bit: a stable hash of the claim id. */
static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t num_rng_derive(uint64_t seed, const char *id, uint64_t k)
{
    return splitmix64(splitmix64(splitmix64(seed) ^ fnv1a(id)) ^ k);
}

gsl_rng *num_rng_alloc(uint64_t seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r)
        return NULL;
    /* MT19937 takes an unsigned long seed; fold the high half in so no bits are lost on
     * platforms with 32-bit long. Seed 0 would select GSL's default seed, so avoid it. */
    unsigned long s = (unsigned long)(seed ^ (seed >> 32));
    gsl_rng_set(r, s ? s : 0x5eedUL);
    return r;
}

void num_rng_gaussian(gsl_rng *r, double sigma, double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = gsl_ran_gaussian_ziggurat(r, sigma);
}

void num_rng_unit_vector(gsl_rng *r, double *x, size_t n)
{
    double s;
    do {
        s = 0.0;
        for (size_t i = 0; i < n; i++) {
            x[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
            s += x[i] * x[i];
        }
    } while (s == 0.0);
    s = 1.0 / sqrt(s);
    for (size_t i = 0; i < n; i++)
        x[i] *= s;
}
