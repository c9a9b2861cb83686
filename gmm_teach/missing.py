"""EM when values are missing: the observed-data likelihood (chapter 11).

A missing value is a NaN in ``X``. Row i splits its coordinates into the
observed ones, o, and the unobserved ones, u. EM maximises the likelihood of
what was observed, every missing coordinate integrated out (Ghahramani and
Jordan, 1994); when values are missing completely at random or at random
(MCAR, MAR), that is the likelihood of the parameters. The equations, for
component k::

    marginal:   log N(x_o | mu_k,o, Sigma_k,oo)    (eq. (2.3) on the block)
    l_obs     = sum_i log sum_k pi_k N(x_i,o | mu_k,o, Sigma_k,oo)  eq. (11.1)
    E-step:     r_ik from the marginal densities               eq. (11.4)
    x_hat_u   = mu_k,u + Sigma_k,uo Sigma_k,oo^{-1} (x_o - mu_k,o)  eq. (11.2)
                (x_hat_o = x_o: the regression of u on o)
    C_uu      = Sigma_k,uu - Sigma_k,uo Sigma_k,oo^{-1} Sigma_k,ou  eq. (11.3)
                (the Schur complement; C_ik is zero outside its uu block)
    moments:    E[x_i] = x_hat_ik, E[x_i x_i^T] = x_hat x_hat^T + C_ik
                                                               eq. (11.5)
    M-step:     N_k = sum_i r_ik,  pi_k = N_k / n
                mu_k = sum_i r_ik x_hat_ik / N_k               eq. (11.6)
                Sigma_k = sum_i r_ik [(x_hat_ik - mu_k)(x_hat_ik - mu_k)^T
                          + C_ik] / N_k  (+ reg_covar I)       eq. (11.7)

Dropping C_ik ("fill in the conditional means, then fit") shrinks the
variances of the features with holes: C_ik is the correction. Each type
keeps its M-step of :mod:`gmm_teach.em`, run on each component's filled
data, plus the correction; "diag" and "spherical" have Sigma_k,uo = 0 (a
missing value's conditional mean and variance are the component's own),
"tied" pools. Conditioning is in :mod:`gmm_teach.conditional`.

Rows are grouped by missingness pattern: one Cholesky factorisation of
Sigma_k,oo per pattern and component serves the density, the regression and
the Schur complement of all its rows. ``reg_covar`` is added once, to the
full Sigma_k in the M-step. Rows with no NaN are computed by the
complete-data code (their C_ik is zero). The loop is
:func:`gmm_teach.em.run_em`, monitoring l_obs.
"""

import numpy as np

from gmm_teach import covariance
from gmm_teach._validation import (
    check_covariance_type,
    check_covariances,
    check_means,
    check_nonnegative_float,
    check_responsibility_array,
    check_samples,
    check_weights,
)
from gmm_teach.conditional import _expectations, marginal_covariances
from gmm_teach.em import (
    EPS,
    _covariances_diag,
    _covariances_full,
    _responsibilities,
    check_loop_options,
    log_sum_exp,
    run_em,
)
from gmm_teach.gaussian import (
    cholesky_precisions,
    log_gaussian_density_cholesky,
)
from gmm_teach.patterns import check_incomplete_array, missingness_patterns

# ------------------------------------------------ the marginal densities


def _marginal_factors(covariances, covariance_type, patterns):
    """The precision Cholesky factors of every Sigma_k,oo, pattern by
    pattern: one factorisation per pattern and component."""
    return [
        cholesky_precisions(
            marginal_covariances(covariances, covariance_type, p.observed),
            covariance_type,
        )
        for p in patterns
    ]


def _log_marginal_density(X, patterns, means, factors, covariance_type):
    """log N(x_i,o | mu_k,o, Sigma_k,oo), (n, K), the densities of
    eq. (11.1): eq. (2.3) on each pattern's observed block."""
    log_density = np.empty((X.shape[0], len(means)))  # (n, K)
    for p, prec_chol_oo in zip(patterns, factors, strict=True):
        o = np.flatnonzero(p.observed)
        X_o = X[p.rows[:, np.newaxis], o]  # (n_rows, |o|)
        log_density[p.rows] = log_gaussian_density_cholesky(
            X_o, means[:, o], prec_chol_oo, covariance_type
        )
    return log_density


