"""The book's data sets: drawn from known mixtures with fixed seeds, or loaded
from shipped files.

Every generator takes ``random_state`` (None, an int seed or a
``numpy.random.Generator``) whose default is a fixed int, so every build of the
book draws the same points. Generators return the points together with the true
parameters they were drawn from, so a chapter can print what EM should recover:

- :class:`Dataset1D` (``x``, ``labels``, ``weights``, ``means``, ``variances``)
  in one dimension;
- :class:`Dataset` (``X``, ``labels``, ``weights``, ``means``, ``covariances``)
  in d dimensions, covariances always of type "full", shape
  (n_components, n_features, n_features).

Points come group after group (all of component 0, then all of component 1,
...); ``labels[i]`` is the component that drew point i and ``weights`` are the
groups' shares of the points.

Two real data sets ship as CSV files in ``gmm_teach/teaching/data``:
:func:`old_faithful` (chapters 2 and 9) and :func:`iris` (chapter 10).
"""

import numbers
from importlib import resources
from typing import NamedTuple

import numpy as np

from gmm_teach._validation import (
    check_array,
    check_positive_int,
    check_random_state,
)


class Dataset1D(NamedTuple):
    """One-dimensional points and the mixture they were drawn from (chapter 5).

    Points come group after group: all of component 0, then all of
    component 1, and so on.

    Parameters
    ----------
    x : ndarray of shape (n_samples,)
        The points.
    labels : ndarray of shape (n_samples,)
        The component that drew each point, in 0, ..., n_components - 1.
    weights : ndarray of shape (n_components,)
        The true mixing weights pi_k: each group's share of the points.
    means : ndarray of shape (n_components,)
        The true means mu_k.
    variances : ndarray of shape (n_components,)
        The true variances sigma_k^2 (not standard deviations).
    """

    x: np.ndarray  # (n_samples,)
    labels: np.ndarray  # (n_samples,) component that drew each point
    weights: np.ndarray  # (n_components,)  pi_k
    means: np.ndarray  # (n_components,)  mu_k
    variances: np.ndarray  # (n_components,)  sigma_k^2


class Dataset(NamedTuple):
    """Points in d dimensions and the mixture that drew them (chapters 1, 6-9).

    Points come group after group: all of component 0, then all of
    component 1, and so on.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The points.
    labels : ndarray of shape (n_samples,)
        The component that drew each point, in 0, ..., n_components - 1.
    weights : ndarray of shape (n_components,)
        The true mixing weights pi_k: each group's share of the points.
    means : ndarray of shape (n_components, n_features)
        The true means mu_k.
    covariances : ndarray of shape (n_components, n_features, n_features)
        The true covariances Sigma_k, always of type "full".
    """

    X: np.ndarray  # (n_samples, n_features)
    labels: np.ndarray  # (n_samples,) component that drew each point
    weights: np.ndarray  # (n_components,)  pi_k
    means: np.ndarray  # (n_components, n_features)  mu_k
    covariances: np.ndarray  # (n_components, n_features, n_features)  Sigma_k


class Iris(NamedTuple):
    """Fisher's iris measurements (chapter 10).

    Parameters
    ----------
    X : ndarray of shape (150, 4)
        The four measurements of each flower, in cm: sepal length, sepal
        width, petal length, petal width.
    species : ndarray of shape (150,)
        The species of each flower: "setosa", "versicolor" or "virginica".
    feature_names : tuple of str
        The names of the four columns of ``X``.
    """

    X: np.ndarray  # (150, 4) in cm
    species: np.ndarray  # (150,) "setosa", "versicolor" or "virginica"
    feature_names: tuple  # the four column names of X


# -----------------------------------------------------------------------------
# Drawing from a known mixture


