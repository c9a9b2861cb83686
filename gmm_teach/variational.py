"""Variational inference for a Bayesian Gaussian mixture (chapter 12).

Bishop, *PRML* section 10.2, as scikit-learn's ``BayesianGaussianMixture``
computes it. The parameters get priors: the weights a Dirichlet
distribution Dir(alpha_0) or a stick-breaking process (weights
pi_k = v_k prod_{j<k} (1 - v_j), v_k ~ Beta(1, gamma), Blei and Jordan 2006,
eq. (12.1)); each component's precision Lambda_k a Wishart W(W_0, nu_0) and
its mean a Gaussian N(m_0, (beta_0 Lambda_k)^{-1}), eq. (12.2). The
variational posterior keeps these forms, and the loop alternates two steps,
like EM. Bishop's numbers (chapter 12 writes gamma for alpha, kappa for
beta, mu_0 and mu~_k for m_0 and m_k, omega for nu)::

    N_k, xbar_k, S_k: EM's statistics of r_ik (+ reg_covar)    10.51-10.53
    alpha_k = alpha_0 + N_k                                      10.58
    (a_k, b_k) = (1 + N_k, gamma + sum_{j>k} N_j)    the sticks' Betas
    beta_k = beta_0 + N_k                                        10.60
    m_k = (beta_0 m_0 + N_k xbar_k) / beta_k                     10.61
    W_k^{-1} = W_0^{-1} + N_k S_k
               + beta_0 N_k / beta_k (xbar_k - m_0)(xbar_k - m_0)^T  10.62
    nu_k = nu_0 + N_k                                            10.63
    E[(x - mu_k)^T Lambda_k (x - mu_k)]
        = d / beta_k + nu_k (x - m_k)^T W_k (x - m_k)            10.64
    E[ln det(Lambda_k)] = sum_i psi((nu_k + 1 - i) / 2) + d ln 2
                       + ln det(W_k)                                10.65
    E[ln pi_k] = psi(alpha_k) - psi(sum_j alpha_j)               10.66
    ln rho_ik = E[ln pi_k] + 1/2 E[ln det(Lambda_k)] - d/2 ln 2 pi
                - 1/2 E[(x_i - mu_k)^T Lambda_k (x_i - mu_k)]    10.46
    r_ik = rho_ik / sum_j rho_ij                                 10.49

As scikit-learn, the stored covariances are W_k^{-1} / nu_k, so that their
inverses, the precisions, are E[Lambda_k] = nu_k W_k; and ``reg_covar`` is
added to S_k, before the update 10.62. The other covariance types keep
W_k^{-1} in the type's form (a diagonal, one variance, one matrix shared
with nu = nu_0 + n / K), with the same formulas, as scikit-learn does.
These functions trust their arguments: the estimator
:class:`gmm_teach.BayesianGaussianMixture` checks the data and the priors
once per fit.
"""

import math
from typing import NamedTuple

import numpy as np

from gmm_teach import covariance
from gmm_teach.em import _COVARIANCE_ESTIMATORS, EPS, log_sum_exp
from gmm_teach.gaussian import log_gaussian_density_cholesky
from gmm_teach.special import digamma

#: The two priors of the weights, scikit-learn's names.
PRIOR_TYPES = ("dirichlet_process", "dirichlet_distribution")


class Priors(NamedTuple):
    """The priors' parameters (scikit-learn's ``*_prior_`` attributes).

    Parameters
    ----------
    weight_concentration : float
        The concentration gamma of the sticks' Beta(1, gamma), or alpha_0
        of Dir(alpha_0).
    mean_precision : float
        The mean precision beta_0: the means' prior precision is
        beta_0 Lambda_k.
    mean : ndarray of shape (n_features,)
        The prior mean m_0 of every mu_k.
    degrees_of_freedom : float
        The degrees of freedom nu_0 of the Wishart prior, > n_features - 1.
    covariance : ndarray or float
        W_0^{-1}, the inverse of the Wishart's scale matrix, in the form of
        the covariance type.
    """

    weight_concentration: float
    mean_precision: float
    mean: np.ndarray
    degrees_of_freedom: float
    covariance: np.ndarray


