"""Speed of gmm_teach's BayesianGaussianMixture against scikit-learn's, from
the same start (not part of the tests).

For each (n, d, K) of bench_em.py's shapes both estimators fit 20 iterations
with tol=0, covariance_type="full" and the default stick-breaking prior, from
the same starting responsibilities (the package's K-Means labels): the whole
``fit``, from the check of X to the final E-step. Ours also computes the full
lower bound at every iteration (``full_lower_bounds_``). Printed per shape:
the wall time of each and the ratio ours/theirs (goal: <= 1.0).

Run: .venv/bin/python bench/bench_bayesian.py [--repeat 3]
"""

import argparse
import time
import warnings
from unittest import mock

import numpy as np
from bench_em import SHAPES, make_problem
from sklearn.mixture import BayesianGaussianMixture as SklearnBayes

from gmm_teach import BayesianGaussianMixture, init

N_ITER = 20


class _SklearnFromResp(SklearnBayes):
    """scikit-learn's estimator, started from the responsibilities resp."""

    resp = None

    def _initialize_parameters(self, X, random_state, xp=None):
        self._initialize(X, self.resp)


def ours(X, resp):
    model = BayesianGaussianMixture(
        n_components=resp.shape[1], max_iter=N_ITER, tol=0.0
    )
    target = "gmm_teach.bayesian.initial_responsibilities"
    with mock.patch(target, return_value=resp):
        return model.fit(X)


def theirs(X, resp):
    model = _SklearnFromResp(
        n_components=resp.shape[1], max_iter=N_ITER, tol=0.0
    )
    model.resp = resp
    return model.fit(X)


def bench_shape(n, d, K, repeat):
    X, _ = make_problem(n, d, K)
    rng = np.random.default_rng(0)
    resp = init.initial_responsibilities(X, K, "kmeans", rng)
    runners = {"gmm_teach": ours, "sklearn": theirs}
    times = {name: np.inf for name in runners}
    for _ in range(repeat):  # alternate: a busy moment hits both
        for name, fn in runners.items():
            start = time.perf_counter()
            fn(X, resp)
            times[name] = min(times[name], time.perf_counter() - start)
    ratio = times["gmm_teach"] / times["sklearn"]
    print(f"(n, d, K) = ({n}, {d}, {K}): ratio ours/theirs {ratio:.2f}")
    for name, seconds in times.items():
        print(f"  {name:9s} {seconds:7.3f} s")
    return ratio


def main():
    summary = " ".join(__doc__.split("\n\n")[0].split())
    parser = argparse.ArgumentParser(description=summary)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="timings per shape; the best is kept",
    )
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # tol=0 never converges: both warn
    print(
        f"{N_ITER} variational iterations, tol=0, covariance_type='full', "
        "weight_concentration_prior_type='dirichlet_process'"
    )
    ratios = [bench_shape(n, d, K, args.repeat) for n, d, K in SHAPES]
    print(f"worst ratio ours/theirs: {max(ratios):.2f} (goal <= 1.0)")


if __name__ == "__main__":
    main()
