"""Tests of gmm_teach.em1d: the 1-D equations against scipy.stats.norm and explicit loops, and the
1-D loop against the d-dimensional one."""

import warnings

import numpy as np
import pytest
from conftest import PROPERTY
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from gmm_teach import ConvergenceWarning, covariance, em, em1d


def three_groups(seed=0, n_per_group=60):
    rng = np.random.default_rng(seed)
    return np.concatenate(
        [
            rng.normal(m, s, n_per_group)
            for m, s in [(-4, 1.0), (0, 0.7), (5, 1.5)]
        ]
    )


START = (
    np.array([0.2, 0.3, 0.5]),
    np.array([-3.0, 1.0, 3.0]),
    np.array([1.0, 2.0, 3.0]),
)


# ---------------------------------------------------------------- slow, obvious references


def slow_e_step(x, weights, means, variances):
    resp, total = np.empty((len(x), len(weights))), 0.0
    for i, xi in enumerate(x):
        joint = [
            w * stats.norm.pdf(xi, loc=m, scale=np.sqrt(v))
            for w, m, v in zip(weights, means, variances, strict=True)
        ]
        resp[i] = np.array(joint) / sum(joint)
        total += np.log(sum(joint))
    return resp, total


def slow_m_step(x, resp):
    n, n_components = resp.shape
    nk = [sum(resp[i, k] for i in range(n)) for k in range(n_components)]
    means = [
        sum(resp[i, k] * x[i] for i in range(n)) / nk[k]
        for k in range(n_components)
    ]
    variances = [
        sum(resp[i, k] * (x[i] - means[k]) ** 2 for i in range(n)) / nk[k]
        for k in range(n_components)
    ]
    return np.array(nk) / n, np.array(means), np.array(variances)


# ---------------------------------------------------------------- the steps


def test_normal_pdf_takes_the_variance_not_the_standard_deviation():
    x = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(
        em1d.normal_pdf(x, 1.0, 4.0),
        stats.norm.pdf(x, loc=1.0, scale=2.0),
        rtol=1e-13,
    )
    assert em1d.normal_pdf(0.0, 0.0, 4.0) == pytest.approx(
        1 / np.sqrt(2 * np.pi * 4.0), rel=1e-14
    )


def test_normal_pdf_broadcasts():
    x = np.array([[0.0], [1.0]])  # (2, 1) against (3,) parameters -> (2, 3)
    means, variances = np.array([0.0, 1.0, 2.0]), np.array([1.0, 0.5, 2.0])
    expected = stats.norm.pdf(x, loc=means, scale=np.sqrt(variances))
    np.testing.assert_allclose(
        em1d.normal_pdf(x, means, variances), expected, rtol=1e-13
    )


def test_e_step_matches_loop():
    x = three_groups(n_per_group=10)
    resp, ll = em1d.e_step(x, *START)
    slow_resp, slow_ll = slow_e_step(x, *START)
    np.testing.assert_allclose(resp, slow_resp, rtol=1e-11, atol=1e-15)
    assert ll == pytest.approx(slow_ll, rel=1e-12)
    assert em1d.log_likelihood(x, *START) == pytest.approx(slow_ll, rel=1e-12)


def test_m_step_matches_explicit_sums():
    rng = np.random.default_rng(1)
    x = three_groups(n_per_group=10)
    resp = rng.dirichlet(np.ones(3), size=len(x))
    for got, expected in zip(
        em1d.m_step(x, resp), slow_m_step(x, resp), strict=True
    ):
        np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_point_far_from_every_component_gets_one_hot_responsibilities():
    resp, ll = em1d.e_step([1e4, -1e4], [0.5, 0.5], [-1.0, 1.0], [1.0, 1.0])
    np.testing.assert_array_equal(resp, [[0.0, 1.0], [1.0, 0.0]])
    assert np.isfinite(ll)


# ---------------------------------------------------------------- the loop


