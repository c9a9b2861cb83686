"""The variational lower bound of a Bayesian Gaussian mixture (chapter 12).

Two bounds. :func:`lower_bound` is scikit-learn's: evaluated after each
M-step, with the terms that stay constant left out, a total over the
samples; ``BayesianGaussianMixture`` stops when it changes by less than
``tol``. :func:`full_lower_bound` is Bishop's, every term of PRML 10.70::

    L = E[ln p(X | Z, mu, Lambda)] + E[ln p(Z | pi)] + E[ln p(pi)]
        + E[ln p(mu, Lambda)] - E[ln q(Z)] - E[ln q(pi)]
        - E[ln q(mu, Lambda)]                             10.71-10.77

(for the stick-breaking prior, the Beta distributions of the sticks take
the place of the Dirichlet in E[ln p(pi)] and E[ln q(pi)]). After an
M-step without ``reg_covar`` the posterior of the parameters is the best
one for the responsibilities, and the two bounds then differ by
:func:`bound_gap`, which depends on the priors, K, d and n only: the
normalisers of the priors and the ln 2 pi of the Gaussians
(``tests/test_bayesian.py`` checks it for every covariance type and both
priors). The functions trust their arguments.
"""

import math

import numpy as np

from gmm_teach import covariance
from gmm_teach.special import betaln, digamma, gammaln
from gmm_teach.variational import expected_log_weights, wishart_log_det_gap

LOG_2PI = math.log(2 * math.pi)


# ------------------------------------------------------ scikit-learn's bound
def log_wishart_norm(nu, half_log_det_scale, n_features):
    """Return ln B(W, nu) + d (d - 1) / 4 ln pi, Bishop B.79.

    ln B(W, nu) = -nu/2 ln det(W) - nu d / 2 ln 2 - d (d - 1) / 4 ln pi
    - sum_{i=1}^d ln Gamma((nu + 1 - i) / 2); scikit-learn leaves out the
    ln pi term, a constant.

    Parameters
    ----------
    nu : ndarray of shape (n_components,) or float
        The degrees of freedom.
    half_log_det_scale : ndarray of shape (n_components,) or float
        1/2 ln det(W) of each scale matrix.
    n_features : int
        The number of features d.

    Returns
    -------
    log_norm : ndarray of shape (n_components,) or (1,)
        The log-normaliser without its ln pi term.
    """
    shifted = 0.5 * (nu - np.arange(n_features)[:, np.newaxis])
    return -(
        nu * half_log_det_scale
        + nu * n_features * 0.5 * math.log(2.0)
        + np.sum(gammaln(shifted), axis=0)
    )


def half_log_det_scale(posterior, covariance_type, n_features):
    """Return 1/2 ln det(W_k) from the Cholesky factors of nu_k W_k.

    Parameters
    ----------
    posterior : Posterior
        The variational posterior.
    covariance_type : {"full", "tied", "diag", "spherical"}
        The covariance type.
    n_features : int
        The number of features d.

    Returns
    -------
    half_log_det : ndarray of shape (n_components,) or float
        1/2 ln det(W_k) = sum_j ln U_jj - d/2 ln nu_k.
    """
    kind = covariance.get(covariance_type)
    log_det = kind.log_det_cholesky(posterior.precisions_cholesky, n_features)
    return log_det - 0.5 * n_features * np.log(posterior.degrees_of_freedom)


def log_weight_norm(concentration, prior_type):
    """Return the log-normaliser of the weights' posterior.

    ln C(alpha) = ln Gamma(sum_k alpha_k) - sum_k ln Gamma(alpha_k) for the
    Dirichlet (Bishop B.23); -sum_k ln B(a_k, b_k) for the sticks' Betas.

    Parameters
    ----------
    concentration : ndarray or tuple of ndarray
        The Dirichlet's alpha_k, or the sticks' (a_k, b_k).
    prior_type : {"dirichlet_process", "dirichlet_distribution"}
        The weights' prior.

    Returns
    -------
    log_norm : float
        The log-normaliser.
    """
    if prior_type == "dirichlet_process":
        return -np.sum(betaln(*concentration))
    alpha = concentration
    return gammaln(np.sum(alpha)) - np.sum(gammaln(alpha))


