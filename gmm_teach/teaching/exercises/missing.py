"""Self-check of the M-step with missing values (the chapter "When values are
missing").

:func:`check_missing_m_step` runs the learner's M-step on a small problem with
holes and compares it with the exact one, the chapter's M-step with its
correction term. It computes
the typical wrong answers on purpose (the correction term left out, not
weighted by the responsibilities or not divided by N_k, the variance before
conditioning instead of the Schur complement, holes filled with column means
or zeros), so that a wrong answer is named, not only rejected.
"""

import numpy as np

from gmm_teach import missing
from gmm_teach.teaching.exercises._feedback import (
    _as_numbers,
    _call,
    _check_callable,
    _describe,
    _fixed_problem,
    _part_problem,
    _report,
)

_SIGNATURE = "my_m_step(X, resp, means, covariances)"
_NAN_HINT = (
    ": a hole (NaN) reached a sum; average the completed rows x_hat_ik, "
    "never X itself"
)


def _problem_with_holes():
    """The fixed problem of the other checks, with holes: X (30, 2) in which
    eight rows miss their second coordinate and four their first; the old
    means (3, 2) and covariances (3, 2, 2); responsibilities (30, 3).
    """
    X, _, means, covariances, resp = _fixed_problem("full")
    X = X.copy()
    X[::4, 1] = np.nan  # rows 0, 4, ..., 28
    X[[1, 10, 19, 22], 0] = np.nan
    return X, means, covariances, resp


def _completed(X, means, covariances, conditional=True):
    """x_hat (n, K, d) and C (n, K, d, d): each row completed by each
    component, with the conditional means and covariances; with
    ``conditional=False``, with the means and variances before conditioning.
    """
    n, (K, d) = len(X), means.shape
    x_hat = np.repeat(X[:, np.newaxis, :], K, axis=1)  # (n, K, d)
    C = np.zeros((n, K, d, d))
    for i, row in enumerate(X):
        u = np.isnan(row)  # (d,) the unobserved coordinates
        o = ~u
        for k in range(K):
            S = covariances[k]  # (d, d)
            A = np.linalg.solve(S[np.ix_(o, o)], S[np.ix_(o, u)]).T
            if not conditional:
                A = np.zeros_like(A)  # as if x_o said nothing about x_u
            x_hat[i, k, u] = means[k, u] + A @ (row[o] - means[k, o])
            C[i, k][np.ix_(u, u)] = S[np.ix_(u, u)] - A @ S[np.ix_(o, u)]
    return x_hat, C


def _m_step_from(x_hat, resp, C=None, divide_correction=True):
    """Weights, means and covariances from completed rows, as the chapter's
    M-step computes them; C=None leaves the correction out.
    """
    nk = resp.sum(axis=0)  # (K,)
    means = np.einsum("ik,ikd->kd", resp, x_hat) / nk[:, np.newaxis]
    diff = x_hat - means  # (n, K, d)
    covariances = np.einsum("ik,ika,ikb->kab", resp, diff, diff)
    covariances /= nk[:, None, None]
    if C is not None:
        correction = np.einsum("ik,ikab->kab", resp, C)  # (K, d, d)
        if divide_correction:
            correction /= nk[:, None, None]
        covariances += correction
    return nk / len(x_hat), means, covariances


