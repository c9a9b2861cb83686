"""``BayesianGaussianMixture``: variational inference, scikit-learn's way.

Chapter 12. A drop-in for scikit-learn's ``BayesianGaussianMixture``: the
same constructor arguments and defaults, fitted attributes, input checks,
errors, warnings and verbose output (the class docstring lists what
differs). Every number comes from the functions the chapter derives:
:mod:`gmm_teach.variational` (the priors, the M-step, the E-step),
:mod:`gmm_teach.elbo` (the bounds) and :mod:`gmm_teach.predictive` (the
predictive density); the loop over starts and the methods of a fitted
mixture are those of every mixture estimator,
:class:`gmm_teach._mixture.BaseMixture`.
"""

import numbers
from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from gmm_teach import covariance, elbo, variational
from gmm_teach._estimator import _check_shape, _init_array, _Progress
from gmm_teach._mixture import BaseMixture
from gmm_teach._options import (
    ARRAY_LIKE,
    BOOLEAN,
    NONE,
    Constraint,
    instance_of,
    integer,
    one_of,
    real,
)
from gmm_teach.covariance import COVARIANCE_TYPES
from gmm_teach.init import METHODS, initial_responsibilities
from gmm_teach.predictive import predictive_log_density
from gmm_teach.variational import PRIOR_TYPES, Posterior, Priors


def _is_positive(value):
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and bool(np.isfinite(value))
        and value > 0
    )


# scikit-learn's Interval(Real, 0, None, closed="neither"), finite here
POSITIVE = Constraint("a float in the range (0.0, inf)", _is_positive)

# What each constructor argument may be, as scikit-learn's
# ``_parameter_constraints`` says; ``fit`` checks them all, in this order.
PARAMETER_CONSTRAINTS = {
    "n_components": [integer(1)],
    "covariance_type": [one_of(COVARIANCE_TYPES)],
    "tol": [real(0)],
    "reg_covar": [real(0)],
    "max_iter": [integer(0)],
    "n_init": [integer(1)],
    "init_params": [one_of(METHODS)],
    "weight_concentration_prior_type": [one_of(PRIOR_TYPES)],
    "weight_concentration_prior": [NONE, POSITIVE],
    "mean_precision_prior": [NONE, POSITIVE],
    "mean_prior": [NONE, ARRAY_LIKE],
    "degrees_of_freedom_prior": [NONE, POSITIVE],
    "covariance_prior": [NONE, ARRAY_LIKE, POSITIVE],
    "random_state": [
        integer(0, 2**32 - 1),
        instance_of(np.random.RandomState),
        instance_of(np.random.Generator),  # scikit-learn refuses it
        NONE,
    ],
    "warm_start": BOOLEAN,
    "verbose": [integer(0), *BOOLEAN],
    "verbose_interval": [integer(1)],
}


class VariationalResult(NamedTuple):
    """One variational run: its last posterior and its bounds.

    Parameters
    ----------
    posterior : Posterior
        The posterior after the last M-step.
    lower_bounds : list of float
        The bound of scikit-learn after each iteration's M-step.
    full_lower_bounds : list of float
        The full bound after each iteration's M-step.
    n_iter : int
        The number of iterations run.
    converged : bool
        True if the bound changed by less than ``tol``.
    """

    posterior: Posterior
    lower_bounds: list
    full_lower_bounds: list
    n_iter: int
    converged: bool


