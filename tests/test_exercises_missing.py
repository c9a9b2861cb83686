"""The self-check of the M-step with missing values: the right answer passes,
and each typical mistake is named."""

import numpy as np
import pytest
from test_exercises import fails, passes

from gmm_teach.teaching import exercises


def completed_rows(X, means, covariances, conditional=True, filler=None):
    """x_hat (n, K, d) and C (n, K, d, d), one row and one component at a
    time with explicit inverses (a slow, obvious reference).

    ``conditional=False`` uses the blocks before conditioning; ``filler``,
    a function of (X, i, k, u), fills the holes by another rule (and C = 0).
    """
    n, (K, d) = len(X), means.shape
    x_hat = np.zeros((n, K, d))
    C = np.zeros((n, K, d, d))
    for i in range(n):
        u = np.flatnonzero(np.isnan(X[i]))
        o = np.flatnonzero(~np.isnan(X[i]))
        for k in range(K):
            x_hat[i, k] = X[i]
            if len(u) == 0:
                continue
            if filler is not None:
                x_hat[i, k, u] = filler(X, i, k, u)
                continue
            S = covariances[k]
            regression = S[np.ix_(u, o)] @ np.linalg.inv(S[np.ix_(o, o)])
            if not conditional:
                regression = 0 * regression
            x_hat[i, k, u] = means[k, u] + regression @ (X[i, o] - means[k, o])
            C[i, k][np.ix_(u, u)] = (
                S[np.ix_(u, u)] - regression @ S[np.ix_(o, u)]
            )
    return x_hat, C


def m_step_from(
    X, resp, x_hat, C, weigh_correction=True, divide_correction=True
):
    """The M-step of eqs. (11.6) and (11.7) with a loop over components."""
    n, K = resp.shape
    nk = resp.sum(axis=0)
    means = np.stack([resp[:, k] @ x_hat[:, k] / nk[k] for k in range(K)])
    covariances = []
    for k in range(K):
        diff = x_hat[:, k] - means[k]
        scatter = (resp[:, k] * diff.T) @ diff / nk[k]
        weights = resp[:, k] if weigh_correction else np.ones(n)
        correction = np.tensordot(weights, C[:, k], axes=1)
        covariances.append(
            scatter + (correction / nk[k] if divide_correction else correction)
        )
    return nk / n, means, np.stack(covariances)


def learner(**options):
    """A learner's M-step built from the reference, with ``options``: those
    of completed_rows, ``correction=False``, or those of m_step_from."""
    correction = options.pop("correction", True)
    fill = {
        k: options.pop(k) for k in ("conditional", "filler") if k in options
    }

    def my_m_step(X, resp, means, covariances):
        x_hat, C = completed_rows(X, means, covariances, **fill)
        if not correction:
            C = np.zeros_like(C)
        return m_step_from(X, resp, x_hat, C, **options)

    return my_m_step


def test_the_exact_m_step_passes():
    passes(exercises.check_missing_m_step(learner()))


MISTAKES = {
    "no correction": (
        dict(correction=False),
        ["correction term C_ik", "shrink"],
    ),
    "not divided": (dict(divide_correction=False), ["not divided by N_k"]),
    "not weighted": (dict(weigh_correction=False), ["not weighted"]),
    "variance before conditioning": (
        dict(conditional=False, correction=True),
        ["mu_k,u"],
    ),
    "column means": (
        dict(
            filler=lambda X, i, k, u: np.nanmean(X, axis=0)[u],
            correction=False,
        ),
        ["column means"],
    ),
    "zeros": (
        dict(filler=lambda X, i, k, u: 0.0, correction=False),
        ["zeros"],
    ),
}


@pytest.mark.parametrize("name", MISTAKES)
def test_each_mistake_is_named(name):
    options, words = MISTAKES[name]
    fails(exercises.check_missing_m_step(learner(**options)), *words)


def test_schur_complement_missing_from_the_correction():
    def my_m_step(X, resp, means, covariances):
        x_hat, _ = completed_rows(X, means, covariances)
        _, C_before = completed_rows(X, means, covariances, conditional=False)
        return m_step_from(X, resp, x_hat, C_before)

    fails(exercises.check_missing_m_step(my_m_step), "Schur complement")


def test_old_means_and_nan_and_shapes():
    right = learner()

    def old_means(X, resp, means, covariances):
        weights, _, new_covariances = right(X, resp, means, covariances)
        return weights, means, new_covariances

    fails(exercises.check_missing_m_step(old_means), "the old ones")

    def with_nan(X, resp, means, covariances):
        nk = resp.sum(axis=0)
        return nk / len(X), resp.T @ X / nk[:, None], covariances

    fails(exercises.check_missing_m_step(with_nan), "NaN", "x_hat")

    def transposed(X, resp, means, covariances):
        weights, new_means, new_covariances = right(
            X, resp, means, covariances
        )
        return weights, new_means.T, new_covariances

    fails(exercises.check_missing_m_step(transposed), "transposed")

    fails(
        exercises.check_missing_m_step(lambda X, r, m, c: r.sum(axis=0)),
        "three arrays",
    )


def test_a_stub_and_a_non_function():
    def my_m_step(X, resp, means, covariances):
        raise NotImplementedError("fill in my_m_step")

    fails(exercises.check_missing_m_step(my_m_step), "not written yet")
    with pytest.raises(TypeError, match="my_m_step must be a function"):
        exercises.check_missing_m_step("not a function")


def test_the_feedback_never_shows_the_expected_numbers(capsys):
    fails(exercises.check_missing_m_step(learner(correction=False)))
    printed = capsys.readouterr().out
    assert not any(character.isdigit() for character in printed)
