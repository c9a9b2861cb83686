"""``BaseMixture``: what every mixture estimator of the package shares.

As scikit-learn's ``sklearn.mixture._base.BaseMixture``: the ``n_init``
starts and the warm start, keeping the run with the highest final bound, the
``ConvergenceWarning``, the collapse error, the labels of ``fit_predict``
(those of ``predict`` on the kept parameters), ``predict``,
``predict_proba``, ``score_samples``, ``score``, ``sample`` and the float32
handling. What a fit does between a start and its last iteration is the
subclass's: :class:`gmm_teach.GaussianMixture` runs EM (chapter 10),
:class:`gmm_teach.BayesianGaussianMixture` variational inference. A reader
of the algorithm can skip this module.
"""

import warnings

import numpy as np

from gmm_teach._estimator import (
    BaseEstimator,
    check_data_matrix,
    to_generator,
)
from gmm_teach._options import check_constraints
from gmm_teach._validation import check_positive_int
from gmm_teach.covariance import NOT_POSITIVE_DEFINITE, full_covariances
from gmm_teach.em import _responsibilities, log_sum_exp
from gmm_teach.exceptions import (
    FEW_DISTINCT,
    ILL_DEFINED,
    ConvergenceWarning,
    _stacklevel_outside_package,
)
from gmm_teach.patterns import check_incomplete_array


