"""Lloyd's K-Means and k-means++ seeding (chapter 1; K-Means also starts EM,
chapter 7).

Lloyd's algorithm alternates two steps until the centres stop moving::

    assignment:  z_i = argmin_k ||x_i - m_k||^2                    eq. (1.2)
    update:      m_k = mean of the points with z_i = k             eq. (1.3)

It minimises the inertia sum_i ||x_i - m_{z_i}||^2, eq. (1.1), a
hard-assignment cousin of the mixture's log-likelihood (chapter 8 shows K-Means
as the limit of a mixture whose variance -> 0).
"""

from dataclasses import dataclass

import numpy as np

from gmm_teach._validation import (
    check_array,
    check_nonnegative_float,
    check_positive_int,
    check_random_state,
    check_samples,
)


@dataclass(frozen=True)
class KMeansResult:
    """The outcome of :func:`kmeans`.

    Parameters
    ----------
    centers : ndarray of shape (n_clusters, n_features)
        The final centres m_k.
    labels : ndarray of shape (n_samples,)
        The index of each sample's nearest final centre.
    inertia : float
        The sum of squared distances to the nearest centre, eq. (1.1).
    n_iter : int
        The number of iterations run.
    """

    centers: np.ndarray
    labels: np.ndarray
    inertia: float
    n_iter: int


def squared_distances(X, centers):
    """Return ||x_i - m_k||^2 for every sample and every centre.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The data.
    centers : ndarray of shape (n_clusters, n_features)
        The centres m_k.

    Returns
    -------
    distances : ndarray of shape (n_samples, n_clusters)
        The squared Euclidean distances.
    """
    return np.sum(np.square(X[:, np.newaxis, :] - centers), axis=2)


def kmeans_plusplus_indices(X, n_clusters, rng, n_trials=None):
    """Return the indices of the k-means++ seeds (chapter 1).

    The first seed is a uniformly random point; each next one is drawn with
    probability proportional to delta_i^2, the squared distance from point i
    to the nearest seed so far. "Greedy" k-means++ (scikit-learn's default)
    draws ``n_trials`` candidates, 2 + int(ln K) of them (the integer part),
    and keeps the one that leaves the smallest total sum_i delta_i^2.
    Unchecked: :func:`kmeans_plusplus` checks its arguments.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The data.
    n_clusters : int
        The number of seeds K.
    rng : numpy.random.Generator
        Where the random draws come from.
    n_trials : int, default=None
        Candidates per seed; None means 2 + int(ln K).

    Returns
    -------
    indices : ndarray of shape (n_clusters,)
        The rows of ``X`` chosen as seeds.
    """
    n_samples = X.shape[0]
    n_trials = 2 + int(np.log(n_clusters)) if n_trials is None else n_trials
    indices = [rng.integers(n_samples)]
    closest = squared_distances(X, X[indices])[:, 0]  # (n,) delta_i^2
    for _ in range(1, n_clusters):
        # None: all points are seeds
        p = closest / closest.sum() if closest.sum() > 0 else None
        candidates = rng.choice(n_samples, size=n_trials, p=p)
        # delta_i^2 if each candidate were added, shape (n_trials, n)
        trial = np.minimum(closest, squared_distances(X, X[candidates]).T)
        best = trial.sum(axis=1).argmin()
        indices.append(candidates[best])
        closest = trial[best]
    return np.array(indices)


def kmeans_plusplus(X, n_clusters, random_state=None):
    """Return spread-out initial centres by k-means++ seeding (chapter 1).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data; a 1-D array is one feature.
    n_clusters : int
        The number of centres K.
    random_state : int, numpy.random.Generator or None, default=None
        Where the random draws come from: a seed, or a Generator.

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features)
        The seeds, K distinct rows of ``X`` unless ``X`` repeats points.
    """
    X = check_array(X)
    n_clusters = check_positive_int(n_clusters, "n_clusters")
    check_samples(X, n_clusters, count_name="n_clusters")
    return X[
        kmeans_plusplus_indices(
            X, n_clusters, check_random_state(random_state)
        )
    ]


