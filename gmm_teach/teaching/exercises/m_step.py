"""Self-checks of the M-step: weights, means and covariances from the
responsibilities.

:func:`check_m_step` (chapter 4; chapter 8 for each covariance type;
"Spot the bug") and :func:`check_m_step_1d` (chapter 5) compute the typical
wrong answers on purpose (weights not divided by n, covariances centred on the
old means or divided by N_k - 1, standard deviations for variances, ...), so
that a wrong answer is named, not only rejected.
"""

import numpy as np

from gmm_teach import covariance, em, em1d
from gmm_teach._validation import check_covariance_type
from gmm_teach.teaching.exercises._feedback import (
    _call,
    _check_callable,
    _describe,
    _fixed_problem,
    _outside_arrays,
    _part_problem,
    _problem_1d,
    _reduce_covariances,
    _report,
)


def _scatter(X, resp, centres):
    """S_k = sum_i r_ik (x_i - c_k)(x_i - c_k)^T for each component, shape
    (K, d, d).
    """
    diff = X[np.newaxis, :, :] - centres[:, np.newaxis, :]  # (K, n, d)
    return np.einsum("ik,kia,kib->kab", resp, diff, diff)


def _covariance_mistakes(
    X, resp, means, covariance_type, outside, word="covariances"
):
    """(value, message) for the typical wrong covariances of an M-step, in the
    type's shape; ``word`` names them in the messages.
    """
    n, K = resp.shape
    nk = resp.sum(axis=0)  # (K,)

    def covariances(centres, divisor, weights=resp):
        full = _scatter(
            X, weights, np.broadcast_to(centres, means.shape)
        ) / np.reshape(divisor, (-1, 1, 1))
        return _reduce_covariances(full, nk / n, covariance_type)

    mistakes = [
        (
            covariances(means, nk - 1),
            "you divided by N_k - 1 (the unbiased sample covariance); the "
            "maximum-likelihood M-step divides by N_k",
        ),
        (
            covariances(means, n),
            f"the {word} are divided by n instead of N_k",
        ),
        (covariances(means, 1.0), f"the {word} are not divided by N_k"),
        (
            covariances(0.0, nk),
            "the mean is not subtracted: use (x_i - mu_k)(x_i - mu_k)^T, not "
            "x_i x_i^T",
        ),
        (
            covariances(X.mean(axis=0), nk),
            f"the {word} are centred on the mean of all the data; "
            "centre each on its own new mean mu_k",
        ),
        (
            covariances(means, n, np.ones_like(resp)),
            f"the {word} ignore the responsibilities: "
            "weight each (x_i - mu_k)(x_i - mu_k)^T by r_ik",
        ),
    ]
    mistakes += [
        (
            covariances(value.reshape(means.shape), nk),
            f"the {word} are centred on `{name}`, which your function "
            "reads from outside (the old means?): centre them on the new "
            "means mu_k, computed from resp in this same M-step",
        )
        for name, value in outside
    ]
    if not covariance.get(covariance_type).stores_matrices:
        mistakes.append(
            (
                np.sqrt(covariances(means, nk)),
                "these are standard deviations; the M-step returns variances",
            )
        )
    return mistakes


def _m_step_problems(
    output, X, resp, correct, covariance_type, outside, signature, names
):
    """What is wrong with each of the three arrays an M-step returned
    (an empty list if nothing).

    ``correct`` is the package's (weights, means, covariances); the typical
    mistakes are computed on ``X`` of shape (n, d) and reshaped like the
    correct arrays (so (K,) means in 1-D).
    """
    if not (isinstance(output, (tuple, list)) and len(output) == 3):
        return [
            f"{signature} should return three arrays ({', '.join(names)}), "
            f"got {_describe(output)}"
        ]
    n, K = resp.shape
    nk = resp.sum(axis=0)  # (K,)
    means = correct[1].reshape(K, -1)  # (K, d)
    weight_mistakes = [
        (
            nk,
            "the weights are not divided by n: they sum to n_samples instead "
            "of one",
        ),
        (np.full(K, 1 / K), "the weights are all 1/K: update them to N_k / n"),
    ]
    mean_mistakes = [
        (resp.T @ X, "the means are not divided by N_k"),
        (resp.T @ X / n, "the means are divided by n instead of N_k"),
        (
            np.broadcast_to(X.mean(axis=0), means.shape),
            "every mean is the average of all the data: "
            "weight each x_i by r_ik",
        ),
    ]
    problems = [
        _part_problem(names[0], output[0], correct[0], weight_mistakes),
        _part_problem(
            names[1],
            output[1],
            correct[1],
            [
                (value.reshape(correct[1].shape), message)
                for value, message in mean_mistakes
            ],
        ),
    ]
    problems.append(
        _part_problem(
            names[2],
            output[2],
            correct[2],
            _covariance_mistakes(
                X, resp, means, covariance_type, outside, names[2]
            ),
            hint=f" ({covariance.get(covariance_type).description})"
            if names[2].endswith("covariances")
            else "",
            otherwise=f" (fix the means first: the {names[2]} use them)"
            if problems[1]
            else "",
        )
    )
    return [p for p in problems if p]