class BaseMixture(BaseEstimator):
    """The fitting loop and the methods of a fitted mixture, for subclasses.

    A subclass sets ``_parameter_constraints`` (its constructor arguments'
    constraints, see :mod:`gmm_teach._options`) and ``_bound_name`` (what
    ``tol`` is compared with, for the warning), has the constructor
    arguments ``n_components``, ``covariance_type``, ``max_iter``, ``tol``,
    ``n_init``, ``random_state`` and ``warm_start``, and implements these
    hooks, each on float64 data already checked:

    - ``_check_parameters(X)``: check the options that depend on the data
      (the priors of the Bayesian mixture), once per fit, before any
      start; by default there are none;
    - ``_user_start(n_features)``: the user's checked start options, read
      once per fit; by default there are none (None);
    - ``_start(X, rng, user)``: one new start, drawn from ``rng``;
    - ``_previous_fit(X)``: a warm start, from the fitted attributes;
    - ``_fit_once(X, start, index, lower_bound)``: one run from
      ``start``, the ``index``-th; its result has ``n_iter`` and
      ``converged``; the first change is measured from ``lower_bound``;
    - ``_final_bound(result, X)``: the bound that ranks the runs;
    - ``_set_fitted(result, X)``: store the fitted attributes (``means_``
      among them) in the dtype of ``X``;
    - ``_weighted_log_prob(X)``: the (n, K) log-weights plus
      log-densities of a fitted mixture, whose softmax over k gives the
      responsibilities and whose log-sum-exp gives ``score_samples``.
    """

    def _validate_params(self):
        """Check every constructor argument against the subclass's table."""
        check_constraints(
            self.get_params(),
            self._parameter_constraints,
            caller=type(self).__name__,
        )

    # a subclass that marginalises missing values (NaN) sets it True
    _allow_nan = False

    def __sklearn_tags__(self):
        """scikit-learn's tags, saying whether NaN is accepted."""
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = self._allow_nan
        return tags

    def _check_data(self, X, fitting=False):
        """The one check of ``X`` per call; ``fitting`` asks for 2 samples
        and ``n_components``. With ``_allow_nan``, NaN is a missing value,
        and a row (or, to fit, a column) with nothing observed is refused."""
        sizes = {"min_samples": 2, "n_components": self.n_components}
        X = check_data_matrix(
            X,
            caller=type(self).__name__,
            allow_nan=self._allow_nan,
            **(sizes if fitting else {}),
        )
        if self._allow_nan and np.isnan(X).any():
            check_incomplete_array(X, check_columns=fitting)
        return X

    def _check_X(self, X):
        """``X`` for a fitted model: 2-D, with the features it was fit on."""
        self._check_is_fitted()
        X = self._check_data(X)
        self._check_n_features(X)
        return X

    # ------------------------------------------------ fitting

    def _check_parameters(self, X):
        """Check the options that depend on ``X``: none by default."""

    def _user_start(self, n_features):
        """The user's checked start options: none by default."""

    def _warn_few_distinct(self, X):
        """Warn as scikit-learn's KMeans does when X has fewer distinct
        points than components (``init_params="kmeans"`` only)."""
        n_distinct = len(np.unique(X, axis=0))
        if self.init_params == "kmeans" and n_distinct < self.n_components:
            message = FEW_DISTINCT.format(n_distinct, self.n_components)
            level = _stacklevel_outside_package()
            warnings.warn(message, ConvergenceWarning, stacklevel=level)

    def _runs(self, X):
        """One run per start: ``n_init`` new starts, or one warm start."""
        if self.warm_start and hasattr(self, "means_"):
            # on from the previous fit; the first change is from its bound
            previous = self._previous_fit(X)
            yield self._fit_once(X, previous, 0, self.lower_bound_)
            return
        rng = to_generator(self.random_state)
        user = self._user_start(X.shape[1])
        for index in range(self.n_init):
            yield self._fit_once(X, self._start(X, rng, user), index, -np.inf)

    def _best_run(self, X):
        """The run with the highest final bound, the first of equals, as in
        scikit-learn (with max_iter=0 all are -inf and the last is kept)."""
        best, best_bound = None, -np.inf
        for result in self._runs(X):
            bound = self._final_bound(result, X)
            if bound > best_bound or best_bound == -np.inf:
                best, best_bound = result, bound
        return best

    def _warn_not_converged(self):
        warnings.warn(
            "Best performing initialization did not converge. Try "
            "different init parameters, or increase max_iter, tol, or "
            "check for degenerate data. Only the kept start (the best "
            "of the runs) is reported: it stopped at "
            f"max_iter={self.max_iter} iterations before the change of "
            f"its {self._bound_name} fell below tol={self.tol:g}.",
            ConvergenceWarning,
            stacklevel=_stacklevel_outside_package(),
        )

    def fit_predict(self, X, y=None):
        """Fit the mixture (the best of ``n_init`` starts) and label X.

        The labels are ``predict(X)`` of the kept parameters, whatever
        ``max_iter`` and ``tol``, as in scikit-learn.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The data, one sample per row; at least 2 samples, and at least
            ``n_components``.
        y : None
            Ignored; present for scikit-learn's API.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            The most responsible component of each sample.
        """
        # the one check of X; below, only unchecked work-horses
        self._validate_params()
        # float32 or float64, at least 2 samples and n_components
        X = self._check_data(X, fitting=True)
        self._check_parameters(X)
        try:
            best = self._best_run(np.asarray(X, dtype=float))  # in float64
        except ValueError as error:  # a collapse: scikit-learn's words first
            if not str(error).startswith(NOT_POSITIVE_DEFINITE.split("{")[0]):
                raise
            raise ValueError(f"{ILL_DEFINED} {error}") from None
        if not best.converged and self.max_iter > 0:
            self._warn_not_converged()
        self._set_fitted(best, X)
        return self._predict_proba(X).argmax(axis=1)  # (n,) predict(X)

    def fit(self, X, y=None):
        """Fit the mixture (the best of ``n_init`` starts).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The data, one sample per row; at least 2 samples, and at least
            ``n_components``.
        y : None
            Ignored; present for scikit-learn's API.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self.fit_predict(X, y)
        return self

    # ------------------------------------------------ using a fitted mixture

    def _in_dtype(self, values, X):
        """float32 results for float32 data on a float32 fit (scikit-learn)."""
        return values.astype(np.result_type(X, self.means_), copy=False)

    def _predict_proba(self, X):
        """Responsibilities of a checked ``X``, (n, K), in the dtype of X."""
        resp, _ = _responsibilities(self._weighted_log_prob(X))
        return self._in_dtype(resp, X)

    def predict_proba(self, X):
        """Predict the responsibilities r_ik of the components for each x_i.

        Bayes' rule, chapter 3, eq. (3.1), normalised in log space: the
        softmax over k of the weighted log-probabilities (for
        ``GaussianMixture`` log pi_k + log N(x_i | mu_k, Sigma_k)).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The data, one sample per row, with the features the mixture was
            fitted on.

        Returns
        -------
        resp : ndarray of shape (n_samples, n_components)
            The posterior probability of each component for each sample.
        """
        return self._predict_proba(self._check_X(X))

    def predict(self, X):
        """Predict the most responsible component argmax_k r_ik of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The data, one sample per row, with the features the mixture was
            fitted on.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            The component labels.
        """
        return self.predict_proba(X).argmax(axis=1)

    def score_samples(self, X):
        """Compute log sum_k exp(w_ik), w the weighted log-probabilities.

        For ``GaussianMixture``, w_ik = log pi_k + log N(x_i | mu_k,
        Sigma_k) and this is log p(x_i), the terms of chapter 4, eq. (4.1);
        for ``BayesianGaussianMixture``, w_ik = ln rho_ik of its E-step.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The data, one sample per row, with the features the mixture was
            fitted on.

        Returns
        -------
        log_prob : ndarray of shape (n_samples,)
            The log-sum-exp of each sample's weighted log-probabilities.
        """
        X = self._check_X(X)
        return self._in_dtype(log_sum_exp(self._weighted_log_prob(X)), X)

    def score(self, X, y=None):
        """Compute the mean of :meth:`score_samples` over the samples.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The data, one sample per row, with the features the mixture was
            fitted on.
        y : None
            Ignored; present for scikit-learn's API.

        Returns
        -------
        log_likelihood : float
            The mean of :meth:`score_samples` over the samples.
        """
        return float(self.score_samples(X).mean())

    def sample(self, n_samples=1):
        """Draw from the mixture, with the rows grouped by component.

        As scikit-learn's: the counts per component are drawn at once,
        counts ~ Multinomial(n_samples, pi), then that many points from
        each N(mu_k, Sigma_k); the rows of component 0 come first, then
        those of component 1, and so on. Shuffle them before taking a
        subset: ``X[:m]`` holds the first components only.

        Parameters
        ----------
        n_samples : int, default=1
            The number of samples to draw.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            The samples.
        y : ndarray of shape (n_samples,)
            The component each sample came from.
        """
        self._check_is_fitted()
        if isinstance(n_samples, (int, np.integer)) and n_samples < 1:
            raise ValueError(
                f"Invalid value for 'n_samples': {n_samples} . The sampling "
                "requires at least one sample. Ask for n_samples >= 1."
            )
        n_samples = check_positive_int(n_samples, "n_samples")
        rng = to_generator(self.random_state)
        weights = self.weights_.astype(float)  # float32 sums to 1 less exactly
        counts = rng.multinomial(n_samples, weights / weights.sum())
        covariances = full_covariances(
            self.covariances_,
            self.covariance_type,
            len(self.weights_),
            self.n_features_in_,
        )
        X = np.vstack(
            [
                rng.multivariate_normal(mu, cov, size=c)
                for mu, cov, c in zip(
                    self.means_, covariances, counts, strict=True
                )
            ]
        )
        y = np.repeat(np.arange(len(counts)), counts)
        return X, y