class Posterior(NamedTuple):
    """The variational posterior's parameters (scikit-learn's attributes).

    Parameters
    ----------
    weight_concentration : ndarray or tuple of ndarray
        The Dirichlet's alpha_k, shape (n_components,); or the sticks'
        (a_k, b_k).
    mean_precision : ndarray of shape (n_components,)
        The mean precisions beta_k.
    means : ndarray of shape (n_components, n_features)
        The means m_k.
    degrees_of_freedom : ndarray of shape (n_components,) or float
        The degrees of freedom nu_k (one number for "tied").
    covariances : ndarray
        W_k^{-1} / nu_k, shaped by the covariance type.
    precisions_cholesky : ndarray
        The Cholesky factors of nu_k W_k, shaped as ``covariances``.
    """

    weight_concentration: object
    mean_precision: np.ndarray
    means: np.ndarray
    degrees_of_freedom: object
    covariances: np.ndarray
    precisions_cholesky: np.ndarray


# ------------------------------------------------------------ the priors


def default_priors(X, n_components, covariance_type):
    """Return scikit-learn's default priors for the data ``X``.

    gamma (or alpha_0) = 1 / K, beta_0 = 1, m_0 the mean of ``X``,
    nu_0 = d, and W_0^{-1} the sample covariance of ``X`` (ddof=1) in the
    form of the covariance type: the matrix ("full", "tied"), its diagonal
    ("diag"), the mean of its diagonal ("spherical").

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The data, at least 2 samples.
    n_components : int
        The number of components K.
    covariance_type : {"full", "tied", "diag", "spherical"}
        The covariance type.

    Returns
    -------
    priors : Priors
        The default priors.
    """
    if covariance_type in ("full", "tied"):
        prior_covariance = np.atleast_2d(np.cov(X.T))
    else:
        prior_covariance = np.var(X, axis=0, ddof=1)
        if covariance_type == "spherical":
            prior_covariance = prior_covariance.mean()
    return Priors(
        1.0 / n_components, 1.0, X.mean(axis=0), X.shape[1], prior_covariance
    )


# ------------------------------------------------------------ the M-step


def gaussian_statistics(X, resp, covariance_type, reg_covar):
    """Return EM's statistics N_k, xbar_k and S_k (+ ``reg_covar``).

    Bishop 10.51-10.53; the same as EM's M-step (chapter 4). N_k gets
    10 machine epsilons, so that an empty component stays finite.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The data.
    resp : ndarray of shape (n_samples, n_components)
        The responsibilities r_ik.
    covariance_type : {"full", "tied", "diag", "spherical"}
        The form of S_k.
    reg_covar : float
        Added to the diagonal of every S_k.

    Returns
    -------
    nk : ndarray of shape (n_components,)
        N_k = sum_i r_ik.
    xk : ndarray of shape (n_components, n_features)
        The component means xbar_k = sum_i r_ik x_i / N_k.
    sk : ndarray
        S_k, the responsibility-weighted covariances, shaped by the type.
    """
    nk = resp.sum(axis=0) + 10 * EPS
    xk = resp.T @ X / nk[:, np.newaxis]
    sk = _COVARIANCE_ESTIMATORS[covariance_type](X, resp, nk, xk)
    return nk, xk, covariance.get(covariance_type).add_reg_covar(sk, reg_covar)


def dirichlet_concentration(nk, prior):
    """Return alpha_k = alpha_0 + N_k, eq. (12.5) (Bishop 10.58).

    Parameters
    ----------
    nk : ndarray of shape (n_components,)
        N_k.
    prior : float
        The concentration alpha_0.

    Returns
    -------
    alpha : ndarray of shape (n_components,)
        The posterior Dirichlet's parameters.
    """
    return prior + nk


def stick_concentration(nk, prior):
    """Return the sticks' Beta(a_k, b_k): a_k = 1 + N_k, b_k = gamma + N_{>k}.

    Eq. (12.7), Blei and Jordan (2006): v_k takes the N_k points of
    component k, and
    1 - v_k the N_{>k} = sum_{j>k} N_j points of the later ones. The last
    stick has N_{>K} = 0, as in scikit-learn.

    Parameters
    ----------
    nk : ndarray of shape (n_components,)
        N_k.
    prior : float
        The concentration gamma of the sticks' prior Beta(1, gamma).

    Returns
    -------
    concentration : tuple of ndarray
        (a, b), each of shape (n_components,).
    """
    later = np.hstack((np.cumsum(nk[::-1])[-2::-1], 0))  # N_>k
    return 1.0 + nk, prior + later


