"""EM as sums: the sufficient statistics of a block of rows (chapter 13).

The M-step of eqs. (4.6)-(4.8) reads the data only through sums over the
samples: the effective counts N_k = sum_i r_ik, the first moments
F_k = sum_i r_ik x_i and the scatter of the points about the means. Sums
over disjoint blocks of rows add up. So one EM iteration is a *map*, the
E-step and the sums of each block (:func:`block_statistics`), a *reduce*,
adding the blocks' statistics (``a + b``, :func:`combine`), and the M-step
from the total (:func:`m_step_from_statistics`). The blocks can live on
other machines, or be read from disk one at a time; only the statistics,
of size K d^2 at most, travel.

The scatter is kept *centred*. Write S_k(y) = sum_i r_ik (x_i - y)(x_i -
y)^T for the scatter about a point y, so that the M-step's S_k is
S_k(mu_k). A block keeps S_k(xbar_k) about its own weighted mean
xbar_k = F_k / (N_k + 10 eps) (for ``"diag"`` and ``"spherical"`` its
diagonal; for ``"tied"`` the sum over k). Moving a scatter to another
point y_k is exact algebra, with e_k = xbar_k - y_k and
f_k = sum_i r_ik (x_i - xbar_k) = F_k - N_k xbar_k (zero but for the
10 eps)::

    S_k(y_k) = S_k(xbar_k) + f_k e_k^T + e_k f_k^T + N_k e_k e_k^T

(the pairwise update of Chan, Golub and LeVeque, 1979). Adding two blocks
moves both scatters to the weighted mean of the total; the M-step moves the
total to the new means mu_k = F_k / (N_k + 10 eps), and divides. Why not
keep sum_i r_ik x_i x_i^T and compute Sigma_k = sum_i r_ik x_i x_i^T / N_k
- mu_k mu_k^T, the one-pass formula of Spark ML? That difference of two
large numbers loses about 2 log10(norm(mu_k) / sigma) digits when the data sit
far from the origin (:func:`covariances_full_uncentred` computes it, to
show the loss). Why not two passes, the second summing
sum_i r_ik (x_i - mu_k)(x_i - mu_k)^T with the new means? That is exact
too, but reads every block twice per iteration; the centred merge reads
each block once and keeps the digits. On one block xbar_k is already the
new mean, e_k = 0 exactly and the statistics give the M-step of
:func:`gmm_teach.em.m_step` to rounding (a test ties the two for every
covariance type). scikit-learn's own ``"diag"``, ``"spherical"`` and
``"tied"`` M-steps use uncentred one-pass sums (``avg_X2 - means**2``,
``X^T X - sum_k N_k mu_k mu_k^T``); gmm_teach's :mod:`gmm_teach.em` centres
every type, and so do the statistics here.
"""

from dataclasses import dataclass, replace

import numpy as np

from gmm_teach import covariance
from gmm_teach._validation import (
    check_array,
    check_covariance_type,
    check_nonnegative_float,
    check_parameters,
    check_responsibility_array,
)
from gmm_teach.conditional import _expectations
from gmm_teach.em import EPS, _e_step, _scatter_diag, _scatter_full
from gmm_teach.gaussian import cholesky_precisions
from gmm_teach.missing import _corrections, _marginal_factors
from gmm_teach.missing import _e_step as _e_step_observed
from gmm_teach.patterns import missingness_patterns