def _log_joint(X, patterns, weights, means, factors, covariance_type):
    """log pi_k + log N(x_i,o | mu_k,o, Sigma_k,oo), shape (n, K)."""
    with np.errstate(divide="ignore"):  # pi_k = 0 gives r_ik = 0
        log_weights = np.log(weights)
    return log_weights + _log_marginal_density(
        X, patterns, means, factors, covariance_type
    )


def _e_step(X, patterns, weights, means, factors, covariance_type):
    """Unchecked E-step on the observed coordinates: the responsibilities
    (n, K) of eq. (11.4) and the observed-data log-likelihood l_obs of
    eq. (11.1)."""
    log_joint = _log_joint(
        X, patterns, weights, means, factors, covariance_type
    )
    return _responsibilities(log_joint)


# ------------------------------------------------ the M-step


def _corrections(resp, patterns, schur, n_features):
    """sum_i r_ik C_ik, (K, d, d), with the C_ik of eq. (11.5): each pattern
    adds its rows' total responsibility times its Schur complement, in its
    uu block."""
    K = resp.shape[1]
    total = np.zeros((K, n_features, n_features))
    for p, C in zip(patterns, schur, strict=True):
        u = np.flatnonzero(~p.observed)
        weight = resp[p.rows].sum(axis=0)  # (K,) sum of r_ik over the rows
        total[:, u[:, np.newaxis], u] += weight[:, np.newaxis, np.newaxis] * C
    return total


def _each_component(estimate, X_hat, resp, nk, means):
    """A complete-data M-step estimate of :mod:`gmm_teach.em`, each
    component k run on its own filled data x_hat_ik."""
    return np.concatenate(
        [
            estimate(X_hat[k], resp[:, [k]], nk[[k]], means[[k]])
            for k in range(len(means))
        ]
    )


def _expected_covariances_full(X_hat, resp, nk, means, corrections):
    """Sigma_k = sum_i r_ik [(x_hat_ik - mu_k)(x_hat_ik - mu_k)^T + C_ik]
    / N_k, eq. (11.7): the scatter of eq. (4.8) plus the correction,
    (K, d, d)."""
    scatter = _each_component(_covariances_full, X_hat, resp, nk, means)
    return scatter + corrections / nk[:, np.newaxis, np.newaxis]


def _expected_covariances_tied(X_hat, resp, nk, means, corrections):
    """One Sigma: the N_k-weighted average of the corrected full ones."""
    full = _expected_covariances_full(X_hat, resp, nk, means, corrections)
    return np.tensordot(nk, full, axes=1) / nk.sum()  # (d, d)


def _expected_covariances_diag(X_hat, resp, nk, means, corrections):
    """sigma_kj^2 = sum_i r_ik [(x_hat_ikj - mu_kj)^2 + C_ik,jj] / N_k."""
    scatter = _each_component(_covariances_diag, X_hat, resp, nk, means)
    variances = np.diagonal(corrections, axis1=1, axis2=2)  # (K, d)
    return scatter + variances / nk[:, np.newaxis]


def _expected_covariances_spherical(X_hat, resp, nk, means, corrections):
    """sigma_k^2: the mean of the corrected per-feature variances, (K,)."""
    diag = _expected_covariances_diag(X_hat, resp, nk, means, corrections)
    return diag.mean(axis=1)


_EXPECTED_COVARIANCES = {
    "full": _expected_covariances_full,
    "tied": _expected_covariances_tied,
    "diag": _expected_covariances_diag,
    "spherical": _expected_covariances_spherical,
}


def _m_step(X_hat, resp, corrections, covariance_type, reg_covar):
    """Unchecked M-step from the filled data x_hat (K, n, d) and the
    corrections sum_i r_ik C_ik (K, d, d)."""
    nk = resp.sum(axis=0) + 10 * EPS  # (K,) as in eq. (4.6)
    weights = nk / nk.sum()  # (K,) eq. (4.6)
    # (K, d) mu_k = sum_i r_ik x_hat_ik / N_k, eq. (11.6); without NaN,
    # the numbers of eq. (4.7) bit for bit
    sums = np.stack([resp[:, k] @ X_hat[k] for k in range(len(nk))])
    means = sums / nk[:, np.newaxis]
    estimate = _EXPECTED_COVARIANCES[covariance_type]
    covariances = estimate(X_hat, resp, nk, means, corrections)
    kind = covariance.get(covariance_type)
    return weights, means, kind.add_reg_covar(covariances, reg_covar)


