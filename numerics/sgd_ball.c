/* numerics/sgd_ball.c — projected SGD on the unit ball (see sgd_ball.h for the objective, the
 * noise model that makes ||D|| <= 1 almost surely, and the projection). */
#include "numerics/sgd_ball.h"

#include <math.h>

#include "numerics/rng.h"

double num_sgd_ball_lipschitz(const num_sgd_problem *pb)
{
    return pb->b + pb->a + M_PI * pb->m * pb->h;
}

num_status num_sgd_ball_check(const num_sgd_problem *pb)
{
    if (!pb || pb->p < 1)
        return NUM_ERROR(NUM_EINVAL, "the dimension p must be >= 1");
    if (!(pb->a >= 0) || !(pb->b >= pb->a) || !(pb->h >= 0) || !(pb->noise >= 0))
        return NUM_ERROR(NUM_EINVAL, "need b >= a >= 0, h >= 0 and noise >= 0");
    if (!(pb->m >= 1) || pb->m != floor(pb->m))
        return NUM_ERROR(NUM_EINVAL, "the ripple count m must be a positive integer");
    if (!(num_sgd_ball_lipschitz(pb) + pb->noise <= 1.0))
        return NUM_ERROR(NUM_EINVAL, "b + a + pi m h + noise > 1: ||D|| <= 1 is not guaranteed");
    return NUM_OK;
}

double num_sgd_ball_excess(const num_sgd_problem *pb, const double *theta)
{
    double n2 = 0;
    for (size_t i = 0; i < pb->p; i++)
        n2 += theta[i] * theta[i];
    /* r - r* = b (1 - t) - (a/2)(1 - ||theta||^2) + (h/2)(1 - cos(2 pi m t)), written so that
     * each term is small near theta* = e_1 (no cancellation of r and r* of order 1) */
    double t = theta[0], rip = sin(M_PI * pb->m * t);
    return pb->b * (1 - t) - 0.5 * pb->a * (1 - n2) + pb->h * rip * rip;
}

double num_sgd_ball_excess_range(const num_sgd_problem *pb)
{
    double drift = pb->b - pb->a - pb->noise - M_PI * pb->m * pb->h;
    return drift >= 0 ? pb->b + pb->h : 2 * pb->b + pb->h;
}

size_t num_sgd_ball_work_size(size_t p) { return 3 * p; }

void num_sgd_ball_gradient(const num_sgd_problem *pb, const double *theta, double *g)
{
    for (size_t i = 0; i < pb->p; i++)
        g[i] = pb->a * theta[i];
    g[0] += -pb->b + M_PI * pb->m * pb->h * sin(2 * M_PI * pb->m * theta[0]);
}

/* D = grad r(theta) + s u into d (u uniform on the sphere, drawn into d first); returns ||D||. */
static double draw_gradient(const num_sgd_problem *pb, const double *theta, gsl_rng *r,
                            double *d)
{
    size_t p = pb->p;
    num_rng_unit_vector(r, d, p);
    double nd = 0;
    for (size_t i = 0; i < p; i++) {
        d[i] = pb->a * theta[i] + pb->noise * d[i];
        if (i == 0)
            d[0] += -pb->b + M_PI * pb->m * pb->h * sin(2 * M_PI * pb->m * theta[0]);
        nd += d[i] * d[i];
    }
    return sqrt(nd);
}

num_status num_sgd_ball_run(const num_sgd_problem *pb, size_t K, double eta, gsl_rng *r,
                            double *work, num_sgd_out *out)
{
    num_status st = num_sgd_ball_check(pb);
    if (st != NUM_OK)
        return st;
    if (K < 1 || !(eta > 0) || !isfinite(eta) || !r || !work || !out)
        return NUM_ERROR(NUM_EINVAL, "need K >= 1, a finite eta > 0, an rng, work and out");
    size_t p = pb->p;
    double *theta = work, *sum = work + p, *d = work + 2 * p;
    for (size_t i = 0; i < 2 * p; i++)
        work[i] = 0;
    out->dnorm_max = 0;
    for (size_t k = 1; k <= K; k++) {
        out->dnorm_max = fmax(out->dnorm_max, draw_gradient(pb, theta, r, d));
        double n2 = 0;
        for (size_t i = 0; i < p; i++) {
            theta[i] -= eta * d[i];
            n2 += theta[i] * theta[i];
        }
        if (!isfinite(n2))
            return NUM_ERROR(NUM_ENAN, "an SGD iterate is not finite");
        double scale = n2 > 1 ? 1 / sqrt(n2) : 1; /* Pi(v) = v / max(1, ||v||) */
        for (size_t i = 0; i < p; i++) {
            theta[i] *= scale;
            sum[i] += theta[i];
        }
    }
    out->excess_last = num_sgd_ball_excess(pb, theta);
    for (size_t i = 0; i < p; i++)
        sum[i] /= (double)K;
    out->excess_avg = num_sgd_ball_excess(pb, sum);
    return NUM_OK;
}

double num_sgd_ebernstein(double var, size_t n, double M, double delta)
{
    if (n < 2 || !(delta > 0 && delta < 1))
        return NAN;
    double l = log(2 / delta);
    return sqrt(2 * fmax(var, 0) * l / (double)n) + 7 * M * l / (3 * (double)(n - 1));
}
