"""Input checks shared by every public function.

Each check raises ``ValueError`` or ``TypeError`` with a message that names the
argument, says what was expected and what came.
"""

import numbers
import reprlib
import sys
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from gmm_teach import covariance
from gmm_teach.covariance import COVARIANCE_TYPES  # noqa: F401 (re-exported)
from gmm_teach.exceptions import InvalidParameterError


def check_finite(a, name):
    """Return ``a`` as a float array of any shape, checked finite.

    Parameters
    ----------
    a : array-like
        Numbers of any shape.
    name : str
        The argument's name, for the messages.

    Returns
    -------
    a : ndarray
        ``a`` as a float64 array of the same shape.

    Raises
    ------
    TypeError
        If ``a`` holds something that is not a number.
    ValueError
        If ``a`` holds NaN or an infinite value.
    """
    try:
        a = np.asarray(a, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name} must be an array of numbers, got {type(a).__name__}"
        ) from error
    if not np.all(np.isfinite(a)):
        bad = int(np.sum(~np.isfinite(a)))
        raise ValueError(
            f"{name} must contain only finite numbers, got {bad} NaN or "
            "infinite value(s)"
        )
    return a


def check_array(X, name="X", ndim=2):
    """Return ``X`` as a finite, non-empty float array of ``ndim`` dimensions.

    The teaching functions' check: lenient, a 1-D ``X`` is one feature.

    Parameters
    ----------
    X : array-like
        The array to check.
    name : str, default="X"
        The argument's name, for the messages.
    ndim : int, default=2
        The number of dimensions expected. With 2, a 1-D input becomes a
        column, of shape (n_samples, 1).

    Returns
    -------
    X : ndarray
        ``X`` as a float64 array with ``ndim`` dimensions.
    """
    X = check_finite(X, name)
    if ndim == 2 and X.ndim == 1:
        X = X[:, np.newaxis]
    if X.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-D array, got {X.ndim}-D with shape "
            f"{X.shape}"
        )
    if X.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {X.shape}")
    return X


def check_positive_int(value, name, minimum=1):
    """Return ``value`` as an int, checked to be an integer >= ``minimum``.

    Parameters
    ----------
    value : int
        The value to check; a bool is refused.
    name : str
        The argument's name, for the messages.
    minimum : int, default=1
        The smallest value allowed.

    Returns
    -------
    value : int
        ``value`` as a Python int.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer, got {type(value).__name__} {value!r}"
        )
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_nonnegative_float(value, name):
    """Return ``value`` as a float, checked to be a finite number >= 0.

    Parameters
    ----------
    value : float
        The value to check; a bool is refused.
    name : str
        The argument's name, for the messages.

    Returns
    -------
    value : float
        ``value`` as a Python float.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a number, got {type(value).__name__} {value!r}"
        )
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    return float(value)


def check_choice(value, name, choices):
    """Return ``value`` if it is one of ``choices``, else raise.

    Parameters
    ----------
    value : object
        The value to check.
    name : str
        The argument's name, for the messages.
    choices : sequence
        The values allowed.

    Returns
    -------
    value : object
        ``value``, unchanged.
    """
    if value not in choices:
        raise ValueError(
            f"{name} must be one of {', '.join(map(repr, choices))}; got "
            f"{value!r}"
        )
    return value


def check_covariance_type(covariance_type):
    """Return ``covariance_type`` if it names a covariance type, else raise.

    Parameters
    ----------
    covariance_type : str
        One of ``covariance.COVARIANCE_TYPES``.

    Returns
    -------
    covariance_type : str
        The name, unchanged.
    """
    return covariance.get(covariance_type).name


def check_samples(X, n_components, name="X", count_name="n_components"):
    """Raise if ``X`` has fewer samples than components (or clusters).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The checked data.
    n_components : int
        The number of components (or clusters) to fit.
    name : str, default="X"
        The data's name, for the messages.
    count_name : str, default="n_components"
        The name of the count, for the messages.
    """
    if X.shape[0] < n_components:
        raise ValueError(
            f"{name} must have at least {count_name}={n_components} samples, "
            f"got {X.shape[0]}"
        )


def check_weights(weights, n_components=None, name="weights"):
    """Return the mixing weights pi as a 1-D array, nonnegative, summing to 1.

    Parameters
    ----------
    weights : array-like of shape (n_components,)
        The mixing weights to check.
    n_components : int, default=None
        The number of components expected; None accepts any.
    name : str, default="weights"
        The argument's name, for the messages.

    Returns
    -------
    weights : ndarray of shape (n_components,)
        The weights as float64.
    """
    weights = check_array(weights, name, ndim=1)
    if n_components is not None and weights.shape != (n_components,):
        raise ValueError(
            f"{name} must have shape ({n_components},), got {weights.shape}"
        )
    if np.any(weights < 0):
        raise ValueError(
            f"{name} must be nonnegative, got min {weights.min():.3g}"
        )
    if not np.isclose(weights.sum(), 1.0, rtol=0, atol=1e-6):
        raise ValueError(
            f"{name} must sum to one, got sum {weights.sum():.6g}"
        )
    return weights


