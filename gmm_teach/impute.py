"""Filling in missing values with a Gaussian mixture (chapter 11).

If the data follow the fitted mixture, the best guess of a missing
coordinate (in mean squared error) is its conditional expectation given the
observed ones::

    E[x_i,u | x_i,o] = sum_k r_ik x_hat_ik,u
    x_hat_ik,u = mu_k,u + Sigma_k,uo Sigma_k,oo^{-1} (x_i,o - mu_k,o)

each component's regression of the missing coordinates on the observed
ones, eq. (11.2) (:mod:`gmm_teach.conditional`), weighted by the
responsibilities of the observed values, eq. (11.4)
(:mod:`gmm_teach.missing`). Mean imputation,
:func:`gmm_teach.patterns.fill_with_means`, ignores both.
:class:`GaussianMixtureImputer` does this as a scikit-learn transformer (not
in scikit-learn).
"""

import numpy as np

from gmm_teach._estimator import BaseEstimator, check_data_matrix
from gmm_teach._options import BOOLEAN, check_constraints
from gmm_teach._validation import check_weights
from gmm_teach.conditional import _expectations
from gmm_teach.missing import (
    _check_components,
    _e_step,
    _grouped,
    _prepared,
)
from gmm_teach.model import PARAMETER_CONSTRAINTS, GaussianMixture


def conditional_means(X, means, covariances, covariance_type="full"):
    """Fill each row's missing values with their mean under each component.

    x_hat_ik,u = mu_k,u + Sigma_k,uo Sigma_k,oo^{-1}
    (x_i,o - mu_k,o), the regression of the missing coordinates on the
    observed ones; observed values are kept.

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
    X_hat : ndarray of shape (n_components, n_samples, n_features)
        ``X_hat[k]`` is ``X`` with each NaN replaced by its conditional mean
        under component k.
    """
    grouped = _grouped(X, means, covariances, covariance_type)
    return _expectations(*grouped, covariance_type)[0]


def _impute(X, weights, means, covariances, covariance_type):
    """Unchecked: each NaN replaced by sum_k r_ik x_hat_ik, (n, d)."""
    X, patterns, weights, means, factors, kind = _prepared(
        X, weights, means, covariances, covariance_type
    )
    resp, _ = _e_step(X, patterns, weights, means, factors, kind)
    X_hat, _ = _expectations(X, patterns, means, covariances, factors, kind)
    expected = np.einsum("ik,kid->id", resp, X_hat)  # (n, d)
    return np.where(np.isnan(X), expected, X)


def impute(X, weights, means, covariances, covariance_type="full"):
    """Fill each NaN with its conditional expectation under the mixture.

    E[x_i,u | x_i,o] = sum_k r_ik x_hat_ik,u: the conditional means of
    each component, eq. (11.2), weighted by the responsibilities of the
    observed values, eq. (11.4). Observed values are returned unchanged.

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
    X_filled : ndarray of shape (n_samples, n_features)
        ``X`` with every NaN replaced by its conditional expectation.
    """
    X, means, covariances = _check_components(
        X, means, covariances, covariance_type
    )
    weights = check_weights(weights, len(means))
    return _impute(X, weights, means, covariances, covariance_type)