def _mistakes(X, resp, means, covariances):
    """(value, message) for the typical wrong covariances and means."""
    x_hat, C = _completed(X, means, covariances)
    unconditional, C_before = _completed(X, means, covariances, False)
    K = resp.shape[1]
    filled = np.where(np.isnan(X), np.nanmean(X, axis=0), X)  # (n, d)
    filled = np.repeat(filled[:, np.newaxis, :], K, axis=1)  # (n, K, d)
    zeros = np.repeat(np.nan_to_num(X)[:, np.newaxis, :], K, axis=1)
    ones = np.ones_like(resp)
    holes = "the holes are filled with"
    return [
        (
            _m_step_from(x_hat, resp)[2],
            "the covariances leave out the correction term C_ik: each "
            "filled-in value sits on its component's regression line and "
            "its spread around it is lost, so the variances shrink",
        ),
        (
            _m_step_from(x_hat, resp, C, divide_correction=False)[2],
            "the correction term sum_i r_ik C_ik is not divided by N_k",
        ),
        (
            _m_step_from(x_hat, resp)[2]
            + np.einsum("ik,ikab->kab", ones, C)
            / resp.sum(axis=0)[:, None, None],
            "the correction term is not weighted by the responsibilities: "
            "use sum_i r_ik C_ik",
        ),
        (
            _m_step_from(x_hat, resp, C_before)[2],
            "the correction uses Sigma_k,uu, the variance before "
            "conditioning: use the Schur complement "
            "Sigma_k,uu - Sigma_k,uo Sigma_k,oo^-1 Sigma_k,ou",
        ),
        (
            _m_step_from(unconditional, resp, C_before)[1],
            f"{holes} each component's own mean mu_k,u; fill them with "
            "the conditional mean, which uses the observed coordinates",
        ),
        (
            _m_step_from(filled, resp)[1],
            f"{holes} the column means; fill them with each component's "
            "conditional mean",
        ),
        (
            _m_step_from(zeros, resp)[1],
            f"{holes} zeros; fill them with each component's conditional mean",
        ),
        (
            means,
            "the means are the old ones: compute the new means from the "
            "completed rows x_hat_ik",
        ),
    ]


def _missing_m_step_problems(output, correct, mistakes):
    """What is wrong with the three arrays a learner's M-step returned."""
    if not (isinstance(output, (tuple, list)) and len(output) == 3):
        return [
            f"{_SIGNATURE} should return three arrays (weights, means, "
            f"covariances), got {_describe(output)}"
        ]
    problems = []
    for name, answer, right in zip(
        ("weights", "means", "covariances"), output, correct, strict=True
    ):
        array, problem = _as_numbers(answer, name, nan_hint=_NAN_HINT)
        if problem is None:
            problem = _part_problem(
                name,
                array,
                right,
                mistakes,
                otherwise=" (fix the means first: the covariances use them)"
                if name == "covariances" and any(problems)
                else "",
            )
        problems.append(problem)
    return [p for p in problems if p]


def check_missing_m_step(my_m_step):
    """Check an M-step with missing values, with its correction term.

    For the chapter "When values are missing". The M-step is
    ``my_m_step(X, resp, means, covariances)``: ``X`` has NaN
    for the missing values, ``resp`` holds the responsibilities of the
    E-step, and ``means`` and ``covariances`` are the old parameters, which
    fill in the holes. It runs on a small fixed problem (30 points in 2-D,
    twelve with a hole, three full-covariance components) and is compared
    with :func:`gmm_teach.missing.m_step` (``reg_covar=0``). Detects: the
    correction term left out, not divided by N_k or not weighted by the
    responsibilities; the variance before conditioning in place of the
    Schur complement; holes filled with each component's mean, with the
    column means or with zeros; the old means returned; NaN in the result;
    wrong shapes.

    Parameters
    ----------
    my_m_step : callable
        ``my_m_step(X, resp, means, covariances)`` returning ``(weights,
        means, covariances)`` of shapes (K,), (K, d) and (K, d, d).

    Returns
    -------
    result : CheckResult
        The verdict, truthy when the weights, means and covariances are all
        right; its message is printed too.
    """
    _check_callable(my_m_step, "my_m_step")
    X, means, covariances, resp = _problem_with_holes()
    output, problem = _call(
        my_m_step, (X, resp, means, covariances), _SIGNATURE
    )
    if problem:
        return _report([problem], "")
    correct = missing.m_step(X, resp, means, covariances, reg_covar=0.0)
    problems = _missing_m_step_problems(
        output, correct, _mistakes(X, resp, means, covariances)
    )
    return _report(
        problems,
        "weights, means and covariances are right, with the correction term.",
    )
