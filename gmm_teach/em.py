"""EM for d-dimensional data: E-step, M-step, log-likelihood and the loop.

Chapters 3, 4 and 6. The equations, numbered as the book shows them::

    r_ik = pi_k N(x_i | mu_k, Sigma_k)
           / sum_j pi_j N(x_i | mu_j, Sigma_j)                      eq. (3.1)
    l    = sum_i log sum_k pi_k N(x_i | mu_k, Sigma_k)              eq. (4.1)
    N_k  = sum_i r_ik,   pi_k = N_k / n                             eq. (4.6)
    mu_k = sum_i r_ik x_i / N_k                                     eq. (4.7)
    Sigma_k = sum_i r_ik (x_i - mu_k)(x_i - mu_k)^T / N_k
              (+ reg_covar I)                                       eq. (4.8)
"""

import warnings
from dataclasses import dataclass

import numpy as np

from gmm_teach import covariance
from gmm_teach._validation import (
    check_array,
    check_covariance_type,
    check_nonnegative_float,
    check_parameters,
    check_positive_int,
    check_responsibility_array,
    check_samples,
)
from gmm_teach.exceptions import (
    ConvergenceWarning,
    _stacklevel_outside_package,
)
from gmm_teach.gaussian import (
    cholesky_precisions,
    log_gaussian_density_cholesky,
)

EPS = np.finfo(float).eps


@dataclass(frozen=True)
class EMState:
    """What EM holds at the end of iteration t, passed to ``callback``.

    ``callback(t, state)`` is called after iteration t (t = 1, 2, ...), which
    starts from theta^(t-1): its E-step computes the responsibilities and
    l(theta^(t-1)), its M-step returns theta^(t). So the parameters here are
    one M-step newer than the log-likelihood here.

    Parameters
    ----------
    weights : ndarray of shape (n_components,)
        The mixing weights of theta^(t), after this iteration's M-step.
    means : ndarray of shape (n_components, n_features)
        The means of theta^(t).
    covariances : ndarray
        The covariances of theta^(t), shaped by ``covariance_type``.
    responsibilities : ndarray of shape (n_samples, n_components)
        The responsibilities from this iteration's E-step, those of
        theta^(t-1).
    previous_log_likelihood : float
        The total log-likelihood l(theta^(t-1)) of the parameters that
        this E-step used.
    """

    # theta^(t), after this iteration's M-step
    weights: np.ndarray  # (K,)
    means: np.ndarray  # (K, d)
    covariances: np.ndarray  # shaped by covariance_type
    # (n, K) from this iteration's E-step, i.e. of theta^(t-1)
    responsibilities: np.ndarray
    # total l(theta^(t-1)), of the parameters this E-step used
    previous_log_likelihood: float


@dataclass(frozen=True)
class EMResult:
    """The outcome of an EM run of ``n_iter`` iterations, from theta^(0).

    ``log_likelihoods[t]`` is l(theta^(t)), the total log-likelihood of the
    parameters after t M-steps, for t = 0, ..., n_iter - 1: iteration t + 1
    computes it in its E-step, before its M-step (scikit-learn's
    ``lower_bounds_`` are these values divided by n). The returned parameters
    are theta^(n_iter); their log-likelihood is ``final_log_likelihood`` and
    their responsibilities are ``responsibilities``, both from one final
    E-step.

    Parameters
    ----------
    weights : ndarray of shape (n_components,)
        The mixing weights of theta^(n_iter).
    means : ndarray of shape (n_components, n_features)
        The means of theta^(n_iter).
    covariances : ndarray
        The covariances of theta^(n_iter), shaped by ``covariance_type``
        (the variances, shape (n_components,), in one dimension).
    responsibilities : ndarray of shape (n_samples, n_components)
        The responsibilities of theta^(n_iter).
    log_likelihoods : ndarray of shape (n_iter,)
        The total log-likelihoods l(theta^(0)), ..., l(theta^(n_iter - 1)).
    n_iter : int
        The number of iterations run.
    converged : bool
        True if the change of the mean log-likelihood fell below ``tol``.
    final_log_likelihood : float
        The total log-likelihood l(theta^(n_iter)) of the returned
        parameters.
    """

    weights: np.ndarray  # theta^(n_iter)
    means: np.ndarray
    covariances: np.ndarray
    responsibilities: np.ndarray  # (n, K) of theta^(n_iter)
    # (n_iter,) l(theta^(0)), ..., l(theta^(n_iter - 1))
    log_likelihoods: np.ndarray
    n_iter: int
    converged: bool
    final_log_likelihood: float  # l(theta^(n_iter)), of the returned ones