def lower_bound(log_resp, posterior, covariance_type, prior_type):
    """Return scikit-learn's lower bound, a total over the samples.

    The variational bound B of eq. (12.3) after an M-step, with its
    constant terms left out: -sum_ik r_ik ln r_ik - sum_k ln B(W_k, nu_k)
    - ln C(weights) - d/2 sum_k ln beta_k (constants in d, K, n and the
    priors dropped).
    ``BayesianGaussianMixture`` stops when it changes by less than ``tol``;
    ``tests/test_bayesian.py`` checks that it differs from the full bound
    (:func:`full_lower_bound`) by a constant, :func:`bound_gap`.

    Parameters
    ----------
    log_resp : ndarray of shape (n_samples, n_components)
        The log-responsibilities ln r_ik of the E-step before the M-step.
    posterior : Posterior
        The posterior after that M-step.
    covariance_type : {"full", "tied", "diag", "spherical"}
        The covariance type.
    prior_type : {"dirichlet_process", "dirichlet_distribution"}
        The weights' prior.

    Returns
    -------
    bound : float
        The simplified lower bound.
    """
    d = posterior.means.shape[1]
    nu = posterior.degrees_of_freedom
    half_log_det = half_log_det_scale(posterior, covariance_type, d)
    log_wishart = log_wishart_norm(nu, half_log_det, d)
    if covariance_type == "tied":  # one W, counted once per component
        log_wishart = len(posterior.means) * np.float64(log_wishart[0])
    else:
        log_wishart = np.sum(log_wishart)
    entropy = -np.sum(np.exp(log_resp) * log_resp)
    return float(
        entropy
        - log_wishart
        - log_weight_norm(posterior.weight_concentration, prior_type)
        - 0.5 * d * np.sum(np.log(posterior.mean_precision))
    )


# ------------------------------------------------------ Bishop's full bound


def log_wishart_normaliser(scale_inverse, nu):
    """Return ln B(W, nu) of a Wishart W(W, nu), Bishop B.79.

    ln B(W, nu) = -nu/2 ln det(W) - nu d / 2 ln 2 - d (d - 1) / 4 ln pi
    - sum_{i=1}^d ln Gamma((nu + 1 - i) / 2).

    Parameters
    ----------
    scale_inverse : ndarray of shape (n_features, n_features)
        W^{-1}.
    nu : float
        The degrees of freedom, > d - 1.

    Returns
    -------
    log_norm : float
        The value ln B(W, nu).
    """
    d = len(scale_inverse)
    half_log_det = -0.5 * np.linalg.slogdet(scale_inverse)[1]  # 1/2 ln |W|
    without_pi = log_wishart_norm(nu, half_log_det, d)[0]
    return float(without_pi - d * (d - 1) / 4 * math.log(math.pi))


def _prior_scale_inverse(priors, covariance_type, n_features):
    """W_0^{-1} as a (d, d) matrix."""
    prior = np.asarray(priors.covariance, dtype=float)
    if covariance_type == "diag":
        return np.diag(prior)
    if covariance_type == "spherical":
        return prior * np.eye(n_features)
    return prior


def _quadratic(matrices, vectors):
    """v_k^T A_k v_k for every k: (K, d, d) and (K, d) to (K,)."""
    return np.einsum("kij,ki,kj->k", matrices, vectors, vectors)


def _weights_terms(log_resp, concentration, priors, prior_type):
    """E[ln p(Z | pi)] + E[ln p(pi)] - E[ln q(pi)], Bishop 10.72, 10.73,
    10.76 (the sticks' Betas for the stick-breaking prior)."""
    nk = np.exp(log_resp).sum(axis=0)
    log_pi = expected_log_weights(concentration, prior_type)
    gamma = priors.weight_concentration
    if prior_type == "dirichlet_distribution":
        alpha = concentration
        K = len(alpha)
        log_c0 = gammaln(K * gamma) - K * gammaln(gamma)  # ln C(alpha_0)
        log_p = log_c0 + (gamma - 1) * np.sum(log_pi)  # 10.73
        log_q = np.sum((alpha - 1) * log_pi) + log_weight_norm(
            alpha, prior_type
        )
        return np.sum(nk * log_pi) + log_p - log_q
    a, b = concentration
    log_v = digamma(a) - digamma(a + b)  # E[ln v_k]
    log_rest = digamma(b) - digamma(a + b)  # E[ln(1 - v_k)]
    # Beta(1, gamma): ln C = -ln B(1, gamma) = ln gamma
    log_p = np.sum(math.log(gamma) + (gamma - 1) * log_rest)
    log_q = np.sum((a - 1) * log_v + (b - 1) * log_rest - betaln(a, b))
    return np.sum(nk * log_pi) + log_p - log_q


