#!/usr/bin/env python3
"""PyTorch peer of the neural-collapse MLP epoch (numerics/classifier_train.h).

Usage: mlp_epoch.py DIR n d width C epochs reps

Reads DIR/{X,y,theta0}.bin written by `tc_peer mlp` (float64 / int64, row-major), builds the
same network d-width-width-C (ReLU, biases; theta = [W1 (width x d) row-major, b1, W2, b2, W3,
b3], nn.Linear's own layout), trains `epochs` full-batch epochs with mean cross-entropy and
torch.optim.SGD(lr=0.01, momentum=0.9, weight_decay=5e-4) -- the update of
num_ctrain_update: v <- mu v + (g + lambda theta), theta <- theta - eta v -- in float64 on one
thread, and times it (process CPU time, median of reps after one warm-up, each from theta0 with a fresh
optimiser). Compares the final parameters with DIR/theta_tc.bin:

  rel = max |theta_torch - theta_tc| / max |theta_tc|  <=  TOL = 1e-9.

TOL: both programs compute the same float64 expressions in different summation orders. One
epoch's gradients then differ by at most ~k u relative (k <= n = 1797 the longest dot
product, u = 1.1e-16: 2e-13); the update multiplies by eta = 0.01 and momentum accumulates at
most 1/(1 - mu) = 10 of them, over E <= 200 epochs: E * 10 * eta * k u * |g|/|theta| << 1e-11
for |g| ~ |theta|. 1e-9 leaves two decades for ReLU kinks hit within rounding (none expected
with Gaussian data). Prints one `key=value` line.
"""
import sys
import time

import numpy as np
import torch


def load(path, dtype, count):
    a = np.fromfile(path, dtype=dtype)
    if a.size != count:
        sys.exit("mlp_epoch.py: %s: %d values, expected %d" % (path, a.size, count))
    return a


def main():
    d_, n, d, w, C, epochs, reps = sys.argv[1], *map(int, sys.argv[2:8])
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    X = torch.from_numpy(load(d_ + "/X.bin", np.float64, n * d).reshape(n, d))
    y = torch.from_numpy(load(d_ + "/y.bin", np.int64, n))
    sizes = [(w, d), (w, w), (C, w)]
    P = sum(o * i + o for o, i in sizes)
    theta0 = load(d_ + "/theta0.bin", np.float64, P)
    layers = [torch.nn.Linear(i, o, dtype=torch.float64) for o, i in sizes]
    net = torch.nn.Sequential(layers[0], torch.nn.ReLU(), layers[1], torch.nn.ReLU(), layers[2])
    params = [p for L in layers for p in (L.weight, L.bias)]
    lossf = torch.nn.CrossEntropyLoss()

    def reset():
        off = 0
        with torch.no_grad():
            for p in params:
                k = p.numel()
                p.copy_(torch.from_numpy(theta0[off:off + k].reshape(p.shape)))
                off += k
        return torch.optim.SGD(params, lr=0.01, momentum=0.9, weight_decay=5e-4)

    def run():
        opt = reset()
        for _ in range(epochs):
            opt.zero_grad(set_to_none=False)
            loss = lossf(net(X), y)
            loss.backward()
            opt.step()

    run()
    times = []
    for _ in range(reps):
        t0 = time.process_time()
        run()
        times.append(time.process_time() - t0)
    t = float(np.median(times)) / epochs
    theta = torch.cat([p.detach().reshape(-1) for p in params]).numpy()
    theta_tc = load(d_ + "/theta_tc.bin", np.float64, P)
    rel = float(np.max(np.abs(theta - theta_tc)) / np.max(np.abs(theta_tc)))
    print("torch sec_per_epoch=%.6g rel_diff=%.3g agree=%d torch=%s" %
          (t, rel, rel <= 1e-9, torch.__version__))


if __name__ == "__main__":
    main()