@dataclass(frozen=True)
class SufficientStatistics:
    """The sums over a block of rows that the M-step needs.

    ``a + b`` adds the statistics of two disjoint blocks (:func:`combine`).

    Parameters
    ----------
    covariance_type : {"full", "tied", "diag", "spherical"}
        The covariance type the scatter is kept for.
    n_samples : float
        The number of rows summed (a float: stepwise EM scales it).
    nk : ndarray of shape (n_components,)
        The soft counts N_k = sum_i r_ik.
    sums : ndarray of shape (n_components, n_features)
        The first moments F_k = sum_i r_ik x_i.
    centres : ndarray of shape (n_components, n_features)
        The points the scatter is taken about: xbar_k, the weighted means
        F_k / (N_k + 10 eps) (kept as they are when the sums are scaled).
    scatter : ndarray
        The scatter S_k(y_k) = sum_i r_ik (x_i - y_k)(x_i - y_k)^T about
        the ``centres`` y_k, shape (K, d, d) for
        ``"full"``; its sum over k, (d, d), for ``"tied"``; its diagonal,
        (K, d), for ``"diag"`` and ``"spherical"``.
    log_likelihood : float
        The sum sum_i log p(x_i) under the parameters of the E-step that
        gave the responsibilities (0 when they did not come from an
        E-step).
    """

    covariance_type: str
    n_samples: float
    nk: np.ndarray  # (K,)
    sums: np.ndarray  # (K, d)
    centres: np.ndarray  # (K, d)
    scatter: np.ndarray  # (K, d, d), (d, d) or (K, d)
    log_likelihood: float

    def __add__(self, other):
        """Return the statistics of both blocks (:func:`combine`).

        Parameters
        ----------
        other : SufficientStatistics
            The statistics of another block, of the same type and shape.

        Returns
        -------
        total : SufficientStatistics
            The statistics of the two blocks together.
        """
        return combine(self, other)


# -------------------------------------------- the scatter of each type


def _scatter_tied(X, resp, centres):
    """The full scatters summed over the components, shape (d, d)."""
    return _scatter_full(X, resp, centres).sum(axis=0)


# the block's scatter of each covariance type: the numerator of eq. (4.8)
# (chapter 4's M-step) about the block's own weighted means
_SCATTER = {
    "full": _scatter_full,
    "tied": _scatter_tied,
    "diag": _scatter_diag,
    "spherical": _scatter_diag,
}


def _outer_full(f, e, nk):
    """f_k e_k^T + e_k f_k^T + N_k e_k e_k^T of each k, shape (K, d, d)."""
    fe = f[:, :, np.newaxis] * e[:, np.newaxis, :]  # (K, d, d) f_k e_k^T
    ee = e[:, :, np.newaxis] * e[:, np.newaxis, :]  # (K, d, d) e_k e_k^T
    return fe + fe.transpose(0, 2, 1) + nk[:, np.newaxis, np.newaxis] * ee


def _outer_tied(f, e, nk):
    """The corrections of :func:`_outer_full` summed over k, (d, d)."""
    return _outer_full(f, e, nk).sum(axis=0)


def _outer_diag(f, e, nk):
    """The diagonal of :func:`_outer_full`, shape (K, d)."""
    return 2 * f * e + nk[:, np.newaxis] * e**2


# the correction of each type's scatter when its centres move
_OUTER = {
    "full": _outer_full,
    "tied": _outer_tied,
    "diag": _outer_diag,
    "spherical": _outer_diag,
}


def _centres(nk, sums):
    """xbar_k = F_k / (N_k + 10 eps): weighted means, finite if N_k = 0."""
    return sums / (nk + 10 * EPS)[:, np.newaxis]  # (K, d)


def _scatter_about(stats, centres):
    """The scatter of ``stats`` moved, exactly, to other points y_k.

    S_k(y_k) = S_k(xbar_k) + f_k e_k^T + e_k f_k^T + N_k e_k e_k^T, with
    e_k = xbar_k - y_k and f_k = F_k - N_k xbar_k (see the module's
    docstring).
    """
    e = stats.centres - centres  # (K, d) e_k
    f = stats.sums - stats.nk[:, np.newaxis] * stats.centres  # (K, d) f_k
    correction = _OUTER[stats.covariance_type](f, e, stats.nk)
    return stats.scatter + correction


# ------------------------------------------------ map: one block of rows


