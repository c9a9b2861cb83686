"""EM in one dimension with scalar variances (chapter 5), equation by equation.

The data are a 1-D array x of n numbers; component k has weight pi_k, mean
mu_k and variance sigma_k^2. Every array of parameters has shape (K,). The
equations, numbered as the book shows them::

    N(x | mu, sigma^2) = exp(-(x - mu)^2 / (2 sigma^2))
                         / sqrt(2 pi sigma^2)                       eq. (5.1)
    r_ik = pi_k N(x_i | mu_k, sigma_k^2)
           / sum_j pi_j N(x_i | mu_j, sigma_j^2)                    eq. (5.2)
    N_k  = sum_i r_ik,   pi_k = N_k / n                             eq. (5.3)
    mu_k = sum_i r_ik x_i / N_k                                     eq. (5.4)
    sigma_k^2 = sum_i r_ik (x_i - mu_k)^2 / N_k                     eq. (5.5)
"""

import numpy as np

from gmm_teach._validation import (
    check_array,
    check_finite,
    check_responsibility_array,
    check_samples,
    check_weights,
)
from gmm_teach.em import EPS, check_loop_options, log_sum_exp, run_em


def check_parameters_1d(x, weights, means, variances):
    """Check 1-D data and the parameters of a 1-D mixture together.

    Parameters
    ----------
    x : array-like of shape (n_samples,)
        The data, one number per sample.
    weights : array-like of shape (n_components,)
        The mixing weights pi_k, nonnegative, summing to one.
    means : array-like of shape (n_components,)
        The component means mu_k.
    variances : array-like of shape (n_components,)
        The variances sigma_k^2 (not the standard deviations), > 0.

    Returns
    -------
    x : ndarray of shape (n_samples,)
        The data as float64.
    weights : ndarray of shape (n_components,)
        The weights as float64.
    means : ndarray of shape (n_components,)
        The means as float64.
    variances : ndarray of shape (n_components,)
        The variances as float64.
    """
    x = check_array(x, "x", ndim=1)
    means = check_array(means, "means", ndim=1)
    weights = check_weights(weights, len(means))
    variances = check_array(variances, "variances", ndim=1)
    if variances.shape != means.shape:
        raise ValueError(
            f"variances must have shape {means.shape} like means, "
            f"got {variances.shape}"
        )
    if np.any(variances <= 0):
        raise ValueError(
            f"variances must be > 0, got min {variances.min():.3g}: a "
            "component has lost its points or collapsed onto one. Start "
            "elsewhere, or use gmm_teach.em.em, whose reg_covar keeps "
            "variances positive."
        )
    return x, weights, means, variances


def log_normal_pdf(x, mean, variance):
    """Return log N(x | mu, sigma^2), the logarithm of eq. (5.1); broadcasts.

    Unchecked: :func:`normal_pdf` is the checked density.

    Parameters
    ----------
    x : float or ndarray
        The points.
    mean : float or ndarray
        The mean mu.
    variance : float or ndarray
        The variance sigma^2, > 0.

    Returns
    -------
    log_density : float or ndarray
        The log-density, broadcast from the arguments.
    """
    return -0.5 * (np.log(2 * np.pi * variance) + (x - mean) ** 2 / variance)


def normal_pdf(x, mean, variance):
    """Return the normal density N(x | mu, sigma^2), eq. (5.1) of chapter 5.

    With mean mu and VARIANCE sigma^2.

    Parameters
    ----------
    x : float or array-like
        The points.
    mean : float or array-like
        The mean mu.
    variance : float or array-like
        The variance sigma^2, not the standard deviation sigma. Must be > 0.

    Returns
    -------
    density : float or ndarray
        The density, broadcast from the arguments.
    """
    x, mean, variance = (
        check_finite(x, "x"),
        check_finite(mean, "mean"),
        check_finite(variance, "variance"),
    )
    if np.any(variance <= 0):
        raise ValueError(
            "variance must be > 0 (it is sigma^2, not sigma), "
            f"got min {variance.min():.3g}"
        )
    return np.exp(log_normal_pdf(x, mean, variance))


def _e_step(x, weights, means, variances):
    # a weight of 0 gives log 0 = -inf, so r_ik = 0
    with np.errstate(divide="ignore"):
        log_weights = np.log(weights)
    log_densities = log_normal_pdf(x[:, np.newaxis], means, variances)
    log_joint = log_weights + log_densities  # (n, K)
    log_evidence = log_sum_exp(log_joint)  # (n,) log p(x_i)
    resp = np.exp(log_joint - log_evidence[:, np.newaxis])  # eq. (5.2)
    return resp, float(log_evidence.sum())


