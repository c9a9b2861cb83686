"""Log-densities of Gaussians through Cholesky factors.

Chapter 2; used by the E-step, chapter 3. For a covariance Sigma = L L^T
(Cholesky), the precision Sigma^{-1} = U U^T with U = L^{-T}, the "precision
Cholesky factor". Then, eq. (2.3)::

    log N(x | mu, Sigma) = -1/2 (d log 2 pi + ||(x - mu)^T U||^2)
                           + sum_j log U_jj

because (x - mu)^T Sigma^{-1} (x - mu) = ||(x - mu)^T U||^2 and
log det Sigma = -2 sum_j log U_jj. No determinant and no inverse of Sigma are
ever formed: only the inverse of its triangular factor. The pieces that
depend on the covariance type are in :mod:`gmm_teach.covariance`.
"""

import numpy as np

from gmm_teach import covariance
from gmm_teach._validation import check_components

# re-exported: plotting and model import it from here
from gmm_teach.covariance import full_covariances  # noqa: F401

LOG_2PI = np.log(2 * np.pi)


def cholesky_precisions(covariances, covariance_type="full"):
    """Return the precision Cholesky factors, in the shape of the covariances.

    Chapter 2, eq. (2.3). For "full" a (K, d, d) stack of upper-triangular U_k
    with U_k U_k^T = Sigma_k^{-1}; for "tied" one (d, d) factor; for "diag" (K,
    d) and "spherical" (K,) the factor is 1 / sqrt(variance).

    Parameters
    ----------
    covariances : array-like
        The covariances Sigma_k, shaped by ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the covariances are stored.

    Returns
    -------
    prec_chol : ndarray
        The factors U_k, shaped like ``covariances``.

    Raises
    ------
    ValueError
        If a covariance is not positive definite (the message suggests raising
        ``reg_covar``).
    """
    covariances = np.asarray(covariances, dtype=float)
    return covariance.get(covariance_type).cholesky_precisions(covariances)


def log_gaussian_density_cholesky(X, means, prec_chol, covariance_type="full"):
    """Return log N(x_i | mu_k, Sigma_k) from precision Cholesky factors.

    The unchecked work-horse of :func:`log_gaussian_density`, chapter 2,
    eq. (2.3): it trusts its arguments.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The data.
    means : ndarray of shape (n_components, n_features)
        The component means mu_k.
    prec_chol : ndarray
        The precision Cholesky factors U_k, shaped like the covariances
        (see :func:`cholesky_precisions`).
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the factors are stored.

    Returns
    -------
    log_density : ndarray of shape (n_samples, n_components)
        The log-density of every sample under every component.
    """
    n_features = X.shape[1]
    kind = covariance.get(covariance_type)  # what depends on the type
    maha = kind.squared_mahalanobis(X, means, prec_chol)  # (n, K)
    log_det = kind.log_det_cholesky(prec_chol, n_features)  # (K,) or scalar
    # eq. (2.3), -1/2 (d log 2 pi + maha) + log_det, written into maha
    log_density = maha  # (n, K), no new array
    log_density += n_features * LOG_2PI
    log_density *= -0.5
    log_density += log_det
    return log_density


def log_gaussian_density(X, means, covariances, covariance_type="full"):
    """Return the log-density of every sample under every Gaussian component.

    Chapter 2, eq. (2.3): log N(x_i | mu_k, Sigma_k), computed through Cholesky
    factors.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data; a 1-D array is one feature.
    means : array-like of shape (n_components, n_features)
        The component means mu_k.
    covariances : array-like
        Sigma_k, shaped by ``covariance_type``: "full" (n_components,
        n_features, n_features), "tied" (n_features, n_features), "diag"
        (n_components, n_features), "spherical" (n_components,).
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the covariances are stored.

    Returns
    -------
    log_density : ndarray of shape (n_samples, n_components)
        The value log N(x_i | mu_k, Sigma_k) for every sample i and every
        component k.
    """
    X, means, covariances = check_components(
        X, means, covariances, covariance_type
    )
    prec_chol = cholesky_precisions(covariances, covariance_type)
    return log_gaussian_density_cholesky(X, means, prec_chol, covariance_type)