def _m_step_from(X, patterns, resp, old, covariance_type, reg_covar):
    """The M-step that follows an E-step: ``old`` is that E-step's
    (means, covariances, factors)."""
    X_hat, schur = _expectations(X, patterns, *old, covariance_type)
    corrections = _corrections(resp, patterns, schur, X.shape[1])
    return _m_step(X_hat, resp, corrections, covariance_type, reg_covar)


# ------------------------------------------------ the loop


def _em(X, start, covariance_type, reg_covar, **loop_options):
    """Unchecked EM with missing values from ``start``, the work-horse of
    :func:`em`; ``loop_options`` are those of :func:`gmm_teach.em.run_em`.
    """
    patterns = missingness_patterns(X)
    last = {}  # the parameters of the last E-step, for the next M-step

    def e(weights, means, covariances):
        factors = _marginal_factors(covariances, covariance_type, patterns)
        last["old"] = means, covariances, factors
        return _e_step(X, patterns, weights, means, factors, covariance_type)

    def m(resp):
        return _m_step_from(
            X, patterns, resp, last["old"], covariance_type, reg_covar
        )

    return run_em(e, m, start, X.shape[0], **loop_options)


# ------------------------------------------------ checked entry points


def _check_components(
    X, means, covariances, covariance_type, check_columns=False
):
    """Checked (X, means, covariances); X may hold NaN."""
    check_covariance_type(covariance_type)
    X = check_incomplete_array(X, check_columns=check_columns)
    n_components = np.shape(means)[0] if np.ndim(means) == 2 else 0
    means = check_means(means, n_components, X.shape[1])
    covariances = check_covariances(
        covariances, covariance_type, n_components, X.shape[1]
    )
    return X, means, covariances


def _group(X, covariances, covariance_type):
    """Unchecked: the patterns of ``X`` and the precision Cholesky factors
    of each pattern's blocks Sigma_k,oo."""
    patterns = missingness_patterns(X)
    return patterns, _marginal_factors(covariances, covariance_type, patterns)


def _grouped(X, means, covariances, covariance_type):
    """Check, group and factorise: (X, patterns, means, covariances,
    factors)."""
    X, means, covariances = _check_components(
        X, means, covariances, covariance_type
    )
    patterns, factors = _group(X, covariances, covariance_type)
    return X, patterns, means, covariances, factors


def _prepared(X, weights, means, covariances, covariance_type):
    """Unchecked: the E-step's arguments,
    (X, patterns, weights, means, factors, covariance_type)."""
    patterns, factors = _group(X, covariances, covariance_type)
    return X, patterns, weights, means, factors, covariance_type


def _factorised(X, weights, means, covariances, covariance_type):
    """The E-step's arguments, checked:
    (X, patterns, weights, means, factors, covariance_type)."""
    X, patterns, means, _, factors = _grouped(
        X, means, covariances, covariance_type
    )
    weights = check_weights(weights, len(means))
    return X, patterns, weights, means, factors, covariance_type


def log_marginal_density(X, means, covariances, covariance_type="full"):
    """Return log N(x_i,o | mu_k,o, Sigma_k,oo) of every row and component.

    Chapter 11: the density of what row i observed, its missing coordinates
    integrated out; eq. (2.3) on the observed block of each component.

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
    log_density : ndarray of shape (n_samples, n_components)
        The marginal log-density of each row's observed values under each
        component.
    """
    X, patterns, means, _, factors = _grouped(
        X, means, covariances, covariance_type
    )
    return _log_marginal_density(X, patterns, means, factors, covariance_type)


def e_step(X, weights, means, covariances, covariance_type="full"):
    """Compute the E-step from the observed coordinates of each row.

    Chapter 11, eq. (11.4): r_ik is eq. (3.1) with each density replaced by
    the marginal density of the row's observed values.

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
    responsibilities : ndarray of shape (n_samples, n_components)
        The responsibilities r_ik; rows sum to one.
    log_likelihood : float
        The observed-data log-likelihood l_obs, a sum over the rows.
    """
    return _e_step(
        *_factorised(X, weights, means, covariances, covariance_type)
    )


def log_evidence(X, weights, means, covariances, covariance_type="full"):
    """Return log p(x_i,o) = log sum_k pi_k N(x_i,o | mu_k,o, Sigma_k,oo).

    Chapter 11: the terms of the observed-data log-likelihood, eq. (11.1);
    what ``GaussianMixture.score_samples`` returns for rows with NaN.

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
    log_evidence : ndarray of shape (n_samples,)
        The log-density of the mixture at each row's observed values.
    """
    log_joint = _log_joint(
        *_factorised(X, weights, means, covariances, covariance_type)
    )
    return log_sum_exp(log_joint)


