"""``GaussianMixture``: the book's functions behind scikit-learn's interface.

Swap it for scikit-learn's with one import line (chapter 10): the constructor
arguments, defaults, methods, fitted attributes, input checks, exceptions and
warnings are scikit-learn's (the class docstring lists what still differs).
Every number comes from the functions the book derives:
:func:`gmm_teach.init.initial_parameters`, :func:`gmm_teach.em.em`,
:func:`gmm_teach.em.e_step`. Each method checks its input once, as
scikit-learn's do, and then calls their unchecked work-horses
(``init._initial_parameters``, ``em._em``, ``em._log_joint``), so that ``X``
is checked once per call, not once per function on the way down. The loop
over starts and the methods of a fitted mixture are those every mixture
estimator shares (:class:`gmm_teach._mixture.BaseMixture`); this module
gives them EM's start, run and fitted attributes.
"""

import warnings

import numpy as np

from gmm_teach import covariance, missing, selection, stepwise
from gmm_teach._estimator import _Progress, check_user_start
from gmm_teach._mixture import BaseMixture
from gmm_teach._options import (
    ARRAY_LIKE,
    BOOLEAN,
    NONE,
    instance_of,
    integer,
    one_of,
    real,
)
from gmm_teach.covariance import COVARIANCE_TYPES
from gmm_teach.em import _em, _log_joint, log_sum_exp
from gmm_teach.exceptions import ConvergenceWarning
from gmm_teach.gaussian import cholesky_precisions
from gmm_teach.init import METHODS, _initial_parameters
from gmm_teach.patterns import fill_with_means

