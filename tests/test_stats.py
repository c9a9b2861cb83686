"""Tests of gmm_teach.stats: EM's sufficient statistics, block by block.

The one-block case must be the in-memory M-step of gmm_teach.em to 1e-13
for every covariance type; any split into blocks must give the same sums;
the centred merge must keep the digits that the uncentred formula loses.
"""

import numpy as np
import pytest
from conftest import random_covariances

from gmm_teach import em, stats
from gmm_teach.covariance import COVARIANCE_TYPES
from gmm_teach.gaussian import cholesky_precisions


def _data(seed=0, n=300, d=3, shift=0.0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=4.0, size=(3, d)) + shift
    X = np.vstack([rng.normal(c, 1.0, size=(n // 3, d)) for c in centres])
    return rng.permutation(X)


def _start(X, covariance_type, seed=1, K=3):
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.ones(K))
    means = X[rng.choice(len(X), K, replace=False)]
    covariances = random_covariances(rng, covariance_type, K, X.shape[1])
    return weights, means, covariances


def _statistics_of_blocks(X, start, covariance_type, bounds):
    prec_chol = cholesky_precisions(start[2], covariance_type)
    blocks = np.split(X, bounds)
    parts = [
        stats._block_statistics(
            b, start[0], start[1], prec_chol, covariance_type
        )
        for b in blocks
    ]
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def _assert_params_close(got, expected, rtol):
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=0)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_one_block_is_the_in_memory_m_step(covariance_type):
    X = _data()
    start = _start(X, covariance_type)
    resp, ll = em.e_step(X, *start, covariance_type=covariance_type)
    block = stats.block_statistics(X, *start, covariance_type)
    assert block.log_likelihood == pytest.approx(ll, rel=1e-15)
    assert block.n_samples == len(X)
    expected = em.m_step(X, resp, covariance_type, reg_covar=1e-6)
    got = stats.m_step_from_statistics(block, reg_covar=1e-6)
    _assert_params_close(got, expected, rtol=1e-13)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_blocks_add_up_to_the_one_block_statistics(covariance_type):
    X = _data(seed=2)
    start = _start(X, covariance_type, seed=3)
    one = _statistics_of_blocks(X, start, covariance_type, [])
    # uneven blocks, one of a single row and one empty
    many = _statistics_of_blocks(
        X, start, covariance_type, [1, 1, 50, 170, 171, 260]
    )
    assert many.n_samples == one.n_samples
    assert many.log_likelihood == pytest.approx(one.log_likelihood, rel=1e-13)
    _assert_params_close(
        stats.m_step_from_statistics(many),
        stats.m_step_from_statistics(one),
        rtol=1e-12,
    )


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.filterwarnings("ignore::gmm_teach.ConvergenceWarning")
def test_em_on_statistics_follows_the_in_memory_em(covariance_type):
    X = _data(seed=4)
    start = _start(X, covariance_type, seed=5)
    expected = em.em(
        X, *start, covariance_type=covariance_type, max_iter=15, tol=0
    )
    params = start
    for _ in range(15):
        total = _statistics_of_blocks(X, params, covariance_type, [90, 200])
        params = stats.m_step_from_statistics(total)
    _assert_params_close(
        params,
        (expected.weights, expected.means, expected.covariances),
        rtol=1e-10,
    )


def test_the_order_of_the_blocks_does_not_matter():
    X = _data(seed=6)
    start = _start(X, "full", seed=7)
    prec_chol = cholesky_precisions(start[2], "full")
    a, b, c = (
        stats._block_statistics(part, start[0], start[1], prec_chol, "full")
        for part in np.split(X, [100, 180])
    )
    left, right = (a + b) + c, a + (c + b)
    for name in ("nk", "sums", "centres", "scatter"):
        np.testing.assert_allclose(
            getattr(left, name), getattr(right, name), rtol=1e-13, atol=1e-12
        )


def test_accumulate_sums_by_hand():
    rng = np.random.default_rng(8)
    X = rng.normal(size=(20, 2))
    resp = rng.dirichlet(np.ones(3), size=20)
    got = stats.accumulate(X, resp, "full")
    np.testing.assert_allclose(got.nk, resp.sum(axis=0), rtol=1e-14)
    for k in range(3):
        sum_x = sum(resp[i, k] * X[i] for i in range(20))
        np.testing.assert_allclose(got.sums[k], sum_x, rtol=1e-13)
        c = got.centres[k]
        scatter = sum(
            resp[i, k] * np.outer(X[i] - c, X[i] - c) for i in range(20)
        )
        np.testing.assert_allclose(got.scatter[k], scatter, rtol=1e-12)
    assert got.log_likelihood == 0.0


def test_the_centred_merge_keeps_the_digits_the_uncentred_formula_loses():
    # data 1e6 away from the origin, spread 1: x x^T is 1e12, Sigma is 1
    X = _data(seed=9, n=3000, d=2, shift=1e6)
    start = _start(X - 1e6, "full", seed=10)
    start = (start[0], start[1] + 1e6, start[2])
    resp, _ = em.e_step(X, *start)
    # the truth: the same data and responsibilities near the origin
    exact = em.m_step(X - 1e6, resp, "full", reg_covar=0)[2]
    centred = stats.m_step_from_statistics(
        _statistics_of_blocks(X, start, "full", [700, 1500, 2200]),
        reg_covar=0,
    )[2]
    uncentred = stats.covariances_full_uncentred(X, resp)
    np.testing.assert_allclose(centred, exact, rtol=1e-8)
    error = np.abs(uncentred - exact).max() / np.abs(exact).max()
    assert error > 1e-6  # digits lost: 16 - 2 * 6 left at best


def test_uncentred_formula_agrees_on_data_at_the_origin():
    X = _data(seed=11)
    resp, _ = em.e_step(X, *_start(X, "full", seed=12))
    expected = em.m_step(X, resp, "full", reg_covar=0)[2]
    got = stats.covariances_full_uncentred(X, resp)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


def test_scaled_by_zero_then_added_is_the_other_block_exactly():
    X = _data(seed=13)
    start = _start(X, "diag", seed=14)
    a = stats.block_statistics(X[:100], *start, "diag")
    b = stats.block_statistics(X[100:], *start, "diag")
    total = stats.scaled(a, 0.0) + b
    for name in ("nk", "sums", "centres", "scatter"):
        np.testing.assert_array_equal(getattr(total, name), getattr(b, name))
    half = stats.scaled(b, 0.5)
    assert half.n_samples == b.n_samples / 2
    np.testing.assert_array_equal(half.centres, b.centres)


def test_an_empty_component_stays_finite():
    X = _data(seed=15)
    resp = np.zeros((len(X), 3))
    resp[:, :2] = 0.5
    total = stats.accumulate(X[:150], resp[:150]) + stats.accumulate(
        X[150:], resp[150:]
    )
    weights, means, covariances = stats.m_step_from_statistics(total)
    assert np.all(np.isfinite(means)) and np.all(np.isfinite(covariances))
    assert weights[2] < 1e-15


def test_bad_input_is_named():
    X = _data()
    a = stats.accumulate(X, np.full((len(X), 3), 1 / 3), "full")
    b = stats.accumulate(X, np.full((len(X), 3), 1 / 3), "diag")
    with pytest.raises(ValueError, match="same covariance type"):
        stats.combine(a, b)
    with pytest.raises(TypeError, match="b must be SufficientStatistics"):
        stats.combine(a, 3)
    with pytest.raises(TypeError, match="stats must be"):
        stats.m_step_from_statistics(X)
    with pytest.raises(ValueError, match="factor"):
        stats.scaled(a, -1.0)
    with pytest.raises(ValueError, match="covariance_type"):
        stats.accumulate(X, np.full((len(X), 3), 1 / 3), "round")