# ------------------------------------------------------ E-step (chapter 3)


def log_sum_exp(a):
    """Return log sum_k exp(a_ik) of each row, without overflow or underflow.

    Chapter 3, eq. (3.2). Shifting by the row maximum m_i keeps every
    exponent <= 0, and at least one equal to 0:
    log sum_k exp(a_ik) = m_i + log sum_k exp(a_ik - m_i).

    Parameters
    ----------
    a : ndarray of shape (n_samples, n_components)
        The logarithms a_ik, for instance log pi_k + log N(x_i | ...).

    Returns
    -------
    lse : ndarray of shape (n_samples,)
        The logarithm of each row's sum of exponentials.
    """
    m = a.max(axis=1, keepdims=True)  # (n, 1)
    shifted = a - m  # (n, K), every entry <= 0
    np.exp(shifted, out=shifted)  # in place: no second (n, K) array
    total = shifted.sum(axis=1, keepdims=True)  # (n, 1), in [1, K]
    return (m + np.log(total))[:, 0]  # (n,)


def _log_joint(X, weights, means, prec_chol, covariance_type):
    """log pi_k + log N(x_i | mu_k, Sigma_k), shape (n, K).

    The numerator of Bayes' rule, in log space.
    """
    # a weight of exactly 0 gives log 0 = -inf: r_ik = 0
    with np.errstate(divide="ignore"):
        log_weights = np.log(weights)
    log_joint = log_gaussian_density_cholesky(
        X, means, prec_chol, covariance_type
    )  # (n, K) log N(x_i | mu_k, Sigma_k)
    log_joint += log_weights  # in place
    return log_joint


def _e_step(X, weights, means, prec_chol, covariance_type):
    """Unchecked E-step from precision Cholesky factors.

    Returns the responsibilities (n, K) and the total log-likelihood.
    """
    log_joint = _log_joint(X, weights, means, prec_chol, covariance_type)
    return _responsibilities(log_joint)


def _responsibilities(log_joint):
    """Bayes' rule, eq. (3.1), in log space: r_ik = exp(a_ik - log p(x_i)).

    Returns the responsibilities (n, K), written over ``log_joint`` (the
    a_ik), and the total log-likelihood sum_i log p(x_i).
    """
    log_evidence = log_sum_exp(log_joint)  # (n,) log p(x_i)
    log_joint -= log_evidence[:, np.newaxis]  # (n, K) log r_ik
    resp = np.exp(log_joint, out=log_joint)  # in place: no new (n, K) array
    return resp, float(log_evidence.sum())


def e_step(X, weights, means, covariances, covariance_type="full"):
    """Compute the E-step: responsibilities by Bayes' rule, in log space.

    Chapter 3, eq. (3.1):
    r_ik = pi_k N(x_i | mu_k, Sigma_k) / sum_j pi_j N(x_i | mu_j, Sigma_j),
    normalised with log-sum-exp so that points far from every component get
    correct responsibilities, never 0/0.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data; a 1-D array is one feature.
    weights : array-like of shape (n_components,)
        Mixing weights pi_k, nonnegative, summing to one.
    means : array-like of shape (n_components, n_features)
        The component means mu_k.
    covariances : array-like
        Shaped by ``covariance_type`` (see
        :func:`gmm_teach.gaussian.log_gaussian_density`).
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the covariances are stored.

    Returns
    -------
    responsibilities : ndarray of shape (n_samples, n_components)
        The responsibilities r_ik; rows sum to one.
    log_likelihood : float
        The total log-likelihood l(theta) of the given parameters,
        eq. (4.1).
    """
    X, weights, means, covariances = check_parameters(
        X, weights, means, covariances, covariance_type
    )
    prec_chol = cholesky_precisions(covariances, covariance_type)
    return _e_step(X, weights, means, prec_chol, covariance_type)


