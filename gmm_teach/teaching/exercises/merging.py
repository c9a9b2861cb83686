"""Self-check of merging two blocks' centred sums (chapter "EM at scale").

:func:`check_merge` takes the learner's ``my_merge(a, b)``, which combines
the count, the weighted mean and the centred scatter of each component of
two disjoint blocks of rows into those of their union. It computes the
typical wrong answers on purpose (the scatters added without the term for
the distance between the blocks' means, that term weighted wrongly or with
the wrong sign, the means averaged without their counts, the covariance
returned for the scatter), so that a wrong answer is named, not only
rejected. A merge that is right near the origin but loses digits far from
it (through a difference of large sums of squares) is named too.
"""

import numpy as np

from gmm_teach import em
from gmm_teach.teaching.exercises._feedback import (
    _call,
    _check_callable,
    _describe,
    _fixed_problem,
    _part_problem,
    _report,
)

# the offset of the data "far from the origin": a one-pass formula loses
# about 2 log10(FAR) = 14 of its 16 digits there
FAR = 1e7
# the first block's rows; the rest are the second block's
_SPLIT = 18


def _block(X, resp):
    """(nk, means, scatter) of the rows X: the M-step's sums, centred.

    Shapes (K,), (K, d) and (K, d, d); the means and the scatter come from
    :func:`gmm_teach.em.m_step` without ``reg_covar``.
    """
    nk = resp.sum(axis=0)  # (K,)
    _, means, covariances = em.m_step(X, resp, reg_covar=0.0)
    return nk, means, covariances * nk[:, np.newaxis, np.newaxis]


def _merge_problem(shift):
    """The two blocks (a, b) and their union's (nk, means, scatter).

    The rows of the fixed problem, moved by ``shift`` along both features,
    split into two blocks of unequal sizes.
    """
    X, _, _, _, resp = _fixed_problem()
    X = X + shift
    a = _block(X[:_SPLIT], resp[:_SPLIT])
    b = _block(X[_SPLIT:], resp[_SPLIT:])
    return a, b, _block(X, resp)


def _mistakes(a, b):
    """(value, message) for the typical wrong means and scatters."""
    (n_a, mean_a, scatter_a), (n_b, mean_b, scatter_b) = a, b
    nk = n_a + n_b  # (K,)
    delta = mean_a - mean_b  # (K, d)
    outer = delta[:, :, np.newaxis] * delta[:, np.newaxis, :]  # (K, d, d)

    def scatter(weight):
        return scatter_a + scatter_b + weight[:, None, None] * outer

    right = scatter(n_a * n_b / nk)
    mean_mistakes = [
        (
            (mean_a + mean_b) / 2,
            "the means are the plain average of the two blocks' means: "
            "weight each by its count N_k",
        ),
        (
            n_a[:, None] * mean_a + n_b[:, None] * mean_b,
            "the means are not divided by the merged count N_k",
        ),
    ]
    scatter_mistakes = [
        (
            scatter_a + scatter_b,
            "the scatters are added without the term for the distance "
            "between the two blocks' means: each is taken about its own "
            "block's mean, not about the merged one",
        ),
        (
            scatter(n_a * n_b),
            "the term for the distance between the means is not divided "
            "by N_k: its weight is N_ak N_bk / N_k",
        ),
        (
            scatter(n_a * n_b / nk**2),
            "the term for the distance between the means is divided by N_k "
            "twice: its weight is N_ak N_bk / N_k",
        ),
        (
            scatter(np.ones_like(nk)),
            "the term for the distance between the means is not weighted: "
            "its weight is N_ak N_bk / N_k",
        ),
        (
            scatter(-n_a * n_b / nk),
            "the term for the distance between the means is subtracted: "
            "merging two blocks can only add spread, never remove it",
        ),
        (
            right / nk[:, None, None],
            "this is the covariance (the scatter divided by N_k); return "
            "the scatter itself, so that it can be merged again",
        ),
    ]
    return mean_mistakes, scatter_mistakes


def _merge_problems(output, a, b, correct, signature):
    """What is wrong with the (nk, means, scatter) a merge returned."""
    if not (isinstance(output, (tuple, list)) and len(output) == 3):
        return [
            f"{signature} should return three arrays (nk, means, scatter), "
            f"got {_describe(output)}"
        ]
    mean_mistakes, scatter_mistakes = _mistakes(a, b)
    problems = [
        _part_problem(
            "nk",
            output[0],
            correct[0],
            [(a[0], "nk is block a's count: add the two blocks' counts")],
        ),
        _part_problem("means", output[1], correct[1], mean_mistakes),
    ]
    problems.append(
        _part_problem(
            "scatter",
            output[2],
            correct[2],
            scatter_mistakes,
            otherwise=" (fix the means first: the scatter is taken about them)"
            if problems[1]
            else "",
        )
    )
    return [p for p in problems if p]


def check_merge(my_merge):
    """Check a merge of two blocks' centred sums (chapter "EM at scale").

    ``my_merge(a, b)`` takes two tuples ``(nk, means, scatter)`` of
    disjoint blocks of rows, for each component k the count
    N_k = sum_i r_ik, the weighted mean and the centred scatter
    sum_i r_ik (x_i - mean_k)(x_i - mean_k)^T, and returns the same tuple
    for the union. It runs on the fixed problem of the checks (30 points
    in 2-D, random responsibilities for three components) split into blocks
    of 18 and 12 rows, first as it is, then moved far from the origin
    (by 1e7). Detects: counts not added, means not weighted by their counts
    or not divided by N_k, the term for the distance between the blocks'
    means missing, weighted wrongly or subtracted, the covariance returned
    instead of the scatter, wrong shapes, and a merge that is right near
    the origin but loses digits far from it.

    Parameters
    ----------
    my_merge : callable
        ``my_merge(a, b)`` returning ``(nk, means, scatter)`` of shapes
        (K,), (K, d) and (K, d, d).

    Returns
    -------
    result : CheckResult
        The verdict, truthy when the counts, means and scatter are right
        both near and far from the origin; its message is printed too.
    """
    _check_callable(my_merge, "my_merge")
    signature = "my_merge(a, b)"
    for shift in (0.0, FAR):
        a, b, correct = _merge_problem(shift)
        # copies: a merge that writes into its arguments spoils nothing
        copies = tuple(tuple(np.copy(x) for x in block) for block in (a, b))
        output, problem = _call(my_merge, copies, signature)
        if problem:
            return _report([problem], "")
        problems = _merge_problems(output, a, b, correct, signature)
        if problems and shift == FAR:
            problems = [
                "right near the origin, but far from it (every point moved "
                f"by {FAR:g}) it loses digits: "
                + "; ".join(problems)
                + ". A difference of two large numbers (sums of x x^T, or "
                "outer products of the means themselves) cancels the "
                "leading digits; build the correction from the difference "
                "of the two means, which stays small"
            ]
        if problems:
            return _report(problems, "")
    return _report(
        [],
        "counts, means and scatter of the union are right, far from the "
        "origin too.",
    )
