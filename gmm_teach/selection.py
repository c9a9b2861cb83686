"""How many components? Parameter counts, BIC and AIC (chapter 9).

The criteria, numbered as the book shows them::

    BIC = -2 l(theta) + nu ln n                                      eq. (9.2)
    AIC = -2 l(theta) + 2 nu                                         eq. (9.3)

where l is the total log-likelihood and nu the number of free parameters,
eq. (9.1). Smaller is better.
"""

import numpy as np

from gmm_teach import covariance
from gmm_teach._validation import check_positive_int
from gmm_teach.em import _check_and_factorise, _log_evidence


def n_parameters(n_components, n_features, covariance_type="full"):
    """Return the number of free parameters nu of a mixture.

    Chapter 9, eq. (9.1): K - 1 weights (they sum to one), K d means, and
    per covariance type: "full" K d(d+1)/2, "tied" d(d+1)/2, "diag" K d,
    "spherical" K.

    Parameters
    ----------
    n_components : int
        The number of components K.
    n_features : int
        The number of features d.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the covariances are stored.

    Returns
    -------
    nu : int
        The number of free parameters.
    """
    K = check_positive_int(n_components, "n_components")
    d = check_positive_int(n_features, "n_features")
    covariance_parameters = covariance.get(covariance_type).n_parameters(K, d)
    return (K - 1) + K * d + covariance_parameters


def _fit_terms(X, weights, means, prec_chol, covariance_type):
    """Unchecked (l, nu, n): total log-likelihood, free parameters, samples."""
    log_evidence = _log_evidence(X, weights, means, prec_chol, covariance_type)
    nu = n_parameters(len(weights), X.shape[1], covariance_type)
    return float(log_evidence.sum()), nu, X.shape[0]


def _bic(ll, nu, n):
    """BIC from the total log-likelihood, the free parameters, the samples."""
    return -2 * ll + nu * np.log(n)  # eq. (9.2)


def _aic(ll, nu, n):
    """AIC from the total log-likelihood and the free parameters."""
    return -2 * ll + 2 * nu  # eq. (9.3)


def bic(X, weights, means, covariances, covariance_type="full"):
    """Return the Bayesian information criterion -2 l + nu ln n.

    Chapter 9, eq. (9.2). Smaller is better.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data; a 1-D array is one feature.
    weights : array-like of shape (n_components,)
        The mixing weights pi_k, nonnegative, summing to one.
    means : array-like of shape (n_components, n_features)
        The component means mu_k.
    covariances : array-like
        The covariances Sigma_k, shaped by ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the covariances are stored.

    Returns
    -------
    bic : float
        The criterion; l is the total log-likelihood, nu the number of free
        parameters and n the number of samples.
    """
    checked = _check_and_factorise(
        X, weights, means, covariances, covariance_type
    )
    return _bic(*_fit_terms(*checked))


def aic(X, weights, means, covariances, covariance_type="full"):
    """Return the Akaike information criterion -2 l + 2 nu.

    Chapter 9, eq. (9.3). Smaller is better.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data; a 1-D array is one feature.
    weights : array-like of shape (n_components,)
        The mixing weights pi_k, nonnegative, summing to one.
    means : array-like of shape (n_components, n_features)
        The component means mu_k.
    covariances : array-like
        The covariances Sigma_k, shaped by ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the covariances are stored.

    Returns
    -------
    aic : float
        The criterion; l is the total log-likelihood and nu the number of
        free parameters.
    """
    checked = _check_and_factorise(
        X, weights, means, covariances, covariance_type
    )
    return _aic(*_fit_terms(*checked))
