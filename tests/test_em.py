"""Tests of gmm_teach.em: each step against explicit loops, the loop's bookkeeping, edge cases and
properties (hypothesis) that must hold for any data and any start."""

import math
import warnings

import numpy as np
import pytest
from conftest import (
    PROPERTY,
    REFERENCES,
    component_covariance,
    random_covariances,
    unit_covariances,
)
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import special, stats

from gmm_teach import ConvergenceWarning, covariance, em, init
from gmm_teach.covariance import COVARIANCE_TYPES, full_covariances


def three_blobs(rng, n_per_blob=40, n_features=2, spread=4.0):
    centres = rng.normal(scale=spread, size=(3, n_features))
    return np.vstack(
        [rng.normal(c, 1.0, size=(n_per_blob, n_features)) for c in centres]
    )


def random_start(rng, X, covariance_type, n_components=3):
    """Weights from a Dirichlet, means at random samples, random covariances."""
    weights = rng.dirichlet(np.ones(n_components))
    means = X[rng.choice(len(X), n_components, replace=False)]
    covariances = random_covariances(
        rng, covariance_type, n_components, X.shape[1]
    )
    return weights, means, covariances


# ---------------------------------------------------------------- slow, obvious references


def slow_e_step(X, weights, means, covariances, covariance_type):
    """r_ik = pi_k N(x_i | mu_k, Sigma_k) / sum_j pi_j N(x_i | mu_j, Sigma_j), one sample at a time."""
    n_samples, n_features = X.shape
    resp, total = np.empty((n_samples, len(weights))), 0.0
    for i in range(n_samples):
        joint = [
            weights[k]
            * stats.multivariate_normal.pdf(
                X[i],
                means[k],
                component_covariance(
                    covariances, covariance_type, k, n_features
                ),
            )
            for k in range(len(weights))
        ]
        resp[i] = np.array(joint) / sum(joint)
        total += np.log(sum(joint))
    return resp, total


def slow_m_step(X, resp, covariance_type, reg_covar):
    """The closed-form M-step written as explicit sums over samples."""
    n_samples, n_features = X.shape
    n_components = resp.shape[1]
    nk = np.array(
        [
            sum(resp[i, k] for i in range(n_samples))
            for k in range(n_components)
        ]
    )
    weights = nk / n_samples
    means = np.array(
        [
            sum(resp[i, k] * X[i] for i in range(n_samples)) / nk[k]
            for k in range(n_components)
        ]
    )
    scatter = np.array(
        [
            sum(
                resp[i, k] * np.outer(X[i] - means[k], X[i] - means[k])
                for i in range(n_samples)
            )
            for k in range(n_components)
        ]
    )  # (K, d, d)
    covariances = REFERENCES[covariance_type].from_scatter(
        scatter, nk, n_samples, reg_covar
    )
    return weights, means, covariances


def assert_positive_definite(covariances, covariance_type):
    """The Cholesky factors exist (NumPy's Cholesky, or variances > 0): no ValueError."""
    covariance.get(covariance_type).cholesky_precisions(
        np.asarray(covariances)
    )


# ---------------------------------------------------------------- E-step and log-likelihood


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_e_step_matches_loop(covariance_type):
    rng = np.random.default_rng(10)
    X = three_blobs(rng, n_per_blob=8, n_features=3)
    start = random_start(rng, X, covariance_type)
    resp, ll = em.e_step(X, *start, covariance_type)
    slow_resp, slow_ll = slow_e_step(X, *start, covariance_type)
    np.testing.assert_allclose(resp, slow_resp, rtol=1e-10, atol=1e-14)
    assert ll == pytest.approx(slow_ll, rel=1e-12)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_log_likelihood_is_total_of_log_evidence(covariance_type):
    rng = np.random.default_rng(11)
    X = three_blobs(rng, n_per_blob=8)
    start = random_start(rng, X, covariance_type)
    _, slow_ll = slow_e_step(X, *start, covariance_type)
    evidence = em.log_evidence(X, *start, covariance_type)
    assert evidence.shape == (24,)
    assert evidence.sum() == pytest.approx(slow_ll, rel=1e-12)
    assert em.log_likelihood(X, *start, covariance_type) == pytest.approx(
        slow_ll, rel=1e-12
    )


