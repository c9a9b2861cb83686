"""Self-checks of what the E-step computes: responsibilities, hard labels and
the log-likelihood.

- :func:`check_responsibilities` and :func:`check_e_step` (chapter 3),
  :func:`check_e_step_1d` (chapter 5);
- :func:`check_predict`: hard labels, the component of largest responsibility
  (chapters 3, 6, 10 and 11);
- :func:`check_log_likelihood`: l(theta), eq. (4.1) (chapter 4), which
  :func:`check_e_step` also applies to an E-step that returns it.
"""

import numpy as np

from gmm_teach import em, gaussian
from gmm_teach._validation import check_covariance_type, check_parameters
from gmm_teach.teaching.exercises._feedback import (
    RTOL,
    _as_numbers,
    _call,
    _check_callable,
    _direction,
    _fixed_problem,
    _named_mistake,
    _one_number,
    _problem_1d,
    _report,
    _same,
    _shape_problem,
    _value_of,
)


def _responsibility_problem(
    resp, X, weights, means, covariances, covariance_type, nan_hint=""
):
    """What is wrong with ``resp`` as the responsibilities of these parameters,
    or None.
    """
    # (n, K)
    correct, _ = em.e_step(X, weights, means, covariances, covariance_type)
    array, problem = _as_numbers(resp, "resp", nan_hint)
    if problem:
        return problem
    n, K = correct.shape
    problem = _shape_problem(
        array, (n, K), "resp", ": one row per sample, one column per component"
    )
    if problem or _same(array, correct, atol=1e-7):
        return problem
    log_density = gaussian.log_gaussian_density(
        X, means, covariances, covariance_type
    )  # (n, K)
    # (n, K) pi_k N(x_i | mu_k, Sigma_k)
    weighted = np.exp(log_density) * weights
    without_weights = np.exp(
        log_density - em.log_sum_exp(log_density)[:, np.newaxis]
    )  # (n, K)
    mistakes = [
        (
            np.log(np.maximum(correct, 1e-300)),
            "these are log-responsibilities: take np.exp of them",
        ),
        (
            weighted,
            "the rows do not sum to one: you computed pi_k "
            "N(x_i | mu_k, Sigma_k) but did not divide by its sum over the "
            "components (the denominator of Bayes' rule)",
        ),
        (
            without_weights,
            "the mixing weights are missing: each density "
            "N(x_i | mu_k, Sigma_k) must be multiplied by pi_k before "
            "normalising",
        ),
        (
            np.exp(log_density),
            "these are the densities N(x_i | mu_k, Sigma_k): multiply by pi_k "
            "and divide by the sum over the components",
        ),
    ]
    named = _named_mistake(array, mistakes, atol=1e-7)
    if named:
        return named
    if np.any(array < 0):
        return (
            "resp has negative entries; responsibilities are probabilities, "
            "between 0 and 1"
        )
    row_sums = array.sum(axis=1)  # (n,)
    if not np.allclose(row_sums, 1.0):
        i = int(np.argmax(np.abs(row_sums - 1)))
        return (
            f"the rows of resp do not sum to one (row {i} sums to "
            f"{row_sums[i]:.4g})"
        )
    wrong = np.flatnonzero(
        ~np.all(np.isclose(array, correct, rtol=RTOL, atol=1e-7), axis=1)
    )
    return (
        f"every row sums to one, but {len(wrong)} of {n} rows differ from "
        f"Bayes' rule (the first is row {wrong[0]}): check the densities "
        "N(x_i | mu_k, Sigma_k) and the weights"
    )


def check_responsibilities(
    resp, X, weights, means, covariances, covariance_type="full"
):
    """Check responsibilities r_ik computed for given parameters (chapter 3).

    Detects a wrong shape, a transposed array, negative values,
    rows that do not sum to one, unnormalised pi_k N(x_i | ...) (Bayes' rule
    without its denominator), the mixing weights left out,
    log-responsibilities, and otherwise says which row is the first to
    differ.

    Parameters
    ----------
    resp : array-like of shape (n_samples, n_components), or callable
        The learner's responsibilities, or the learner's function
        ``resp(X, weights, means, covariances)`` that returns them.
    X : array-like of shape (n_samples, n_features)
        The data.
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
        The verdict, truthy when every r_ik is right; its message is printed
        too.
    """
    X, weights, means, covariances = check_parameters(
        X, weights, means, covariances, covariance_type
    )
    resp, problem = _value_of(
        resp,
        (X, weights, means, covariances),
        "X, weights, means, covariances",
    )
    if problem is None:
        problem = _responsibility_problem(
            resp, X, weights, means, covariances, covariance_type
        )
    return _report(
        [problem], "every r_ik is right, and every row sums to one."
    )


FAR_POINT_HINT = (
    ": the densities of a point far from every component underflow to 0, and "
    "0 / 0 = NaN. Compute log-densities and normalise with log-sum-exp "
    "(chapter 3)"
)