def mean_posterior(nk, xk, mean_precision_prior, mean_prior):
    """Return beta_k = beta_0 + N_k and m_k, eq. (12.8) (Bishop 10.60, 10.61).

    m_k = (beta_0 m_0 + N_k xbar_k) / beta_k: the prior mean counts as
    beta_0 points.

    Parameters
    ----------
    nk : ndarray of shape (n_components,)
        N_k.
    xk : ndarray of shape (n_components, n_features)
        The component means xbar_k.
    mean_precision_prior : float
        The mean precision beta_0.
    mean_prior : ndarray of shape (n_features,)
        The prior mean m_0.

    Returns
    -------
    beta : ndarray of shape (n_components,)
        The mean precisions beta_k.
    means : ndarray of shape (n_components, n_features)
        The means m_k.
    """
    beta = mean_precision_prior + nk
    weighted = mean_precision_prior * mean_prior + nk[:, np.newaxis] * xk
    return beta, weighted / beta[:, np.newaxis]


def degrees_of_freedom(nk, prior, covariance_type):
    """Return nu_k = nu_0 + N_k, eq. (12.10) (Bishop 10.63).

    "tied" has one nu = nu_0 + n / K, as in scikit-learn.

    Parameters
    ----------
    nk : ndarray of shape (n_components,)
        N_k.
    prior : float
        The degrees of freedom nu_0.
    covariance_type : {"full", "tied", "diag", "spherical"}
        The covariance type.

    Returns
    -------
    nu : ndarray of shape (n_components,) or float
        The degrees of freedom nu_k.
    """
    if covariance_type == "tied":
        return prior + nk.sum() / len(nk)
    return prior + nk


def _spread(nk, xk, beta, priors):
    """(xbar_k - m_0) and beta_0 N_k / beta_k, the last term of 10.62."""
    return xk - priors.mean, nk * priors.mean_precision / beta


def _wishart_full(nk, xk, sk, beta, priors):
    """W_k^{-1} = W_0^{-1} + N_k S_k + beta_0 N_k / beta_k (xbar_k - m_0)
    (xbar_k - m_0)^T, Bishop 10.62: (K, d, d)."""
    diff, shrink = _spread(nk, xk, beta, priors)
    outer = diff[:, :, np.newaxis] * diff[:, np.newaxis, :]  # (K, d, d)
    return (
        priors.covariance
        + nk[:, np.newaxis, np.newaxis] * sk
        + shrink[:, np.newaxis, np.newaxis] * outer
    )


def _wishart_tied(nk, xk, sk, beta, priors):
    # the average over k of the K full updates, as in scikit-learn
    diff, shrink = _spread(nk, xk, beta, priors)
    K = len(nk)
    return priors.covariance + sk * nk.sum() / K + (shrink * diff.T) @ diff / K


def _wishart_diag(nk, xk, sk, beta, priors):
    diff, shrink = _spread(nk, xk, beta, priors)
    return (
        priors.covariance
        + nk[:, np.newaxis] * sk
        + (shrink[:, np.newaxis] * np.square(diff))
    )


def _wishart_spherical(nk, xk, sk, beta, priors):
    diff, shrink = _spread(nk, xk, beta, priors)
    return (
        priors.covariance + nk * sk + shrink * np.mean(np.square(diff), axis=1)
    )


_WISHART_UPDATES = {
    "full": _wishart_full,
    "tied": _wishart_tied,
    "diag": _wishart_diag,
    "spherical": _wishart_spherical,
}


def wishart_scale_inverse(nk, xk, sk, beta, priors, covariance_type):
    """Return W_k^{-1} of the posterior Wishart, eq. (12.10) (Bishop 10.62).

    W_k^{-1} = W_0^{-1} + N_k S_k + beta_0 N_k / beta_k (xbar_k - m_0)
    (xbar_k - m_0)^T: the prior's scale, the scatter of the component's
    points, and how far their mean is from the prior mean. The other types
    keep the diagonal ("diag"), the mean of the diagonal ("spherical"), or
    average the K matrices ("tied").

    Parameters
    ----------
    nk : ndarray of shape (n_components,)
        N_k.
    xk : ndarray of shape (n_components, n_features)
        The component means xbar_k.
    sk : ndarray
        S_k (with ``reg_covar``), shaped by the type.
    beta : ndarray of shape (n_components,)
        The mean precisions beta_k.
    priors : Priors
        The priors (m_0, beta_0, W_0^{-1} are used).
    covariance_type : {"full", "tied", "diag", "spherical"}
        The covariance type.

    Returns
    -------
    scale_inverse : ndarray
        W_k^{-1}, shaped by the type.
    """
    return _WISHART_UPDATES[covariance_type](nk, xk, sk, beta, priors)