def _accumulate(X, resp, covariance_type, log_likelihood=0.0):
    """Unchecked: the statistics of the rows X with responsibilities resp."""
    nk = resp.sum(axis=0)  # (K,) N_k
    sums = resp.T @ X  # (K, d) F_k
    centres = _centres(nk, sums)
    scatter = _SCATTER[covariance_type](X, resp, centres)
    return SufficientStatistics(
        covariance_type,
        float(X.shape[0]),
        nk,
        sums,
        centres,
        scatter,
        float(log_likelihood),
    )


def accumulate(X, responsibilities, covariance_type="full"):
    """Return the sufficient statistics of rows with given responsibilities.

    Chapter 13: N_k = sum_i r_ik and F_k = sum_i r_ik x_i of eq. (13.1) and
    the centred scatter of each type (see :class:`SufficientStatistics`). The
    log-likelihood is 0: it comes with :func:`block_statistics`.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        A block of rows; a 1-D array is one feature.
    responsibilities : array-like of shape (n_samples, n_components)
        Nonnegative rows summing to one.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        The covariance type whose scatter is kept.

    Returns
    -------
    stats : SufficientStatistics
        The sums over the block.
    """
    check_covariance_type(covariance_type)
    X = check_array(X)
    resp = check_responsibility_array(responsibilities, X.shape[0])
    return _accumulate(X, resp, covariance_type)


def _block_statistics(X, weights, means, prec_chol, covariance_type):
    """Unchecked E-step on one block, then its sums: the *map* of EM."""
    resp, log_likelihood = _e_step(
        X, weights, means, prec_chol, covariance_type
    )
    return _accumulate(X, resp, covariance_type, log_likelihood)


def block_statistics(X, weights, means, covariances, covariance_type="full"):
    """Return the E-step's sufficient statistics of one block of rows.

    Chapter 13: the responsibilities of eq. (3.1) for the rows of the block,
    then their sums (:func:`accumulate`) and the block's log-likelihood
    sum_i log p(x_i), eq. (4.1). The responsibilities themselves are not
    kept: the M-step needs only the sums.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        A block of rows; a 1-D array is one feature.
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
    stats : SufficientStatistics
        The block's sums and log-likelihood.
    """
    X, weights, means, covariances = check_parameters(
        X, weights, means, covariances, covariance_type
    )
    prec_chol = cholesky_precisions(covariances, covariance_type)
    return _block_statistics(X, weights, means, prec_chol, covariance_type)


# ------------------------------------- map: a block with missing values


def _diagonals(corrections):
    """The diagonals of the (K, d, d) corrections, (K, d)."""
    return np.diagonal(corrections, axis1=1, axis2=2)


# the part of sum_i r_ik C_ik (K, d, d) that each type's scatter keeps
_CORRECTION = {
    "full": lambda corrections: corrections,
    "tied": lambda corrections: corrections.sum(axis=0),
    "diag": _diagonals,
    "spherical": _diagonals,
}


def _accumulate_filled(X_hat, resp, corrections, covariance_type, ll):
    """Unchecked: the statistics of chapter 11's M-step, eqs. (11.6) and
    (11.7): each component's filled rows X_hat[k] (K, n, d), its scatter
    about the block's own centre, plus the corrections sum_i r_ik C_ik."""
    K = resp.shape[1]
    nk = resp.sum(axis=0)  # (K,) N_k
    sums = np.stack([resp[:, k] @ X_hat[k] for k in range(K)])  # (K, d)
    centres = _centres(nk, sums)
    per_component = "full" if covariance_type == "tied" else covariance_type
    scatter = np.concatenate(
        [
            _SCATTER[per_component](X_hat[k], resp[:, [k]], centres[[k]])
            for k in range(K)
        ]
    )  # (K, d, d) or (K, d)
    if covariance_type == "tied":
        scatter = scatter.sum(axis=0)  # (d, d)
    scatter += _CORRECTION[covariance_type](corrections)
    return SufficientStatistics(
        covariance_type, float(resp.shape[0]), nk, sums, centres, scatter, ll
    )


