/* numerics/weight_noise.h — the layer-wise weight perturbation of 003 Figure 5: "a Gaussian
 * noise with standard deviation being 1/4 of that of the weights of the corresponding layer",
 * added to every weight layer of an MLP (numerics/mlp.h), and the weight norm the figure plots.
 *
 * Only the weight matrices W_k are perturbed and measured (biases are left alone: the document
 * speaks of "the weights of every layer"). The standard deviation of a layer is the population
 * standard deviation of the entries of W_k (mean subtracted, two passes).
 */
#ifndef NUM_WEIGHT_NOISE_H
#define NUM_WEIGHT_NOISE_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "numerics/mlp.h"
#include "numerics/num.h"

/* std[k] = population standard deviation of the entries of W_(k+1), k = 0 .. K-1. */
num_status num_wnoise_layer_std(const num_mlp *net, const double *theta, double *std);

/* Add N(0, (frac std_k)^2) independently to every entry of every W_k, std_k measured before the
 * noise (written to std if not NULL, K entries). frac >= 0; frac = 0 leaves theta unchanged and
 * draws nothing. Draws layer 1 first, each layer's entries in row-major order. */
num_status num_wnoise_perturb(const num_mlp *net, double *theta, gsl_rng *r, double frac,
                              double *std);

/* sqrt(sum_k ||W_k||_F^2): the L2 norm of the weights (biases excluded). */
double num_wnoise_weight_norm(const num_mlp *net, const double *theta);

#endif /* NUM_WEIGHT_NOISE_H */
