"""What makes an estimator of the package a drop-in for scikit-learn's.

The estimators (:class:`gmm_teach.GaussianMixture`) take data and options as
scikit-learn's do, with scikit-learn's messages; the teaching functions of
:mod:`gmm_teach._validation` stay lenient (a 1-D array is one feature). Here:
the data matrix and seeds as scikit-learn reads them, constraints on
constructor arguments, and :class:`BaseEstimator`, the conventions every
estimator shares (``get_params``, ``set_params``, ``repr``, scikit-learn's
tags, the fitted check). A reader of the algorithm can skip this module.
"""

import inspect
import numbers
import reprlib
import sys
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from gmm_teach import _validation
from gmm_teach.exceptions import InvalidParameterError, NotFittedError

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
            f"Use {name}.toarray() to convert to a dense numpy array."
        )
    X = np.asarray(X)
    if np.iscomplexobj(X):
        raise ValueError(
            f"Complex data not supported: {name} must hold real numbers, "
            f"got dtype {X.dtype}. Keep {name}.real, or put the real and "
            "imaginary parts in separate features."
        )
    if X.dtype.kind in "USV":
        raise ValueError(
            f"{name} must hold numbers, got dtype {X.dtype}: dtype='numeric' "
            "is not compatible with arrays of bytes/strings. Convert your "
            "data to numbers explicitly."
        )
    if X.dtype in FLOAT_DTYPES:
        return X
    try:
        return X.astype(np.float64)
    except (TypeError, ValueError) as error:  # objects that are not numbers
        message = f"{name} must be an array of numbers: {error}"
        raise TypeError(message) from None


def _not_2d_message(X, name):
    if X.ndim > 2:
        return (
            f"{name} must be a 2-D array of shape (n_samples, n_features), "
            f"got {X.ndim}-D with shape {X.shape}"
        )
    kind = "scalar" if X.ndim == 0 else "1D"
    return (
        f"{name} must be a 2-D array of shape (n_samples, n_features). "
        f"Expected 2D array, got {kind} array instead: shape {X.shape}. "
        f"Reshape your data with {name}.reshape(-1, 1) if it has one "
        f"feature, or {name}.reshape(1, -1) if it is one sample."
    )


def check_data_matrix(X, name="X", min_samples=1):
    """Return ``X`` as scikit-learn's estimators take it: finite, 2-D, float.

    Stricter than :func:`check_array`, as scikit-learn's ``check_array`` is:
    sparse, complex, string and 1-D input is refused, with scikit-learn's
    phrases in the message; float32 stays float32, other dtypes become
    float64.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data given to the estimator.
    name : str, default="X"
        The argument's name, for the messages.
    min_samples : int, default=1
        The fewest samples accepted (``fit`` needs 2).

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The data, float32 or float64.
    """
    X = _numeric_array(X, name)
    if X.ndim != 2:
        raise ValueError(_not_2d_message(X, name))
    for axis, what, minimum in ((0, "sample", min_samples), (1, "feature", 1)):
        if X.shape[axis] < minimum:
            raise ValueError(
                f"{name} must have at least {minimum} {what}(s): found array "
                f"with {X.shape[axis]} {what}(s) (shape={X.shape}) while a "
                f"minimum of {minimum} is required."
            )
    _validation.check_finite(X, name)  # the one check of X's values
    return X


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


# ------------------------------------------------- constraints on options


class Constraint(NamedTuple):
    """One form an option may take: a description for messages, a test.

    Parameters
    ----------
    description : str
        What the option may be, in words, as the messages say it.
    test : callable
        ``test(value)`` is True when ``value`` takes this form.
    """

    description: str
    test: Callable[[object], bool]


def _is_integer(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def integer(low, high=None):
    """Return the constraint: an int (not a bool) in [low, high].

    Parameters
    ----------
    low : int
        The smallest value allowed.
    high : int, default=None
        The largest value allowed; None for no upper bound.

    Returns
    -------
    constraint : Constraint
        The description and the test.
    """
    bounds = f">= {low}" if high is None else f"in [{low}, {high}]"
    return Constraint(
        f"an integer {bounds}",
        lambda v: _is_integer(v) and low <= v and (high is None or v <= high),
    )


def real(low):
    """Return the constraint: a finite real number (not a bool) >= low.

    Parameters
    ----------
    low : float
        The smallest value allowed.

    Returns
    -------
    constraint : Constraint
        The description and the test.
    """
    return Constraint(
        f"a finite number >= {low:g}",
        lambda v: _is_real(v) and bool(np.isfinite(v)) and v >= low,
    )


def one_of(options):
    """Return the constraint: one of the strings in ``options``.

    Parameters
    ----------
    options : sequence of str
        The strings allowed.

    Returns
    -------
    constraint : Constraint
        The description and the test.
    """
    return Constraint(
        "one of " + ", ".join(map(repr, options)),
        lambda v: isinstance(v, str) and v in options,
    )


def instance_of(kind, description):
    """Return the constraint: an instance of the class ``kind``.

    Parameters
    ----------
    kind : type or tuple of type
        The class (or classes) allowed.
    description : str
        The class in words, for the messages.

    Returns
    -------
    constraint : Constraint
        The description and the test.
    """
    return Constraint(description, lambda v: isinstance(v, kind))


def _is_array_like(value):
    if isinstance(value, str):
        return False
    return hasattr(value, "__len__") or hasattr(value, "__array__")


NONE = Constraint("None", lambda v: v is None)
BOOLEAN = instance_of((bool, np.bool_), "a bool")
ARRAY_LIKE = Constraint("an array-like", _is_array_like)


def _either(descriptions):
    """'a', 'a or b', 'a, b or c'."""
    *others, last = descriptions
    return f"{', '.join(others)} or {last}" if others else last


def check_constraints(options, constraints):
    """Raise for the first option that meets none of its constraints.

    The error names the option, says what it must be and what came.

    Parameters
    ----------
    options : dict
        Maps each option's name to its value.
    constraints : dict
        Maps the same names to lists of :class:`Constraint`; a value must
        meet one of its list.

    Raises
    ------
    InvalidParameterError
        For the first option that meets none of its constraints.
    """
    for name, allowed in constraints.items():
        value = options[name]
        if not any(constraint.test(value) for constraint in allowed):
            expected = _either([c.description for c in allowed])
            raise InvalidParameterError(
                f"{name} must be {expected}; got {reprlib.repr(value)}"
            )


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
                "Call 'fit' with data first."
            )

    def _check_n_features(self, X):
        """Raise unless ``X`` has the features the model was fitted on."""
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is "
                f"expecting {self.n_features_in_} features as input: pass "
                "data with the features it was fitted on."
            )

    def _check_X(self, X):
        """``X`` for a fitted model: 2-D, with the features it was fit on."""
        self._check_is_fitted()
        X = check_data_matrix(X)
        self._check_n_features(X)
        return X
