"""Tests of gmm_teach.init: each method's responsibilities, then one M-step."""

import numpy as np
import pytest
from conftest import random_covariances

from gmm_teach import em, init, kmeans
from gmm_teach.covariance import COVARIANCE_TYPES, full_covariances


def blobs(seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0, 0.0], [6.0, 0.0, 1.0], [0.0, 7.0, -2.0]])
    return np.vstack([rng.normal(c, 1.0, size=(40, 3)) for c in centres])


def covariance_shape(covariance_type, n_components, n_features):
    """The shape of the reference's covariances of the type."""
    rng = np.random.default_rng(0)
    return np.shape(
        random_covariances(rng, covariance_type, n_components, n_features)
    )


@pytest.mark.parametrize("method", init.METHODS)
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_shapes_and_valid_parameters(covariance_type, method):
    X = blobs()
    weights, means, covariances = init.initial_parameters(
        X, 3, method, covariance_type=covariance_type, random_state=0
    )
    assert weights.shape == (3,) and means.shape == (3, 3)
    assert covariances.shape == covariance_shape(covariance_type, 3, 3)
    assert weights.sum() == pytest.approx(1.0, rel=1e-12) and np.all(
        weights > 0
    )
    assert np.all(
        np.linalg.eigvalsh(
            full_covariances(covariances, covariance_type, 3, 3)
        )
        > 0
    )


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_kmeans_is_one_m_step_on_kmeans_labels(covariance_type):
    X = blobs(seed=1)
    ours = init.initial_parameters(
        X,
        3,
        "kmeans",
        covariance_type=covariance_type,
        reg_covar=1e-4,
        random_state=3,
    )
    labels = kmeans.kmeans(X, 3, random_state=3).labels
    expected = em.m_step(
        X,
        init.responsibilities_from_labels(labels, 3),
        covariance_type,
        reg_covar=1e-4,
    )
    for got, want in zip(ours, expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12)
    counts = np.bincount(labels, minlength=3)
    np.testing.assert_allclose(ours[0], counts / counts.sum(), rtol=1e-12)


def test_kmeans_plusplus_starts_at_the_kmeans_plusplus_seeds():
    X = blobs(seed=2)
    weights, means, covariances = init.initial_parameters(
        X, 3, "k-means++", reg_covar=1e-3, random_state=5
    )
    # means = x_i / (1 + 10 eps): the M-step's N_k carries 10 machine epsilons
    np.testing.assert_allclose(
        means, kmeans.kmeans_plusplus(X, 3, random_state=5), rtol=1e-14
    )
    np.testing.assert_allclose(weights, [1 / 3] * 3, rtol=1e-12)
    np.testing.assert_allclose(
        covariances, np.broadcast_to(1e-3 * np.eye(3), (3, 3, 3)), atol=1e-15
    )


@pytest.mark.parametrize("seed", range(3))
def test_random_from_data_starts_at_distinct_samples(seed):
    X = blobs(seed=3)
    weights, means, covariances = init.initial_parameters(
        X, 4, "random_from_data", covariance_type="diag", random_state=seed
    )
    rows = kmeans.squared_distances(means, X).argmin(
        axis=1
    )  # the sample each mean sits on
    assert len(set(rows)) == 4
    np.testing.assert_allclose(means, X[rows], rtol=1e-14)
    np.testing.assert_allclose(weights, [0.25] * 4, rtol=1e-12)
    np.testing.assert_allclose(covariances, np.full((4, 3), 1e-6), rtol=1e-9)


def test_random_is_one_m_step_on_normalised_uniform_responsibilities():
    X = blobs(seed=4)
    rng = np.random.default_rng(6)
    resp = rng.uniform(size=(len(X), 3))
    resp /= resp.sum(axis=1, keepdims=True)
    expected = em.m_step(X, resp, "full")
    ours = init.initial_parameters(X, 3, "random", random_state=6)
    for got, want in zip(ours, expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12)
    # soft random responsibilities put every mean near the centre of the data
    assert np.all(np.abs(ours[1] - X.mean(axis=0)) < 0.5 * X.std(axis=0))


@pytest.mark.parametrize("method", init.METHODS)
def test_random_state_makes_starts_reproducible(method):
    X = blobs(seed=5)
    a = init.initial_parameters(X, 3, method, random_state=11)
    b = init.initial_parameters(
        X, 3, method, random_state=np.random.default_rng(11)
    )
    c = init.initial_parameters(X, 3, method, random_state=12)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)
    if (
        method != "kmeans"
    ):  # K-Means may reach the same partition from two seeds
        assert not np.array_equal(a[1], c[1])


def test_responsibilities_from_labels_is_one_hot():
    resp = init.responsibilities_from_labels(np.array([2, 0, 0, 1]), 3)
    np.testing.assert_array_equal(
        resp, [[0, 0, 1], [1, 0, 0], [1, 0, 0], [0, 1, 0]]
    )