def _check_and_factorise(X, weights, means, covariances, covariance_type):
    """Check data and a mixture; return them as the E-step's work-horses take
    them: (X, weights, means, prec_chol, covariance_type).
    """
    X, weights, means, covariances = check_parameters(
        X, weights, means, covariances, covariance_type
    )
    prec_chol = cholesky_precisions(covariances, covariance_type)
    return X, weights, means, prec_chol, covariance_type


def _log_evidence(X, weights, means, prec_chol, covariance_type):
    """Unchecked log p(x_i) from precision Cholesky factors, shape (n,)."""
    log_joint = _log_joint(X, weights, means, prec_chol, covariance_type)
    return log_sum_exp(log_joint)  # (n,) the terms of eq. (4.1)


def log_evidence(X, weights, means, covariances, covariance_type="full"):
    """Return log p(x_i) = log sum_k pi_k N(x_i | mu_k, Sigma_k) of each x_i.

    Chapter 4, the terms of eq. (4.1); what scikit-learn calls
    ``score_samples``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data; a 1-D array is one feature.
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
        The log-density of the mixture at each sample.
    """
    return _log_evidence(
        *_check_and_factorise(X, weights, means, covariances, covariance_type)
    )


def log_likelihood(X, weights, means, covariances, covariance_type="full"):
    """Return the total log-likelihood l(theta) = sum_i log p(x_i).

    Chapter 4, eq. (4.1): l(theta) = sum_i log sum_k pi_k N(x_i | mu_k,
    Sigma_k). Returns a float (a sum over samples, not a mean).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data; a 1-D array is one feature.
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
    log_likelihood : float
        The sum over the samples of log p(x_i).
    """
    terms = log_evidence(X, weights, means, covariances, covariance_type)
    return float(terms.sum())


# ------------------------------------------------------ M-step (chapter 4)


def _scatter_full(X, resp, means):
    """S_k = sum_i r_ik (x_i - mu_k)(x_i - mu_k)^T, the numerator of eq. (4.8).

    Shape (K, d, d).
    """
    scatter = []
    diff = np.empty_like(X)  # (n, d), reused by every component
    for k, mu in enumerate(means):
        np.subtract(X, mu, out=diff)  # rows x_i - mu_k
        # r v v^T = (sqrt(r) v)(sqrt(r) v)^T: scale row i by sqrt(r_ik)
        diff *= np.sqrt(resp[:, k])[:, np.newaxis]
        # A^T A is symmetric: NumPy computes one triangle (BLAS syrk)
        scatter.append(diff.T @ diff)  # (d, d)
    return np.stack(scatter)


def _covariances_full(X, resp, nk, means):
    """Sigma_k = S_k / N_k, eq. (4.8), shape (K, d, d)."""
    return _scatter_full(X, resp, means) / nk[:, np.newaxis, np.newaxis]


def _covariances_tied(X, resp, nk, means):
    """One Sigma shared by all components, shape (d, d).

    The N_k-weighted average of the full covariances.
    """
    full = _covariances_full(X, resp, nk, means)  # (K, d, d)
    return np.tensordot(nk, full, axes=1) / nk.sum()


def _scatter_diag(X, resp, means):
    """The diagonals sum_i r_ik (x_ij - mu_kj)^2 of the S_k, shape (K, d)."""
    sums = [resp[:, k] @ np.square(X - mu) for k, mu in enumerate(means)]
    return np.stack(sums)


