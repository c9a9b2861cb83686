"""``GaussianMixture``: the book's functions behind scikit-learn's interface (chapter 10).

Swap it for scikit-learn's with one import line: the constructor arguments, defaults, methods and
fitted attributes are scikit-learn's. Every number comes from the functions the book derives:
:func:`gmm_teach.init.initial_parameters`, :func:`gmm_teach.em.em`, :func:`gmm_teach.em.e_step`.
"""

import inspect
import warnings

import numpy as np

from gmm_teach import covariance, selection
from gmm_teach._validation import (
    check_array,
    check_choice,
    check_covariance_type,
    check_covariances,
    check_means,
    check_nonnegative_float,
    check_positive_int,
    check_random_state,
    check_samples,
    check_weights,
)
from gmm_teach.em import e_step, em, log_evidence
from gmm_teach.exceptions import ConvergenceWarning, NotFittedError
from gmm_teach.gaussian import cholesky_precisions, full_covariances
from gmm_teach.init import METHODS, initial_parameters


def _precisions_from_cholesky(prec_chol, covariance_type):
    """Sigma^{-1} = U U^T from the precision Cholesky factors."""
    return covariance.get(covariance_type).precisions(prec_chol)


def _covariances_from_precisions(precisions, covariance_type):
    """Sigma = P^{-1}, for a user's ``precisions_init`` (checked positive definite first)."""
    kind = covariance.get(covariance_type)
    return kind.covariances_from_precisions(precisions, name="precisions_init")