def check_m_step(my_m_step, covariance_type="full"):
    """Check an M-step (chapter 4; chapter 8 for the covariance types).

    The M-step is ``my_m_step(X, resp)``. It runs on a small fixed problem
    (30 points in 2-D, random responsibilities for three components) and
    compares the returned ``(weights, means, covariances)`` with
    :func:`gmm_teach.em.m_step` (``reg_covar=0``). Detects: weights not
    divided by n, means not divided by N_k (or divided by n), covariances
    centred on the old means (read from outside the function), on no mean or
    on the data's mean, divided by n or N_k - 1 instead of N_k, not weighted
    by the responsibilities, standard deviations instead of variances, and
    wrong shapes.

    Parameters
    ----------
    my_m_step : callable
        ``my_m_step(X, resp)`` returning ``(weights, means, covariances)``,
        covariances in the shape of ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        The covariance type that ``my_m_step`` estimates.

    Returns
    -------
    result : CheckResult
        The verdict, truthy when the weights, means and covariances are all
        right; its message is printed too.
    """
    _check_callable(my_m_step, "my_m_step")
    check_covariance_type(covariance_type)
    X, _, means, _, resp = _fixed_problem(covariance_type)
    signature = "my_m_step(X, resp)"
    output, problem = _call(my_m_step, (X, resp), signature)
    if problem:
        return _report([problem], "")
    correct = em.m_step(
        X, resp, covariance_type=covariance_type, reg_covar=0.0
    )
    problems = _m_step_problems(
        output,
        X,
        resp,
        correct,
        covariance_type,
        _outside_arrays(my_m_step, means.shape),
        signature,
        # the type in the messages: chapter 8 checks all four in one cell
        (
            "weights",
            "means",
            "covariances"
            if covariance_type == "full"
            else f"{covariance_type} covariances",
        ),
    )
    return _report(
        problems,
        f"weights, means and covariances ({covariance_type}) are all right.",
    )


def check_m_step_1d(my_m_step):
    """Check a 1-D M-step written by hand (chapter 5, eqs. (5.3) to (5.5)).

    The M-step is ``my_m_step(x, resp)``. As :func:`check_m_step`, against
    :func:`gmm_teach.em1d.m_step`, on 30 numbers and random responsibilities
    for three components.

    Parameters
    ----------
    my_m_step : callable
        ``my_m_step(x, resp)`` returning ``(weights, means, variances)``, each
        of shape (K,).

    Returns
    -------
    result : CheckResult
        The verdict, truthy when the weights, means and variances are all
        right; its message is printed too.
    """
    _check_callable(my_m_step, "my_m_step")
    x, _, means, _, resp = _problem_1d()
    signature = "my_m_step(x, resp)"
    output, problem = _call(my_m_step, (x, resp), signature)
    if problem:
        return _report([problem], "")
    # a 1-D mixture is a "spherical" one with one feature: sigma_k^2 is the
    # variance
    problems = _m_step_problems(
        output,
        x[:, np.newaxis],
        resp,
        em1d.m_step(x, resp),
        "spherical",
        _outside_arrays(my_m_step, means.shape),
        signature,
        ("weights", "means", "variances"),
    )
    return _report(problems, "weights, means and variances are all right.")