@pytest.mark.parametrize("covariance_type", ["spherical", "full"])
def test_em1d_agrees_with_em_on_1d_data(covariance_type):
    x = three_groups()
    weights, means, variances = START
    ours = em1d.em(x, weights, means, variances, tol=1e-8)
    covariances = covariance.get(covariance_type).from_full(
        variances[:, None, None], weights
    )
    general = em.em(
        x[:, None],
        weights,
        means[:, None],
        covariances,
        covariance_type=covariance_type,
        tol=1e-8,
        reg_covar=0.0,
    )
    assert (
        ours.n_iter == general.n_iter and ours.converged and general.converged
    )
    np.testing.assert_allclose(ours.weights, general.weights, rtol=1e-10)
    np.testing.assert_allclose(ours.means, general.means[:, 0], rtol=1e-10)
    np.testing.assert_allclose(
        ours.covariances, general.covariances.reshape(3), rtol=1e-10
    )
    np.testing.assert_allclose(
        ours.log_likelihoods, general.log_likelihoods, rtol=1e-12
    )
    np.testing.assert_allclose(
        ours.responsibilities, general.responsibilities, rtol=1e-9, atol=1e-14
    )


def test_em1d_recovers_well_separated_groups():
    x = three_groups(n_per_group=2000)
    result = em1d.em(x, *START, tol=1e-8, max_iter=500)
    np.testing.assert_allclose(result.means, [-4, 0, 5], atol=0.1)
    np.testing.assert_allclose(
        result.covariances, [1.0, 0.49, 2.25], rtol=0.15
    )
    np.testing.assert_allclose(result.weights, [1 / 3] * 3, atol=0.02)


def test_callback_reports_every_iteration_with_variances():
    x = three_groups()
    seen = []
    result = em1d.em(
        x, *START, callback=lambda it, state: seen.append((it, state))
    )
    assert [it for it, _ in seen] == list(range(1, result.n_iter + 1))
    last = seen[-1][1]
    assert last.covariances.shape == (3,)
    np.testing.assert_array_equal(last.covariances, result.covariances)
    np.testing.assert_array_equal(
        [s.previous_log_likelihood for _, s in seen], result.log_likelihoods
    )


def test_warns_when_max_iter_is_reached():
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        result = em1d.em(three_groups(), *START, max_iter=2, tol=0.0)
    assert result.n_iter == 2 and not result.converged


def test_component_that_loses_all_its_points_raises_instead_of_nan():
    """em1d has no reg_covar: the empty component's variance becomes 0 and the next E-step says so."""
    x = np.random.default_rng(2).normal(size=50)
    with pytest.raises(ValueError, match="variances"):
        em1d.em(x, [0.5, 0.5], [0.0, 1e3], [1.0, 1.0])


# ---------------------------------------------------------------- properties


@PROPERTY
@given(seed=st.integers(0, 2**32 - 1), n_components=st.integers(1, 4))
def test_property_em1d_steps_stay_valid_and_likelihood_never_decreases(
    seed, n_components
):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=40) * rng.uniform(0.1, 10) + rng.uniform(-100, 100)
    weights = rng.dirichlet(np.ones(n_components))
    means = rng.choice(x, n_components, replace=False)
    variances = np.full(n_components, x.var()) * rng.uniform(
        0.05, 2, n_components
    )
    states = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = em1d.em(
            x,
            weights,
            means,
            variances,
            max_iter=20,
            tol=0.0,
            callback=lambda it, state: states.append(state),
        )
    for state in states:
        assert state.weights.sum() == pytest.approx(1.0, rel=1e-12)
        assert np.all(state.covariances > 0)
        np.testing.assert_allclose(
            state.responsibilities.sum(axis=1), 1.0, rtol=1e-12
        )
    ll = result.log_likelihoods
    assert np.all(np.diff(ll) >= -1e-9 * np.abs(ll[1:]))
