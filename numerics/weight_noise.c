/* numerics/weight_noise.c — layer-wise Gaussian weight noise (see weight_noise.h). */
#include "numerics/weight_noise.h"

#include <math.h>

#include <gsl/gsl_randist.h>

static size_t layer_size(const num_mlp *net, size_t k)
{
    return net->widths[k + 1] * net->widths[k];
}

/* Population standard deviation of w[0..m), two passes (mean, then squared deviations). */
static double std_of(const double *w, size_t m)
{
    double mean = 0, ss = 0;
    for (size_t i = 0; i < m; i++)
        mean += w[i];
    mean /= (double)m;
    for (size_t i = 0; i < m; i++)
        ss += (w[i] - mean) * (w[i] - mean);
    return sqrt(ss / (double)m);
}

num_status num_wnoise_layer_std(const num_mlp *net, const double *theta, double *std)
{
    if (!net || !theta || !std)
        return NUM_ERROR(NUM_EINVAL, "net, theta and std must not be NULL");
    for (size_t k = 0; k < net->nlayers; k++) {
        std[k] = std_of(theta + net->off_w[k], layer_size(net, k));
        if (!isfinite(std[k]))
            return NUM_ERROR(NUM_ENAN, "a weight is not finite");
    }
    return NUM_OK;
}

num_status num_wnoise_perturb(const num_mlp *net, double *theta, gsl_rng *r, double frac,
                              double *std)
{
    if (!net || !theta || !r)
        return NUM_ERROR(NUM_EINVAL, "net, theta and r must not be NULL");
    if (!(frac >= 0) || !isfinite(frac))
        return NUM_ERROR(NUM_EINVAL, "frac must be finite and >= 0");
    for (size_t k = 0; k < net->nlayers; k++) {
        double *w = theta + net->off_w[k];
        size_t m = layer_size(net, k);
        double s = std_of(w, m); /* this layer's std, before its noise */
        if (!isfinite(s))
            return NUM_ERROR(NUM_ENAN, "a weight is not finite");
        if (std)
            std[k] = s;
        if (frac == 0 || s == 0)
            continue;
        for (size_t i = 0; i < m; i++)
            w[i] += gsl_ran_gaussian_ziggurat(r, frac * s);
    }
    return NUM_OK;
}

double num_wnoise_weight_norm(const num_mlp *net, const double *theta)
{
    double ss = 0;
    for (size_t k = 0; k < net->nlayers; k++) {
        const double *w = theta + net->off_w[k];
        for (size_t i = 0, m = layer_size(net, k); i < m; i++)
            ss += w[i] * w[i];
    }
    return sqrt(ss);
}
