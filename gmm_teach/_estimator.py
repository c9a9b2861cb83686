"""What makes an estimator of the package a drop-in for scikit-learn's.

The estimators (:class:`gmm_teach.GaussianMixture`) take data and options as
scikit-learn's do, with scikit-learn's messages; the teaching functions of
:mod:`gmm_teach._validation` stay lenient (a 1-D array is one feature). Here:
the data matrix, a user's start and seeds as scikit-learn reads them,
:class:`BaseEstimator` (``get_params``, ``repr``, tags, the fitted check) and
what ``verbose`` prints, as scikit-learn's mixtures do; the constraints on
options are in :mod:`gmm_teach._options`. A reader of the algorithm can skip
this module.
"""

import inspect
import sys
import time

import numpy as np

from gmm_teach.exceptions import NotFittedError

# ------------------------------------------------- the estimator's data

FLOAT_DTYPES = (np.float64, np.float32)  # kept; other dtypes become float64


def _is_sparse(X):
    """True for a SciPy sparse matrix or array (so SciPy is loaded)."""
    sparse = sys.modules.get("scipy.sparse")
    return sparse is not None and sparse.issparse(X)


def _numeric_array(X, name):
    """``X`` as a real array of numbers, float32 or float64, of any shape."""
    if _is_sparse(X):
        raise TypeError(
            f"Sparse data was passed for {name}, but dense data is required. "
            "Use '.toarray()' to convert to a dense numpy array. A mixture "
            f"reads every entry of {name}: pass {name}.toarray()."
        )
    X = np.asarray(X)
    if np.iscomplexobj(X):
        raise ValueError(
            f"Complex data not supported: {name} must hold real numbers, "
            f"got dtype {X.dtype}. Keep {name}.real, or put the real and "
            "imaginary parts in separate features."
        )
    if X.dtype in FLOAT_DTYPES:
        return X
    try:  # numbers written as strings are read, as in scikit-learn
        return X.astype(np.float64)
    except (TypeError, ValueError) as error:  # text, objects
        kind = ValueError if X.dtype.kind in "USV" else TypeError
        raise kind(
            f"{error}. {name} must be an array of numbers: convert or drop "
            "the columns that are not numbers."
        ) from None


def _not_2d_message(X, name, caller):
    if X.ndim > 2:
        return (
            f"Found array with dim {X.ndim}, while dim <= 2 is required by "
            f"{caller}. {name} must be a 2-D array of shape "
            f"(n_samples, n_features), got shape {X.shape}."
        )
    kind = "scalar" if X.ndim == 0 else "1D"
    return (
        f"Expected 2D array, got {kind} array instead:\narray={X}.\n"
        "Reshape your data either using array.reshape(-1, 1) if your data "
        "has a single feature or array.reshape(1, -1) if it contains a "
        f"single sample. {name} must be a 2-D array of shape "
        "(n_samples, n_features)."
    )


NO_NAN = "does not accept missing values encoded as NaN natively."


def _check_all_finite(X, name, caller=None, allow_nan=False):
    """Raise as scikit-learn's ``check_array`` does for NaN or infinity.

    The message names the input only for an estimator's data (``caller``
    given), as scikit-learn's does; not for ``*_init``. With ``allow_nan``
    (an estimator that takes missing values) only infinity is refused.
    """
    bad = np.isinf(X) if allow_nan else ~np.isfinite(X)
    if not bad.any():
        return
    kind = f"infinity or a value too large for {X.dtype!r}."
    if not allow_nan and np.isnan(X).any():
        kind = "NaN." if caller is None else f"NaN.\n{caller} {NO_NAN}"
    expected, found = "finite numbers", "NaN or infinite"
    if allow_nan:
        expected, found = "finite numbers or NaN (missing values)", "infinite"
    raise ValueError(
        f"Input {name + ' ' if caller else ''}contains {kind} {name} must "
        f"contain only {expected}, got {bad.sum()} {found} value(s): drop or "
        "fill in (impute) those entries first."
    )


def check_data_matrix(
    X,
    name="X",
    min_samples=1,
    caller="GaussianMixture",
    n_components=1,
    allow_nan=False,
):
    """Return ``X`` as scikit-learn's estimators take it: finite, 2-D, float.

    Stricter than :func:`check_array`, as scikit-learn's ``check_array`` is:
    sparse, complex, text and 1-D input is refused, with scikit-learn's
    sentence first in the message; float32 stays float32, other dtypes
    become float64.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data given to the estimator.
    name : str, default="X"
        The argument's name, for the messages.
    min_samples : int, default=1
        The fewest samples accepted (``fit`` needs 2).
    caller : str, default="GaussianMixture"
        The estimator's name, for the messages.
    n_components : int, default=1
        ``fit`` asks for at least one sample per component.
    allow_nan : bool, default=False
        Accept NaN (a missing value); infinity is still refused.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The data, float32 or float64.
    """
    X = _numeric_array(X, name)
    if X.ndim != 2:
        raise ValueError(_not_2d_message(X, name, caller))
    for axis, what, minimum in ((0, "sample", min_samples), (1, "feature", 1)):
        if X.shape[axis] < minimum:
            raise ValueError(
                f"Found array with {X.shape[axis]} {what}(s) "
                f"(shape={X.shape}) while a minimum of {minimum} is required "
                f"by {caller}. {name} must have at least {minimum} {what}(s)."
            )
    # the one check of X's values
    _check_all_finite(X, name, caller, allow_nan)
    if X.shape[0] < n_components:
        raise ValueError(
            "Expected n_samples >= n_components but got n_components = "
            f"{n_components}, n_samples = {X.shape[0]}. {name} must have at "
            f"least n_components={n_components} samples, got {X.shape[0]}: "
            "use fewer components or more data."
        )
    return X