def _sample_mixture(rng, counts, means, covariances):
    """Draw ``counts[k]`` points from N(means[k], covariances[k]) for each k,
    group after group.
    """
    groups = []
    for n_k, mean, covariance in zip(counts, means, covariances, strict=True):
        L = np.linalg.cholesky(covariance)  # (d, d), covariance = L L^T
        Z = rng.standard_normal((n_k, len(mean)))  # (n_k, d), rows ~ N(0, I)
        groups.append(mean + Z @ L.T)  # (n_k, d), rows ~ N(mean, L L^T)
    counts = np.asarray(counts)
    return Dataset(
        X=np.concatenate(groups),
        labels=np.repeat(np.arange(len(counts)), counts),
        weights=counts / counts.sum(),
        means=np.asarray(means, dtype=float),
        covariances=np.asarray(covariances, dtype=float),
    )


def _check_counts(n_per_cluster, n_clusters, name):
    """One positive int per cluster, from an int (same for all) or a sequence
    of ints.
    """
    if np.ndim(n_per_cluster) == 0:
        n_per_cluster = [check_positive_int(n_per_cluster, name)] * n_clusters
    if len(n_per_cluster) != n_clusters:
        raise ValueError(
            f"{name} must be an int or {n_clusters} ints, got "
            f"{len(n_per_cluster)}"
        )
    return [check_positive_int(n, name) for n in n_per_cluster]


def _check_stds(cluster_std, n_clusters, name="cluster_std"):
    """One positive standard deviation per cluster, from a number or a sequence
    of numbers.
    """
    stds = check_array(np.atleast_1d(cluster_std), name, ndim=1)
    if stds.shape == (1,):
        stds = np.repeat(stds, n_clusters)
    if stds.shape != (n_clusters,):
        raise ValueError(
            f"{name} must be a number or {n_clusters} numbers, got "
            f"{stds.shape[0]}"
        )
    if np.any(stds <= 0):
        raise ValueError(f"{name} must be > 0, got {stds.min():g}")
    return stds


def three_groups_1d(n_per_group=100, random_state=0):
    """Draw three 1-D groups around -5, 5 and 0 (chapter 5).

    Their variances are 1.2, 1.8 and 1.6. These numbers are variances, and
    called so here: the standard deviations are sqrt(1.2), sqrt(1.8) and
    sqrt(1.6). Calling such numbers "sigma" while drawing with them as
    variances is a common mix-up, which the chapter "Spot the bug"
    discusses.

    Parameters
    ----------
    n_per_group : int, default=100
        Points drawn from each of the three groups.
    random_state : None, int or numpy.random.Generator, default=0
        Seed of the draw.

    Returns
    -------
    data : Dataset1D
        ``x`` of shape (3 * n_per_group,), ``labels``, and the true ``weights``
        (1/3 each), ``means`` (-5, 5, 0) and ``variances`` (1.2, 1.8, 1.6).
    """
    n_per_group = check_positive_int(n_per_group, "n_per_group")
    variances = np.array([1.2, 1.8, 1.6])
    data = _sample_mixture(
        check_random_state(random_state),
        counts=[n_per_group] * 3,
        means=np.array([[-5.0], [5.0], [0.0]]),  # (3, 1)
        covariances=variances[:, None, None],  # (3, 1, 1)
    )
    return Dataset1D(
        data.X[:, 0], data.labels, data.weights, data.means[:, 0], variances
    )


def three_blobs_2d(n_per_cluster=100, random_state=42):
    """Draw three round 2-D clusters at (0, 0), (5, 5) and (5, 0) (chapter 6).

    The book's first 2-D data set (100 points each, seed 42); the covariances
    are identity matrices.

    Parameters
    ----------
    n_per_cluster : int, default=100
        Points drawn from each cluster.
    random_state : None, int or numpy.random.Generator, default=42
        Seed of the draw.

    Returns
    -------
    data : Dataset
        ``X`` of shape (3 * n_per_cluster, 2) and the true parameters.
    """
    counts = _check_counts(n_per_cluster, 3, "n_per_cluster")
    means = np.array([[0.0, 0.0], [5.0, 5.0], [5.0, 0.0]])  # (3, 2)
    covariances = np.stack([np.eye(2)] * 3)  # (3, 2, 2)
    return _sample_mixture(
        check_random_state(random_state), counts, means, covariances
    )