def _covariances_diag(X, resp, nk, means):
    """Per-feature variances, shape (K, d).

    sigma_kj^2 = sum_i r_ik (x_ij - mu_kj)^2 / N_k.
    """
    return _scatter_diag(X, resp, means) / nk[:, np.newaxis]


def _covariances_spherical(X, resp, nk, means):
    """One variance per component: the mean of its per-feature variances.

    Shape (K,).
    """
    return _covariances_diag(X, resp, nk, means).mean(axis=1)


# The M-step's covariance estimate of each type in gmm_teach.covariance
_COVARIANCE_ESTIMATORS = {
    "full": _covariances_full,
    "tied": _covariances_tied,
    "diag": _covariances_diag,
    "spherical": _covariances_spherical,
}


def _m_step(X, resp, covariance_type, reg_covar):
    """Unchecked M-step: (weights, means, covariances) from the resp."""
    # (K,) N_k; the 10 eps keep an empty component finite
    nk = resp.sum(axis=0) + 10 * EPS
    weights = nk / nk.sum()  # (K,) eq. (4.6), nk.sum() ~ n
    means = resp.T @ X / nk[:, np.newaxis]  # (K, d) eq. (4.7)
    estimate = _COVARIANCE_ESTIMATORS[covariance_type]  # _covariances_full...
    covariances = estimate(X, resp, nk, means)  # eq. (4.8)
    kind = covariance.get(covariance_type)
    return weights, means, kind.add_reg_covar(covariances, reg_covar)


def m_step(X, responsibilities, covariance_type="full", reg_covar=1e-6):
    """Compute the M-step: the closed-form maximiser of Q.

    Chapter 4, eqs. (4.6), (4.7) and (4.8), derived with a Lagrange
    multiplier: N_k = sum_i r_ik, pi_k = N_k / n, mu_k = sum_i r_ik x_i / N_k,
    Sigma_k = sum_i r_ik (x_i - mu_k)(x_i - mu_k)^T / N_k, with ``reg_covar``
    added to the diagonal of every covariance.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data; a 1-D array is one feature.
    responsibilities : array-like of shape (n_samples, n_components)
        Nonnegative rows summing to one (from :func:`e_step`).
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the covariances are stored.
    reg_covar : float, default=1e-6
        Added to every covariance's diagonal so that none becomes singular.

    Returns
    -------
    weights : ndarray of shape (n_components,)
        The mixing weights pi_k = N_k / n.
    means : ndarray of shape (n_components, n_features)
        The means mu_k.
    covariances : ndarray
        The covariances Sigma_k, shaped by ``covariance_type``.
    """
    check_covariance_type(covariance_type)
    X = check_array(X)
    resp = check_responsibility_array(responsibilities, X.shape[0])
    reg_covar = check_nonnegative_float(reg_covar, "reg_covar")
    return _m_step(X, resp, covariance_type, reg_covar)


# ---------------------------------------------- the loop (chapters 4 and 6)


def _warn_not_converged(max_iter, change, tol):
    warnings.warn(
        f"EM did not converge in max_iter={max_iter} iterations: the mean "
        f"log-likelihood per sample still changed by {change:.3g} "
        f"(tol={tol:g}). Raise max_iter or tol, or try another "
        "initialisation.",
        ConvergenceWarning,
        stacklevel=_stacklevel_outside_package(),
    )


