"""Speed of gmm_teach's EM against scikit-learn's, from the same start (not
part of the tests).

For each (n, d, K) both run 20 iterations with tol=0 and covariance_type="full"
from identical starting parameters. Printed per shape: the wall time of each
and the ratio ours/theirs (goal: <= 1.0), the peak memory each allocates
(tracemalloc), and the GFLOP/s each reaches, counting the dominant work of one
iteration as 4 n K d^2 + 4 n K d flops (whitening in the E-step, weighted outer
products and the means in the M-step), against this machine's matrix-multiply
rate measured in the same run (the ceiling).

Run: .venv/bin/python bench/bench_em.py [--repeat 3]
"""

import argparse
import time
import tracemalloc
import warnings

import numpy as np
from sklearn.mixture import GaussianMixture

from gmm_teach import em, init

SHAPES = [(100_000, 2, 3), (50_000, 16, 8), (20_000, 64, 4)]
N_ITER = 20


def matmul_gflops(size=2000, repeat=3):
    """The machine's double-precision matrix-multiply rate, the ceiling for
    both."""
    A = np.random.default_rng(0).normal(size=(size, size))
    best = min(_timed(lambda: A @ A)[0] for _ in range(repeat))
    return 2 * size**3 / best / 1e9


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _peak_memory(fn):
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def make_problem(n, d, K, seed=0):
    """Data from K well-separated Gaussians and a k-means start."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=5, size=(K, d))
    X = centers[rng.integers(K, size=n)] + rng.normal(size=(n, d))
    return X, init.initial_parameters(X, K, "kmeans", random_state=seed)


def ours(X, start):
    return em.em(X, *start, max_iter=N_ITER, tol=0.0)


def theirs(X, start):
    weights, means, covariances = start
    model = GaussianMixture(
        len(weights),
        tol=0.0,
        max_iter=N_ITER,
        weights_init=weights,
        means_init=means,
        precisions_init=np.linalg.inv(covariances),
    )
    return model.fit(X)


def bench_shape(n, d, K, repeat, ceiling):
    X, start = make_problem(n, d, K)
    flops = N_ITER * (4 * n * K * d * d + 4 * n * K * d)
    runners = {"gmm_teach": ours, "sklearn": theirs}
    times = {name: np.inf for name in runners}
    # alternate, so that a busy moment of the machine hits both
    for _ in range(repeat):
        for name, fn in runners.items():
            elapsed = _timed(lambda fn=fn: fn(X, start))[0]
            times[name] = min(times[name], elapsed)
    memory = {
        name: _peak_memory(lambda fn=fn: fn(X, start))
        for name, fn in runners.items()
    }
    ratio = times["gmm_teach"] / times["sklearn"]
    print(f"(n, d, K) = ({n}, {d}, {K}): ratio ours/theirs {ratio:.2f}")
    for name in times:
        rate = flops / times[name] / 1e9
        print(
            f"  {name:9s} {times[name]:7.3f} s  peak {memory[name]:7.1f} MiB  "
            f"{rate:6.2f} GFLOP/s ({100 * rate / ceiling:4.1f} % of matmul)"
        )
    return ratio


def main():
    # the docstring's first sentence, on one line
    summary = " ".join(__doc__.split("\n\n")[0].split())
    parser = argparse.ArgumentParser(description=summary)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="timings per shape; the best is kept",
    )
    args = parser.parse_args()
    # tol=0 never converges: both warn, by design here
    warnings.simplefilter("ignore")
    ceiling = matmul_gflops()
    print(
        f"matrix multiply (2000 x 2000): {ceiling:.1f} GFLOP/s "
        f"on this machine; {N_ITER} EM iterations, tol=0, "
        "covariance_type='full'"
    )
    ratios = [bench_shape(n, d, K, args.repeat, ceiling) for n, d, K in SHAPES]
    print(f"worst ratio ours/theirs: {max(ratios):.2f} (goal <= 1.0)")


if __name__ == "__main__":
    main()