def correlated_pair_2d(n_per_cluster=1000, random_state=0):
    """Draw two overlapping, correlated 2-D Gaussians (chapters 2 and 6).

    They are centred at (0, 0) and (2, 0), with covariances
    [[1, 0.7], [0.7, 1]] and [[0.5, 0.4], [0.4, 0.5]]: both clusters are
    tilted ellipses, which round K-Means clusters cannot describe.

    Parameters
    ----------
    n_per_cluster : int, default=1000
        Points drawn from each Gaussian.
    random_state : None, int or numpy.random.Generator, default=0
        Seed of the draw.

    Returns
    -------
    data : Dataset
        ``X`` of shape (2 * n_per_cluster, 2) and the true parameters.
    """
    counts = _check_counts(n_per_cluster, 2, "n_per_cluster")
    means = np.array([[0.0, 0.0], [2.0, 0.0]])  # (2, 2)
    covariances = np.array(
        [[[1.0, 0.7], [0.7, 1.0]], [[0.5, 0.4], [0.4, 0.5]]]
    )  # (2, 2, 2)
    return _sample_mixture(
        check_random_state(random_state), counts, means, covariances
    )


# The linear map that stretches round clusters into parallel ellipses
# (anisotropic_blobs).
STRETCH = np.array([[0.6, -0.6], [-0.4, 0.8]])


def anisotropic_blobs(n_per_cluster=200, random_state=0):
    """Draw three long, parallel, tilted clusters (chapter 1).

    K-Means cuts them across. Round clusters N(c_k, I) with c = (-4, 0),
    (0, 2), (4, 4) are mapped by x -> x @ STRETCH, so cluster k becomes
    N(c_k @ STRETCH, STRETCH^T STRETCH).

    Parameters
    ----------
    n_per_cluster : int or sequence of 3 ints, default=200
        Points drawn from each cluster.
    random_state : None, int or numpy.random.Generator, default=0
        Seed of the draw.

    Returns
    -------
    data : Dataset
        ``X`` of shape (sum of n_per_cluster, 2) and the true (stretched)
        parameters.
    """
    counts = _check_counts(n_per_cluster, 3, "n_per_cluster")
    # (3, 2), before the map
    round_means = np.array([[-4.0, 0.0], [0.0, 2.0], [4.0, 4.0]])
    # (2, 2): Cov(z @ A) = A^T Cov(z) A with Cov(z) = I
    covariance = STRETCH.T @ STRETCH
    return _sample_mixture(
        check_random_state(random_state),
        counts,
        round_means @ STRETCH,
        np.stack([covariance] * 3),
    )


def unequal_blobs(
    n_per_cluster=(500, 80, 60), cluster_std=(2.0, 0.4, 0.6), random_state=0
):
    """Draw a big wide cluster beside two small tight ones (chapter 1).

    K-Means splits the big one. The clusters are round, at
    (0, 0), (5, 4) and (5, -3), and their sizes and spreads differ.

    Parameters
    ----------
    n_per_cluster : int or sequence of 3 ints, default=(500, 80, 60)
        Points drawn from each cluster.
    cluster_std : float or sequence of 3 floats, default=(2.0, 0.4, 0.6)
        Standard deviation of each cluster (the same along both axes).
    random_state : None, int or numpy.random.Generator, default=0
        Seed of the draw.

    Returns
    -------
    data : Dataset
        ``X`` of shape (sum of n_per_cluster, 2) and the true parameters.
    """
    counts = _check_counts(n_per_cluster, 3, "n_per_cluster")
    stds = _check_stds(cluster_std, 3)
    means = np.array([[0.0, 0.0], [5.0, 4.0], [5.0, -3.0]])  # (3, 2)
    covariances = stds[:, None, None] ** 2 * np.eye(2)  # (3, 2, 2)
    return _sample_mixture(
        check_random_state(random_state), counts, means, covariances
    )