def run_em(
    e_step,
    m_step,
    start,
    n_samples,
    *,
    max_iter,
    tol,
    callback=None,
    lower_bound=-np.inf,
):
    """Run the EM loop shared by :func:`em` and :func:`gmm_teach.em1d.em`.

    Chapter 4, "the algorithm". Stops when the mean log-likelihood per sample
    changes by less than ``tol``, as scikit-learn does; the first change is
    measured from ``lower_bound`` (-inf, or a warm start's previous value).
    Unchecked: the public functions check the arguments first.

    Parameters
    ----------
    e_step : callable
        ``e_step(weights, means, covariances)`` returns the responsibilities
        and the total log-likelihood; it closes over the data.
    m_step : callable
        ``m_step(resp)`` returns (weights, means, covariances).
    start : tuple of ndarray
        The starting (weights, means, covariances).
    n_samples : int
        The number of samples n, to turn l into a mean per sample.
    max_iter : int
        The most iterations to run.
    tol : float
        Convergence threshold on the change of the mean log-likelihood.
    callback : callable, default=None
        ``callback(iteration, state)`` after every iteration, with an
        :class:`EMState`.
    lower_bound : float, default=-inf
        The mean log-likelihood per sample that the first change is
        measured from.

    Returns
    -------
    result : EMResult
        The parameters after the last M-step, their responsibilities and
        log-likelihood, and the log-likelihood of every iteration.
    """
    params, log_likelihoods, change = start, [], np.inf
    for n_iter in range(1, max_iter + 1):
        # E-step: r_ik and l(theta) of the current parameters
        resp, ll = e_step(*params)
        # M-step: the parameters that maximise Q given r_ik
        params = m_step(resp)
        change, lower_bound = ll / n_samples - lower_bound, ll / n_samples
        log_likelihoods.append(ll)
        if callback is not None:
            state = EMState(*params, resp, previous_log_likelihood=ll)
            callback(n_iter, state)
        if abs(change) < tol:
            break
    converged = bool(abs(change) < tol)
    if not converged and max_iter > 0:
        _warn_not_converged(max_iter, change, tol)
    # responsibilities and l of the returned parameters
    resp, final_ll = e_step(*params)
    return EMResult(
        *params,
        resp,
        np.array(log_likelihoods),
        len(log_likelihoods),
        converged,
        final_log_likelihood=final_ll,
    )


def check_loop_options(max_iter, tol):
    """Return ``max_iter`` and ``tol`` checked: an int >= 0, a float >= 0.

    Parameters
    ----------
    max_iter : int
        The most iterations to run.
    tol : float
        The convergence threshold.

    Returns
    -------
    max_iter : int
        ``max_iter`` as a Python int.
    tol : float
        ``tol`` as a Python float.
    """
    max_iter = check_positive_int(max_iter, "max_iter", minimum=0)
    return max_iter, check_nonnegative_float(tol, "tol")


def _em(X, start, covariance_type, reg_covar, **loop_options):
    """Unchecked EM from ``start``: the work-horse of :func:`em`.

    ``start`` is (weights, means, covariances); ``loop_options`` are
    ``max_iter``, ``tol``, ``callback`` and ``lower_bound`` of :func:`run_em`.
    """

    def e(weights, means, covariances):
        prec_chol = cholesky_precisions(covariances, covariance_type)
        return _e_step(X, weights, means, prec_chol, covariance_type)

    def m(resp):
        return _m_step(X, resp, covariance_type, reg_covar)

    return run_em(e, m, start, X.shape[0], **loop_options)


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
    """Run expectation-maximisation from given starting parameters.

    Chapter 4 (the algorithm) and chapter 6 (in two dimensions). Each
    iteration is an E-step then an M-step; EM stops when the mean
    log-likelihood per sample changes by less than ``tol`` between two
    iterations, as scikit-learn's ``GaussianMixture`` does, and warns with
    :class:`~gmm_teach.ConvergenceWarning` when ``max_iter`` comes first.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data; a 1-D array is one feature.
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
        Convergence threshold on the change of the mean log-likelihood per
        sample.
    reg_covar : float, default=1e-6
        Added to every covariance's diagonal at every M-step.
    callback : callable, default=None
        ``callback(iteration, state)`` after every iteration, with an
        :class:`EMState`.
    lower_bound : float, default=-inf
        The mean log-likelihood per sample that the first change is measured
        from; a warm start passes its previous fit's, as scikit-learn does.

    Returns
    -------
    result : EMResult
        The fitted parameters, their responsibilities and log-likelihood,
        and the log-likelihood of every iteration.
    """
    X, weights, means, covariances = check_parameters(
        X, weights, means, covariances, covariance_type
    )
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