def m_step(statistics, priors, covariance_type, prior_type):
    """Return the variational posterior of the parameters given r_ik.

    Bishop 10.58-10.63 from the statistics (N_k, xbar_k, S_k) of
    :func:`gaussian_statistics`; the covariances stored are
    W_k^{-1} / nu_k, whose inverses are E[Lambda_k] = nu_k W_k.

    Parameters
    ----------
    statistics : tuple of ndarray
        (N_k, xbar_k, S_k).
    priors : Priors
        The priors.
    covariance_type : {"full", "tied", "diag", "spherical"}
        The covariance type.
    prior_type : {"dirichlet_process", "dirichlet_distribution"}
        The weights' prior.

    Returns
    -------
    posterior : Posterior
        The updated posterior.
    """
    nk, xk, sk = statistics
    if prior_type == "dirichlet_process":
        concentration = stick_concentration(nk, priors.weight_concentration)
    else:
        concentration = dirichlet_concentration(
            nk, priors.weight_concentration
        )
    beta, means = mean_posterior(nk, xk, priors.mean_precision, priors.mean)
    nu = degrees_of_freedom(nk, priors.degrees_of_freedom, covariance_type)
    scale_inverse = wishart_scale_inverse(
        nk, xk, sk, beta, priors, covariance_type
    )
    # W_k^{-1} / nu_k: nu_k against its matrix, variances or variance
    per_component = (-1,) + (1,) * (scale_inverse.ndim - 1)
    covariances = scale_inverse / np.reshape(nu, per_component)
    prec_chol = covariance.get(covariance_type).cholesky_precisions(
        covariances
    )
    return Posterior(concentration, beta, means, nu, covariances, prec_chol)


# ------------------------------------------------------------ the E-step


def expected_log_weights_dirichlet(alpha):
    """Return E[ln pi_k] = psi(alpha_k) - psi(sum_j alpha_j), eq. (12.6).

    Bishop 10.66.

    Parameters
    ----------
    alpha : ndarray of shape (n_components,)
        The posterior Dirichlet's parameters.

    Returns
    -------
    log_weights : ndarray of shape (n_components,)
        E[ln pi_k].
    """
    return digamma(alpha) - digamma(np.sum(alpha))


def expected_log_weights_stick(concentration):
    """Return E[ln pi_k] for stick-breaking weights pi_k = v_k prod (1-v_j).

    E[ln pi_k] = E[ln v_k] + sum_{j<k} E[ln(1 - v_j)], with
    v_k ~ Beta(a_k, b_k): E[ln v_k] = psi(a_k) - psi(a_k + b_k) and
    E[ln(1 - v_k)] = psi(b_k) - psi(a_k + b_k).

    Parameters
    ----------
    concentration : tuple of ndarray
        The sticks' (a_k, b_k), each of shape (n_components,).

    Returns
    -------
    log_weights : ndarray of shape (n_components,)
        E[ln pi_k].
    """
    a, b = concentration
    digamma_sum = digamma(a + b)
    log_stick = digamma(a) - digamma_sum  # E[ln v_k]
    log_rest = digamma(b) - digamma_sum  # E[ln(1 - v_k)]
    return log_stick + np.hstack((0, np.cumsum(log_rest)[:-1]))


def expected_log_weights(concentration, prior_type):
    """Return E[ln pi_k] under either prior of the weights.

    Parameters
    ----------
    concentration : ndarray or tuple of ndarray
        The Dirichlet's alpha_k, or the sticks' (a_k, b_k).
    prior_type : {"dirichlet_process", "dirichlet_distribution"}
        The weights' prior.

    Returns
    -------
    log_weights : ndarray of shape (n_components,)
        E[ln pi_k].
    """
    if prior_type == "dirichlet_process":
        return expected_log_weights_stick(concentration)
    return expected_log_weights_dirichlet(concentration)