class GaussianMixture:
    """A Gaussian mixture fitted by EM, with scikit-learn's interface (chapter 10).

    Parameters
    ----------
    n_components : int, default 1
    covariance_type : {"full", "tied", "diag", "spherical"}, default "full"
    tol : float, default 1e-3
        EM stops when the mean log-likelihood per sample changes by less than ``tol``.
    reg_covar : float, default 1e-6
        Added to the diagonal of every covariance.
    max_iter : int, default 100
    n_init : int, default 1
        Starts to try; the one with the highest final log-likelihood is kept.
    init_params : {"kmeans", "k-means++", "random", "random_from_data"}, default "kmeans"
    weights_init, means_init, precisions_init : arrays, optional
        A user-given start; replaces the corresponding part of ``init_params``'s start.
    random_state : None, int or numpy.random.Generator
    warm_start : bool, default False
        Start each ``fit`` from the previous solution (then ``n_init`` is ignored).
    verbose : int, default 0
        1 prints each start and every ``verbose_interval`` iterations; 2 adds the change.
    verbose_interval : int, default 10

    Attributes
    ----------
    weights_, means_, covariances_, precisions_, precisions_cholesky_ : arrays
    converged_ : bool
    n_iter_ : int
    lower_bound_ : float
        The best start's final mean log-likelihood per sample.
    lower_bounds_ : list of float
        Its mean log-likelihood per sample at every iteration.
    n_features_in_ : int
    """

    def __init__(self, n_components=1, *, covariance_type="full", tol=1e-3, reg_covar=1e-6,
                 max_iter=100, n_init=1, init_params="kmeans", weights_init=None, means_init=None,
                 precisions_init=None, random_state=None, warm_start=False, verbose=0,
                 verbose_interval=10):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval

    # ------------------------------------------------------------ scikit-learn conventions

    @classmethod
    def _param_names(cls):
        return [name for name in inspect.signature(cls.__init__).parameters if name != "self"]

    def get_params(self, deep=True):
        """The constructor arguments, as a dict (scikit-learn's estimator API)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params):
        """Set constructor arguments; returns ``self`` (scikit-learn's estimator API)."""
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"Invalid parameter {name!r} for GaussianMixture; valid: {valid}")
            setattr(self, name, value)
        return self

    def __repr__(self):
        defaults = {name: p.default for name, p in inspect.signature(type(self).__init__).parameters.items()}
        changed = [f"{name}={value!r}" for name, value in self.get_params().items()
                   if not (value is defaults[name] or (np.isscalar(value) and value == defaults[name]))]
        return f"GaussianMixture({', '.join(changed)})"

    def __sklearn_tags__(self):
        """scikit-learn's estimator tags, for ``Pipeline`` and ``GridSearchCV``.

        Only scikit-learn calls this, so importing it here adds no dependency to the package.
        """
        from sklearn.utils import Tags, TargetTags

        return Tags(estimator_type="density_estimator", target_tags=TargetTags(required=False))

    def __sklearn_is_fitted__(self):
        return hasattr(self, "means_")

    def _check_is_fitted(self):
        if not self.__sklearn_is_fitted__():
            raise NotFittedError(
                "This GaussianMixture instance is not fitted yet. Call 'fit' with data first."
            )

    def _check_X(self, X):
        self._check_is_fitted()
        X = check_array(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but this GaussianMixture was fitted with "
                f"{self.n_features_in_}"
            )
        return X

    def _validate_params(self):
        check_positive_int(self.n_components, "n_components")
        check_covariance_type(self.covariance_type)
        check_nonnegative_float(self.tol, "tol")
        check_nonnegative_float(self.reg_covar, "reg_covar")
        check_positive_int(self.max_iter, "max_iter", minimum=0)
        check_positive_int(self.n_init, "n_init")
        check_choice(self.init_params, "init_params", METHODS)

    # ------------------------------------------------------------ fitting

    def _start(self, X, rng):
        """The starting (weights, means, covariances): init_params, then the user's *_init."""
        K, d = self.n_components, X.shape[1]
        user = (self.weights_init, self.means_init, self.precisions_init)
        if all(part is not None for part in user):
            weights, means, covariances = None, None, None
        else:
            weights, means, covariances = initial_parameters(
                X, K, self.init_params, covariance_type=self.covariance_type,
                reg_covar=self.reg_covar, random_state=rng)
        if self.weights_init is not None:
            weights = check_weights(self.weights_init, K, name="weights_init")
        if self.means_init is not None:
            means = check_means(self.means_init, K, d, name="means_init")
        if self.precisions_init is not None:
            precisions = check_covariances(self.precisions_init, self.covariance_type, K, d,
                                           name="precisions_init")
            covariances = _covariances_from_precisions(precisions, self.covariance_type)
        return weights, means, covariances

    def _printer(self, start_index):
        """A callback for ``em`` that reports progress as scikit-learn's ``verbose`` does."""
        if self.verbose:
            print(f"Initialization {start_index}")

        def report(iteration, state):
            if self.verbose and iteration % self.verbose_interval == 0:
                extra = f"\t log-likelihood {state.previous_log_likelihood:.6g}" if self.verbose >= 2 else ""
                print(f"  Iteration {iteration}{extra}")

        return report

    def _fit_once(self, X, start, index, lower_bound):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # warned once, for the kept start
            return em(X, *start, covariance_type=self.covariance_type, max_iter=self.max_iter,
                      tol=self.tol, reg_covar=self.reg_covar, callback=self._printer(index),
                      lower_bound=lower_bound)

    def fit_predict(self, X, y=None):
        """Fit by EM (keeping the best of ``n_init`` starts) and return each sample's component.

        A final E-step with the kept parameters gives the labels, so they agree with ``predict``.
        """
        self._validate_params()
        X = check_array(X)
        check_samples(X, self.n_components)
        warm = self.warm_start and hasattr(self, "means_")
        rng = check_random_state(self.random_state)
        best = None
        for index in range(1 if warm else self.n_init):
            if warm:  # go on from the previous fit, measuring the first change from its bound
                result = self._fit_once(X, (self.weights_, self.means_, self.covariances_), index,
                                        self.lower_bound_)
            else:
                result = self._fit_once(X, self._start(X, rng), index, -np.inf)
            if best is None or self._final_bound(result, X) > self._final_bound(best, X):
                best = result
        if not best.converged and self.max_iter > 0:
            warnings.warn(
                f"GaussianMixture did not converge in max_iter={self.max_iter} iterations. Raise "
                "max_iter or tol, or check the data.", ConvergenceWarning, stacklevel=2)
        self._set_fitted(best, X)
        return best.responsibilities.argmax(axis=1)

    @staticmethod
    def _final_bound(result, X):
        if result.n_iter == 0:
            return -np.inf
        return result.log_likelihoods[-1] / X.shape[0]

    def _set_fitted(self, result, X):
        self.weights_, self.means_, self.covariances_ = result.weights, result.means, result.covariances
        self.precisions_cholesky_ = cholesky_precisions(self.covariances_, self.covariance_type)
        self.precisions_ = _precisions_from_cholesky(self.precisions_cholesky_, self.covariance_type)
        self.converged_ = result.converged
        self.n_iter_ = result.n_iter
        self.lower_bounds_ = list(result.log_likelihoods / X.shape[0])
        self.lower_bound_ = self.lower_bounds_[-1] if self.lower_bounds_ else -np.inf
        self.n_features_in_ = X.shape[1]

    def fit(self, X, y=None):
        """Fit the mixture to ``X`` (array of shape (n_samples, n_features)); returns ``self``."""
        self.fit_predict(X, y)
        return self

    # ------------------------------------------------------------ using a fitted mixture

    def _params(self):
        return self.weights_, self.means_, self.covariances_, self.covariance_type

    def predict_proba(self, X):
        """Responsibilities r_ik (chapter 3, eq. (3-resp)), shape (n_samples, n_components)."""
        return e_step(self._check_X(X), *self._params())[0]

    def predict(self, X):
        """The most responsible component of each sample: argmax_k r_ik, shape (n_samples,)."""
        return self.predict_proba(X).argmax(axis=1)

    def score_samples(self, X):
        """log p(x_i) = log sum_k pi_k N(x_i | mu_k, Sigma_k) per sample, shape (n_samples,)."""
        return log_evidence(self._check_X(X), *self._params())

    def score(self, X, y=None):
        """The mean log-likelihood per sample, l(theta) / n."""
        return float(self.score_samples(X).mean())

    def sample(self, n_samples=1):
        """Draw from the mixture by ancestral sampling (chapter 2): z ~ pi, then x ~ N(mu_z, Sigma_z).

        Returns
        -------
        X : array of shape (n_samples, n_features)
        y : array of shape (n_samples,), the component each sample came from
        """
        self._check_is_fitted()
        n_samples = check_positive_int(n_samples, "n_samples")
        rng = check_random_state(self.random_state)
        counts = rng.multinomial(n_samples, self.weights_)  # how many from each component
        covariances = full_covariances(self.covariances_, self.covariance_type, len(self.weights_),
                                       self.n_features_in_)
        X = np.vstack([rng.multivariate_normal(mu, cov, size=c)
                       for mu, cov, c in zip(self.means_, covariances, counts)])
        y = np.repeat(np.arange(len(counts)), counts)
        return X, y

    def bic(self, X):
        """Bayesian information criterion -2 n score + p ln n (chapter 9); smaller is better."""
        return selection.bic(self._check_X(X), *self._params())

    def aic(self, X):
        """Akaike information criterion -2 n score + 2 p (chapter 9); smaller is better."""
        return selection.aic(self._check_X(X), *self._params())

