"""The posterior predictive density of a Bayesian Gaussian mixture.

Chapter 12; Bishop, PRML 10.78-10.82. Averaging the mixture's density over
the variational posterior of its parameters gives a mixture of Student's t
distributions::

    p(x | X) = sum_k E[pi_k] St(x | m_k, L_k, nu_k + 1 - d)      10.81
    L_k = (nu_k + 1 - d) beta_k / (1 + beta_k) W_k               10.82

with, Bishop 2.162::

    St(x | mu, L, f) = Gamma((f + d)/2) / Gamma(f/2) det(L)^(1/2)
                       / (f pi)^(d/2)
                       (1 + (x - mu)^T L (x - mu) / f)^(-(f + d)/2)

The t's heavier tails carry the uncertainty left in m_k and Lambda_k; as the
counts N_k grow, beta_k and nu_k grow with them and each t tends to the
Gaussian N(m_k, (nu_k W_k)^{-1}) of the fitted ``means_`` and
``covariances_``.

For the types other than "full", q(Lambda_k) is the Wishart W(W_k, nu_k)
with W_k in the type's form (diagonal, a multiple of the identity, or one
matrix for all components), as the updates of :mod:`gmm_teach.variational`
assume, so the same formula holds: the t's scale matrix is diagonal or
round, but its features are not independent (a Wishart with a diagonal
scale still draws full matrices).
"""

import numpy as np

from gmm_teach import covariance
from gmm_teach.em import log_sum_exp
from gmm_teach.special import gammaln
from gmm_teach.variational import expected_weights


def log_student_t(maha, half_log_det, dof, n_features):
    """Return ln St(x | mu, L, f) from its squared Mahalanobis distance.

    Bishop 2.162: ln Gamma((f + d)/2) - ln Gamma(f/2) + 1/2 ln det(L)
    - d/2 ln(f pi) - (f + d)/2 ln(1 + Delta^2 / f), with
    Delta^2 = (x - mu)^T L (x - mu).

    Parameters
    ----------
    maha : ndarray of shape (n_samples, n_components)
        Delta^2 of every sample under every component.
    half_log_det : ndarray of shape (n_components,)
        1/2 ln det(L_k).
    dof : ndarray of shape (n_components,)
        The degrees of freedom f_k > 0.
    n_features : int
        The number of features d.

    Returns
    -------
    log_density : ndarray of shape (n_samples, n_components)
        The log-density of every sample under every component's t.
    """
    d = n_features
    normaliser = (
        gammaln(0.5 * (dof + d))
        - gammaln(0.5 * dof)
        + half_log_det
        - 0.5 * d * np.log(dof * np.pi)
    )
    return normaliser - 0.5 * (dof + d) * np.log1p(maha / dof)


def predictive_log_density(X, posterior, covariance_type, prior_type):
    """Return ln p(x_i | X), the posterior predictive density, Bishop 10.81.

    Not in scikit-learn, whose ``score_samples`` is the log-sum-exp of the
    E-step's ln rho_ik (:func:`gmm_teach.variational.weighted_log_prob`),
    neither this density nor that of the fitted means and covariances. The
    weights E[pi_k] are ``weights_`` (for the stick-breaking prior, the
    expected sticks divided by their sum, as scikit-learn's, so that the
    density integrates to one).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The points.
    posterior : Posterior
        The variational posterior.
    covariance_type : {"full", "tied", "diag", "spherical"}
        The covariance type.
    prior_type : {"dirichlet_process", "dirichlet_distribution"}
        The weights' prior.

    Returns
    -------
    log_density : ndarray of shape (n_samples,)
        The values ln p(x_i | X), one per point.
    """
    K, d = posterior.means.shape
    kind = covariance.get(covariance_type)
    nu = np.broadcast_to(posterior.degrees_of_freedom, (K,))
    beta = posterior.mean_precision
    dof = nu + 1 - d
    # L_k = shrink_k nu_k W_k, and nu_k W_k = E[Lambda_k] = U_k U_k^T
    shrink = dof * beta / ((1 + beta) * nu)
    prec_chol = posterior.precisions_cholesky
    maha = shrink * kind.squared_mahalanobis(X, posterior.means, prec_chol)
    half_log_det = kind.log_det_cholesky(prec_chol, d) + 0.5 * d * np.log(
        shrink
    )
    log_t = log_student_t(maha, half_log_det, dof, d)
    weights = expected_weights(posterior.weight_concentration, prior_type)
    return log_sum_exp(np.log(weights) + log_t)