def full_lower_bound(
    log_resp, statistics, posterior, priors, covariance_type, prior_type
):
    """Return Bishop's variational lower bound, every term, 10.70-10.77.

    Not in scikit-learn, whose bound (:func:`lower_bound`) leaves out the
    terms that do not change during a fit. This one is a lower bound on
    ln p(X), the log-evidence of Bishop's model (one precision matrix per
    component, W_0^{-1} the prior's ``covariance_prior`` as a d x d
    matrix), and can be compared across data sets and priors. The other
    covariance types restrict q(Lambda_k) to Wisharts whose W_k is
    diagonal ("diag"), a multiple of the identity ("spherical") or the
    same for every k ("tied"); the bound of a restricted q is still a
    lower bound on ln p(X). The Gaussian terms use the statistics without
    ``reg_covar``: the true scatter S_k of the points.

    Parameters
    ----------
    log_resp : ndarray of shape (n_samples, n_components)
        The log-responsibilities ln r_ik of the E-step before the M-step.
    statistics : tuple of ndarray
        (N_k, xbar_k, S_k) of those responsibilities, S_k without
        ``reg_covar``.
    posterior : Posterior
        The posterior after that M-step.
    priors : Priors
        The priors.
    covariance_type : {"full", "tied", "diag", "spherical"}
        The covariance type; W_k keeps its form.
    prior_type : {"dirichlet_process", "dirichlet_distribution"}
        The weights' prior.

    Returns
    -------
    bound : float
        The lower bound L on ln p(X).
    """
    nk, xk, sk = statistics
    K, d = posterior.means.shape
    kind = covariance.get(covariance_type)
    nu = np.broadcast_to(posterior.degrees_of_freedom, (K,))
    beta, means = posterior.mean_precision, posterior.means
    prec_chol = posterior.precisions_cholesky
    # ln |E[Lambda_k]| = ln |nu_k W_k|, then E[ln |Lambda_k|], 10.65
    log_det_mean = np.broadcast_to(2 * kind.log_det_cholesky(prec_chol, d), K)
    e_log_det = wishart_log_det_gap(nu, d) + log_det_mean
    W = kind.to_full(kind.precisions(prec_chol), K, d) / nu[:, None, None]
    log_B = log_wishart_norm(nu, 0.5 * (log_det_mean - d * np.log(nu)), d)
    log_B = log_B - d * (d - 1) / 4 * math.log(math.pi)  # ln B(W_k, nu_k)
    scatter = kind.to_full(sk, K, d)
    # 10.71: E[ln p(X | Z, mu, Lambda)]
    log_lik = 0.5 * np.sum(
        nk
        * (
            e_log_det
            - d / beta
            - nu * np.einsum("kij,kji->k", scatter, W)  # Tr(S_k W_k)
            - nu * _quadratic(W, xk - means)
            - d * LOG_2PI
        )
    )
    # 10.74: E[ln p(mu, Lambda)]
    beta0, nu0 = priors.mean_precision, priors.degrees_of_freedom
    prior_inverse = _prior_scale_inverse(priors, covariance_type, d)
    log_p_gauss = 0.5 * np.sum(
        d * math.log(beta0 / (2 * math.pi))
        + e_log_det
        - d * beta0 / beta
        - beta0 * nu * _quadratic(W, means - priors.mean)
    )
    log_p_wishart = (
        K * log_wishart_normaliser(prior_inverse, nu0)
        + 0.5 * (nu0 - d - 1) * np.sum(e_log_det)
        - 0.5 * np.sum(nu * np.einsum("ij,kji->k", prior_inverse, W))
    )
    # 10.77: E[ln q(mu, Lambda)], with the Wishart entropy of B.82
    entropy = -log_B - 0.5 * (nu - d - 1) * e_log_det + 0.5 * nu * d
    log_q_params = np.sum(
        0.5 * e_log_det
        + 0.5 * d * np.log(beta / (2 * math.pi))
        - 0.5 * d
        - entropy
    )
    log_q_z = np.sum(np.exp(log_resp) * log_resp)  # 10.75
    weights = _weights_terms(
        log_resp, posterior.weight_concentration, priors, prior_type
    )
    return float(
        log_lik
        + weights
        + log_p_gauss
        + log_p_wishart
        - log_q_params
        - log_q_z
    )


def bound_gap(priors, n_samples, n_components, covariance_type, prior_type):
    """Return the full bound minus scikit-learn's, after an M-step.

    Not in scikit-learn. When the posterior of the parameters is the best
    for the responsibilities (an M-step without ``reg_covar``), the full
    bound is -sum r ln r minus the log-normalisers of the posteriors plus
    those of the priors (conjugacy); scikit-learn's keeps the first two
    only. The difference::

        ln C_0 + K ln B(W_0, nu_0) + K d (d - 1) / 4 ln pi
        + K d / 2 ln beta_0 - n d / 2 ln 2 pi

    with ln C_0 = ln Gamma(K alpha_0) - K ln Gamma(alpha_0) for the
    Dirichlet and K ln gamma for the sticks' Beta(1, gamma).

    Parameters
    ----------
    priors : Priors
        The priors.
    n_samples : int
        The number of samples n.
    n_components : int
        K.
    covariance_type : {"full", "tied", "diag", "spherical"}
        The covariance type.
    prior_type : {"dirichlet_process", "dirichlet_distribution"}
        The weights' prior.

    Returns
    -------
    gap : float
        The constant difference.
    """
    K, d = n_components, len(priors.mean)
    gamma = priors.weight_concentration
    if prior_type == "dirichlet_process":
        log_c0 = K * math.log(gamma)
    else:
        log_c0 = gammaln(K * gamma) - K * gammaln(gamma)
    prior_inverse = _prior_scale_inverse(priors, covariance_type, d)
    log_b0 = log_wishart_normaliser(prior_inverse, priors.degrees_of_freedom)
    return float(
        log_c0
        + K * log_b0
        + K * d * (d - 1) / 4 * math.log(math.pi)
        + 0.5 * K * d * math.log(priors.mean_precision)
        - 0.5 * n_samples * d * LOG_2PI
    )