def _check_centers(centers, n_features, rng):
    """Cluster centres from an int (drawn uniformly in [-10, 10]^d) or an array
    (K, d).
    """
    if isinstance(centers, numbers.Integral) and not isinstance(centers, bool):
        n_clusters = check_positive_int(centers, "centers")
        n_features = check_positive_int(n_features, "n_features")
        return rng.uniform(-10.0, 10.0, size=(n_clusters, n_features))
    return check_array(centers, "centers", ndim=2)


def blobs(
    n_samples=300, centers=3, cluster_std=1.0, *, n_features=2, random_state=0
):
    """Draw round Gaussian clusters with known K (chapters 7, 9).

    Like scikit-learn's ``make_blobs``: the centres are given or drawn
    uniformly, and every cluster is a round Gaussian around its centre.

    Parameters
    ----------
    n_samples : int, default=300
        Total number of points, shared as equally as possible (the first
        clusters get one more).
    centers : int or array-like of shape (n_clusters, n_features), default=3
        The cluster centres, or how many to draw uniformly in the box
        [-10, 10]^n_features.
    cluster_std : float or sequence of n_clusters floats, default=1.0
        Standard deviation of each cluster (the same along every axis).
    n_features : int, default=2
        Dimension of the points when ``centers`` is an int (otherwise taken
        from ``centers``).
    random_state : None, int or numpy.random.Generator, default=0
        Seed of the centres (when drawn) and of the points.

    Returns
    -------
    data : Dataset
        ``X`` of shape (n_samples, n_features) and the true parameters
        (covariances ``cluster_std**2 * I``).
    """
    rng = check_random_state(random_state)
    means = _check_centers(centers, n_features, rng)  # (K, d)
    n_clusters, n_features = means.shape
    n_samples = check_positive_int(n_samples, "n_samples", minimum=n_clusters)
    counts = [
        n_samples // n_clusters + (k < n_samples % n_clusters)
        for k in range(n_clusters)
    ]
    stds = _check_stds(cluster_std, n_clusters)
    covariances = stds[:, None, None] ** 2 * np.eye(n_features)  # (K, d, d)
    return _sample_mixture(rng, counts, means, covariances)


# -----------------------------------------------------------------------------
# Real data shipped with the package


def _read_csv(filename):
    """The header and the rows (lists of strings) of a CSV file in
    gmm_teach/teaching/data.
    """
    path = resources.files(__package__).joinpath("data", filename)
    lines = path.read_text(encoding="utf-8").splitlines()
    header, *rows = (
        line.split(",") for line in lines if line and not line.startswith("#")
    )
    return header, rows


def old_faithful():
    """Load 272 eruptions of the Old Faithful geyser: durations and waits.

    Two clear groups (short eruptions after short waits, long after long): the
    book's first real mixture (chapter 2) and its example for choosing K
    (chapter 9). Data set ``faithful`` of R's datasets package, from Azzalini
    and Bowman (1990, Applied Statistics 39, 357-365) and Hardle (1991,
    Smoothing Techniques with Implementation in S); see the header of
    ``gmm_teach/teaching/data/old_faithful.csv``.

    Returns
    -------
    X : ndarray of shape (272, 2)
        Column 0: eruption time (minutes); column 1: waiting time to the next
        eruption (minutes).
    """
    _, rows = _read_csv("old_faithful.csv")
    return np.array(rows, dtype=float)  # (272, 2)


def iris():
    """Load Fisher's iris data: four measurements of 150 flowers (chapter 10).

    The flowers are of three species, 50 each. From Fisher (1936, "The use of
    multiple measurements in taxonomic problems", Annals of Eugenics 7,
    179-188), measured by Edgar Anderson; the shipped file was written from
    scikit-learn's copy, which the package itself never imports.

    Returns
    -------
    data : Iris
        ``X`` of shape (150, 4) (sepal length, sepal width, petal length, petal
        width, in cm), ``species`` of shape (150,) with "setosa", "versicolor"
        or "virginica", and the ``feature_names`` of the four columns.
    """
    header, rows = _read_csv("iris.csv")
    X = np.array([row[:4] for row in rows], dtype=float)  # (150, 4)
    species = np.array([row[4] for row in rows])  # (150,)
    return Iris(X, species, tuple(header[:4]))