# What each constructor argument may be, as scikit-learn's
# ``_parameter_constraints`` says, in the package's own small vocabulary
# (gmm_teach._options). ``fit`` checks them all, through this table.
PARAMETER_CONSTRAINTS = {
    "n_components": [integer(1)],
    "covariance_type": [one_of(COVARIANCE_TYPES)],
    "tol": [real(0)],
    "reg_covar": [real(0)],
    "max_iter": [integer(0)],
    "n_init": [integer(1)],
    "init_params": [one_of(METHODS)],
    "weights_init": [ARRAY_LIKE, NONE],
    "means_init": [ARRAY_LIKE, NONE],
    "precisions_init": [ARRAY_LIKE, NONE],
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


def _has_holes(X):
    """True if ``X`` has a missing value (NaN)."""
    return bool(np.isnan(X).any())


def _is_dask(X):
    """True for a Dask array (without importing Dask)."""
    return type(X).__module__.split(".")[0] == "dask"


def _dask():
    """gmm_teach._dask, imported only for a Dask array (it loads Dask)."""
    from gmm_teach import _dask

    return _dask


def _engine(X):
    """The EM loop for ``X``: the same loop on a Dask array (chunk by chunk),
    on data with holes (the observed-data likelihood), or in memory."""
    if _is_dask(X):
        return _dask().em
    return missing._em if _has_holes(X) else _em


class GaussianMixture(BaseMixture):
    """A Gaussian mixture fitted by EM, with scikit-learn's interface.

    Chapter 10. ``fit`` checks every argument against
    ``gmm_teach.model.PARAMETER_CONSTRAINTS``.

    Parameters
    ----------
    n_components : int, default=1
        The number of mixture components K.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the covariances are constrained and stored (chapter 8).
    tol : float, default=1e-3
        EM stops when the mean log-likelihood per sample changes by less
        than ``tol``.
    reg_covar : float, default=1e-6
        Added to the diagonal of every covariance.
    max_iter : int, default=100
        The most EM iterations per start.
    n_init : int, default=1
        Starts to try; the one with the highest ``lower_bound_`` (its mean
        log-likelihood per sample before its last M-step) is kept.
    init_params : {"kmeans", "k-means++", "random", "random_from_data"}, \
            default="kmeans"
        How each start is built (chapter 7).
    weights_init : array-like of shape (n_components,), default=None
        User-given starting weights; they replace those of ``init_params``.
    means_init : array-like of shape (n_components, n_features), \
            default=None
        User-given starting means; they replace those of ``init_params``.
    precisions_init : array-like, default=None
        User-given starting precisions (inverse covariances), shaped by
        ``covariance_type`` as ``covariances_`` is; they replace the
        covariances of ``init_params``.
    random_state : int, RandomState, Generator or None, default=None
        Every random draw (starts, ``sample``) comes from a NumPy Generator.
        An int s gives ``numpy.random.default_rng(s)``. A RandomState gives
        a Generator seeded with one integer drawn from it, so
        ``RandomState(0)`` always gives the same fit. None draws that
        integer from NumPy's global RandomState, so ``numpy.random.seed``
        applies, as in scikit-learn. A Generator is used as it is (each fit
        moves it on).
    warm_start : bool, default=False
        Start each ``fit`` from the previous solution (``n_init`` ignored).
    verbose : int, default=0
        As scikit-learn's: 1 prints each start, every ``verbose_interval``-th
        iteration and whether the start converged; 2 adds the time since
        the last printed line, the change of the mean log-likelihood per
        sample (``ll change``) and the start's last ``lower bound``.
    verbose_interval : int, default=10
        The number of iterations between two printed reports.

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
        The mixing weights pi_k. Every fitted array is float32 when ``X``
        is float32 (as in scikit-learn), else float64.
    means_ : ndarray of shape (n_components, n_features)
        The component means mu_k.
    covariances_ : ndarray
        The covariances Sigma_k, shaped by ``covariance_type``: "full"
        (n_components, n_features, n_features), "tied"
        (n_features, n_features), "diag" (n_components, n_features),
        "spherical" (n_components,).
    precisions_ : ndarray
        The precisions Sigma_k^{-1}, shaped as ``covariances_``.
    precisions_cholesky_ : ndarray
        The precision Cholesky factors U_k (chapter 2), shaped as
        ``covariances_``.
    converged_ : bool
        True if the kept start converged before ``max_iter``.
    n_iter_ : int
        The number of EM iterations of the kept start.
    lower_bound_ : float
        The kept start's mean log-likelihood per sample before its last
        M-step.
    lower_bounds_ : list of float
        Its mean log-likelihood per sample at every iteration:
        ``lower_bounds_[t]`` is that of the parameters after t M-steps.
    n_features_in_ : int
        The number of features seen by ``fit``.
    n_steps_ : int
        Not in scikit-learn: the number of batches :meth:`partial_fit`
        has read since the start (as ``MiniBatchKMeans.n_steps_``).

    Notes
    -----
    Missing values (not in scikit-learn, which refuses NaN): ``fit``,
    ``fit_predict``, ``predict``, ``predict_proba``, ``score_samples``,
    ``score``, ``bic`` and ``aic`` take NaN as a missing value and integrate
    it out, exactly (chapter 11, :mod:`gmm_teach.missing`): the
    responsibilities and the scores come from the marginal density of each
    row's observed values, and EM maximises the observed-data
    log-likelihood, which ``lower_bounds_`` then record. A fit on data with
    NaN starts from the parameters that ``init_params`` gives on a copy of
    ``X`` with every NaN replaced by its column's mean (a ``*_init`` given
    replaces its part, as without NaN), then runs exact EM on the data with
    its holes. Infinite values, a row with nothing observed and, in
    ``fit``, a feature with nothing observed are refused. Without NaN every
    number is the one computed without this feature: the same code runs.

    What differs from scikit-learn 1.9's ``GaussianMixture``, and why:

    - Random draws come from a NumPy Generator, as in the book's functions,
      so a seed gives other starts and samples than scikit-learn's
      ``RandomState``, and ``"kmeans"`` starts come from the book's K-Means.
      From the same start (``*_init``) the fits agree to round-off
      (``tests/test_parity.py`` checks 1e-8 relative).
      scikit-learn refuses a Generator; this class takes one.
    - float32 data are fitted in float64 and the parameters stored as
      float32; scikit-learn computes in float32, so the two agree to float32
      precision, not bit for bit.
    - Every error and warning begins with scikit-learn's own sentences,
      word for word, then gives the package's guidance, except where they
      would be untrue here: ``random_state`` also lists the Generator;
      ``sample(0)`` shows ``n_samples`` (scikit-learn, ``n_components``);
      a collapse on float32 data does not ask for float64 (EM runs in
      float64); a bool for an integer option (refused) gets the sentence of
      a wrong option, not scikit-learn's bare "an integer is required".
    - It is not a subclass of scikit-learn's ``BaseEstimator``, since the
      package does not need scikit-learn: no HTML display, ``set_output``
      or metadata routing, no ``feature_names_in_`` (a DataFrame is read as
      an array), NumPy arrays only (no Array API).
    - ``fit`` leaves ``weights_init``, ``means_init`` and
      ``precisions_init`` as given.

    Not in scikit-learn: ``fit``, ``fit_predict``, ``predict``,
    ``predict_proba``, ``score_samples``, ``score``, ``bic`` and ``aic``
    take a Dask array (chapter 13, ``gmm_teach._dask``), and
    :meth:`partial_fit` runs stepwise EM on a stream of batches
    (:mod:`gmm_teach.stepwise`).
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

    _parameter_constraints = PARAMETER_CONSTRAINTS
    _bound_name = "mean log-likelihood per sample"
    _allow_nan = True  # missing values are marginalised (chapter 11)

    # ------------------------------------------------ fitting

    def _user_start(self, n_features):
        """The checked ``*_init``: (weights, means, covariances), None for a
        part not given; covariances are the inverses of ``precisions_init``.
        """
        given = self.weights_init, self.means_init, self.precisions_init
        kind = self.covariance_type
        weights, means, precisions = check_user_start(
            given, kind, self.n_components, n_features
        )
        if precisions is None:
            return weights, means, None
        # Sigma = P^{-1}, each P checked positive definite first
        covariances = covariance.get(kind).covariances_from_precisions(
            precisions, name="precisions_init"
        )
        return weights, means, covariances

    def _start(self, X, rng, user):
        """The start (weights, means, covariances): ``init_params``'s, with
        each part given in ``user`` (checked ``*_init``) in its place.
        """
        if all(part is not None for part in user):
            return user
        dask = _is_dask(X)
        if not dask:
            if _has_holes(X):  # a start from mean-filled data, then exact EM
                X = fill_with_means(X)
            self._warn_few_distinct(X)  # as scikit-learn's KMeans
        start = _dask().initial_parameters if dask else _initial_parameters
        drawn = start(
            X,
            self.n_components,
            self.init_params,
            self.covariance_type,
            self.reg_covar,
            rng,
        )
        return tuple(
            mine if mine is not None else theirs
            for mine, theirs in zip(user, drawn, strict=True)
        )

    def _previous_fit(self, X):
        """The fitted parameters in float64: a warm start on ``X``."""
        self._check_n_features(X)
        parameters = (self.weights_, self.means_, self.covariances_)
        return tuple(np.asarray(p, dtype=float) for p in parameters)

    def _fit_once(self, X, start, index, lower_bound):
        """One EM run from ``start`` on checked float64 ``X``."""
        progress = _Progress(
            self.verbose, self.verbose_interval, index, X.shape[0], lower_bound
        )
        with warnings.catch_warnings():
            # warned once, for the kept start
            warnings.simplefilter("ignore", ConvergenceWarning)
            run = _engine(X)
            result = run(
                X,
                start,
                self.covariance_type,
                self.reg_covar,
                max_iter=self.max_iter,
                tol=self.tol,
                callback=progress,
                lower_bound=lower_bound,
            )
        if self.max_iter > 0:  # as scikit-learn: no end line without EM
            progress._end(result.converged)
        return result

    @staticmethod
    def _final_bound(result, X):
        if result.n_iter == 0:
            return -np.inf
        return result.log_likelihoods[-1] / X.shape[0]

    def _set_fitted(self, result, X):
        """Store the fitted attributes in the dtype of ``X`` (float32/64)."""
        kind = covariance.get(self.covariance_type)
        prec_chol = cholesky_precisions(result.covariances, kind.name)
        parameters = {
            "weights_": result.weights,
            "means_": result.means,
            "covariances_": result.covariances,
            "precisions_cholesky_": prec_chol,
            # Sigma^{-1} = U U^T from the precision Cholesky factors
            "precisions_": kind.precisions(prec_chol),
        }
        for name, value in parameters.items():
            setattr(self, name, value.astype(X.dtype, copy=False))
        self.converged_ = result.converged
        self.n_iter_ = result.n_iter
        bounds = (result.log_likelihoods / X.shape[0]).astype(X.dtype)
        self.lower_bounds_ = list(bounds)
        self.lower_bound_ = bounds[-1] if len(bounds) else -np.inf
        self.n_features_in_ = X.shape[1]

    def fit(self, X, y=None):
        """Fit the mixture (the best of ``n_init`` starts).

        Not in scikit-learn: ``X`` may be a Dask array, split into chunks
        of rows (chapter 13). It is persisted, and each EM iteration is
        one pass over its chunks, on the ``distributed`` cluster of an
        active ``Client`` if there is one; from the same start the fit is
        the in-memory one to round-off. ``"random_from_data"`` and
        ``"random"`` start exactly as in memory; ``"kmeans"`` and
        ``"k-means++"`` too up to 100 000 rows, beyond on a sample of
        100 000 rows (not the in-memory start); ``*_init`` as in memory.
        See ``gmm_teach._dask``.

        Parameters
        ----------
        X : array-like or dask.array.Array of shape (n_samples, n_features)
            The data, one sample per row; at least 2 samples, and at least
            ``n_components``.
        y : None
            Ignored; present for scikit-learn's API.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        if _is_dask(X):
            return _dask().fit(self, X)
        return super().fit(X, y)

    def fit_predict(self, X, y=None):  # a Dask array or not
        if _is_dask(X):
            return self.fit(X).predict(X)
        return super().fit_predict(X, y)

    def partial_fit(
        self, X, y=None, *, learning_decay=0.7, learning_offset=10.0
    ):
        """Run one step of stepwise EM on the batch X.

        Not in scikit-learn (chapter 13, :mod:`gmm_teach.stepwise`). As
        ``MiniBatchKMeans.partial_fit``: the first call starts from this
        batch as ``fit`` would (``init_params`` or ``*_init``), later calls
        update, and the number of features is checked. Each call computes
        the batch's statistics with the current parameters, moves the
        running statistics a step eta_t towards them (eta_1 = 1, then
        eta_t = (learning_offset + t) ** -learning_decay) and takes their
        M-step. With ``learning_decay=0`` a call on the whole data is one
        EM iteration exactly. ``max_iter``, ``tol``, ``n_init`` and
        ``warm_start`` do not apply; ``lower_bound_`` is the batch's mean
        log-likelihood before the step, ``converged_`` is False.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            One batch, one sample per row (the first at least
            ``n_components`` rows), NaN where a value is missing (its
            statistics are then chapter 11's).
        y : None
            Ignored; present for scikit-learn's API.
        learning_decay : float, default=0.7
            How fast the steps shrink, in [0, 1] (the name and default of
            scikit-learn's online ``LatentDirichletAllocation``); 0 keeps
            every step at 1.
        learning_offset : float, default=10.0
            How much smaller the first steps are, at least 1.

        Returns
        -------
        self : object
            The updated estimator.
        """
        schedule = learning_decay, learning_offset
        return stepwise.partial_fit(self, X, *schedule)

    # ------------------------------------------------ using a fitted mixture

    def predict_proba(self, X):  # a Dask array or not
        if _is_dask(X):
            return _dask().predict_proba(self, X)
        return super().predict_proba(X)

    def score_samples(self, X):  # a Dask array or not
        if _is_dask(X):
            return _dask().score_samples(self, X)
        return super().score_samples(X)

    def _params(self):
        return (
            self.weights_,
            self.means_,
            self.covariances_,
            self.covariance_type,
        )

    def _in_float64(self, X):
        """(X, weights, means, covariances, covariance_type), in float64."""
        weights, means, covariances, covariance_type = self._params()
        X, weights, means, covariances = (
            np.asarray(a, dtype=float)
            for a in (X, weights, means, covariances)
        )
        return X, weights, means, covariances, covariance_type

    def _fitted(self, X):
        """Checked ``X`` and the fitted mixture as the work-horses take them.

        (X, weights, means, prec_chol, covariance_type), all in float64.
        """
        X, weights, means, covariances, covariance_type = self._in_float64(X)
        prec_chol = cholesky_precisions(covariances, covariance_type)
        return X, weights, means, prec_chol, covariance_type

    def _weighted_log_prob(self, X):
        """log pi_k + log N(x_i | mu_k, Sigma_k) of a checked ``X``, (n, K);
        with NaN, the marginal density of each row's observed values."""
        if not _has_holes(X):
            return _log_joint(*self._fitted(X))
        return missing._log_joint(*missing._prepared(*self._in_float64(X)))

    def _total_log_likelihood(self, X):
        """l = sum_i log p(x_i) of a checked ``X``, eq. (4.1) (of the
        observed values, where ``X`` has NaN)."""
        return float(log_sum_exp(self._weighted_log_prob(X)).sum())

    def _criterion_terms(self, X):
        """(l, nu, n) of ``X``, a Dask array or not: the total
        log-likelihood, the free parameters, the samples."""
        if _is_dask(X):  # one pass over the chunks; X is never gathered
            ll = _dask().total_log_likelihood(self, X)
        else:
            X = self._check_X(X)
            ll = self._total_log_likelihood(X)
        nu = selection.n_parameters(
            self.n_components, X.shape[1], self.covariance_type
        )
        return ll, nu, X.shape[0]

    def bic(self, X):
        """Compute the Bayesian information criterion -2 n score + nu ln n.

        Chapter 9, eq. (9.2): -2 l + nu ln n, where l = n score(X) is the
        total log-likelihood and nu the number of free parameters. Smaller is
        better.

        Parameters
        ----------
        X : array-like or dask.array.Array of shape (n_samples, n_features)
            The data, one sample per row, with the features the mixture was
            fitted on. A Dask array is read chunk by chunk, in one pass
            (not in scikit-learn).

        Returns
        -------
        bic : float
            The criterion; the smaller, the better.
        """
        return selection._bic(*self._criterion_terms(X))  # eq. (9.2)

    def aic(self, X):
        """Compute the Akaike information criterion -2 n score + 2 nu.

        Chapter 9, eq. (9.3): -2 l + 2 nu, where l = n score(X) is the total
        log-likelihood and nu the number of free parameters. Smaller is
        better.

        Parameters
        ----------
        X : array-like or dask.array.Array of shape (n_samples, n_features)
            The data, one sample per row, with the features the mixture was
            fitted on. A Dask array is read chunk by chunk, in one pass
            (not in scikit-learn).

        Returns
        -------
        aic : float
            The criterion; the smaller, the better.
        """
        return selection._aic(*self._criterion_terms(X))  # eq. (9.3)