def _block_statistics_incomplete(
    X, weights, means, covariances, covariance_type
):
    """Unchecked: the *map* of EM on a block with NaN (chapter 11 on one
    block): the E-step on the observed values, eq. (11.4), then the sums of
    the filled rows and their corrections."""
    patterns = missingness_patterns(X)
    factors = _marginal_factors(covariances, covariance_type, patterns)
    resp, log_likelihood = _e_step_observed(
        X, patterns, weights, means, factors, covariance_type
    )
    X_hat, schur = _expectations(
        X, patterns, means, covariances, factors, covariance_type
    )
    corrections = _corrections(resp, patterns, schur, X.shape[1])
    return _accumulate_filled(
        X_hat, resp, corrections, covariance_type, log_likelihood
    )


def _statistics(X, weights, means, covariances, covariance_type):
    """Unchecked: the *map* of EM on one block, whether or not it has NaN
    (then chapter 11's statistics; without NaN, :func:`block_statistics`'s).
    """
    if np.isnan(X).any():
        return _block_statistics_incomplete(
            X, weights, means, covariances, covariance_type
        )
    prec_chol = cholesky_precisions(covariances, covariance_type)
    return _block_statistics(X, weights, means, prec_chol, covariance_type)


# ------------------------------------------------- reduce: adding blocks


def _check_same_kind(a, b):
    for stats, name in ((a, "a"), (b, "b")):
        if not isinstance(stats, SufficientStatistics):
            raise TypeError(
                f"{name} must be SufficientStatistics, got "
                f"{type(stats).__name__}."
            )
    if a.covariance_type != b.covariance_type or a.sums.shape != b.sums.shape:
        raise ValueError(
            "a and b must hold statistics of the same covariance type and "
            f"shape (n_components, n_features), got {a.covariance_type!r} "
            f"{a.sums.shape} and {b.covariance_type!r} {b.sums.shape}."
        )


def _combine(a, b):
    """Unchecked: the statistics of two disjoint blocks together."""
    nk = a.nk + b.nk  # (K,)
    sums = a.sums + b.sums  # (K, d)
    centres = _centres(nk, sums)  # the centre of the total
    scatter = _scatter_about(a, centres) + _scatter_about(b, centres)
    n_samples = a.n_samples + b.n_samples
    log_likelihood = a.log_likelihood + b.log_likelihood
    return SufficientStatistics(
        a.covariance_type,
        n_samples,
        nk,
        sums,
        centres,
        scatter,
        log_likelihood,
    )


def combine(a, b):
    """Return the statistics of two disjoint blocks of rows together.

    Chapter 13, eq. (13.3): the counts, the first moments and the
    log-likelihoods add; both scatters move, exactly, to the centre of the
    total before they add (see the module's docstring), so no digits are
    lost to a difference of large numbers. ``a + b`` calls this.

    Parameters
    ----------
    a : SufficientStatistics
        The statistics of one block.
    b : SufficientStatistics
        Those of another block, of the same covariance type and shape.

    Returns
    -------
    total : SufficientStatistics
        The statistics of the rows of both blocks.
    """
    _check_same_kind(a, b)
    return _combine(a, b)


def scaled(stats, factor):
    """Return the statistics with every sum multiplied by ``factor``.

    Chapter 13, stepwise EM: tau_hat_t = (1 - eta_t) tau_hat_{t-1} +
    eta_t tau_bar_t weighs the old sums and the new ones. The counts,
    first moments, scatter, number of rows and log-likelihood scale; the
    centres stay.

    Parameters
    ----------
    stats : SufficientStatistics
        The statistics to scale.
    factor : float
        A nonnegative multiplier.

    Returns
    -------
    stats : SufficientStatistics
        The scaled statistics.
    """
    factor = check_nonnegative_float(factor, "factor")
    return replace(
        stats,
        n_samples=stats.n_samples * factor,
        nk=stats.nk * factor,
        sums=stats.sums * factor,
        scatter=stats.scatter * factor,
        log_likelihood=stats.log_likelihood * factor,
    )