def _e_step_problems(call, X, weights, means, covariances, covariance_type):
    """The problems of an E-step on ``X``: its responsibilities, and its
    l(theta) if it returns one.

    ``call(X)`` runs the learner's E-step on ``X`` (in whatever form it takes
    its arguments) and returns (output, error message or None).
    """
    output, problem = call(X)
    if problem:
        return [problem]
    resp, ll = output if _returns_pair(output) else (output, None)
    problems = [
        _responsibility_problem(
            resp,
            X,
            weights,
            means,
            covariances,
            covariance_type,
            FAR_POINT_HINT,
        )
    ]
    if ll is not None:
        problems.append(
            _log_likelihood_problem(
                ll, X, weights, means, covariances, covariance_type
            )
        )
    return [p for p in problems if p]


def _returns_pair(output):
    """True if an E-step returned (resp, log_likelihood) rather than resp
    alone.
    """
    return (
        isinstance(output, (tuple, list))
        and len(output) == 2
        and np.ndim(output[1]) == 0
    )


def _check_e_step(call, X, weights, means, covariances, covariance_type):
    """Run an E-step on the fixed problem, then once more with a point far from
    every component.
    """
    problems = _e_step_problems(
        call, X, weights, means, covariances, covariance_type
    )
    if problems:
        return _report(problems, "")
    # (n + 1, d): ~60 sigma from every mean
    far = np.vstack([X, np.full((1, X.shape[1]), 60.0)])
    far_problems = _e_step_problems(
        call, far, weights, means, covariances, covariance_type
    )
    if far_problems:
        return _report(
            [
                "your E-step gives the right responsibilities on ordinary "
                "data, but it is not done yet: add one point far from every "
                "component (at 60 in every coordinate) and it fails: "
                f"{far_problems[0]}"
            ],
            "",
        )
    return _report([], "your E-step gives the right responsibilities.")


def check_e_step(my_e_step, covariance_type="full"):
    """Check an E-step written by hand (chapter 3).

    The E-step is ``my_e_step(X, weights, means, covariances)``. It runs on
    a small fixed problem (30 points in 2-D, three components with unequal
    weights) and may return the responsibilities alone or ``(resp,
    log_likelihood)``; both are checked as in :func:`check_responsibilities`
    and :func:`check_log_likelihood`. An E-step that is right on ordinary
    data but breaks for a point far from every component does not pass: the
    report says so, and why (work in log space).

    Parameters
    ----------
    my_e_step : callable
        ``my_e_step(X, weights, means, covariances)`` with covariances of
        ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        The covariance type that ``my_e_step`` takes.

    Returns
    -------
    result : CheckResult
        The verdict, truthy when the E-step is right; its message is printed
        too.
    """
    _check_callable(my_e_step, "my_e_step")
    check_covariance_type(covariance_type)
    X, weights, means, covariances, _ = _fixed_problem(covariance_type)

    def call(X):
        return _call(
            my_e_step,
            (X, weights, means, covariances),
            "my_e_step(X, weights, means, covariances)",
        )

    return _check_e_step(call, X, weights, means, covariances, covariance_type)


def check_e_step_1d(my_e_step):
    """Check a 1-D E-step written by hand (chapter 5, eq. (5.2)).

    The E-step is ``my_e_step(x, weights, means, variances)``. As
    :func:`check_e_step`, on 30 numbers and three components with unequal
    weights.

    Parameters
    ----------
    my_e_step : callable
        ``my_e_step(x, weights, means, variances)``, x of shape (n_samples,),
        the others (K,).

    Returns
    -------
    result : CheckResult
        The verdict, truthy when the E-step is right; its message is printed
        too.
    """
    _check_callable(my_e_step, "my_e_step")
    x, weights, means, variances, _ = _problem_1d()

    def call(X):
        return _call(
            my_e_step,
            (X[:, 0], weights, means, variances),
            "my_e_step(x, weights, means, variances)",
        )

    # a 1-D mixture is a "spherical" one with one feature: sigma_k^2 is the
    # variance
    return _check_e_step(
        call,
        x[:, np.newaxis],
        weights,
        means[:, np.newaxis],
        variances,
        "spherical",
    )


