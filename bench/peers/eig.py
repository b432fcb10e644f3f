#!/usr/bin/env python3
"""numpy peer of the Hessian eigenproblem (all eigenvalues of the P x P Hessian).

Usage: eig.py DIR P reps

Reads DIR/A.bin (written by `tc_peer eig`: the Hessian of a tanh MLP assembled by
num_hessian_full, whose eigenvalues the C side computed with num_linalg_eigh), times numpy.linalg.eigvalsh (LAPACK dsyevd through numpy's lapack_lite /
the system LAPACK) on one thread (process CPU time, median of reps after one warm-up) and compares with
DIR/ev_tc.bin:

  max_i |ev_numpy_i - ev_tc_i| <= TOL = 10 P u max_i |ev_i|,   u = 2^-53.

TOL: dsyevd is backward stable, each computed eigenvalue is exact for A + E with
|E|_2 <= p(P) u |A|_2 (Weyl: the eigenvalue moves by at most |E|_2); p(P) = 10 P is a
generous form of the LAPACK bound for the Householder tridiagonalisation plus divide and
conquer. Prints one `key=value` line.
"""
import sys
import time

import numpy as np


def main():
    d_, P, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    A = np.fromfile(d_ + "/A.bin").reshape(P, P)
    ev = np.linalg.eigvalsh(A)
    times = []
    for _ in range(reps):
        t0 = time.process_time()
        ev = np.linalg.eigvalsh(A)
        times.append(time.process_time() - t0)
    ev_tc = np.fromfile(d_ + "/ev_tc.bin")
    diff = float(np.max(np.abs(np.sort(ev) - np.sort(ev_tc))))
    tol = 10.0 * P * 2.0**-53 * float(np.max(np.abs(ev)))
    print("numpy seconds=%.6g diff=%.3g tol=%.3g agree=%d numpy=%s" %
          (float(np.median(times)), diff, tol, diff <= tol, np.__version__))


if __name__ == "__main__":
    main()