# ------------------------------------------------- M-step from the sums


# the covariances of each type from the scatter about the new means
_COVARIANCES = {
    "full": lambda scatter, nk: scatter / nk[:, np.newaxis, np.newaxis],
    "tied": lambda scatter, nk: scatter / nk.sum(),
    "diag": lambda scatter, nk: scatter / nk[:, np.newaxis],
    "spherical": lambda scatter, nk: (scatter / nk[:, np.newaxis]).mean(1),
}


def _m_step_from_statistics(stats, reg_covar):
    """Unchecked M-step from summed statistics: the *reduce*'s last step."""
    nk = stats.nk + 10 * EPS  # (K,) as em._m_step: empty stays finite
    weights = nk / nk.sum()  # (K,) eq. (4.6)
    means = stats.sums / nk[:, np.newaxis]  # (K, d) eq. (4.7)
    scatter = _scatter_about(stats, means)  # about the new means
    covariances = _COVARIANCES[stats.covariance_type](scatter, nk)  # (4.8)
    kind = covariance.get(stats.covariance_type)
    return weights, means, kind.add_reg_covar(covariances, reg_covar)


def m_step_from_statistics(stats, reg_covar=1e-6):
    """Compute the M-step from summed sufficient statistics.

    Chapter 13: eqs. (4.6)-(4.8) with the sums in place of the data:
    pi_k = N_k / n, mu_k = F_k / N_k, and the scatter S_k(mu_k) divided
    by N_k (by n for ``"tied"``; averaged over the features for
    ``"spherical"``), plus ``reg_covar``. As in
    :func:`gmm_teach.em.m_step`, N_k has 10 eps added so that an empty
    component stays finite.

    Parameters
    ----------
    stats : SufficientStatistics
        The statistics summed over every block.
    reg_covar : float, default=1e-6
        Added to every covariance's diagonal.

    Returns
    -------
    weights : ndarray of shape (n_components,)
        The mixing weights pi_k.
    means : ndarray of shape (n_components, n_features)
        The means mu_k.
    covariances : ndarray
        The covariances Sigma_k, shaped by ``stats.covariance_type``.
    """
    if not isinstance(stats, SufficientStatistics):
        raise TypeError(
            f"stats must be SufficientStatistics, got {type(stats).__name__}."
        )
    reg_covar = check_nonnegative_float(reg_covar, "reg_covar")
    return _m_step_from_statistics(stats, reg_covar)


# ----------------------------------- the one-pass formula, to show its loss


def covariances_full_uncentred(X, responsibilities):
    """Full covariances by the uncentred one-pass formula: loses digits.

    Chapter 13, the counter-example: Sigma_k = sum_i r_ik x_i x_i^T / N_k -
    mu_k mu_k^T, eq. (13.2), the formula of Spark ML's GaussianMixture.
    Both terms are of the size norm(mu_k)^2; when the data sit far from the
    origin their difference, of the size sigma^2, keeps only about
    16 - 2 log10(norm(mu_k) / sigma) digits. No ``reg_covar`` is added.
    Not used by EM here (see the module's docstring).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data; a 1-D array is one feature.
    responsibilities : array-like of shape (n_samples, n_components)
        Nonnegative rows summing to one.

    Returns
    -------
    covariances : ndarray of shape (n_components, n_features, n_features)
        The uncentred estimate of each component's covariance.
    """
    X = check_array(X)
    resp = check_responsibility_array(responsibilities, X.shape[0])
    nk = resp.sum(axis=0) + 10 * EPS  # (K,)
    means = resp.T @ X / nk[:, np.newaxis]  # (K, d)
    second = np.einsum("ik,ij,il->kjl", resp, X, X)  # (K, d, d)
    second /= nk[:, np.newaxis, np.newaxis]
    return second - means[:, :, np.newaxis] * means[:, np.newaxis, :]
