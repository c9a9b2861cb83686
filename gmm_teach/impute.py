"""Filling in missing values with a Gaussian mixture (chapter 11).

Under a fitted mixture, the best guess of a missing coordinate (in mean
squared error) is its conditional expectation given the observed ones::

    E[x_i,m | x_i,o] = sum_k r_ik x_hat_ik,m
    x_hat_ik,m = mu_k,m + Sigma_k,mo Sigma_k,oo^{-1} (x_i,o - mu_k,o)

each component's regression of the missing coordinates on the observed
ones (:mod:`gmm_teach.conditional`), weighted by the responsibilities of the
observed values (:mod:`gmm_teach.missing`). Mean imputation,
:func:`gmm_teach.missing.fill_with_means`, ignores both.
"""

import numpy as np

from gmm_teach._validation import check_weights
from gmm_teach.conditional import _expectations
from gmm_teach.missing import _e_step, _grouped


def conditional_means(X, means, covariances, covariance_type="full"):
    """Fill each row's missing values with their mean under each component.

    x_hat_ik,m = mu_k,m + Sigma_k,mo Sigma_k,oo^{-1}
    (x_i,o - mu_k,o), the regression of the missing coordinates on the
    observed ones; observed values are kept.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data, NaN where a value is missing; a 1-D array is one feature.
    means : array-like of shape (n_components, n_features)
        The component means mu_k.
    covariances : array-like
        The covariances Sigma_k, shaped by ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the covariances are stored.

    Returns
    -------
    X_hat : ndarray of shape (n_components, n_samples, n_features)
        ``X_hat[k]`` is ``X`` with each NaN replaced by its conditional mean
        under component k.
    """
    grouped = _grouped(X, means, covariances, covariance_type)
    return _expectations(*grouped, covariance_type)[0]


def _impute(X, patterns, weights, means, covariances, factors, kind):
    """Unchecked: each NaN replaced by sum_k r_ik x_hat_ik, (n, d)."""
    resp, _ = _e_step(X, patterns, weights, means, factors, kind)
    X_hat, _ = _expectations(X, patterns, means, covariances, factors, kind)
    expected = np.einsum("ik,kid->id", resp, X_hat)  # (n, d)
    return np.where(np.isnan(X), expected, X)


def impute(X, weights, means, covariances, covariance_type="full"):
    """Fill each NaN with its conditional expectation under the mixture.

    E[x_i,m | x_i,o] = sum_k r_ik x_hat_ik,m, the conditional
    means of each component weighted by the responsibilities of the
    observed values. Observed values are returned unchanged.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data, NaN where a value is missing; a 1-D array is one feature.
    weights : array-like of shape (n_components,)
        Mixing weights pi_k, nonnegative, summing to one.
    means : array-like of shape (n_components, n_features)
        The component means mu_k.
    covariances : array-like
        The covariances Sigma_k, shaped by ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the covariances are stored.

    Returns
    -------
    X_filled : ndarray of shape (n_samples, n_features)
        ``X`` with every NaN replaced by its conditional expectation.
    """
    X, patterns, means, covariances, factors = _grouped(
        X, means, covariances, covariance_type
    )
    weights = check_weights(weights, len(means))
    return _impute(
        X, patterns, weights, means, covariances, factors, covariance_type
    )