def check_predict(
    labels, X, weights, means, covariances, covariance_type="full"
):
    """Check hard labels: the component of largest responsibility (chapter 3).

    Each point goes to the component of largest responsibility. Detects the
    mixing weights left out (the argmax of the densities
    N(x_i | mu_k, Sigma_k) instead of the responsibilities, a mistake of
    "Spot the bug"), labels counted from 1, and argmin for argmax.

    Parameters
    ----------
    labels : array-like of shape (n_samples,), or callable
        The learner's labels, integers in 0, ..., K - 1, or the learner's
        function ``labels(X, weights, means, covariances)`` that returns them.
    X : array-like of shape (n_samples, n_features)
        The data, as in :func:`gmm_teach.em.e_step`.
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
        The verdict, truthy when every label is right; its message is printed
        too.
    """
    X, weights, means, covariances = check_parameters(
        X, weights, means, covariances, covariance_type
    )
    # (n, K)
    resp, _ = em.e_step(X, weights, means, covariances, covariance_type)
    correct = resp.argmax(axis=1)  # (n,)
    labels, problem = _value_of(
        labels,
        (X, weights, means, covariances),
        "X, weights, means, covariances",
    )
    if problem is None:
        array, problem = _as_numbers(labels, "labels")
    if problem is None:
        problem = _shape_problem(
            array,
            correct.shape,
            "labels",
            ": one label per sample, the argmax of its row of resp",
        )
    if problem:
        return _report([problem], "")
    log_density = gaussian.log_gaussian_density(
        X, means, covariances, covariance_type
    )  # (n, K)
    mistakes = [
        (
            log_density.argmax(axis=1),
            "the labels ignore the mixing weights: take the argmax of the "
            "responsibilities (pi_k N(x_i | ...)), not of the densities "
            "N(x_i | ...)",
        ),
        (
            correct + 1,
            "the labels count from 1; components are numbered 0 to K - 1",
        ),
        (
            resp.argmin(axis=1),
            "you took the argmin; the label is the component of LARGEST "
            "responsibility",
        ),
    ]
    if np.array_equal(array, correct):
        return _report(
            [], "every point goes to its most responsible component."
        )
    wrong = int(np.sum(array != correct))
    named = _named_mistake(array, mistakes)
    return _report(
        [
            named
            or (
                f"{wrong} of {len(correct)} labels differ from the component "
                "of largest responsibility"
            )
        ],
        "",
    )


# ---------------------------------------------- the log-likelihood, chapter 4


def _log_likelihood_problem(
    value, X, weights, means, covariances, covariance_type
):
    """What is wrong with ``value`` as the total log-likelihood l(theta), or
    None.
    """
    value, problem = _one_number(value, "the log-likelihood")
    if problem:
        return problem
    with np.errstate(divide="ignore"):
        # a weight of 0: log 0 = -inf, as in the E-step
        log_joint = gaussian.log_gaussian_density(
            X, means, covariances, covariance_type
        ) + np.log(weights)
    per_sample = em.log_sum_exp(log_joint)  # (n,) log sum_k pi_k N(x_i | ...)
    total = per_sample.sum()
    if _same(value, total):
        return None
    resp = np.exp(log_joint - per_sample[:, np.newaxis])  # (n, K)
    log_density = log_joint - np.log(weights)  # (n, K)
    mistakes = [
        (
            total / len(X),
            "this is the mean log-likelihood per sample "
            "(scikit-learn's score); l(theta) is the total, the sum over the "
            "samples",
        ),
        (-total, "the sign is flipped: this is the negative log-likelihood"),
        (
            em.log_sum_exp(log_density).sum(),
            "the mixing weights pi_k are missing inside the sum over "
            "components",
        ),
        (
            total / np.log(10),
            "this is a base-10 logarithm: use the natural logarithm, np.log",
        ),
        (
            log_joint.sum(),
            "the logarithm is inside the sum over the components: l(theta) = "
            "sum_i log sum_k pi_k N(x_i | ...), not sum_i sum_k log(...)",
        ),
        (
            np.sum(resp * log_joint),
            "this is the expected complete-data log-likelihood Q (weighted "
            "by the responsibilities), not l(theta)",
        ),
    ]
    return _named_mistake(value, mistakes) or (
        f"the value is {_direction(float(value), total)}; "
        "l(theta) = sum_i log sum_k pi_k N(x_i | mu_k, Sigma_k)"
    )


def check_log_likelihood(
    value, X, weights, means, covariances, covariance_type="full"
):
    """Check a value of the total log-likelihood (chapter 4, eq. (4.1)).

    The value is l(theta) = sum_i log sum_k pi_k N(x_i | mu_k, Sigma_k).
    Detects the mean per sample
    instead of the total, a flipped sign, the mixing weights left out, a
    base-10 logarithm, the logarithm inside the sum over components, and Q
    (the responsibility-weighted complete-data log-likelihood) in place of l.

    Parameters
    ----------
    value : float
        The learner's l(theta).
    X : array-like of shape (n_samples, n_features)
        The data, as in :func:`gmm_teach.em.log_likelihood`.
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
        The verdict, truthy when the value is l(theta); its message is printed
        too.
    """
    X, weights, means, covariances = check_parameters(
        X, weights, means, covariances, covariance_type
    )
    problem = _log_likelihood_problem(
        value, X, weights, means, covariances, covariance_type
    )
    return _report([problem], "that is l(theta), the total log-likelihood.")
