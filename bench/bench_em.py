"""Speed of gmm_teach's EM against scikit-learn's, from the same start (not
part of the tests).

For each (n, d, K) both run 20 iterations with tol=0 and covariance_type="full"
from identical starting parameters. Printed per shape: the time of each (the
best of --repeat runs) and the ratio ours/theirs, the peak memory each
allocates (tracemalloc), and the GFLOP/s each reaches, counting the work of
one iteration as 4 n K d^2 + 4 n K d flops (whitening in the E-step, weighted
outer products and the means in the M-step, as the textbook algorithm does
them; a symmetric product computes one triangle, so gmm_teach's M-step does
about half of its share), against this machine's one-thread matrix-multiply
rate (the ceiling: the best of measurements before and after every shape, so
that a busy moment lowers no goal).

Times are the CPU time of this process (time.process_time), not wall time: on
a machine shared with other jobs, a process that waits for a core has done no
more work, and wall times swing with the neighbours' load. With one BLAS thread
the two agree on a quiet machine; --wall measures wall time instead.

The last lines put the two speed goals side by side: the ratio at every shape
(goal: at most 0.8) and gmm_teach's share of the ceiling at d = 64 (goal: at
least 40 %). The machine's load average is printed too: on a busy machine
both sides slow down, and the ratio holds better than the rates.

Run: OMP_NUM_THREADS=1 .venv/bin/python bench/bench_em.py [--repeat 3]
(the Makefile sets one BLAS thread; so should you).
"""

import argparse
import os
import time
import tracemalloc
import warnings

import numpy as np
from sklearn.mixture import GaussianMixture

from gmm_teach import em, init

SHAPES = [(100_000, 2, 3), (50_000, 16, 8), (20_000, 64, 4)]
N_ITER = 20
MAX_RATIO = 0.8  # goal: ours/theirs at every shape
MIN_SHARE = 40.0  # goal: % of the matmul rate at the largest d


def matmul_gflops(clock, size=2000, repeat=3):
    """The machine's double-precision matrix-multiply rate, the ceiling for
    both."""
    A = np.random.default_rng(0).normal(size=(size, size))
    best = min(_timed(lambda: A @ A, clock) for _ in range(repeat))
    return 2 * size**3 / best / 1e9


def _timed(fn, clock):
    """Seconds that ``fn()`` takes on ``clock`` (time.process_time...)."""
    start = clock()
    fn()
    return clock() - start


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


def bench_shape(n, d, K, repeat, clock):
    """Return the best times (s) and peak memories (MiB) of both at a shape."""
    X, start = make_problem(n, d, K)
    runners = {"gmm_teach": ours, "sklearn": theirs}
    times = {name: np.inf for name in runners}
    # alternate, so that a busy moment of the machine hits both
    for _ in range(repeat):
        for name, fn in runners.items():
            elapsed = _timed(lambda fn=fn: fn(X, start), clock)
            times[name] = min(times[name], elapsed)
    memory = {
        name: _peak_memory(lambda fn=fn: fn(X, start))
        for name, fn in runners.items()
    }
    return times, memory


def gflops(n, d, K, seconds):
    """The counted work of N_ITER iterations per second, in GFLOP/s."""
    return N_ITER * (4 * n * K * d * d + 4 * n * K * d) / seconds / 1e9


def report_shape(shape, times, memory, ceiling):
    """Print one shape's ratio, times, memories and rates."""
    ratio = times["gmm_teach"] / times["sklearn"]
    print(f"(n, d, K) = {shape}: ratio ours/theirs {ratio:.2f}")
    for name in times:
        rate = gflops(*shape, times[name])
        print(
            f"  {name:9s} {times[name]:7.3f} s  peak {memory[name]:7.1f} MiB  "
            f"{rate:6.2f} GFLOP/s ({100 * rate / ceiling:4.1f} % of matmul)"
        )
    return ratio


def report_goals(ratios, share):
    """Print both speed goals side by side, met or not."""
    listed = " / ".join(f"{r:.2f}" for r in ratios)
    met = {True: "met", False: "NOT met"}
    print(
        f"goals: ratio ours/theirs {listed} at the {len(ratios)} shapes "
        f"(<= {MAX_RATIO}: {met[max(ratios) <= MAX_RATIO]}); "
        f"{share:.1f} % of the matmul rate at d = {SHAPES[-1][1]} "
        f"(>= {MIN_SHARE:.0f} %: {met[share >= MIN_SHARE]})"
    )


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
    parser.add_argument(
        "--wall",
        action="store_true",
        help="measure wall time instead of this process's CPU time",
    )
    args = parser.parse_args()
    clock = time.perf_counter if args.wall else time.process_time
    # tol=0 never converges: both warn, by design here
    warnings.simplefilter("ignore")
    load = os.getloadavg()[0]
    ceiling = matmul_gflops(clock, repeat=args.repeat)
    results = []
    for shape in SHAPES:
        results.append(bench_shape(*shape, args.repeat, clock))
        ceiling = max(ceiling, matmul_gflops(clock, repeat=args.repeat))
    print(
        f"matrix multiply (2000 x 2000): {ceiling:.1f} GFLOP/s on this "
        f"machine, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}; "
        f"{N_ITER} EM iterations, tol=0, covariance_type='full', "
        f"{'wall' if args.wall else 'CPU'} time; "
        f"load average {load:.2f} at the start, "
        f"{os.getloadavg()[0]:.2f} at the end"
    )
    ratios = [
        report_shape(shape, *result, ceiling)
        for shape, result in zip(SHAPES, results, strict=True)
    ]
    times = results[-1][0]
    share = 100 * gflops(*SHAPES[-1], times["gmm_teach"]) / ceiling
    report_goals(ratios, share)


if __name__ == "__main__":
    main()