# ------------------------------------------------- a user's start (*_init)


def _init_array(values, name, allow_nd=False):
    """A ``*_init`` as scikit-learn's ``check_array(ensure_2d=False)``."""
    values = _numeric_array(values, name)
    if values.ndim >= 3 and not allow_nd:
        raise ValueError(
            f"Found array with dim {values.ndim}, while dim <= 2 is required."
            f" {name} has the shape {values.shape}."
        )
    _check_all_finite(values, name)
    return values


def _check_shape(values, shape, what, name):
    if values.shape != shape:
        raise ValueError(
            f"The parameter '{what}' should have the shape of {shape}, but "
            f"got {values.shape}. {name} must have shape {shape}, got "
            f"{values.shape}."
        )


def _check_weights_init(weights, n_components):
    weights = _init_array(weights, "weights_init")
    _check_shape(weights, (n_components,), "weights", "weights_init")
    low, high = weights.min(), weights.max()
    if low < 0 or high > 1:
        # scikit-learn's sentence prints the minimum as "max value"
        raise ValueError(
            "The parameter 'weights' should be in the range [0, 1], but got "
            f"max value {low:.5f}, min value {high:.5f}. (The two values are "
            "the other way round.) weights_init must be nonnegative and sum "
            f"to one, got min {low:.3g} and max {high:.3g}."
        )
    atol = 1e-6 if weights.dtype == np.float32 else 1e-8
    if abs(1.0 - float(weights.sum())) > atol:
        raise ValueError(
            "The parameter 'weights' should be normalized, but got "
            f"sum(weights) = {weights.sum():.5f}. weights_init must sum to "
            "one: divide it by its sum."
        )
    return weights


def _check_precisions_init(precisions, kind, shape):
    name, what = "precisions_init", f"{kind} precision"
    precisions = _init_array(precisions, name, allow_nd=kind == "full")
    _check_shape(precisions, shape, what, name)
    if kind in ("full", "tied"):
        matrices = precisions.reshape(-1, *shape[-2:])
        symmetric = np.isclose(matrices, np.swapaxes(matrices, 1, 2)).all()
        if not (symmetric and np.all(np.linalg.eigvalsh(matrices) > 0)):
            raise ValueError(
                f"'{what}' should be symmetric, positive-definite. {name} "
                "must be positive definite: each matrix is the inverse of a "
                "covariance matrix."
            )
    elif np.any(precisions <= 0.0):
        raise ValueError(
            f"'{what}' should be positive. {name} must be positive: its "
            "entries are the inverses of variances."
        )
    return precisions


def check_user_start(start, kind, n_components, n_features):
    """Check a user's start (``*_init``) as scikit-learn does, with its words.

    Parameters
    ----------
    start : tuple of (array-like or None)
        The user's starting weights (in [0, 1], summing to one), means and
        precisions (inverse covariances, shaped by ``kind`` as the
        covariances are); None for a part not given.
    kind : {"full", "tied", "diag", "spherical"}
        The covariance type.
    n_components : int
        The number of components K.
    n_features : int
        The number of features of ``X``.

    Returns
    -------
    start : tuple of (ndarray or None)
        (weights, means, precisions) as float64, None for a part not given.
    """
    K, d = n_components, n_features
    weights, means, precisions = start
    if weights is not None:
        weights = _check_weights_init(weights, K)
    if means is not None:
        means = _init_array(means, "means_init")
        _check_shape(means, (K, d), "means", "means_init")
    if precisions is not None:
        shape = {"full": (K, d, d), "tied": (d, d), "diag": (K, d)}
        shape = shape.get(kind, (K,))
        precisions = _check_precisions_init(precisions, kind, shape)
    start = weights, means, precisions
    return tuple(None if p is None else p.astype(float) for p in start)