def check_means(means, n_components, n_features, name="means"):
    """Return the means mu, checked to have shape (n_components, n_features).

    Parameters
    ----------
    means : array-like of shape (n_components, n_features)
        The component means to check.
    n_components : int
        The number of components expected.
    n_features : int
        The number of features expected.
    name : str, default="means"
        The argument's name, for the messages.

    Returns
    -------
    means : ndarray of shape (n_components, n_features)
        The means as float64.
    """
    means = check_array(means, name, ndim=2)
    if means.shape != (n_components, n_features):
        raise ValueError(
            f"{name} must have shape "
            f"(n_components, n_features) = ({n_components}, {n_features}), "
            f"got {means.shape}"
        )
    return means


def check_covariances(
    covariances, covariance_type, n_components, n_features, name="covariances"
):
    """Return the covariances, finite, symmetric and shaped by their type.

    Positive definiteness is checked where the Cholesky factor is taken
    (:func:`gmm_teach.gaussian.cholesky_precisions`).

    Parameters
    ----------
    covariances : array-like
        The covariances, shaped by ``covariance_type``: "full"
        (n_components, n_features, n_features), "tied"
        (n_features, n_features), "diag" (n_components, n_features),
        "spherical" (n_components,).
    covariance_type : {"full", "tied", "diag", "spherical"}
        How the covariances are stored.
    n_components : int
        The number of components expected.
    n_features : int
        The number of features expected.
    name : str, default="covariances"
        The argument's name, for the messages.

    Returns
    -------
    covariances : ndarray
        The covariances as float64, in the shape their type asks for.
    """
    kind = covariance.get(covariance_type)
    expected = kind.shape(n_components, n_features)
    covariances = check_array(covariances, name, ndim=len(expected))
    if covariances.shape != expected:
        raise ValueError(
            f"{name} of type {covariance_type!r} must have shape {expected}, "
            f"got {covariances.shape}"
        )
    kind.check(covariances, name)
    return covariances


def check_random_state(random_state):
    """Return a NumPy Generator from None, an int seed or a Generator.

    Parameters
    ----------
    random_state : int, numpy.random.Generator or None
        A seed for ``numpy.random.default_rng``, or a Generator, used as it
        is.

    Returns
    -------
    rng : numpy.random.Generator
        The generator every random draw comes from.
    """
    if random_state is None or isinstance(
        random_state, (numbers.Integral, np.random.Generator)
    ):
        return np.random.default_rng(random_state)
    raise TypeError(
        "random_state must be None, an int or a numpy.random.Generator, got "
        f"{type(random_state).__name__}"
    )


def check_components(X, means, covariances, covariance_type):
    """Check a data set and the Gaussian components (means, covariances).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data; a 1-D array is one feature.
    means : array-like of shape (n_components, n_features)
        The component means mu_k.
    covariances : array-like
        The covariances Sigma_k, shaped by ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}
        How the covariances are stored.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The data as float64.
    means : ndarray of shape (n_components, n_features)
        The means as float64.
    covariances : ndarray
        The covariances as float64, shaped by ``covariance_type``.
    """
    check_covariance_type(covariance_type)
    X = check_array(X)
    means = check_array(means, "means", ndim=2)
    n_components, n_features = means.shape
    if n_features != X.shape[1]:
        raise ValueError(
            "means and X must agree on the number of features: means has "
            f"{n_features}, X has {X.shape[1]}"
        )
    covariances = check_covariances(
        covariances, covariance_type, n_components, n_features
    )
    return X, means, covariances


def check_parameters(X, weights, means, covariances, covariance_type):
    """Check a data set and all parameters of a mixture together.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data; a 1-D array is one feature.
    weights : array-like of shape (n_components,)
        The mixing weights pi_k, nonnegative, summing to one.
    means : array-like of shape (n_components, n_features)
        The component means mu_k.
    covariances : array-like
        The covariances Sigma_k, shaped by ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}
        How the covariances are stored.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The data as float64.
    weights : ndarray of shape (n_components,)
        The weights as float64.
    means : ndarray of shape (n_components, n_features)
        The means as float64.
    covariances : ndarray
        The covariances as float64, shaped by ``covariance_type``.
    """
    X, means, covariances = check_components(
        X, means, covariances, covariance_type
    )
    weights = check_weights(weights, means.shape[0])
    return X, weights, means, covariances


def check_responsibility_array(resp, n_samples):
    """Return responsibilities checked to be rows of probabilities.

    Parameters
    ----------
    resp : array-like of shape (n_samples, n_components)
        The responsibilities r_ik: nonnegative, each row summing to one.
    n_samples : int
        The number of rows expected.

    Returns
    -------
    resp : ndarray of shape (n_samples, n_components)
        The responsibilities as float64.
    """
    resp = check_array(resp, "responsibilities")
    if resp.shape[0] != n_samples:
        raise ValueError(
            f"responsibilities must have one row per sample ({n_samples}), "
            f"got shape {resp.shape}"
        )
    if np.any(resp < 0):
        raise ValueError(
            f"responsibilities must be nonnegative, got min {resp.min():.3g}"
        )
    if not np.allclose(resp.sum(axis=1), 1.0, rtol=0, atol=1e-6):
        worst = np.abs(resp.sum(axis=1) - 1).max()
        raise ValueError(
            "responsibilities: every row must sum to one, got a row off by "
            f"{worst:.3g}"
        )
    return resp


# ------------------------------------------------- the estimator's data
# GaussianMixture takes data and options as scikit-learn's estimators do; the
# teaching functions above stay lenient (a 1-D array is one feature).

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
    check_finite(X, name)
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
