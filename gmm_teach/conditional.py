"""Conditioning a Gaussian on some of its coordinates (chapter 11).

Split the coordinates of x ~ N(mu, Sigma) into observed ones, o, and
unobserved (missing) ones, u. The observed block alone is Gaussian,
N(mu_o, Sigma_oo) (the marginal), and the missing block given the observed
one is Gaussian too::

    x_u | x_o ~ N(mu_u + Sigma_uo Sigma_oo^{-1} (x_o - mu_o),
                  Sigma_uu - Sigma_uo Sigma_oo^{-1} Sigma_ou)

The mean is a regression of u on o; the covariance, the Schur complement of
Sigma_oo, does not depend on x_o, so it is the same for every row that
misses the same coordinates. With U U^T = Sigma_oo^{-1} (the precision
Cholesky factor of the block, :mod:`gmm_teach.gaussian`) and
W = Sigma_uo U: Sigma_uo Sigma_oo^{-1} = W U^T and the Schur complement is
Sigma_uu - W W^T, symmetric by construction; no inverse is formed.

:mod:`gmm_teach.missing` uses these pieces for EM with missing values; the
functions take the components of a mixture, K at a time.
"""

import numpy as np

from gmm_teach import covariance
from gmm_teach._validation import check_covariances
from gmm_teach.gaussian import cholesky_precisions


def marginal_covariances(covariances, covariance_type, observed):
    """Return the covariances of the observed coordinates, Sigma_k,oo.

    The marginal of a Gaussian keeps the block of the observed coordinates;
    it has the same covariance type, stored the same way.

    Parameters
    ----------
    covariances : ndarray
        The covariances Sigma_k, shaped by ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}
        How the covariances are stored.
    observed : ndarray of shape (n_features,)
        True for the observed coordinates o.

    Returns
    -------
    covariances_oo : ndarray
        The blocks Sigma_k,oo, shaped by ``covariance_type`` for
        ``observed.sum()`` features.
    """
    o = np.flatnonzero(observed)
    if covariance_type == "full":
        return covariances[:, o[:, np.newaxis], o]  # (K, |o|, |o|)
    if covariance_type == "tied":
        return covariances[o[:, np.newaxis], o]  # (|o|, |o|)
    if covariance_type == "diag":
        return covariances[:, o]  # (K, |o|)
    return covariances  # "spherical": the same variance, fewer features


def _regression_coefficients(sigma_uo, prec_chol_oo):
    """A_k = Sigma_k,uo Sigma_k,oo^{-1} = Sigma_k,uo U_k U_k^T, (K, d_u, d_o).

    U_k is the precision Cholesky factor of Sigma_k,oo, as a full matrix.
    """
    W = sigma_uo @ prec_chol_oo  # (K, |u|, |o|)
    return W @ np.swapaxes(prec_chol_oo, 1, 2)


def _conditional_means(X_o, means_o, means_u, coefficients):
    """x_hat_u = mu_k,u + Sigma_k,uo Sigma_k,oo^{-1} (x_o - mu_k,o),
    eq. (11.2), for the rows of one pattern: shape (K, n_rows, d_u)."""
    residuals = X_o - means_o[:, np.newaxis, :]  # (K, n_rows, |o|)
    shift = residuals @ np.swapaxes(coefficients, 1, 2)  # (K, n_rows, |u|)
    return means_u[:, np.newaxis, :] + shift


def _schur_complement(sigma_uu, sigma_uo, prec_chol_oo):
    """C_uu = Sigma_k,uu - Sigma_k,uo Sigma_k,oo^{-1} Sigma_k,ou, eq. (11.3),
    written Sigma_k,uu - W W^T with W = Sigma_k,uo U_k: (K, d_u, d_u),
    symmetric."""
    W = sigma_uo @ prec_chol_oo  # (K, |u|, |o|)
    return sigma_uu - W @ np.swapaxes(W, 1, 2)


def _expectations(X, patterns, means, covariances, factors, covariance_type):
    """What a mixture says about the missing values of ``X``.

    ``patterns`` are :class:`gmm_teach.missing.Pattern`; ``factors`` the
    precision Cholesky factors of each pattern's Sigma_k,oo. Returns x_hat
    (K, n, d), row i of component k filled with its conditional means, and
    per pattern the conditional covariance of its missing block,
    (K, d_u, d_u).
    """
    kind = covariance.get(covariance_type)
    K, d = len(means), X.shape[1]
    sigma = kind.to_full(covariances, K, d)  # (K, d, d)
    X_hat = np.repeat(X[np.newaxis], K, axis=0)  # (K, n, d)
    schur = []
    for p, prec_chol_oo in zip(patterns, factors, strict=True):
        o, u = np.flatnonzero(p.observed), np.flatnonzero(~p.observed)
        U = kind.to_full(prec_chol_oo, K, o.size)  # (K, |o|, |o|)
        sigma_uo = sigma[:, u[:, np.newaxis], o]  # (K, |u|, |o|)
        A = _regression_coefficients(sigma_uo, U)
        X_o = X[p.rows[:, np.newaxis], o]  # (n_rows, |o|)
        X_hat[:, p.rows[:, np.newaxis], u] = _conditional_means(
            X_o, means[:, o], means[:, u], A
        )
        sigma_uu = sigma[:, u[:, np.newaxis], u]  # (K, |u|, |u|)
        schur.append(_schur_complement(sigma_uu, sigma_uo, U))
    return X_hat, schur


def conditional_covariances(covariances, covariance_type, observed):
    """Return C_k: the covariance of the missing coordinates given the rest.

    C_k,uu = Sigma_k,uu - Sigma_k,uo Sigma_k,oo^{-1} Sigma_k,ou (the Schur
    complement), the same for every row with this pattern; the other entries
    of C_k are zero, since observed values are known. For "diag" and
    "spherical" it is Sigma_k,uu itself.

    Parameters
    ----------
    covariances : array-like
        The covariances Sigma_k, shaped by ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}
        How the covariances are stored.
    observed : array-like of bool, shape (n_features,)
        True for the observed coordinates o; at least one.

    Returns
    -------
    C : ndarray of shape (n_components, n_features, n_features)
        One d x d matrix per component ("tied": one), zero outside the
        block of the missing coordinates.
    """
    kind = covariance.get(covariance_type)
    observed = np.asarray(observed)
    if observed.dtype != bool or observed.ndim != 1 or not observed.any():
        raise ValueError(
            "observed must be a 1-D boolean mask with at least one True, "
            f"got {observed!r}"
        )
    d = observed.size
    K = 1 if kind.shared else int(np.shape(covariances)[0])
    covariances = check_covariances(covariances, covariance_type, K, d)
    o, u = np.flatnonzero(observed), np.flatnonzero(~observed)
    block = marginal_covariances(covariances, covariance_type, observed)
    U = kind.to_full(cholesky_precisions(block, covariance_type), K, o.size)
    sigma = kind.to_full(covariances, K, d)  # (K, d, d)
    C = np.zeros((K, d, d))
    C[:, u[:, np.newaxis], u] = _schur_complement(
        sigma[:, u[:, np.newaxis], u], sigma[:, u[:, np.newaxis], o], U
    )
    return C
