"""Self-check of chapter 12: the expected log-weights of a Bayesian mixture.

:func:`check_expected_log_weights` checks E[log pi_k] under the Dirichlet
posterior of the weights, psi(gamma_k) - psi(sum_j gamma_j) with
gamma_k = gamma_0 + N_k. It computes the typical
wrong answers on purpose (the logarithm of the mean weights, the prior left
out, the exponent gamma_k - 1 of the density for its parameter, the digamma
of the sum left out or taken of the wrong sum, the mean weights themselves),
so that a wrong answer is named, not only rejected.
"""

import numpy as np

from gmm_teach import variational
from gmm_teach.special import digamma
from gmm_teach.teaching.exercises._feedback import (
    _call,
    _check_callable,
    _part_problem,
    _report,
)

# the fixed problem: effective counts N_k (one component nearly empty) and
# the concentration prior gamma_0
_COUNTS = np.array([150.2, 99.1, 50.0, 1.3])
_PRIOR = 0.25


def _log_weight_mistakes(nk, prior):
    """(value, message) for the typical wrong E[log pi_k]."""
    gamma = prior + nk  # (K,) the posterior's concentrations
    K, n = len(nk), nk.sum()
    return [
        (
            np.log(gamma / gamma.sum()),
            "this is the logarithm of the mean weights, log(gamma_k / "
            "sum_j gamma_j); the average of log pi_k is smaller (Jensen's "
            "inequality): use the digamma function psi instead of log",
        ),
        (
            gamma / gamma.sum(),
            "these are the mean weights E[pi_k]; the E-step needs the "
            "average of their logarithm, E[log pi_k]",
        ),
        (
            digamma(nk) - digamma(n),
            "the prior is missing: the posterior's concentrations are "
            "gamma_k = gamma_0 + N_k, not N_k",
        ),
        (
            digamma(gamma - 1) - digamma((gamma - 1).sum()),
            "you used gamma_0 + N_k - 1, the exponent of pi_k in the "
            "density; the Dirichlet's parameter is gamma_k = gamma_0 + N_k",
        ),
        (
            digamma(gamma),
            "psi(gamma_k) alone: subtract psi of the sum of all the "
            "concentrations, psi(K gamma_0 + n)",
        ),
        (
            digamma(gamma) - digamma(prior + n),
            "the sum inside the second psi adds gamma_0 once; every one of "
            "the K concentrations carries it: sum_j gamma_j = K gamma_0 + n",
        ),
        (
            digamma(gamma) - digamma(n),
            "the sum inside the second psi leaves the prior out: it is "
            "sum_j gamma_j = K gamma_0 + n, not n",
        ),
        (
            digamma(gamma) - digamma(K * prior),
            "the second psi takes the prior's sum K gamma_0 only: it is "
            "sum_j gamma_j = K gamma_0 + n",
        ),
    ]


def check_expected_log_weights(my_expected_log_weights):
    """Check E[log pi_k] under the Dirichlet posterior (chapter 12).

    The function is ``my_expected_log_weights(nk, weight_concentration_prior)``
    for the Dirichlet distribution prior: it receives the effective counts
    N_k and gamma_0, and returns psi(gamma_k) - psi(sum_j gamma_j) with
    gamma_k = gamma_0 + N_k. It runs on four fixed
    counts, one of them small. Detects: the logarithm of the mean
    weights, the mean weights themselves, the prior left out, the density's
    exponent gamma_k - 1 used for its parameter, the second digamma left out
    or taken of a wrong sum, and a wrong shape.

    Parameters
    ----------
    my_expected_log_weights : callable
        ``my_expected_log_weights(nk, weight_concentration_prior)`` returning
        an array of shape (K,).

    Returns
    -------
    result : CheckResult
        The verdict, truthy when every E[log pi_k] is right; its message is
        printed too.
    """
    _check_callable(my_expected_log_weights, "my_expected_log_weights")
    signature = "my_expected_log_weights(nk, weight_concentration_prior)"
    output, problem = _call(
        my_expected_log_weights, (_COUNTS, _PRIOR), signature
    )
    if problem:
        return _report([problem], "")
    correct = variational.expected_log_weights_dirichlet(_PRIOR + _COUNTS)
    problem = _part_problem(
        "E[log pi_k]",
        output,
        correct,
        _log_weight_mistakes(_COUNTS, _PRIOR),
        hint=": one number per component",
    )
    return _report(
        [problem],
        "E[log pi_k] = psi(gamma_0 + N_k) - psi(K gamma_0 + n), for every "
        "component.",
    )
