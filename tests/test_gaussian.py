"""Tests of gmm_teach.gaussian: every covariance type against scipy.stats, one sample at a time.

The slow, obvious references (a full covariance matrix per component, a double loop with
``scipy.stats.multivariate_normal``) are in tests/conftest.py.
"""

import numpy as np
import pytest
from conftest import (
    component_covariance,
    random_covariances,
    slow_log_density,
    unit_covariances,
)
from scipy import stats

from gmm_teach import gaussian
from gmm_teach.covariance import COVARIANCE_TYPES

# ---------------------------------------------------------------- log-densities


@pytest.mark.parametrize("n_features", [1, 2, 4])
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_log_density_matches_scipy(covariance_type, n_features):
    rng = np.random.default_rng(n_features)
    X = rng.normal(scale=2.0, size=(15, n_features))
    means = rng.normal(size=(3, n_features))
    covariances = random_covariances(rng, covariance_type, 3, n_features)
    ours = gaussian.log_gaussian_density(
        X, means, covariances, covariance_type
    )
    assert ours.shape == (15, 3)
    np.testing.assert_allclose(
        ours,
        slow_log_density(X, means, covariances, covariance_type),
        rtol=1e-12,
        atol=1e-12,
    )


def test_log_density_of_1d_input_matches_scipy_norm():
    """A 1-D X is one feature; spherical variances are sigma^2, not sigma."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=10)
    means, variances = np.array([[-1.0], [2.0]]), np.array([0.5, 4.0])
    ours = gaussian.log_gaussian_density(x, means, variances, "spherical")
    expected = stats.norm.logpdf(
        x[:, None], loc=means[:, 0], scale=np.sqrt(variances)
    )
    np.testing.assert_allclose(ours, expected, rtol=1e-13)


def test_log_density_default_type_is_full():
    rng = np.random.default_rng(2)
    X, means = rng.normal(size=(5, 2)), rng.normal(size=(2, 2))
    covariances = random_covariances(rng, "full", 2, 2)
    np.testing.assert_array_equal(
        gaussian.log_gaussian_density(X, means, covariances),
        gaussian.log_gaussian_density(X, means, covariances, "full"),
    )


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_log_density_far_from_the_mean_is_finite_and_exact(covariance_type):
    """x = 1e4 with unit variance: the density underflows to 0, its logarithm must not."""
    X = np.array([[1e4, 0.0]])
    means = np.zeros((1, 2))
    covariances = unit_covariances(covariance_type, 1, 2)
    ours = gaussian.log_gaussian_density(
        X, means, covariances, covariance_type
    )
    np.testing.assert_allclose(
        ours, [[-np.log(2 * np.pi) - 0.5e8]], rtol=1e-14
    )


# ---------------------------------------------------------------- Cholesky factors


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_cholesky_precisions_factor_the_inverse(covariance_type):
    """U U^T = Sigma^{-1} with U upper triangular (diag, spherical: U = 1 / sigma)."""
    rng = np.random.default_rng(3)
    covariances = random_covariances(rng, covariance_type, 3, 3)
    prec_chol = gaussian.cholesky_precisions(covariances, covariance_type)
    assert prec_chol.shape == np.shape(covariances)
    for k in range(3):
        cov = component_covariance(covariances, covariance_type, k, 3)
        U = component_covariance(prec_chol, covariance_type, k, 3)
        np.testing.assert_array_equal(U, np.triu(U))
        np.testing.assert_allclose(
            U @ U.T, np.linalg.inv(cov), rtol=1e-10, atol=1e-14
        )


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_full_covariances_expands_every_type(covariance_type):
    rng = np.random.default_rng(4)
    covariances = random_covariances(rng, covariance_type, 3, 2)
    full = gaussian.full_covariances(covariances, covariance_type, 3, 2)
    assert full.shape == (3, 2, 2)
    for k in range(3):
        np.testing.assert_array_equal(
            full[k], component_covariance(covariances, covariance_type, k, 2)
        )


@pytest.mark.parametrize("covariance_type", ["full", "tied"])
def test_precision_factor_is_exactly_upper_triangular_when_the_inverse_pivots(
    covariance_type,
):
    L = np.array(
        [[0.1, 0.0, 0.0], [3.0, 0.2, 0.0], [1.0, 5.0, 0.3]]
    )  # large entries below the diagonal
    covariances = (
        L @ L.T if covariance_type == "tied" else (L @ L.T)[np.newaxis]
    )
    U = gaussian.cholesky_precisions(covariances, covariance_type)
    np.testing.assert_array_equal(np.tril(U, -1), 0.0)
