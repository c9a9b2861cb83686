"""Tests of gmm_teach.kmeans: Lloyd's two steps against explicit loops, k-means++ seeding, and the
inertia against scikit-learn's KMeans."""

import numpy as np
import pytest
from sklearn.cluster import KMeans

from gmm_teach import kmeans

CENTRES = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])


def blobs(seed=0, n_per_blob=50):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(c, 1.0, size=(n_per_blob, 2)) for c in CENTRES])
    return X, np.repeat(np.arange(3), n_per_blob)


# ---------------------------------------------------------------- slow, obvious Lloyd


def slow_assign(X, centers):
    """z_i = argmin_k sum_j (x_ij - m_kj)^2, one sample and one centre at a time."""
    labels = []
    for x in X:
        distances = [
            sum((x[j] - c[j]) ** 2 for j in range(len(x))) for c in centers
        ]
        labels.append(int(np.argmin(distances)))
    return np.array(labels)


def slow_update(X, labels, centers):
    """m_k = mean of the points assigned to k; a centre with no points stays where it is."""
    new = centers.copy()
    for k in range(len(centers)):
        members = [x for x, z in zip(X, labels, strict=True) if z == k]
        if members:
            new[k] = sum(members) / len(members)
    return new


def slow_lloyd(X, centers, max_iter, tol):
    threshold = tol * np.mean(np.var(X, axis=0))
    for n_iter in range(1, max_iter + 1):  # noqa: B007 (returned below)
        new = slow_update(X, slow_assign(X, centers), centers)
        shift = np.sum((new - centers) ** 2)
        centers = new
        if shift <= threshold:
            break
    return centers, slow_assign(X, centers), n_iter


# ---------------------------------------------------------------- the two steps


def test_squared_distances_match_loop():
    rng = np.random.default_rng(1)
    X, centers = rng.normal(size=(7, 3)), rng.normal(size=(4, 3))
    expected = [[np.sum((x - c) ** 2) for c in centers] for x in X]
    np.testing.assert_allclose(
        kmeans.squared_distances(X, centers), expected, rtol=1e-13
    )


def test_first_iteration_is_assignment_then_update():
    X, _ = blobs()
    start = np.array([[1.0, 1.0], [4.0, 4.0], [-1.0, 6.0]])
    seen = []
    kmeans.kmeans(
        X,
        3,
        init=start,
        max_iter=1,
        callback=lambda it, centers, labels: seen.append(
            (it, centers, labels)
        ),
    )
    ((iteration, centers, labels),) = seen
    assert iteration == 1
    np.testing.assert_array_equal(labels, slow_assign(X, start))
    np.testing.assert_allclose(
        centers, slow_update(X, slow_assign(X, start), start), rtol=1e-13
    )


@pytest.mark.parametrize("tol", [0.0, 1e-2, 0.5])
def test_lloyd_matches_slow_version_from_the_same_start(tol):
    X, _ = blobs(seed=2, n_per_blob=30)
    start = X[[0, 1, 2]]  # three points of the first blob: Lloyd has to travel
    result = kmeans.kmeans(X, 3, init=start, tol=tol)
    centers, labels, n_iter = slow_lloyd(X, start, 300, tol)
    np.testing.assert_allclose(result.centers, centers, rtol=1e-12)
    np.testing.assert_array_equal(result.labels, labels)
    assert result.n_iter == n_iter
    inertia = sum(
        np.sum((x - centers[z]) ** 2) for x, z in zip(X, labels, strict=True)
    )
    assert result.inertia == pytest.approx(inertia, rel=1e-12)


def test_tol_is_relative_to_the_variance_of_the_data():
    """Scaling X scales centres and shifts alike: the same iterations, the same labels."""
    X, _ = blobs(seed=2, n_per_blob=30)
    small = kmeans.kmeans(X, 3, init=X[[0, 1, 2]], tol=1e-2)
    large = kmeans.kmeans(100 * X, 3, init=100 * X[[0, 1, 2]], tol=1e-2)
    assert small.n_iter == large.n_iter == 3
    np.testing.assert_array_equal(small.labels, large.labels)


def test_empty_cluster_keeps_its_centre():
    X, _ = blobs(n_per_blob=10)
    start = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [500.0, 500.0]])
    result = kmeans.kmeans(X, 4, init=start)
    np.testing.assert_array_equal(result.centers[3], [500.0, 500.0])
    assert not np.any(result.labels == 3)
    assert np.all(np.isfinite(result.centers))