def initial_centers(X, n_clusters, init, rng):
    """Return the starting centres that ``init`` asks for.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The data.
    n_clusters : int
        The number of centres K.
    init : {"k-means++", "random"} or array-like of shape \
            (n_clusters, n_features)
        The k-means++ seeds, K distinct random samples, or given centres.
    rng : numpy.random.Generator
        Where the random draws come from.

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features)
        The starting centres.
    """
    if isinstance(init, str):
        if init == "k-means++":
            return X[kmeans_plusplus_indices(X, n_clusters, rng)]
        if init == "random":
            return X[rng.choice(X.shape[0], size=n_clusters, replace=False)]
        raise ValueError(
            "init must be 'k-means++', 'random' or an array of centres; got "
            f"{init!r}"
        )
    centers = check_array(init, "init")
    if centers.shape != (n_clusters, X.shape[1]):
        raise ValueError(
            f"init centres must have shape {(n_clusters, X.shape[1])}, got "
            f"{centers.shape}"
        )
    return centers


def _update_centers(X, labels, centers):
    """Eq. (1.3): each centre moves to the mean of its points; an empty cluster
    stays put.
    """
    new = centers.copy()
    for k in range(len(centers)):
        members = X[labels == k]
        if len(members):
            new[k] = members.mean(axis=0)
    return new


def _kmeans(
    X, n_clusters, rng, init="k-means++", max_iter=300, tol=1e-4, callback=None
):
    """Unchecked Lloyd's algorithm: the work-horse of :func:`kmeans`."""
    tol = tol * np.mean(np.var(X, axis=0))  # relative to the data's spread
    centers = initial_centers(X, n_clusters, init, rng)  # (K, d)
    for n_iter in range(1, max_iter + 1):
        # assignment step, eq. (1.2)
        labels = squared_distances(X, centers).argmin(axis=1)  # (n,)
        # update step, eq. (1.3)
        new_centers = _update_centers(X, labels, centers)  # (K, d)
        shift = np.sum(np.square(new_centers - centers))
        centers = new_centers
        if callback is not None:
            callback(n_iter, centers, labels)
        if shift <= tol:
            break
    distances = squared_distances(X, centers)  # (n, K)
    labels = distances.argmin(axis=1)  # (n,)
    inertia = float(distances[np.arange(len(X)), labels].sum())  # eq. (1.1)
    return KMeansResult(centers, labels, inertia, n_iter)


def kmeans(
    X,
    n_clusters,
    *,
    init="k-means++",
    max_iter=300,
    tol=1e-4,
    random_state=None,
    callback=None,
):
    """Cluster ``X`` by Lloyd's algorithm (chapter 1, eqs. (1.2) and (1.3)).

    Stops when the centres move, in total squared distance, by no more than
    ``tol`` times the mean per-feature variance of ``X`` (scikit-learn's rule),
    or after ``max_iter`` iterations.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data; a 1-D array is one feature.
    n_clusters : int
        The number of clusters K.
    init : {"k-means++", "random"} or array-like of shape \
            (n_clusters, n_features), default="k-means++"
        The k-means++ seeds, K distinct random samples, or given centres.
    max_iter : int, default=300
        The most iterations to run.
    tol : float, default=1e-4
        Convergence threshold, relative to the mean per-feature variance.
    random_state : int, numpy.random.Generator or None, default=None
        Where the random draws come from: a seed, or a Generator.
    callback : callable, default=None
        ``callback(iteration, centers, labels)`` after every update step.

    Returns
    -------
    result : KMeansResult
        ``centers``, ``labels`` (the nearest centre of each sample),
        ``inertia`` (eq. (1.1)) and ``n_iter``.
    """
    X = check_array(X)
    n_clusters = check_positive_int(n_clusters, "n_clusters")
    check_samples(X, n_clusters, count_name="n_clusters")
    max_iter = check_positive_int(max_iter, "max_iter")
    tol = check_nonnegative_float(tol, "tol")
    rng = check_random_state(random_state)
    return _kmeans(X, n_clusters, rng, init, max_iter, tol, callback)
