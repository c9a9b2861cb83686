"""Self-checks of chapter 2: a normal density written by hand, and ancestral
sampling of a mixture.

:func:`check_gaussian_pdf` takes a learner's 1-D density (chapter 2, and the
density of chapter 5, eq. (5.1)); :func:`check_sampler` takes a learner's
sampler of a 2-D mixture (chapter 2). Each names the typical mistake: a
standard deviation used as a variance, a missing normaliser, labels not drawn
with the weights, noise multiplied by Sigma_k instead of a Cholesky factor.
"""

import numpy as np

from gmm_teach.teaching.exercises._feedback import (
    _as_numbers,
    _call,
    _check_callable,
    _describe,
    _fixed_problem,
    _name_of,
    _part_problem,
    _report,
    _shape_problem,
)


def check_gaussian_pdf(my_pdf, parameter="variance"):
    """Check a 1-D normal density (chapter 2; chapter 5, eq. (5.1)).

    The density is ``my_pdf(x, mean, variance)``. It is called with an array
    ``x`` of nine points, ``mean=1.0`` and a variance of 2.25 (standard
    deviation 1.5), and must return the nine densities. Detects the standard
    deviation used as a variance (or the reverse), a missing 1/sqrt(2 pi), a
    normaliser without its square root, a missing 1/2 or minus sign in the
    exponent.

    Parameters
    ----------
    my_pdf : callable
        ``my_pdf(x, mean, variance)``, or ``my_pdf(x, mean, std)`` with
        ``parameter="std"``.
    parameter : {"variance", "std"}, default="variance"
        What the third argument of ``my_pdf`` is.

    Returns
    -------
    result : CheckResult
        The verdict, truthy when the densities are right; its message is
        printed too.
    """
    _check_callable(my_pdf, "my_pdf")
    if parameter not in ("variance", "std"):
        raise ValueError(
            f"parameter must be 'variance' or 'std', got {parameter!r}"
        )
    x, mean, std = np.linspace(-3.0, 5.0, 9), 1.0, 1.5  # (9,)
    variance = std**2
    output, problem = _call(
        my_pdf,
        (x, mean, variance if parameter == "variance" else std),
        f"my_pdf(x, mean, {parameter}) with x an array of 9 points",
    )
    if problem:
        return _report(
            [
                problem
                + (
                    " (use NumPy functions such as np.exp, so that it works "
                    "on arrays)"
                )
            ],
            "",
        )
    squared = (x - mean) ** 2  # (9,)

    def density(exponent_variance, normaliser, sign=-1.0):
        return np.exp(sign * squared / (2 * exponent_variance)) / normaliser

    root_2pi = np.sqrt(2 * np.pi)
    swapped = (
        (
            density(variance**2, root_2pi * variance),
            "you used the variance where the standard deviation belongs: "
            "sigma = sqrt(variance), sigma^2 = variance",
        )
        if parameter == "variance"
        else (
            density(std, np.sqrt(2 * np.pi * std)),
            "you used the standard deviation where the variance belongs: "
            "square it, sigma^2 = std^2",
        )
    )
    mistakes = [
        swapped,
        (
            density(variance, std),
            "the constant 1/sqrt(2 pi) in front is missing",
        ),
        (
            density(variance, 1.0),
            "the normalising factor 1/sqrt(2 pi sigma^2) in front is missing",
        ),
        (
            density(variance, root_2pi * variance),
            "in front you divide by sigma^2; the normaliser is "
            "1/sqrt(2 pi sigma^2) = 1/(sigma sqrt(2 pi))",
        ),
        (
            density(variance, 2 * np.pi * variance),
            "the normaliser 1/(2 pi sigma^2) needs a square root",
        ),
        (
            density(variance / 2, root_2pi * std),
            "the exponent lacks the factor 1/2: "
            "exp(-(x - mu)^2 / (2 sigma^2))",
        ),
        (
            density(variance, root_2pi * std, sign=1.0),
            "the exponent lacks its minus sign",
        ),
    ]
    correct = density(variance, root_2pi * std)
    return _report(
        [_part_problem("the densities", output, correct, mistakes)],
        "your density matches N(x | mu, sigma^2).",
    )


def _sampler_problems(output, n, weights, means, covariances):
    """What is wrong with ``(points, labels)`` drawn from the mixture, or an
    empty list.
    """
    K, d = means.shape
    if not (isinstance(output, (tuple, list)) and len(output) == 2):
        return [
            "the sampler should return two arrays (points, labels), got "
            f"{_describe(output)}"
        ]
    points, problem = _as_numbers(output[0], "points")
    if problem or _shape_problem(points, (n, d), "points"):
        return [problem or _shape_problem(points, (n, d), "points")]
    labels = np.asarray(output[1])
    if labels.shape != (n,) or not np.all(np.isin(labels, np.arange(K))):
        return [
            f"labels should be {n} integers in 0, ..., {K - 1}, one per point"
        ]
    shares = np.bincount(labels, minlength=K) / n  # (K,)
    if np.any(
        np.abs(shares - weights) > 5 * np.sqrt(weights * (1 - weights) / n)
    ):
        return [
            "the share of each label is not its weight: draw z_i with "
            "probabilities pi (rng.choice(K, size=n, p=weights))"
        ]
    problems = []
    for k in range(K):
        group = points[labels == k]  # the points labelled k
        if np.any(np.abs(group.mean(axis=0) - means[k]) > 0.1):
            problems.append(
                f"the points labelled {k} are not centred on means[{k}]: draw "
                "each point from the component its label names"
            )
            continue
        sample = np.cov(group, rowvar=False)  # (d, d)
        if np.allclose(sample, covariances[k] @ covariances[k], atol=0.1):
            problems.append(
                f"the points labelled {k} have covariance Sigma_k Sigma_k: "
                "multiply the noise by a Cholesky factor L_k "
                "(Sigma_k = L_k L_k^T), not by Sigma_k"
            )
        elif not np.allclose(sample, covariances[k], atol=0.1):
            problems.append(
                f"the points labelled {k} do not have covariance "
                f"covariances[{k}]: x = mu_k + L_k e with e ~ N(0, I) and "
                "Sigma_k = L_k L_k^T"
            )
    return problems


def check_sampler(my_sampler):
    """Check ancestral sampling of a mixture by a function (chapter 2).

    The function is called as ``my_sampler(n, weights, means, covariances,
    rng)``. It draws 20 000 points from a fixed three-component mixture in 2-D
    (with ``np.random.default_rng(0)``) and checks the shapes, that the labels
    are drawn with the mixing weights, and that the points of each label have
    that component's mean and covariance. Detects labels drawn uniformly,
    points not drawn from their label's component, and noise multiplied by
    Sigma_k instead of a Cholesky factor.

    Parameters
    ----------
    my_sampler : callable
        ``my_sampler(n, weights, means, covariances, rng)`` returning
        ``(points, labels)``, of shapes (n, d) and (n,).

    Returns
    -------
    result : CheckResult
        The verdict, truthy when the sample follows the mixture; its message
        is printed too.
    """
    _check_callable(my_sampler, "my_sampler")
    _, weights, means, covariances, _ = _fixed_problem("full")
    n = 20_000
    output, problem = _call(
        my_sampler,
        (n, weights, means, covariances, np.random.default_rng(0)),
        f"{_name_of(my_sampler)}(n, weights, means, covariances, rng)",
    )
    problems = (
        [problem]
        if problem
        else _sampler_problems(output, n, weights, means, covariances)
    )
    return _report(
        problems,
        "the labels follow the weights, and each component's points have its "
        "mean and covariance.",
    )