def _check_covariance_prior(value, covariance_type, n_features):
    """The checked ``covariance_prior``, with scikit-learn's words first."""
    name, d = "covariance_prior", n_features
    if covariance_type == "spherical":
        if np.ndim(value) != 0:
            raise ValueError(
                f"{name} must be a number > 0 for covariance_type="
                f"'spherical' (one variance), got an array of shape "
                f"{np.shape(value)}."
            )
        return value
    prior = _init_array(value, name)
    what = f"{covariance_type} covariance_prior"
    if covariance_type == "diag":
        _check_shape(prior, (d,), what, name)
        if np.any(prior <= 0):
            raise ValueError(
                "'diag precision' should be positive. covariance_prior must "
                "hold d positive variances, got a minimum of "
                f"{prior.min():.3g}."
            )
        return prior
    _check_shape(prior, (d, d), what, name)
    symmetric = np.allclose(prior, prior.T)
    if not (symmetric and np.all(np.linalg.eigvalsh(prior) > 0)):
        raise ValueError(
            f"'{covariance_type} precision' should be symmetric, "
            "positive-definite. covariance_prior must be a symmetric, "
            "positive definite d x d matrix (the prior's scale of a "
            "covariance), as np.cov(X.T) is."
        )
    return prior


class BayesianGaussianMixture(BaseMixture):
    """A Gaussian mixture fitted by variational inference (Bishop 10.2).

    Chapter 12. ``fit`` checks every argument against
    ``gmm_teach.bayesian.PARAMETER_CONSTRAINTS``, then the priors against
    the data.

    Parameters
    ----------
    n_components : int, default=1
        The number of components K, an upper bound: the weights of the
        components that the data do not need shrink towards zero.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the covariances are constrained and stored (chapter 8).
    tol : float, default=1e-3
        The fit stops when the lower bound (a total over the samples, not
        a mean as in ``GaussianMixture``) changes by less than ``tol``.
    reg_covar : float, default=1e-6
        Added to the diagonal of every S_k before the Wishart update.
    max_iter : int, default=100
        The most iterations per start.
    n_init : int, default=1
        Starts to try; the one with the highest ``lower_bound_`` is kept.
    init_params : {"kmeans", "k-means++", "random", "random_from_data"}, \
            default="kmeans"
        The starting responsibilities (chapter 7), followed by one
        variational M-step.
    weight_concentration_prior_type : {"dirichlet_process", \
            "dirichlet_distribution"}, default="dirichlet_process"
        The weights' prior: stick-breaking, or a Dirichlet distribution.
    weight_concentration_prior : float, default=None
        The concentration: gamma of the sticks' Beta(1, gamma), or alpha_0
        of the Dirichlet;
        > 0; None for 1 / n_components.
    mean_precision_prior : float, default=None
        The mean precision beta_0 > 0, the prior's weight on the means,
        counted in points;
        None for 1.
    mean_prior : array-like of shape (n_features,), default=None
        The prior mean m_0 of the means; None for the mean of ``X``.
    degrees_of_freedom_prior : float, default=None
        The degrees of freedom nu_0 > n_features - 1 of the Wishart prior;
        None for n_features.
    covariance_prior : float or array-like, default=None
        W_0^{-1}, in the form of ``covariance_type``: a (d, d) positive
        definite matrix ("full", "tied"), d variances ("diag"), one
        variance ("spherical"); None for the sample covariance of ``X``.
    random_state : int, RandomState, Generator or None, default=None
        As ``GaussianMixture``'s: every draw comes from a NumPy Generator;
        the same seed gives the same starting responsibilities as
        ``GaussianMixture``'s.
    warm_start : bool, default=False
        Start each ``fit`` from the previous posterior (``n_init``
        ignored); the priors are those of the new ``X``.
    verbose : int, default=0
        As scikit-learn's: 1 prints each start, every
        ``verbose_interval``-th iteration and whether it converged; 2 adds
        times, the change of the bound (``ll change``) and the last bound.
    verbose_interval : int, default=10
        The number of iterations between two printed reports.

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
        E[pi_k] (for the sticks, divided by their sum). Every fitted array
        is float32 when ``X`` is float32, else float64.
    means_ : ndarray of shape (n_components, n_features)
        The posterior means m_k of the means.
    covariances_ : ndarray
        W_k^{-1} / nu_k, shaped by ``covariance_type``.
    precisions_ : ndarray
        The matrices nu_k W_k = E[Lambda_k], the inverses of
        ``covariances_``.
    precisions_cholesky_ : ndarray
        Their Cholesky factors, shaped as ``covariances_``.
    weight_concentration_prior_ : float
        The concentration gamma or alpha_0.
    weight_concentration_ : ndarray or tuple of ndarray
        The Dirichlet's alpha_k, or the sticks' (a_k, b_k).
    mean_precision_prior_ : float
        The mean precision beta_0.
    mean_precision_ : ndarray of shape (n_components,)
        The mean precisions beta_k.
    mean_prior_ : ndarray of shape (n_features,)
        The prior mean m_0.
    degrees_of_freedom_prior_ : float
        The degrees of freedom nu_0.
    degrees_of_freedom_ : ndarray of shape (n_components,) or float
        The degrees of freedom nu_k (one number for "tied").
    covariance_prior_ : float or ndarray
        W_0^{-1}.
    converged_ : bool
        True if the kept start converged before ``max_iter``.
    n_iter_ : int
        The number of iterations of the kept start.
    lower_bound_ : float
        The lower bound of scikit-learn, of the kept start after its last
        iteration (a total, with its constant terms left out).
    lower_bounds_ : list of float
        That bound after every iteration of the kept start.
    full_lower_bound_ : float
        Not in scikit-learn. The full variational bound on ln p(X),
        Bishop 10.70-10.77, after the last iteration
        (:func:`gmm_teach.elbo.full_lower_bound`); -inf without iterations.
    full_lower_bounds_ : list of float
        Not in scikit-learn. The full bound after every iteration. Without
        ``reg_covar`` it is ``lower_bounds_`` plus a constant
        (:func:`gmm_teach.elbo.bound_gap`).
    n_effective_components_ : int
        Not in scikit-learn (its issue 7729 asks for it). The number of
        components with N_k >= 1: those given at least one sample's worth
        of responsibility at the last M-step. N_k is read from the
        posterior, N_k = alpha_k - alpha_0 (Dirichlet) or a_k - 1
        (sticks); a component below one sample has kept (nearly) its prior.
    n_features_in_ : int
        The number of features seen by ``fit``.

    Notes
    -----
    What differs from scikit-learn 1.9's ``BayesianGaussianMixture``, and
    why:

    - Random draws come from a NumPy Generator, as in ``GaussianMixture``,
      so a seed gives other starts than scikit-learn's. From the same
      starting responsibilities every fitted attribute and every
      ``lower_bounds_`` entry agree to round-off (``tests/test_bayesian.py``
      checks 1e-10 relative).
    - ``score_samples`` is scikit-learn's: the log-sum-exp of the E-step's
      ln rho_ik, which is neither the predictive density nor that of the
      fitted means and covariances (scikit-learn's issue 10148); the
      predictive density is :meth:`predictive_score_samples`.
    - float32 data are fitted in float64, the attributes stored as float32;
      ``lower_bound_`` is a float for every covariance type (scikit-learn's
      is an array of one number for "tied").
    - The priors are refused when infinite (scikit-learn takes an infinite
      ``mean_precision_prior``, and its fit then returns NaN), and a
      spherical ``covariance_prior`` must be a number.
    - Errors begin with scikit-learn's sentences, then give the package's
      guidance; the other differences are those of ``GaussianMixture``.
    """

    _parameter_constraints = PARAMETER_CONSTRAINTS
    _bound_name = "lower bound"

    def __init__(
        self,
        *,
        n_components=1,
        covariance_type="full",
        tol=1e-3,
        reg_covar=1e-6,
        max_iter=100,
        n_init=1,
        init_params="kmeans",
        weight_concentration_prior_type="dirichlet_process",
        weight_concentration_prior=None,
        mean_precision_prior=None,
        mean_prior=None,
        degrees_of_freedom_prior=None,
        covariance_prior=None,
        random_state=None,
        warm_start=False,
        verbose=0,
        verbose_interval=10,
    ):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weight_concentration_prior_type = weight_concentration_prior_type
        self.weight_concentration_prior = weight_concentration_prior
        self.mean_precision_prior = mean_precision_prior
        self.mean_prior = mean_prior
        self.degrees_of_freedom_prior = degrees_of_freedom_prior
        self.covariance_prior = covariance_prior
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval

    # ------------------------------------------------ the priors

    def _check_parameters(self, X):
        """Check the priors against ``X``; set the ``*_prior_`` attributes.

        The defaults come from ``X`` (in float64), stored in its dtype.
        """
        d = X.shape[1]
        defaults = variational.default_priors(
            np.asarray(X, dtype=float), self.n_components, self.covariance_type
        )
        given = self.weight_concentration_prior, self.mean_precision_prior
        self.weight_concentration_prior_, self.mean_precision_prior_ = (
            default if value is None else value
            for value, default in zip(given, defaults[:2], strict=True)
        )
        if self.mean_prior is None:
            self.mean_prior_ = defaults.mean.astype(X.dtype)
        else:
            self.mean_prior_ = _init_array(self.mean_prior, "mean_prior")
            _check_shape(self.mean_prior_, (d,), "means", "mean_prior")
        nu0 = self.degrees_of_freedom_prior
        if nu0 is not None and not nu0 > d - 1.0:
            raise ValueError(
                "The parameter 'degrees_of_freedom_prior' should be greater "
                f"than {d - 1}, but got {nu0:.3f}. degrees_of_freedom_prior "
                f"must be > n_features - 1 = {d - 1}, as the Wishart prior "
                "needs; None gives n_features."
            )
        self.degrees_of_freedom_prior_ = defaults[3] if nu0 is None else nu0
        if self.covariance_prior is None:
            self.covariance_prior_ = np.asarray(
                defaults.covariance, dtype=X.dtype
            )[()]
        else:
            self.covariance_prior_ = _check_covariance_prior(
                self.covariance_prior, self.covariance_type, d
            )

    def _priors(self):
        """The ``*_prior_`` attributes as the core takes them, float64."""
        return Priors(
            float(self.weight_concentration_prior_),
            float(self.mean_precision_prior_),
            np.asarray(self.mean_prior_, dtype=float),
            float(self.degrees_of_freedom_prior_),
            np.asarray(self.covariance_prior_, dtype=float),
        )

    # ------------------------------------------------ fitting

    def _m_step(self, X, resp, priors):
        """The statistics of ``resp`` and the posterior they give."""
        statistics = variational.gaussian_statistics(
            X, resp, self.covariance_type, self.reg_covar
        )
        posterior = variational.m_step(
            statistics,
            priors,
            self.covariance_type,
            self.weight_concentration_prior_type,
        )
        return statistics, posterior

    def _start(self, X, rng, user):
        """One variational M-step from ``init_params``'s responsibilities."""
        self._warn_few_distinct(X)  # as scikit-learn's KMeans
        resp = initial_responsibilities(
            X, self.n_components, self.init_params, rng
        )
        return self._m_step(X, resp, self._priors())[1]

    def _previous_fit(self, X):
        """The fitted posterior in float64: a warm start on ``X``."""
        self._check_n_features(X)
        return self._posterior()

    def _fit_once(self, X, start, index, lower_bound):
        """One variational run from the posterior ``start``."""
        progress = _Progress(
            self.verbose, self.verbose_interval, index, 1, lower_bound
        )
        priors, kind = self._priors(), covariance.get(self.covariance_type)
        prior_type = self.weight_concentration_prior_type
        posterior, bounds, full_bounds = start, [], []
        converged = False
        for n_iter in range(1, self.max_iter + 1):
            log_resp = variational.e_step(
                X, posterior, self.covariance_type, prior_type
            )
            statistics, posterior = self._m_step(X, np.exp(log_resp), priors)
            bound = elbo.lower_bound(
                log_resp, posterior, self.covariance_type, prior_type
            )
            nk, xk, sk = statistics  # the full bound: S_k w/o reg_covar
            scatter = kind.add_reg_covar(sk, -self.reg_covar)
            full_bounds.append(
                elbo.full_lower_bound(
                    log_resp,
                    (nk, xk, scatter),
                    posterior,
                    priors,
                    self.covariance_type,
                    prior_type,
                )
            )
            change, lower_bound = bound - lower_bound, bound
            bounds.append(bound)
            progress(n_iter, SimpleNamespace(previous_log_likelihood=bound))
            if abs(change) < self.tol:
                converged = True
                break
        if self.max_iter > 0:  # as scikit-learn: no end line without a run
            progress._end(converged)
        return VariationalResult(
            posterior, bounds, full_bounds, len(bounds), converged
        )

    @staticmethod
    def _final_bound(result, X):
        return result.lower_bounds[-1] if result.n_iter else -np.inf

    def _set_fitted(self, result, X):
        """Store the fitted attributes in the dtype of ``X`` (float32/64)."""
        post, dtype = result.posterior, X.dtype
        prior_type = self.weight_concentration_prior_type
        kind = covariance.get(self.covariance_type)
        concentration = post.weight_concentration
        weights = variational.expected_weights(concentration, prior_type)
        if prior_type == "dirichlet_process":
            self.weight_concentration_ = tuple(
                c.astype(dtype) for c in concentration
            )
            counts = concentration[0] - 1.0  # a_k = 1 + N_k
        else:
            self.weight_concentration_ = concentration.astype(dtype)
            counts = concentration - self.weight_concentration_prior_
        arrays = {
            "weights_": weights,
            "mean_precision_": post.mean_precision,
            "means_": post.means,
            "degrees_of_freedom_": np.asarray(post.degrees_of_freedom),
            "covariances_": post.covariances,
            "precisions_cholesky_": post.precisions_cholesky,
            "precisions_": kind.precisions(post.precisions_cholesky),
        }
        for name, value in arrays.items():
            setattr(self, name, value.astype(dtype)[()])
        self.converged_ = result.converged
        self.n_iter_ = result.n_iter
        self.lower_bounds_ = list(np.asarray(result.lower_bounds, dtype))
        self.lower_bound_ = (
            self.lower_bounds_[-1] if result.n_iter else -np.inf
        )
        self.full_lower_bounds_ = list(result.full_lower_bounds)
        self.full_lower_bound_ = (
            result.full_lower_bounds[-1] if result.n_iter else -np.inf
        )
        self.n_effective_components_ = int(np.sum(counts >= 1.0))
        self.n_features_in_ = X.shape[1]

    # ------------------------------------------------ using a fitted mixture

    def _posterior(self):
        """The fitted posterior, float64, as the core takes it."""
        concentration = self.weight_concentration_
        if isinstance(concentration, tuple):
            concentration = tuple(np.asarray(c, float) for c in concentration)
        else:
            concentration = np.asarray(concentration, float)
        return Posterior(
            concentration,
            *(
                np.asarray(getattr(self, name), dtype=float)
                for name in (
                    "mean_precision_",
                    "means_",
                    "degrees_of_freedom_",
                    "covariances_",
                    "precisions_cholesky_",
                )
            ),
        )

    def _weighted_log_prob(self, X):
        """ln rho_ik = E[ln pi_k] + E[ln N(x_i | ...)] of a checked X."""
        return variational.weighted_log_prob(
            np.asarray(X, dtype=float),
            self._posterior(),
            self.covariance_type,
            self.weight_concentration_prior_type,
        )

    def predictive_score_samples(self, X):
        """Compute ln p(x_i | X_train), the posterior predictive density.

        Not in scikit-learn. Bishop 10.81: a mixture of Student's t
        distributions with weights ``weights_``
        (:func:`gmm_teach.predictive.predictive_log_density`); unlike
        :meth:`score_samples`, it integrates to one over x and is the
        density a new point is expected to have.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The data, one sample per row, with the features the mixture was
            fitted on.

        Returns
        -------
        log_density : ndarray of shape (n_samples,)
            The log predictive density of each sample.
        """
        X = self._check_X(X)
        values = predictive_log_density(
            np.asarray(X, dtype=float),
            self._posterior(),
            self.covariance_type,
            self.weight_concentration_prior_type,
        )
        return self._in_dtype(values, X)
