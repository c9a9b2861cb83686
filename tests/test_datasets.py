"""Tests of gmm_teach.teaching.datasets: shapes, seeds, true parameters, shipped files, bad arguments."""

import numpy as np
import pytest

from gmm_teach.teaching import datasets

GENERATORS_2D = [
    datasets.three_blobs_2d,
    datasets.correlated_pair_2d,
    datasets.anisotropic_blobs,
    datasets.unequal_blobs,
    datasets.blobs,
]


def test_three_groups_1d_shapes_and_true_parameters():
    data = datasets.three_groups_1d()
    assert data.x.shape == (300,)
    assert data.labels.shape == (300,)
    np.testing.assert_array_equal(np.bincount(data.labels), [100, 100, 100])
    np.testing.assert_allclose(data.weights, [1 / 3] * 3)
    np.testing.assert_array_equal(data.means, [-5, 5, 0])
    np.testing.assert_array_equal(data.variances, [1.2, 1.8, 1.6])


def test_three_groups_1d_spreads_are_variances():
    """1.2, 1.8, 1.6 are variances: the sample variance of a big group is close to them."""
    data = datasets.three_groups_1d(n_per_group=20_000)
    for k in range(3):
        group = data.x[data.labels == k]
        assert group.mean() == pytest.approx(data.means[k], abs=0.05)
        assert group.var() == pytest.approx(data.variances[k], rel=0.05)


@pytest.mark.parametrize("generator", GENERATORS_2D)
def test_generators_return_consistent_shapes(generator):
    data = generator()
    n_samples, n_features = data.X.shape
    n_components = len(data.weights)
    assert data.labels.shape == (n_samples,)
    assert data.means.shape == (n_components, n_features)
    assert data.covariances.shape == (n_components, n_features, n_features)
    np.testing.assert_allclose(
        data.weights, np.bincount(data.labels) / n_samples
    )
    assert np.all(np.linalg.eigvalsh(data.covariances) > 0)


@pytest.mark.parametrize(
    "generator", [datasets.three_groups_1d, *GENERATORS_2D]
)
def test_default_seed_is_fixed_and_seed_changes_the_draw(generator):
    first, again = generator(), generator()
    np.testing.assert_array_equal(first[0], again[0])
    assert not np.array_equal(first[0], generator(random_state=1)[0])
    generator_draw = generator(random_state=np.random.default_rng(5))[0]
    np.testing.assert_array_equal(generator_draw, generator(random_state=5)[0])


def test_three_blobs_2d_true_parameters():
    data = datasets.three_blobs_2d()
    assert data.X.shape == (300, 2)
    np.testing.assert_array_equal(data.means, [[0, 0], [5, 5], [5, 0]])
    np.testing.assert_array_equal(data.covariances, np.stack([np.eye(2)] * 3))


def test_correlated_pair_2d_sample_covariances_match():
    data = datasets.correlated_pair_2d()
    assert data.X.shape == (2000, 2)
    np.testing.assert_array_equal(data.covariances[0], [[1, 0.7], [0.7, 1]])
    np.testing.assert_array_equal(
        data.covariances[1], [[0.5, 0.4], [0.4, 0.5]]
    )
    for k in range(2):
        group = data.X[data.labels == k]
        np.testing.assert_allclose(
            np.cov(group.T), data.covariances[k], atol=0.1
        )


def test_anisotropic_blobs_are_stretched():
    data = datasets.anisotropic_blobs()
    eigenvalues = np.linalg.eigvalsh(data.covariances[0])
    assert eigenvalues[1] / eigenvalues[0] > 10  # long thin ellipses
    np.testing.assert_allclose(
        data.covariances[0], datasets.STRETCH.T @ datasets.STRETCH
    )


def test_unequal_blobs_sizes_and_spreads():
    data = datasets.unequal_blobs(
        n_per_cluster=(50, 20, 10), cluster_std=(2.0, 0.5, 1.0)
    )
    np.testing.assert_array_equal(np.bincount(data.labels), [50, 20, 10])
    np.testing.assert_allclose(data.covariances[:, 0, 0], [4.0, 0.25, 1.0])


def test_blobs_splits_samples_and_accepts_given_centers():
    data = datasets.blobs(
        n_samples=10, centers=3, n_features=4, random_state=0
    )
    assert data.X.shape == (10, 4)
    np.testing.assert_array_equal(np.bincount(data.labels), [4, 3, 3])
    centers = [[0.0, 0.0], [10.0, 10.0]]
    data = datasets.blobs(
        n_samples=40, centers=centers, cluster_std=[0.5, 2.0]
    )
    np.testing.assert_array_equal(data.means, centers)
    np.testing.assert_allclose(data.covariances[1], 4.0 * np.eye(2))


def test_old_faithful_is_the_r_data_set():
    X = datasets.old_faithful()
    assert X.shape == (272, 2)
    np.testing.assert_array_equal(X[0], [3.6, 79])
    np.testing.assert_array_equal(X[-1], [4.467, 74])
    np.testing.assert_allclose(
        X.mean(axis=0), [3.487783, 70.897059], atol=1e-6
    )
    np.testing.assert_allclose(
        X.std(axis=0, ddof=1), [1.141371, 13.594974], atol=1e-6
    )


def test_iris_matches_scikit_learn():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    data = datasets.iris()
    reference = sklearn_datasets.load_iris()
    np.testing.assert_array_equal(data.X, reference.data)
    np.testing.assert_array_equal(
        data.species, reference.target_names[reference.target]
    )
    assert data.feature_names == tuple(reference.feature_names)


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (
            lambda: datasets.three_groups_1d(n_per_group=0),
            ValueError,
            "n_per_group",
        ),
        (
            lambda: datasets.three_groups_1d(n_per_group=2.5),
            TypeError,
            "n_per_group",
        ),
        (
            lambda: datasets.three_groups_1d(random_state="seed"),
            TypeError,
            "random_state",
        ),
        (
            lambda: datasets.three_blobs_2d(n_per_cluster=-1),
            ValueError,
            "n_per_cluster",
        ),
        (
            lambda: datasets.correlated_pair_2d(n_per_cluster="10"),
            TypeError,
            "n_per_cluster",
        ),
        (
            lambda: datasets.anisotropic_blobs(n_per_cluster=(1, 2)),
            ValueError,
            "n_per_cluster",
        ),
        (
            lambda: datasets.unequal_blobs(cluster_std=(1.0, 0.0, 1.0)),
            ValueError,
            "cluster_std",
        ),
        (
            lambda: datasets.unequal_blobs(cluster_std=(1.0, 2.0)),
            ValueError,
            "cluster_std",
        ),
        (
            lambda: datasets.blobs(n_samples=2, centers=3),
            ValueError,
            "n_samples",
        ),
        (lambda: datasets.blobs(centers=0), ValueError, "centers"),
        (
            lambda: datasets.blobs(centers=[[np.nan, 0.0]]),
            ValueError,
            "centers",
        ),
        (lambda: datasets.blobs(n_features=0), ValueError, "n_features"),
        (
            lambda: datasets.blobs(cluster_std=np.nan),
            ValueError,
            "cluster_std",
        ),
    ],
)
def test_bad_arguments_name_the_argument(call, error, name):
    with pytest.raises(error, match=name):
        call()