class GaussianMixtureImputer(BaseEstimator):
    """Fill in missing values with their expectation under a Gaussian mixture.

    Chapter 11. Not in scikit-learn. ``fit`` fits a
    :class:`gmm_teach.GaussianMixture` by exact EM on the data with their
    holes; ``transform`` replaces each NaN by sum_k r_ik x_hat_ik,u, each
    component's regression on the row's observed values weighted by their
    responsibilities (:func:`~gmm_teach.impute.impute`). A scikit-learn
    transformer: it works in a ``Pipeline``, with ``clone``, ``pickle`` and
    ``GridSearchCV``.

    Parameters
    ----------
    n_components : int, default=1
        The number of mixture components K; with 1, each missing value is a
        linear regression on the observed ones.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        As :class:`gmm_teach.GaussianMixture`'s. "diag" and "spherical"
        fill each NaN with the mean of its feature in each component: the
        features are independent given the component.
    tol : float, default=1e-3
        As :class:`gmm_teach.GaussianMixture`'s.
    reg_covar : float, default=1e-6
        As :class:`gmm_teach.GaussianMixture`'s.
    max_iter : int, default=100
        As :class:`gmm_teach.GaussianMixture`'s.
    n_init : int, default=1
        As :class:`gmm_teach.GaussianMixture`'s.
    init_params : {"kmeans", "k-means++", "random", "random_from_data"}, \
            default="kmeans"
        As :class:`gmm_teach.GaussianMixture`'s (on mean-filled data).
    weights_init : array-like of shape (n_components,), default=None
        As :class:`gmm_teach.GaussianMixture`'s.
    means_init : array-like of shape (n_components, n_features), \
            default=None
        As :class:`gmm_teach.GaussianMixture`'s.
    precisions_init : array-like, default=None
        As :class:`gmm_teach.GaussianMixture`'s.
    random_state : int, RandomState, Generator or None, default=None
        As :class:`gmm_teach.GaussianMixture`'s.
    warm_start : bool, default=False
        Refit ``mixture_`` from its previous solution.
    verbose : int, default=0
        As :class:`gmm_teach.GaussianMixture`'s.
    verbose_interval : int, default=10
        As :class:`gmm_teach.GaussianMixture`'s.
    add_indicator : bool, default=False
        As in scikit-learn's imputers: append one column of 0/1 per feature
        that had a missing value in ``fit``, 1 where it is missing.

    Attributes
    ----------
    mixture_ : GaussianMixture
        The mixture fitted on the data with their holes.
    indicator_features_ : ndarray of shape (n_indicators,)
        The features that had a missing value in ``fit``: those the
        indicator columns (``add_indicator``) describe, in this order.
    n_iter_ : int
        The number of EM iterations of ``mixture_``.
    n_features_in_ : int
        The number of features seen by ``fit``.

    Notes
    -----
    Only NaN marks a missing value. ``fit`` leaves out the rows with
    nothing observed (they carry no information); ``transform`` fills such
    a row with the mixture's mean sum_k pi_k mu_k, the expectation given
    nothing. A feature with nothing observed in ``fit`` is refused, as is
    any infinite value.
    """

    def __init__(
        self,
        n_components=1,
        *,
        covariance_type="full",
        tol=1e-3,
        reg_covar=1e-6,
        max_iter=100,
        n_init=1,
        init_params="kmeans",
        weights_init=None,
        means_init=None,
        precisions_init=None,
        random_state=None,
        warm_start=False,
        verbose=0,
        verbose_interval=10,
        add_indicator=False,
    ):
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
        self.add_indicator = add_indicator

    def __sklearn_tags__(self):
        """scikit-learn's tags: a transformer that takes NaN, needs no y."""
        tags = super().__sklearn_tags__()
        from sklearn.utils import TransformerTags

        tags.estimator_type = None
        tags.transformer_tags = TransformerTags(
            preserves_dtype=["float64", "float32"]
        )
        tags.input_tags.allow_nan = True
        return tags

    def __sklearn_is_fitted__(self):
        return hasattr(self, "mixture_")

    def _mixture(self):
        """The mixture to fit: ``mixture_`` again for a warm start."""
        names = GaussianMixture._param_names()
        options = {name: getattr(self, name) for name in names}
        if self.warm_start and hasattr(self, "mixture_"):
            return self.mixture_.set_params(**options)
        return GaussianMixture(**options)

    def fit(self, X, y=None):
        """Fit the mixture by exact EM on ``X`` and its missing values.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The data, NaN where a value is missing.
        y : None
            Ignored; present for scikit-learn's API.

        Returns
        -------
        self : GaussianMixtureImputer
            The fitted imputer.
        """
        constraints = {**PARAMETER_CONSTRAINTS, "add_indicator": BOOLEAN}
        check_constraints(self.get_params(), constraints, type(self).__name__)
        X = check_data_matrix(
            X, caller=type(self).__name__, allow_nan=True, min_samples=2
        )
        holes = np.isnan(X)  # (n, d)
        self.mixture_ = self._mixture().fit(X[~holes.all(axis=1)])
        self.n_iter_ = self.mixture_.n_iter_
        self.indicator_features_ = np.flatnonzero(holes.any(axis=0))
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        """Replace each NaN by its conditional expectation under the mixture.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The data, NaN where a value is missing, with the features the
            imputer was fitted on.

        Returns
        -------
        X_filled : ndarray of shape (n_samples, n_features + n_indicators)
            ``X`` with no NaN left (observed values unchanged), then the
            indicator columns if ``add_indicator``; in the dtype of ``X``
            (float32 or float64).
        """
        self._check_is_fitted()
        X = check_data_matrix(X, caller=type(self).__name__, allow_nan=True)
        self._check_n_features(X)
        holes = np.isnan(X)  # (n, d)
        filled = self._fill(np.asarray(X, dtype=float), holes)
        if self.add_indicator:
            indicators = holes[:, self.indicator_features_]
            filled = np.hstack([filled, indicators])
        return filled.astype(X.dtype, copy=False)

    def _fill(self, X, holes):
        """Unchecked: ``X`` (float64) with each NaN filled, (n, d)."""
        mixture = self.mixture_
        parameters = (mixture.weights_, mixture.means_, mixture.covariances_)
        weights, means, covariances = (
            np.asarray(p, dtype=float) for p in parameters
        )
        empty = holes.all(axis=1)  # nothing observed: E[x] = sum pi_k mu_k
        X = X.copy()
        X[empty] = weights @ means
        partial = holes.any(axis=1) & ~empty
        if not partial.any():
            return X
        X[partial] = _impute(
            X[partial], weights, means, covariances, self.covariance_type
        )
        return X

    def get_feature_names_out(self, input_features=None):
        """Return the names of the columns that :meth:`transform` returns.

        As scikit-learn's imputers name them: the input features, then,
        with ``add_indicator``, ``missingindicator_<name>`` for each feature
        of ``indicator_features_``.

        Parameters
        ----------
        input_features : array-like of str, default=None
            The names of the input features; ``x0``, ``x1``, ... if None.

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per output column.
        """
        self._check_is_fitted()
        if input_features is None:
            names = [f"x{j}" for j in range(self.n_features_in_)]
        else:
            names = list(input_features)
            if len(names) != self.n_features_in_:
                raise ValueError(
                    "input_features should have length equal to number of "
                    f"features ({self.n_features_in_}), got {len(names)}"
                )
        if self.add_indicator:
            names += [
                f"missingindicator_{names[j]}"
                for j in self.indicator_features_
            ]
        return np.asarray(names, dtype=object)

    def fit_transform(self, X, y=None):
        """Fit the mixture on ``X``, then fill in the missing values of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The data, NaN where a value is missing.
        y : None
            Ignored; present for scikit-learn's API.

        Returns
        -------
        X_filled : ndarray of shape (n_samples, n_features + n_indicators)
            As :meth:`transform`.
        """
        return self.fit(X, y).transform(X)