def to_generator(random_state):
    """Return a NumPy Generator from a scikit-learn style ``random_state``.

    An int s gives ``numpy.random.default_rng(s)``. A ``RandomState`` gives a
    Generator seeded with one integer drawn from it: ``RandomState(0)`` always
    gives the same draws, and each use moves the RandomState on, as in
    scikit-learn. None draws that integer from NumPy's global RandomState, so
    ``numpy.random.seed`` applies, as in scikit-learn. A Generator (which
    scikit-learn 1.9 refuses) is used as it is.

    Parameters
    ----------
    random_state : int, RandomState, Generator or None
        The estimator's ``random_state``, already checked (a NumPy
        ``RandomState`` or ``Generator``).

    Returns
    -------
    rng : numpy.random.Generator
        The generator every random draw of a fit comes from.
    """
    if random_state is None:  # scikit-learn's None: the global RandomState
        seed = np.random.randint(2**32, dtype=np.uint64)  # noqa: NPY002
        return np.random.default_rng(seed)
    if isinstance(random_state, np.random.RandomState):
        seed = random_state.randint(2**32, dtype=np.uint64)
        return np.random.default_rng(seed)
    return np.random.default_rng(random_state)


# ------------------------------------------------- scikit-learn's conventions


class BaseEstimator:
    """The conventions of scikit-learn that every estimator here follows.

    A subclass lists its options as keyword arguments of ``__init__`` that
    it stores unchanged, as scikit-learn requires, and sets ``means_`` and
    ``n_features_in_`` when it is fitted.
    """

    @classmethod
    def _param_names(cls):
        signature = inspect.signature(cls.__init__)
        return [name for name in signature.parameters if name != "self"]

    def get_params(self, deep=True):
        """Get the constructor arguments (scikit-learn's API).

        Parameters
        ----------
        deep : bool, default=True
            Accepted for scikit-learn's API; no argument is an estimator.

        Returns
        -------
        params : dict
            Each constructor argument's name mapped to its value.
        """
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params):
        """Set constructor arguments (scikit-learn's API).

        Parameters
        ----------
        **params : dict
            New values of constructor arguments, by name.

        Returns
        -------
        self : object
            This estimator, with the new values.
        """
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for "
                    f"{type(self).__name__}; valid: {valid}"
                )
            setattr(self, name, value)
        return self

    def __repr__(self):
        parameters = inspect.signature(type(self).__init__).parameters
        defaults = {name: p.default for name, p in parameters.items()}
        changed = [
            f"{name}={value!r}"
            for name, value in self.get_params().items()
            if not (
                value is defaults[name]
                or (np.isscalar(value) and value == defaults[name])
            )
        ]
        return f"{type(self).__name__}({', '.join(changed)})"

    def __sklearn_tags__(self):
        """scikit-learn's estimator tags (for ``Pipeline``, ``GridSearchCV``).

        Only scikit-learn calls this, so importing it here adds no dependency.

        Returns
        -------
        tags : sklearn.utils.Tags
            A density estimator that needs no target.
        """
        from sklearn.utils import Tags, TargetTags

        return Tags(
            estimator_type="density_estimator",
            target_tags=TargetTags(required=False),
        )

    def __sklearn_is_fitted__(self):
        return hasattr(self, "means_")

    def _check_is_fitted(self):
        if not self.__sklearn_is_fitted__():
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. "
                "Call 'fit' with appropriate arguments before using this "
                "estimator. Fit it on data first: model.fit(X)."
            )

    def _check_n_features(self, X):
        """Raise unless ``X`` has the features the model was fitted on."""
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is "
                f"expecting {self.n_features_in_} features as input. Pass "
                "data with the features it was fitted on."
            )

    def _check_X(self, X):
        """``X`` for a fitted model: 2-D, with the features it was fit on."""
        self._check_is_fitted()
        X = check_data_matrix(X)
        self._check_n_features(X)
        return X


# ------------------------------------------------- verbose, as scikit-learn


class _Progress:
    """What scikit-learn's mixtures print with ``verbose`` for one start:
    its number; every ``interval``-th iteration (2: the time since the last
    line, the change of the bound per sample); whether it converged (2: its
    time, its last bound). The instance is the callback of ``em._em``."""

    def __init__(self, verbose, interval, index, n_samples, bound):
        self.verbose, self.interval, self.n = verbose, interval, n_samples
        self.bound, self.start = bound, time.time()
        self.last = self.start
        if verbose:
            print(f"Initialization {index}")

    def __call__(self, iteration, state):
        bound = state.previous_log_likelihood / self.n
        change, self.bound = bound - self.bound, bound
        if self.verbose and iteration % self.interval == 0:
            now, line = time.time(), f"  Iteration {iteration}"
            if self.verbose >= 2:
                line += (
                    f"\t time lapse {now - self.last:.5f}s\t ll change "
                    f"{change:.5f}"
                )
            self.last = now
            print(line)

    def _end(self, converged):
        if self.verbose:
            status = "converged" if converged else "did not converge"
            line = f"Initialization {status}."
            if self.verbose >= 2:
                line += (
                    f" time lapse {time.time() - self.start:.5f}s\t lower "
                    f"bound {self.bound:.5f}."
                )
            print(line)
