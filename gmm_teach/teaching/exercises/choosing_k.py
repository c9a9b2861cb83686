"""Self-checks of chapter 9: the count of free parameters of a mixture, and
its BIC.

:func:`check_n_parameters` checks a count nu, eq. (9.1) (the weights that sum
to one, the symmetric matrices, the tied covariance counted once);
:func:`check_bic` checks a BIC value or function, eq. (9.2) (the AIC's
penalty, a flipped sign, the mean log-likelihood, log10 n).
"""

import numpy as np

from gmm_teach import covariance, em, selection
from gmm_teach._validation import check_parameters
from gmm_teach.teaching.exercises._feedback import (
    _direction,
    _named_mistake,
    _one_number,
    _report,
    _same,
    _value_of,
)


def check_n_parameters(
    answer, n_components, n_features, covariance_type="full"
):
    """Check a count of a mixture's free parameters (chapter 9, eq. (9.1)).

    Detects K weights counted where only
    K - 1 are free, weights, means or covariances left out, every entry of a
    symmetric matrix counted, and a tied matrix counted once per component.

    Parameters
    ----------
    answer : int
        The learner's count.
    n_components : int
        The number of components K.
    n_features : int
        The number of features d.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        The covariance type of the mixture.

    Returns
    -------
    result : CheckResult
        The verdict, truthy when the count is right; its message is printed
        too.
    """
    correct = selection.n_parameters(n_components, n_features, covariance_type)
    value, problem = _one_number(answer, "the number of parameters")
    if problem is None and value != np.round(value):
        problem = f"the number of parameters is a whole number, got {answer!r}"
    if problem:
        return _report([problem], "")
    K, d = n_components, n_features
    kind = covariance.get(covariance_type)
    # the covariances' share of the count
    n_covariance = correct - (K - 1) - K * d
    mistakes = [
        (
            correct + 1,
            "you counted K mixing weights, but they sum to one: only K - 1 "
            "are free",
        ),
        (
            correct - (K - 1),
            "the mixing weights are missing (K - 1 of them are free)",
        ),
        (correct - K * d, "the means are missing (K d numbers)"),
        (correct - n_covariance, "the covariances are missing"),
    ]
    if kind.stores_matrices:
        every_entry = (1 if kind.shared else K) * d * d
        mistakes.append(
            (
                correct - n_covariance + every_entry,
                "you counted every entry of each d x d "
                "covariance; it is symmetric, so only d(d + 1)/2 are free",
            )
        )
    if kind.shared:
        mistakes.append(
            (
                correct + (K - 1) * n_covariance,
                "'tied' means one covariance shared by all "
                "components: count it once",
            )
        )
    if value == correct:
        return _report(
            [],
            f"a {covariance_type!r} mixture of {K} components in {d} "
            "dimensions has that many free parameters.",
        )
    return _report(
        [
            _named_mistake(value, mistakes)
            or (
                f"your count is {_direction(float(value), correct)}: add up "
                "the free numbers of the weights, the means and the "
                f"{covariance_type!r} covariances"
            )
        ],
        "",
    )


def check_bic(value, X, weights, means, covariances, covariance_type="full"):
    """Check a BIC value, -2 l(theta) + nu ln n (chapter 9, eq. (9.2)).

    Detects the AIC instead, a flipped sign, a missing factor 2, the mean
    log-likelihood per sample instead of the total, log10 n or n instead of
    ln n, and one parameter too many.

    Parameters
    ----------
    value : float or callable
        The learner's BIC, or the learner's function
        ``value(X, weights, means, covariances)`` that returns it.
    X : array-like of shape (n_samples, n_features)
        The data, as in :func:`gmm_teach.selection.bic`.
    weights : array-like of shape (n_components,)
        The mixing weights pi_k.
    means : array-like of shape (n_components, n_features)
        The component means mu_k.
    covariances : array-like
        The covariances Sigma_k, shaped by ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the covariances are stored.

    Returns
    -------
    result : CheckResult
        The verdict, truthy when the value is the BIC; its message is printed
        too.
    """
    X, weights, means, covariances = check_parameters(
        X, weights, means, covariances, covariance_type
    )
    correct = selection.bic(X, weights, means, covariances, covariance_type)
    ll = em.log_likelihood(X, weights, means, covariances, covariance_type)
    n, d = X.shape
    nu = selection.n_parameters(len(weights), d, covariance_type)
    value, problem = _value_of(
        value,
        (X, weights, means, covariances),
        "X, weights, means, covariances",
    )
    if problem is None:
        value, problem = _one_number(value, "the BIC")
    if problem:
        return _report([problem], "")
    mistakes = [
        (
            -2 * ll + 2 * nu,
            "this is the AIC (penalty 2 nu); the BIC's penalty is nu ln n",
        ),
        (
            2 * ll - nu * np.log(n),
            "the sign is flipped: BIC = -2 l(theta) + nu ln n "
            "(smaller is better)",
        ),
        (
            -ll + nu * np.log(n),
            "the factor 2 in front of the log-likelihood is missing",
        ),
        (
            -2 * ll / n + nu * np.log(n),
            "you used the mean log-likelihood per sample; the BIC uses the "
            "total l(theta)",
        ),
        (
            -2 * ll + nu * np.log10(n),
            "use the natural logarithm of n, not log10",
        ),
        (-2 * ll + nu * n, "the penalty is nu ln n, not nu n"),
        (
            -2 * ll + (nu + 1) * np.log(n),
            "nu is one too many: the K weights sum to one, so only K - 1 are "
            "free",
        ),
    ]
    if _same(value, correct):
        return _report([], "that is the BIC.")
    return _report(
        [
            _named_mistake(value, mistakes)
            or f"the value is {_direction(float(value), correct)}"
        ],
        "",
    )