def test_log_sum_exp_matches_scipy_where_naive_underflows():
    a = np.array(
        [[0.0, 1.0, -2.0], [-1000.0, -1001.0, -1002.0], [700.0, 710.0, 0.0]]
    )
    expected = special.logsumexp(a, axis=1)
    with np.errstate(divide="ignore", over="ignore"):
        naive = np.log(np.exp(a).sum(axis=1))
    assert not np.all(np.isfinite(naive))  # the reason log-sum-exp exists
    np.testing.assert_allclose(em.log_sum_exp(a), expected, rtol=1e-14)


# ---------------------------------------------------------------- M-step


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_m_step_matches_explicit_sums(covariance_type):
    rng = np.random.default_rng(12)
    X = three_blobs(rng, n_per_blob=7, n_features=3)
    resp = rng.dirichlet(
        np.ones(3), size=len(X)
    )  # soft responsibilities, rows sum to one
    ours = em.m_step(X, resp, covariance_type, reg_covar=1e-3)
    slow = slow_m_step(X, resp, covariance_type, reg_covar=1e-3)
    for got, expected in zip(ours, slow, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("covariance_type", ["full", "tied"])
def test_m_step_covariances_are_exactly_symmetric(covariance_type):
    """diff.T @ diff is one symmetric product (BLAS syrk, one triangle mirrored): Sigma_k equals
    its transpose bit for bit, where (r * diff.T) @ diff differs in the last digits."""
    rng = np.random.default_rng(16)
    X = rng.normal(size=(500, 16))
    resp = rng.dirichlet(np.ones(3), size=500)
    covariances = em.m_step(X, resp, covariance_type)[2]
    assert np.array_equal(covariances, np.swapaxes(covariances, -1, -2))


def fsum_m_step(X, resp):
    """N_k, means and full covariances of eq. (4.6) to (4.8), every sum over the samples correctly
    rounded (math.fsum), with the M-step's 10 eps added to N_k."""
    nk = np.array([math.fsum(r) for r in resp.T]) + 10 * em.EPS
    sums = np.array([[math.fsum(r * x) for x in X.T] for r in resp.T])
    means = sums / nk[:, np.newaxis]
    scatter = [
        [[math.fsum(r * u * v) for v in (X - mu).T] for u in (X - mu).T]
        for r, mu in zip(resp.T, means, strict=True)
    ]
    return nk, means, np.array(scatter) / nk[:, np.newaxis, np.newaxis]


def test_m_step_sums_over_many_samples_are_accurate():
    """From 100,000 soft responsibilities, the weights, means and covariances of one EM iteration
    agree with correctly rounded sums to 1e-14 relative. Sums that add one row of an (n, K) array
    at a time were up to 6e-14 off here."""
    rng = np.random.default_rng(17)
    X = rng.normal(size=(100_000, 2))
    X += rng.choice([-5.0, 0.0, 5.0], size=(100_000, 1))
    means = [[-5.0, -5.0], [0.0, 0.0], [5.0, 5.0]]
    start = ([1 / 3] * 3, means, unit_covariances("full", 3, 2))
    seen = []
    with pytest.warns(ConvergenceWarning):
        em.em(
            X,
            *start,
            max_iter=1,
            tol=0.0,
            reg_covar=0.0,
            callback=lambda t, state: seen.append(state),
        )
    (state,) = seen
    nk, means, covariances = fsum_m_step(X, state.responsibilities)
    for got, want in [
        (state.weights, nk / nk.sum()),
        (state.means, means),
        (state.covariances, covariances),
    ]:
        np.testing.assert_allclose(
            got, want, rtol=1e-14, atol=1e-14 * np.abs(want).max()
        )


def test_m_step_with_hard_responsibilities_gives_cluster_moments():
    """One-hot r_ik: weights are cluster fractions, means and (biased) covariances per cluster."""
    rng = np.random.default_rng(13)
    X = rng.normal(size=(30, 2))
    labels = np.repeat([0, 1, 2], [5, 10, 15])
    resp = init.responsibilities_from_labels(labels, 3)
    weights, means, covariances = em.m_step(X, resp, "full", reg_covar=0.0)
    np.testing.assert_allclose(weights, [5 / 30, 10 / 30, 15 / 30], rtol=1e-12)
    for k in range(3):
        members = X[labels == k]
        np.testing.assert_allclose(means[k], members.mean(axis=0), rtol=1e-12)
        np.testing.assert_allclose(
            covariances[k], np.cov(members.T, bias=True), rtol=1e-10
        )


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_m_step_adds_reg_covar_to_the_diagonal_only(covariance_type):
    rng = np.random.default_rng(14)
    X = rng.normal(size=(20, 3))
    resp = rng.dirichlet(np.ones(2), size=20)
    _, _, plain = em.m_step(X, resp, covariance_type, reg_covar=0.0)
    _, _, regularised = em.m_step(X, resp, covariance_type, reg_covar=0.5)
    added = full_covariances(regularised - plain, covariance_type, 2, 3)
    np.testing.assert_allclose(
        added, np.broadcast_to(0.5 * np.eye(3), (2, 3, 3)), atol=1e-13
    )


# ---------------------------------------------------------------- the loop


def test_one_component_converges_to_the_sample_mean_and_covariance():
    rng = np.random.default_rng(15)
    X = rng.multivariate_normal(
        [1.0, -2.0], [[2.0, 0.6], [0.6, 1.0]], size=200
    )
    result = em.em(X, [1.0], [[0.0, 0.0]], [np.eye(2)], reg_covar=1e-6)
    np.testing.assert_allclose(result.means[0], X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(
        result.covariances[0],
        np.cov(X.T, bias=True) + 1e-6 * np.eye(2),
        rtol=1e-10,
    )
    # iteration 2 evaluates the sample moments, iteration 3 finds the same log-likelihood
    assert result.n_iter == 3 and result.converged
    assert result.log_likelihoods[2] == pytest.approx(
        result.log_likelihoods[1], rel=1e-14
    )


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_one_iteration_is_an_e_step_then_an_m_step(covariance_type):
    rng = np.random.default_rng(16)
    X = three_blobs(rng)
    start = random_start(rng, X, covariance_type)
    with pytest.warns(ConvergenceWarning):
        result = em.em(
            X,
            *start,
            covariance_type=covariance_type,
            max_iter=1,
            reg_covar=1e-4,
        )
    resp, ll = em.e_step(X, *start, covariance_type)
    expected = em.m_step(X, resp, covariance_type, reg_covar=1e-4)
    for got, want in zip(
        (result.weights, result.means, result.covariances),
        expected,
        strict=True,
    ):
        np.testing.assert_allclose(got, want, rtol=1e-13)
    np.testing.assert_array_equal(result.log_likelihoods, [ll])
    final_resp, _ = em.e_step(X, *expected, covariance_type)
    np.testing.assert_allclose(
        result.responsibilities, final_resp, rtol=1e-12, atol=1e-15
    )
    assert result.n_iter == 1 and not result.converged


def test_callback_sees_every_iteration_in_order():
    rng = np.random.default_rng(17)
    X = three_blobs(rng)
    start = random_start(rng, X, "full")
    states = []
    result = em.em(
        X,
        *start,
        tol=1e-6,
        callback=lambda it, state: states.append((it, state)),
    )
    assert [it for it, _ in states] == list(range(1, result.n_iter + 1))
    np.testing.assert_array_equal(
        [s.previous_log_likelihood for _, s in states], result.log_likelihoods
    )
    previous = start
    for (
        _,
        state,
    ) in (
        states
    ):  # each state: E-step of the previous parameters, then an M-step
        resp, ll = em.e_step(X, *previous)
        assert state.previous_log_likelihood == pytest.approx(ll, rel=1e-12)
        np.testing.assert_allclose(
            state.responsibilities, resp, rtol=1e-10, atol=1e-14
        )
        previous = (state.weights, state.means, state.covariances)
    np.testing.assert_array_equal(previous[1], result.means)


def test_log_likelihoods_belong_to_theta_t_and_final_to_the_returned_parameters():
    rng = np.random.default_rng(23)
    X = three_blobs(rng)
    start = random_start(rng, X, "full")
    result = em.em(X, *start, tol=1e-6)
    # log_likelihoods[0] is l(theta^(0)), the start; final_log_likelihood is l(theta^(n_iter))
    assert result.log_likelihoods[0] == pytest.approx(
        em.log_likelihood(X, *start), rel=1e-12
    )
    returned = (result.weights, result.means, result.covariances)
    assert result.final_log_likelihood == pytest.approx(
        em.log_likelihood(X, *returned), rel=1e-12
    )
    with pytest.warns(ConvergenceWarning):  # tol=0: stopped by max_iter
        two = em.em(X, *start, max_iter=2, tol=0.0)
        one = em.em(X, *start, max_iter=1, tol=0.0)
    assert two.log_likelihoods[1] == pytest.approx(
        one.final_log_likelihood, rel=1e-12
    )


@pytest.mark.parametrize("tol", [1e-1, 1e-3, 1e-6])
def test_stops_at_the_first_mean_change_below_tol(tol):
    rng = np.random.default_rng(18)
    X = three_blobs(rng, spread=2.0)
    start = random_start(rng, X, "diag")
    result = em.em(X, *start, covariance_type="diag", tol=tol, max_iter=1000)
    changes = np.abs(
        np.diff(result.log_likelihoods) / len(X)
    )  # per sample, as scikit-learn
    assert (
        result.converged and result.n_iter == len(result.log_likelihoods) >= 2
    )
    assert changes[-1] < tol
    assert np.all(changes[:-1] >= tol)


def test_tol_zero_never_converges_even_at_a_fixed_point():
    """As scikit-learn: convergence needs |change| < tol, so tol=0 runs all max_iter iterations."""
    X = np.random.default_rng(21).normal(size=(30, 2))
    with pytest.warns(ConvergenceWarning):
        result = em.em(
            X, [1.0], [[0.0, 0.0]], [np.eye(2)], tol=0.0, max_iter=5
        )
    assert result.n_iter == 5 and not result.converged
    assert np.all(
        np.diff(result.log_likelihoods[1:]) == 0
    )  # one component: a fixed point at once


def test_max_iter_zero_returns_the_start():
    rng = np.random.default_rng(19)
    X = three_blobs(rng)
    start = random_start(rng, X, "full")
    with warnings.catch_warnings():
        warnings.simplefilter(
            "error"
        )  # max_iter=0 is a request, not a failure to converge
        result = em.em(X, *start, max_iter=0)
    assert (
        result.n_iter == 0
        and not result.converged
        and result.log_likelihoods.size == 0
    )
    np.testing.assert_array_equal(result.means, start[1])
    np.testing.assert_allclose(
        result.responsibilities, em.e_step(X, *start)[0]
    )


# ---------------------------------------------------------------- edge cases stay finite


def assert_all_finite(result):
    for name in (
        "weights",
        "means",
        "covariances",
        "responsibilities",
        "log_likelihoods",
    ):
        assert np.all(np.isfinite(getattr(result, name))), name


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_component_with_no_points_stays_finite(covariance_type):
    rng = np.random.default_rng(20)
    X = rng.normal(size=(50, 2))
    means = np.array(
        [[0.0, 0.0], [1e3, 1e3]]
    )  # the second mean is far from every point
    covariances = unit_covariances(covariance_type, 2, 2)
    resp, _ = em.e_step(X, [0.5, 0.5], means, covariances, covariance_type)
    assert np.all(resp[:, 1] == 0)  # it really has no points
    result = em.em(
        X, [0.5, 0.5], means, covariances, covariance_type=covariance_type
    )
    assert_all_finite(result)
    assert result.weights[1] < 1e-12
    assert_positive_definite(result.covariances, covariance_type)


@pytest.mark.parametrize(
    "method", ["kmeans", "k-means++", "random", "random_from_data"]
)
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_identical_points_stay_finite_thanks_to_reg_covar(
    covariance_type, method
):
    X = np.full((20, 2), 3.0)
    start = init.initial_parameters(
        X, 2, method, covariance_type=covariance_type, random_state=0
    )
    result = em.em(X, *start, covariance_type=covariance_type, reg_covar=1e-6)
    assert_all_finite(result)
    assert_positive_definite(result.covariances, covariance_type)
    np.testing.assert_allclose(result.responsibilities.sum(axis=1), 1.0)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_point_far_from_every_component_gets_one_hot_responsibilities(
    covariance_type,
):
    """x = 1e4, unit variances: both densities underflow, a naive ratio would be 0/0."""
    X = np.array([[1e4, 0.0], [-1e4, 0.0], [0.0, 0.0]])
    means = np.array([[-1.0, 0.0], [1.0, 0.0]])
    covariances = unit_covariances(covariance_type, 2, 2)
    with np.errstate(invalid="ignore"):
        naive = stats.multivariate_normal.pdf(X[0], means[1]) / (
            stats.multivariate_normal.pdf(X[0], means[0])
            + stats.multivariate_normal.pdf(X[0], means[1])
        )
    assert np.isnan(naive)
    resp, ll = em.e_step(X, [0.5, 0.5], means, covariances, covariance_type)
    np.testing.assert_array_equal(resp[:2], [[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(resp[2], [0.5, 0.5])
    assert np.isfinite(ll)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_as_many_components_as_samples(covariance_type):
    X = np.array([[0.0, 0.0], [5.0, 1.0], [-3.0, 4.0]])
    start = init.initial_parameters(
        X,
        3,
        "random_from_data",
        covariance_type=covariance_type,
        random_state=1,
    )
    result = em.em(X, *start, covariance_type=covariance_type)
    assert_all_finite(result)
    np.testing.assert_allclose(
        np.sort(result.means, axis=0), np.sort(X, axis=0), atol=1e-9
    )
    np.testing.assert_allclose(result.weights, [1 / 3] * 3, rtol=1e-9)


# ---------------------------------------------------------------- properties (hypothesis)

shapes = dict(
    seed=st.integers(0, 2**32 - 1),
    n_samples=st.integers(3, 30),
    n_features=st.integers(1, 3),
    n_components=st.integers(1, 3),
    covariance_type=st.sampled_from(COVARIANCE_TYPES),
)


def scaled_normal(rng, n_samples, n_features):
    """Normal data with a random scale and a random offset."""
    offset = rng.normal(scale=50, size=n_features)
    return (
        rng.normal(size=(n_samples, n_features)) * rng.uniform(0.1, 10)
        + offset
    )


def random_data(seed, n_samples, n_features):
    """A generator and random data; every third data set is rounded (repeated points)."""
    rng = np.random.default_rng(seed)
    X = scaled_normal(rng, n_samples, n_features)
    return rng, (np.round(X) if seed % 3 == 0 else X)


@PROPERTY
@given(**shapes)
def test_property_responsibilities_are_probabilities(
    seed, n_samples, n_features, n_components, covariance_type
):
    rng, X = random_data(seed, n_samples, n_features)
    weights, means, covariances = random_start(
        rng, X, covariance_type, min(n_components, n_samples)
    )
    resp, ll = em.e_step(
        X,
        weights,
        means,
        covariances * rng.uniform(0.01, 100),
        covariance_type,
    )
    assert np.all((resp >= 0) & (resp <= 1))
    np.testing.assert_allclose(resp.sum(axis=1), 1.0, rtol=1e-12)
    assert np.isfinite(ll)


@PROPERTY
@given(**shapes, reg_covar=st.sampled_from([1e-6, 1e-3]))
def test_property_m_step_weights_sum_to_one_and_covariances_positive_definite(
    seed, n_samples, n_features, n_components, covariance_type, reg_covar
):
    rng, X = random_data(seed, n_samples, n_features)
    resp = rng.dirichlet(
        np.full(n_components, 0.3), size=n_samples
    )  # often nearly one-hot
    weights, means, covariances = em.m_step(
        X, resp, covariance_type, reg_covar
    )
    assert np.all(weights >= 0)
    assert weights.sum() == pytest.approx(1.0, rel=1e-12)
    assert_positive_definite(covariances, covariance_type)


@PROPERTY
@given(
    **shapes,
    method=st.sampled_from(
        ["kmeans", "k-means++", "random", "random_from_data"]
    ),
)
def test_property_em_keeps_parameters_valid(
    seed, n_samples, n_features, n_components, covariance_type, method
):
    rng, X = random_data(seed, n_samples, n_features)
    start = init.initial_parameters(
        X,
        min(n_components, n_samples),
        method,
        covariance_type=covariance_type,
        random_state=rng,
    )
    states = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        em.em(
            X,
            *start,
            covariance_type=covariance_type,
            max_iter=15,
            callback=lambda it, state: states.append(state),
        )
    for state in states:
        assert state.weights.sum() == pytest.approx(1.0, rel=1e-12)
        # rows sum to one up to rounding of log-densities as large as 1e10 (tiny first covariances)
        np.testing.assert_allclose(
            state.responsibilities.sum(axis=1), 1.0, rtol=1e-9
        )
        assert_positive_definite(state.covariances, covariance_type)


@PROPERTY
@given(
    seed=st.integers(0, 2**32 - 1),
    n_features=st.integers(1, 3),
    n_components=st.integers(1, 3),
    covariance_type=st.sampled_from(COVARIANCE_TYPES),
    soft_start=st.booleans(),
)
def test_property_log_likelihood_never_decreases(
    seed, n_features, n_components, covariance_type, soft_start
):
    """Exact EM (reg_covar=0) is monotone; runs where a component collapses onto a point are
    left out (the likelihood is then unbounded and the arithmetic meaningless)."""
    rng = np.random.default_rng(seed)
    n_samples = 4 * n_components * (n_features + 1) + int(rng.integers(0, 20))
    X = scaled_normal(rng, n_samples, n_features)
    if soft_start:
        start = init.initial_parameters(
            X,
            n_components,
            "random",
            covariance_type=covariance_type,
            reg_covar=0.0,
            random_state=rng,
        )
    else:
        start = random_start(rng, X, covariance_type, n_components)
    smallest = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            result = em.em(
                X,
                *start,
                covariance_type=covariance_type,
                max_iter=25,
                tol=0.0,
                reg_covar=0.0,
                callback=lambda it, s: smallest.append(
                    np.linalg.eigvalsh(
                        full_covariances(
                            s.covariances,
                            covariance_type,
                            n_components,
                            n_features,
                        )
                    ).min()
                ),
            )
    except ValueError:  # a covariance became singular
        assume(False)
    assume(min(smallest) > 1e-6 * X.var(axis=0).min())
    ll = result.log_likelihoods
    assert np.all(np.diff(ll) >= -1e-9 * np.abs(ll[1:]))