def e_step(x, weights, means, variances):
    """Compute the E-step in 1-D: responsibilities r_ik, in log space.

    Chapter 5, eq. (5.2).

    Parameters
    ----------
    x : array-like of shape (n_samples,)
        The data, one number per sample.
    weights : array-like of shape (n_components,)
        The mixing weights pi_k, nonnegative, summing to one.
    means : array-like of shape (n_components,)
        The component means mu_k.
    variances : array-like of shape (n_components,)
        The variances sigma_k^2 (not the standard deviations), > 0.

    Returns
    -------
    responsibilities : ndarray of shape (n_samples, n_components)
        The responsibilities r_ik; rows sum to one.
    log_likelihood : float
        The total log-likelihood
        sum_i log sum_k pi_k N(x_i | mu_k, sigma_k^2).
    """
    return _e_step(*check_parameters_1d(x, weights, means, variances))


def _m_step(x, resp):
    nk = resp.sum(axis=0) + 10 * EPS  # (K,) N_k; 10 eps: never 0
    weights = nk / nk.sum()  # eq. (5.3): N_k / n
    means = resp.T @ x / nk  # eq. (5.4)
    squares = (x[:, np.newaxis] - means) ** 2  # (n, K)
    variances = (resp * squares).sum(axis=0) / nk  # eq. (5.5)
    return weights, means, variances


def m_step(x, responsibilities):
    """Compute the M-step in 1-D (chapter 5, eqs. (5.3), (5.4) and (5.5)).

    Parameters
    ----------
    x : array-like of shape (n_samples,)
        The data, one number per sample.
    responsibilities : array-like of shape (n_samples, n_components)
        Nonnegative rows summing to one (from :func:`e_step`).

    Returns
    -------
    weights : ndarray of shape (n_components,)
        The mixing weights pi_k = N_k / n.
    means : ndarray of shape (n_components,)
        The means mu_k.
    variances : ndarray of shape (n_components,)
        The variances sigma_k^2.
    """
    x = check_array(x, "x", ndim=1)
    return _m_step(x, check_responsibility_array(responsibilities, len(x)))


def log_likelihood(x, weights, means, variances):
    """Return the total log-likelihood of a 1-D mixture (chapter 5).

    The sum sum_i log sum_k pi_k N(x_i | mu_k, sigma_k^2).

    Parameters
    ----------
    x : array-like of shape (n_samples,)
        The data, one number per sample.
    weights : array-like of shape (n_components,)
        The mixing weights pi_k, nonnegative, summing to one.
    means : array-like of shape (n_components,)
        The component means mu_k.
    variances : array-like of shape (n_components,)
        The variances sigma_k^2 (not the standard deviations), > 0.

    Returns
    -------
    log_likelihood : float
        The sum over the samples of log p(x_i).
    """
    return e_step(x, weights, means, variances)[1]


def em(x, weights, means, variances, *, max_iter=100, tol=1e-3, callback=None):
    """Run EM in one dimension from a given start (chapter 5).

    Alternates :func:`e_step` and :func:`m_step` until the mean
    log-likelihood per sample changes by less than ``tol`` (as scikit-learn),
    at most ``max_iter`` times.

    Parameters
    ----------
    x : array-like of shape (n_samples,)
        The data, one number per sample.
    weights : array-like of shape (n_components,)
        The starting mixing weights pi_k, nonnegative, summing to one.
    means : array-like of shape (n_components,)
        The starting means mu_k.
    variances : array-like of shape (n_components,)
        The starting variances sigma_k^2, > 0.
    max_iter : int, default=100
        The most iterations to run (0 returns the start).
    tol : float, default=1e-3
        Convergence threshold on the change of the mean log-likelihood per
        sample.
    callback : callable, default=None
        ``callback(iteration, state)`` after every iteration, with a
        :class:`gmm_teach.em.EMState` whose ``covariances`` are the variances.

    Returns
    -------
    result : gmm_teach.em.EMResult
        With ``covariances`` holding the variances, shape (n_components,).
    """
    x, weights, means, variances = check_parameters_1d(
        x, weights, means, variances
    )
    check_samples(x[:, np.newaxis], len(weights), name="x")
    max_iter, tol = check_loop_options(max_iter, tol)

    def e(weights, means, variances):
        # checks that no variance collapsed to 0
        return e_step(x, weights, means, variances)

    return run_em(
        e,
        lambda resp: _m_step(x, resp),
        (weights, means, variances),
        len(x),
        max_iter=max_iter,
        tol=tol,
        callback=callback,
    )