def wishart_log_det_gap(nu, n_features):
    """Return E[ln det(Lambda)] - ln det(E[Lambda]) for Lambda ~ W(W, nu).

    Bishop 10.65 gives E[ln det(Lambda)] = sum_{i=1}^d psi((nu + 1 - i) / 2)
    + d ln 2 + ln det(W), and E[Lambda] = nu W, so the difference is
    sum_i psi((nu + 1 - i) / 2) + d ln 2 - d ln nu, which does not depend
    on W and is negative (Jensen's inequality).

    Parameters
    ----------
    nu : ndarray of shape (n_components,) or float
        The degrees of freedom nu_k, each > d - 1.
    n_features : int
        The number of features d.

    Returns
    -------
    gap : ndarray of shape (n_components,) or (1,)
        The difference for each nu_k.
    """
    shifted = 0.5 * (nu - np.arange(n_features)[:, np.newaxis])  # (d, K)
    digammas = np.sum(digamma(shifted), axis=0)
    return n_features * math.log(2.0) + digammas - n_features * np.log(nu)


def expected_log_gaussian(X, posterior, covariance_type):
    """Return E[ln N(x_i | mu_k, Lambda_k^{-1})] under the posterior.

    Eq. (12.11); Bishop 10.64 and 10.65 in 10.46: the Gaussian density at the
    posterior mean m_k and precision E[Lambda_k] = nu_k W_k, plus half
    the gap E[ln det(Lambda_k)] - ln det(E[Lambda_k])
    (:func:`wishart_log_det_gap`) and minus d / (2 beta_k), the uncertainty
    of mu_k.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The data.
    posterior : Posterior
        The variational posterior.
    covariance_type : {"full", "tied", "diag", "spherical"}
        The covariance type.

    Returns
    -------
    log_density : ndarray of shape (n_samples, n_components)
        The expected log-density of every sample under every component.
    """
    d = X.shape[1]
    plug_in = log_gaussian_density_cholesky(
        X, posterior.means, posterior.precisions_cholesky, covariance_type
    )
    gap = wishart_log_det_gap(posterior.degrees_of_freedom, d)
    return plug_in + 0.5 * (gap - d / posterior.mean_precision)


def weighted_log_prob(X, posterior, covariance_type, prior_type):
    """Return ln rho_ik = E[ln pi_k] + E[ln N(x_i | ...)], Bishop 10.46.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The data.
    posterior : Posterior
        The variational posterior.
    covariance_type : {"full", "tied", "diag", "spherical"}
        The covariance type.
    prior_type : {"dirichlet_process", "dirichlet_distribution"}
        The weights' prior.

    Returns
    -------
    log_rho : ndarray of shape (n_samples, n_components)
        The unnormalised log-responsibilities.
    """
    log_weights = expected_log_weights(
        posterior.weight_concentration, prior_type
    )
    return expected_log_gaussian(X, posterior, covariance_type) + log_weights


def e_step(X, posterior, covariance_type, prior_type):
    """Return the log-responsibilities ln r_ik, eq. (12.4) (Bishop 10.49).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The data.
    posterior : Posterior
        The variational posterior.
    covariance_type : {"full", "tied", "diag", "spherical"}
        The covariance type.
    prior_type : {"dirichlet_process", "dirichlet_distribution"}
        The weights' prior.

    Returns
    -------
    log_resp : ndarray of shape (n_samples, n_components)
        The values ln r_ik = ln rho_ik - ln sum_j rho_ij.
    """
    log_rho = weighted_log_prob(X, posterior, covariance_type, prior_type)
    return log_rho - log_sum_exp(log_rho)[:, np.newaxis]


def expected_weights(concentration, prior_type):
    """Return scikit-learn's ``weights_``: E[pi_k], normalised.

    alpha_k / sum_j alpha_j for the Dirichlet (Bishop B.17); for the sticks,
    E[v_k] prod_{j<k} E[1 - v_j], divided by their sum (the truncated
    sticks leave some weight after the last component).

    Parameters
    ----------
    concentration : ndarray or tuple of ndarray
        The Dirichlet's alpha_k, or the sticks' (a_k, b_k).
    prior_type : {"dirichlet_process", "dirichlet_distribution"}
        The weights' prior.

    Returns
    -------
    weights : ndarray of shape (n_components,)
        Nonnegative, summing to one.
    """
    if prior_type == "dirichlet_process":
        a, b = concentration
        total = a + b
        rest = b / total  # E[1 - v_k]
        weights = a / total * np.hstack((1, np.cumprod(rest[:-1])))
        return weights / np.sum(weights)
    return concentration / np.sum(concentration)