def test_callback_sees_centres_and_labels_of_every_iteration():
    X, _ = blobs(seed=3)
    seen = []
    result = kmeans.kmeans(
        X,
        3,
        random_state=0,
        callback=lambda it, c, z: seen.append((it, c.copy())),
    )
    assert [it for it, _ in seen] == list(range(1, result.n_iter + 1))
    np.testing.assert_array_equal(seen[-1][1], result.centers)


# ---------------------------------------------------------------- the whole algorithm


@pytest.mark.parametrize("init", ["k-means++", "random"])
def test_recovers_well_separated_blobs_like_scikit_learn(init):
    X, truth = blobs(seed=4)
    result = kmeans.kmeans(X, 3, init=init, random_state=0)
    # same partition as the truth, up to relabelling
    pairs = {
        (int(z), int(t)) for z, t in zip(result.labels, truth, strict=True)
    }
    assert len(pairs) == 3 and len({z for z, _ in pairs}) == 3
    reference = KMeans(n_clusters=3, n_init=1, random_state=0).fit(X)
    assert result.inertia == pytest.approx(reference.inertia_, rel=1e-10)


def test_seeding_is_reproducible():
    X, _ = blobs(seed=5)
    first = kmeans.kmeans(X, 3, random_state=7)
    again = kmeans.kmeans(X, 3, random_state=np.random.default_rng(7))
    np.testing.assert_array_equal(first.centers, again.centers)
    np.testing.assert_array_equal(first.labels, again.labels)


def test_identical_points_give_zero_inertia():
    result = kmeans.kmeans(np.ones((10, 2)), 2, random_state=0)
    assert result.inertia == 0.0
    assert np.all(np.isfinite(result.centers))


# ---------------------------------------------------------------- k-means++


def test_kmeans_plusplus_picks_distinct_data_points():
    X, _ = blobs(seed=6)
    centers = kmeans.kmeans_plusplus(X, 5, random_state=0)
    assert centers.shape == (5, 2)
    assert len({tuple(c) for c in centers}) == 5
    assert all(np.any(np.all(X == c, axis=1)) for c in centers)


@pytest.mark.parametrize("seed", range(5))
def test_kmeans_plusplus_puts_one_seed_in_each_separated_blob(seed):
    X, truth = blobs(seed=7)
    centers = kmeans.kmeans_plusplus(X, 3, random_state=seed)
    nearest_blob = kmeans.squared_distances(centers, CENTRES).argmin(axis=1)
    assert sorted(nearest_blob) == [0, 1, 2]


def slow_greedy_kmeans_plusplus(X, n_clusters, rng):
    """Greedy k-means++ written out: of 2 + ln K candidates drawn with probability D(x)^2, keep the
    one that leaves the smallest total D(x)^2 (same random draws as the package, in the same order)."""
    n_trials = 2 + int(np.log(n_clusters))
    seeds = [X[rng.integers(len(X))]]
    for _ in range(1, n_clusters):
        d2 = np.array(
            [min(np.sum((x - s) ** 2) for s in seeds) for x in X]
        )  # D(x)^2
        candidates = rng.choice(len(X), size=n_trials, p=d2 / d2.sum())
        potentials = [
            sum(
                min(d, np.sum((x - X[c]) ** 2))
                for d, x in zip(d2, X, strict=True)
            )
            for c in candidates
        ]
        seeds.append(X[candidates[int(np.argmin(potentials))]])
    return np.array(seeds)


@pytest.mark.parametrize("seed", range(3))
def test_kmeans_plusplus_matches_slow_greedy_version(seed):
    X, _ = blobs(seed=9, n_per_blob=15)
    expected = slow_greedy_kmeans_plusplus(X, 6, np.random.default_rng(seed))
    np.testing.assert_array_equal(
        kmeans.kmeans_plusplus(X, 6, random_state=seed), expected
    )


def test_kmeans_plusplus_is_reproducible_and_seed_dependent():
    X, _ = blobs(seed=8)
    a = kmeans.kmeans_plusplus(X, 3, random_state=1)
    np.testing.assert_array_equal(
        a, kmeans.kmeans_plusplus(X, 3, random_state=1)
    )
    assert not np.array_equal(a, kmeans.kmeans_plusplus(X, 3, random_state=2))