def m_step(
    X,
    responsibilities,
    means,
    covariances,
    covariance_type="full",
    reg_covar=1e-6,
):
    """Compute the M-step with missing values, correction included.

    Chapter 11: with x_hat_ik and C_ik from the parameters of the E-step
    that gave the responsibilities (``means``, ``covariances``),
    N_k = sum_i r_ik, pi_k = N_k / n, mu_k = sum_i r_ik x_hat_ik / N_k,
    eq. (11.6), and
    Sigma_k = sum_i r_ik [(x_hat_ik - mu_k)(x_hat_ik - mu_k)^T + C_ik] / N_k,
    eq. (11.7), plus ``reg_covar`` on the diagonal; each covariance type
    keeps its own estimate (eq. (4.8) and chapter 8). Without NaN it is
    :func:`gmm_teach.em.m_step`.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data, NaN where a value is missing; a 1-D array is one feature.
    responsibilities : array-like of shape (n_samples, n_components)
        Nonnegative rows summing to one (from :func:`e_step`).
    means : array-like of shape (n_components, n_features)
        The means of the E-step, which fill in the missing values.
    covariances : array-like
        The covariances of the E-step, shaped by ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the covariances are stored.
    reg_covar : float, default=1e-6
        Added once to the diagonal of every new covariance.

    Returns
    -------
    weights : ndarray of shape (n_components,)
        The mixing weights pi_k = N_k / n.
    means : ndarray of shape (n_components, n_features)
        The new means mu_k.
    covariances : ndarray
        The new covariances Sigma_k, shaped by ``covariance_type``.
    """
    X, patterns, means, covariances, factors = _grouped(
        X, means, covariances, covariance_type
    )
    resp = check_responsibility_array(responsibilities, X.shape[0])
    if resp.shape[1] != len(means):
        raise ValueError(
            f"responsibilities must have one column per component "
            f"({len(means)}), got shape {resp.shape}"
        )
    reg_covar = check_nonnegative_float(reg_covar, "reg_covar")
    old = means, covariances, factors
    return _m_step_from(X, patterns, resp, old, covariance_type, reg_covar)


def em(
    X,
    weights,
    means,
    covariances,
    *,
    covariance_type="full",
    max_iter=100,
    tol=1e-3,
    reg_covar=1e-6,
    callback=None,
    lower_bound=-np.inf,
):
    """Run EM on data with missing values, from given starting parameters.

    Chapter 11: the loop of :func:`gmm_teach.em.em`, with the E-step on the
    observed coordinates and the M-step with the correction; it monitors the
    observed-data log-likelihood l_obs, which never decreases, and stops
    when its change per sample is below ``tol``. Without NaN it computes
    what :func:`gmm_teach.em.em` computes.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data, NaN where a value is missing; a 1-D array is one feature.
        Every row and every column must hold an observed value.
    weights : array-like of shape (n_components,)
        The starting mixing weights pi_k, nonnegative, summing to one.
    means : array-like of shape (n_components, n_features)
        The starting means mu_k.
    covariances : array-like
        The starting covariances Sigma_k, shaped by ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the covariances are stored.
    max_iter : int, default=100
        The most iterations to run (0 returns the start).
    tol : float, default=1e-3
        Convergence threshold on the change of l_obs per sample.
    reg_covar : float, default=1e-6
        Added to every covariance's diagonal at every M-step.
    callback : callable, default=None
        ``callback(iteration, state)`` after every iteration, with an
        :class:`gmm_teach.em.EMState`.
    lower_bound : float, default=-inf
        The l_obs per sample that the first change is measured from.

    Returns
    -------
    result : gmm_teach.em.EMResult
        The fitted parameters, their responsibilities, and l_obs of every
        iteration (``log_likelihoods``) and of the result.
    """
    X, means, covariances = _check_components(
        X, means, covariances, covariance_type, check_columns=True
    )
    weights = check_weights(weights, len(means))
    check_samples(X, len(weights))
    max_iter, tol = check_loop_options(max_iter, tol)
    reg_covar = check_nonnegative_float(reg_covar, "reg_covar")
    return _em(
        X,
        (weights, means, covariances),
        covariance_type,
        reg_covar,
        max_iter=max_iter,
        tol=tol,
        callback=callback,
        lower_bound=lower_bound,
    )
