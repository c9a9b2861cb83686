"""Where EM starts (chapter 7): initial parameters from responsibilities.

Every method, as in scikit-learn, first builds responsibilities and then
takes one M-step:

- ``"kmeans"``: hard responsibilities from the labels of a K-Means run;
- ``"k-means++"``: one responsibility of 1 per component, at the k-means++
  seeds;
- ``"random"``: uniform random responsibilities, each row normalised to sum
  to one;
- ``"random_from_data"``: one responsibility of 1 per component, at distinct
  random points.

With the two one-point starts, every covariance starts at ``reg_covar`` times
the identity: a tiny Gaussian sitting on its seed point.
"""

import numpy as np

from gmm_teach._validation import (
    check_array,
    check_choice,
    check_covariance_type,
    check_nonnegative_float,
    check_positive_int,
    check_random_state,
    check_samples,
)
from gmm_teach.em import _m_step
from gmm_teach.kmeans import _kmeans, kmeans_plusplus_indices

METHODS = ("kmeans", "k-means++", "random", "random_from_data")


def responsibilities_from_labels(labels, n_components):
    """Return one-hot responsibilities: r_ik = 1 if labels[i] == k, else 0.

    Parameters
    ----------
    labels : ndarray of shape (n_samples,)
        The cluster of each sample, an int in [0, n_components).
    n_components : int
        The number of components K.

    Returns
    -------
    resp : ndarray of shape (n_samples, n_components)
        One 1 per row, in the column of the sample's label.
    """
    resp = np.zeros((len(labels), n_components))
    resp[np.arange(len(labels)), labels] = 1
    return resp


def _seed_responsibilities(n_samples, indices):
    """Responsibilities with a single 1 per component, at the seed points."""
    resp = np.zeros((n_samples, len(indices)))
    resp[indices, np.arange(len(indices))] = 1
    return resp


def initial_responsibilities(X, n_components, method, rng):
    """Return the starting responsibilities of an initialisation method.

    See the module docstring for the methods. Unchecked:
    :func:`initial_parameters` checks the arguments first.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The data.
    n_components : int
        The number of components K.
    method : {"kmeans", "k-means++", "random", "random_from_data"}
        How to build the responsibilities.
    rng : numpy.random.Generator
        Where every random draw comes from.

    Returns
    -------
    resp : ndarray of shape (n_samples, n_components)
        Nonnegative. For "kmeans" and "random" every row sums to one; for
        "k-means++" and "random_from_data" the row of each of the K seed
        points holds a single one and every other row is zero, as in
        scikit-learn.
    """
    n_samples = X.shape[0]
    if method == "kmeans":
        labels = _kmeans(X, n_components, rng).labels
        return responsibilities_from_labels(labels, n_components)
    if method == "k-means++":
        seeds = kmeans_plusplus_indices(X, n_components, rng)
        return _seed_responsibilities(n_samples, seeds)
    if method == "random":
        resp = rng.uniform(size=(n_samples, n_components))
        return resp / resp.sum(axis=1, keepdims=True)
    # "random_from_data"
    indices = rng.choice(n_samples, size=n_components, replace=False)
    return _seed_responsibilities(n_samples, indices)


def _initial_parameters(
    X, n_components, method, covariance_type, reg_covar, rng
):
    """Unchecked: the work-horse of :func:`initial_parameters`."""
    resp = initial_responsibilities(X, n_components, method, rng)  # (n, K)
    return _m_step(X, resp, covariance_type, reg_covar)


def initial_parameters(
    X,
    n_components,
    method="kmeans",
    *,
    covariance_type="full",
    reg_covar=1e-6,
    random_state=None,
):
    """Return the initial weights, means and covariances for EM (chapter 7).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data; a 1-D array is one feature.
    n_components : int
        The number of components K.
    method : {"kmeans", "k-means++", "random", "random_from_data"}, \
            default="kmeans"
        How to build the starting responsibilities (see the module
        docstring).
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the covariances are stored.
    reg_covar : float, default=1e-6
        Added to every covariance's diagonal.
    random_state : int, numpy.random.Generator or None, default=None
        Where the random draws come from: a seed, or a Generator.

    Returns
    -------
    weights : ndarray of shape (n_components,)
        The starting mixing weights.
    means : ndarray of shape (n_components, n_features)
        The starting means.
    covariances : ndarray
        The starting covariances, shaped by ``covariance_type``.
    """
    X = check_array(X)
    n_components = check_positive_int(n_components, "n_components")
    check_samples(X, n_components)
    check_choice(method, "method", METHODS)
    check_covariance_type(covariance_type)
    reg_covar = check_nonnegative_float(reg_covar, "reg_covar")
    rng = check_random_state(random_state)
    return _initial_parameters(
        X, n_components, method, covariance_type, reg_covar, rng
    )
