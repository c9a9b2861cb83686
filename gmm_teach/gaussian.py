"""Log-densities of Gaussians through Cholesky factors (chapter 2; used by the E-step, chapter 3).

For a covariance Sigma = L L^T (Cholesky), the precision Sigma^{-1} = U U^T with U = L^{-T}, the
"precision Cholesky factor". Then

    log N(x | mu, Sigma) = -1/2 (d log 2 pi + ||(x - mu)^T U||^2) + sum_j log U_jj,        (2-logpdf)

because (x - mu)^T Sigma^{-1} (x - mu) = ||(x - mu)^T U||^2 and log det Sigma = -2 sum_j log U_jj.
No determinant and no inverse of Sigma are ever formed: only the inverse of its triangular factor.
"""

import numpy as np

from gmm_teach._validation import check_components

LOG_2PI = np.log(2 * np.pi)

NOT_POSITIVE_DEFINITE = (
    "covariances must be positive definite, but {which} is not (a component may have collapsed "
    "onto a point). Raise reg_covar (e.g. 1e-3), use fewer components, or scale the data."
)


def full_covariances(covariances, covariance_type, n_components, n_features):
    """Every covariance type as a (K, d, d) stack of full matrices (for sampling and drawing)."""
    covariances = np.asarray(covariances, dtype=float)
    if covariance_type == "full":
        return covariances
    if covariance_type == "tied":
        return np.broadcast_to(covariances, (n_components, n_features, n_features))
    if covariance_type == "diag":
        return np.stack([np.diag(c) for c in covariances])
    return covariances[:, np.newaxis, np.newaxis] * np.eye(n_features)


def _cholesky_precision(covariance, which):
    """Upper-triangular U with U U^T = covariance^{-1}, for one (d, d) covariance matrix."""
    try:
        L = np.linalg.cholesky(covariance)  # covariance = L L^T, L lower-triangular
    except np.linalg.LinAlgError:
        raise ValueError(NOT_POSITIVE_DEFINITE.format(which=which)) from None
    return np.triu(np.linalg.inv(L).T)  # U = L^{-T}, upper-triangular (triu drops round-off)


def cholesky_precisions(covariances, covariance_type="full"):
    """Precision Cholesky factors of the covariances, in the shape of the covariances.

    Chapter 2, eq. (2-logpdf). For "full" a (K, d, d) stack of upper-triangular U_k with
    U_k U_k^T = Sigma_k^{-1}; for "tied" one (d, d) factor; for "diag" (K, d) and "spherical" (K,)
    the factor is 1 / sqrt(variance).

    Raises
    ------
    ValueError
        If a covariance is not positive definite (the message suggests raising ``reg_covar``).
    """
    covariances = np.asarray(covariances, dtype=float)
    if covariance_type == "full":
        return np.stack([_cholesky_precision(c, f"covariances[{k}]") for k, c in enumerate(covariances)])
    if covariance_type == "tied":
        return _cholesky_precision(covariances, "the tied covariance")
    if np.any(covariances <= 0):
        raise ValueError(NOT_POSITIVE_DEFINITE.format(which=f"a {covariance_type} variance (<= 0)"))
    return 1.0 / np.sqrt(covariances)


def _log_det_cholesky(prec_chol, covariance_type, n_features):
    """sum_j log U_jj for each component: -1/2 log det Sigma_k, shape (K,) or scalar for tied."""
    if covariance_type == "full":
        return np.log(np.diagonal(prec_chol, axis1=1, axis2=2)).sum(axis=1)
    if covariance_type == "tied":
        return np.log(np.diag(prec_chol)).sum()
    if covariance_type == "diag":
        return np.log(prec_chol).sum(axis=1)
    return n_features * np.log(prec_chol)  # spherical: d equal diagonal entries


def _squared_mahalanobis(X, means, prec_chol, covariance_type):
    """||(x_i - mu_k)^T U_k||^2 for every sample and component, shape (n, K)."""
    if covariance_type == "full":
        # (n, d) @ (d, d) per component: the whitened residuals
        return np.stack(
            [np.sum(np.square(X @ U - mu @ U), axis=1) for mu, U in zip(means, prec_chol)], axis=1
        )
    if covariance_type == "tied":
        Y = X @ prec_chol  # (n, d)
        return np.stack([np.sum(np.square(Y - mu @ prec_chol), axis=1) for mu in means], axis=1)
    if covariance_type == "diag":
        # (n, 1, d) - (K, d) -> (n, K, d), scaled by 1/sigma per feature
        return np.sum(np.square((X[:, np.newaxis, :] - means) * prec_chol), axis=2)
    # spherical: ||x_i - mu_k||^2 / sigma_k^2
    return np.sum(np.square(X[:, np.newaxis, :] - means), axis=2) * prec_chol**2


def log_gaussian_density_cholesky(X, means, prec_chol, covariance_type="full"):
    """log N(x_i | mu_k, Sigma_k) from precision Cholesky factors, shape (n_samples, n_components).

    The unchecked work-horse of :func:`log_gaussian_density`, chapter 2, eq. (2-logpdf).
    """
    n_features = X.shape[1]
    maha = _squared_mahalanobis(X, means, prec_chol, covariance_type)  # (n, K)
    log_det = _log_det_cholesky(prec_chol, covariance_type, n_features)  # (K,) or scalar
    return -0.5 * (n_features * LOG_2PI + maha) + log_det


def log_gaussian_density(X, means, covariances, covariance_type="full"):
    """Log-density of every sample under every Gaussian component.

    Chapter 2, eq. (2-logpdf): log N(x_i | mu_k, Sigma_k), computed through Cholesky factors.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
        The data; a 1-D array is one feature.
    means : array of shape (n_components, n_features)
        The component means mu_k.
    covariances : array
        Sigma_k, shaped by ``covariance_type``: "full" (n_components, n_features, n_features),
        "tied" (n_features, n_features), "diag" (n_components, n_features), "spherical"
        (n_components,).
    covariance_type : {"full", "tied", "diag", "spherical"}

    Returns
    -------
    log_density : array of shape (n_samples, n_components)
    """
    X, means, covariances = check_components(X, means, covariances, covariance_type)
    prec_chol = cholesky_precisions(covariances, covariance_type)
    return log_gaussian_density_cholesky(X, means, prec_chol, covariance_type)
