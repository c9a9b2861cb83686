"""The cost of missing values in EM: gmm_teach.missing.em at 0, 10 and 30 %
missing completely at random, against complete-data EM (not part of the
tests).

n = 100 000, d = 8, K = 4, covariance_type="full" (or --covariance-type):
each run is 10 EM iterations with tol=0 from the same start. Printed: the
time of complete-data EM (gmm_teach.em.em, and scikit-learn's for scale),
then for each fraction missing the number of missingness patterns, the time
of the missing-value EM and its ratio to complete-data EM (goal at 10 %:
<= 3), with the share of one iteration spent in the E-step, in filling in
the missing values (conditional means and Schur complements) and in the
M-step.

Run: .venv/bin/python bench/bench_missing.py [--repeat 3]
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.mixture import GaussianMixture

from gmm_teach import em, init, missing
from gmm_teach.conditional import _expectations

N, D, K = 100_000, 8, 4
FRACTIONS = (0.0, 0.1, 0.3)
N_ITER = 10


def _best_time(fn, repeat):
    """The best wall time and the best CPU time (all threads) of ``repeat``
    runs: on a busy machine the CPU time is the steadier of the two."""
    wall = cpu = np.inf
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu


def make_problem(covariance_type, seed=0):
    """Data from K well-separated correlated Gaussians, and a start."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=4, size=(K, D))
    mixing = rng.normal(size=(K, D, D)) / np.sqrt(D)
    labels = rng.integers(K, size=N)
    noise = np.einsum("nd,nde->ne", rng.normal(size=(N, D)), mixing[labels])
    X = centers[labels] + noise + rng.normal(scale=0.5, size=(N, D))
    start = init.initial_parameters(
        X, K, "kmeans", covariance_type=covariance_type, random_state=seed
    )
    return X, start


def with_holes(X, fraction, seed=1):
    """Each entry missing with probability ``fraction`` (MCAR); a row that
    loses every value keeps its first."""
    holes = np.random.default_rng(seed).uniform(size=X.shape) < fraction
    holes[holes.all(axis=1), 0] = False
    return np.where(holes, np.nan, X)


def theirs(X, start, covariance_type):
    weights, means, _ = start
    model = GaussianMixture(
        K,
        covariance_type=covariance_type,
        tol=0.0,
        max_iter=N_ITER,
        weights_init=weights,
        means_init=means,
    )
    return model.fit(X)


def step_shares(X, start, covariance_type, repeat):
    """CPU seconds of one E-step, one filling-in and one M-step."""
    weights, means, covariances = start
    prepared = missing._prepared(
        X, weights, means, covariances, covariance_type
    )
    _, patterns, _, _, factors, _ = prepared
    resp, _ = missing._e_step(*prepared)
    old = means, covariances, factors
    timings = {
        "E-step": lambda: missing._e_step(*prepared),
        "filling in": lambda: _expectations(
            X, patterns, *old, covariance_type
        ),
        "M-step": lambda: missing._m_step_from(
            X, patterns, resp, old, covariance_type, 1e-6
        ),
    }
    return {name: _best_time(fn, repeat)[1] for name, fn in timings.items()}


def main():
    summary = " ".join(__doc__.split("\n\n")[0].split())
    parser = argparse.ArgumentParser(description=summary)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--covariance-type",
        default="full",
        choices=["full", "tied", "diag", "spherical"],
    )
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # tol=0 never converges, by design
    kind = args.covariance_type
    X, start = make_problem(kind)
    options = {"covariance_type": kind, "max_iter": N_ITER, "tol": 0.0}
    complete = _best_time(lambda: em.em(X, *start, **options), args.repeat)
    sklearn = _best_time(lambda: theirs(X, start, kind), args.repeat)
    print(
        f"n = {N}, d = {D}, K = {K}, covariance_type={kind!r}, {N_ITER} "
        "iterations; times are wall / CPU seconds, ratios of CPU times\n"
        f"complete data: gmm_teach.em.em {_seconds(complete)}, scikit-learn "
        f"{_seconds(sklearn)}"
    )
    for fraction in FRACTIONS:
        X_missing = with_holes(X, fraction)
        n_patterns = len(missing.missingness_patterns(X_missing))
        elapsed = _best_time(
            lambda X_missing=X_missing: missing.em(
                X_missing, *start, **options
            ),
            args.repeat,
        )
        shares = step_shares(X_missing, start, kind, args.repeat)
        steps = ", ".join(f"{k} {1e3 * v:.0f} ms" for k, v in shares.items())
        cpu, wall = elapsed[1] / complete[1], elapsed[0] / complete[0]
        print(
            f"{100 * fraction:4.0f} % missing: {n_patterns:3d} patterns, "
            f"missing.em {_seconds(elapsed)}, ratio to complete data "
            f"{cpu:.2f} (wall {wall:.2f})\n"
            f"       one iteration (CPU): {steps}"
        )


def _seconds(times):
    return f"{times[0]:.2f} / {times[1]:.2f} s"


if __name__ == "__main__":
    main()
