"""Input checks shared by every public function (DESIGN.md, "Bad input").

Each check raises ``ValueError`` or ``TypeError`` with a message that names the argument, says
what was expected and what came.
"""

import numbers

import numpy as np

from gmm_teach import covariance
from gmm_teach.covariance import COVARIANCE_TYPES  # noqa: F401 (re-exported)


def check_finite(a, name):
    """Return ``a`` as a float array of any shape, or raise if it holds NaN, inf or non-numbers."""
    try:
        a = np.asarray(a, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of numbers, got {type(a).__name__}") from error
    if not np.all(np.isfinite(a)):
        bad = int(np.sum(~np.isfinite(a)))
        raise ValueError(f"{name} must contain only finite numbers, got {bad} NaN or infinite value(s)")
    return a


def check_array(X, name="X", ndim=2):
    """Return ``X`` as a finite float array; with ``ndim=2`` a 1-D input becomes one feature."""
    X = check_finite(X, name)
    if ndim == 2 and X.ndim == 1:
        X = X[:, np.newaxis]
    if X.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got {X.ndim}-D with shape {X.shape}")
    if X.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {X.shape}")
    return X


def check_positive_int(value, name, minimum=1):
    """Return ``value`` as an int, or raise if it is not an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_nonnegative_float(value, name):
    """Return ``value`` as a float, or raise if it is not a finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    return float(value)


def check_choice(value, name, choices):
    """Raise unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
    return value


def check_covariance_type(covariance_type):
    """Raise unless ``covariance_type`` is one of ``covariance.COVARIANCE_TYPES``."""
    return covariance.get(covariance_type).name


def check_samples(X, n_components, name="X", count_name="n_components"):
    """Raise if ``X`` has fewer samples than there are components (or clusters)."""
    if X.shape[0] < n_components:
        raise ValueError(
            f"{name} must have at least {count_name}={n_components} samples, got {X.shape[0]}"
        )


def check_weights(weights, n_components=None, name="weights"):
    """Return the mixing weights (pi) as a 1-D array: nonnegative, summing to one."""
    weights = check_array(weights, name, ndim=1)
    if n_components is not None and weights.shape != (n_components,):
        raise ValueError(f"{name} must have shape ({n_components},), got {weights.shape}")
    if np.any(weights < 0):
        raise ValueError(f"{name} must be nonnegative, got min {weights.min():.3g}")
    if not np.isclose(weights.sum(), 1.0, rtol=0, atol=1e-6):
        raise ValueError(f"{name} must sum to one, got sum {weights.sum():.6g}")
    return weights


def check_means(means, n_components, n_features, name="means"):
    """Return the means (mu) as an array of shape (n_components, n_features)."""
    means = check_array(means, name, ndim=2)
    if means.shape != (n_components, n_features):
        raise ValueError(
            f"{name} must have shape (n_components, n_features) = ({n_components}, {n_features}),"
            f" got {means.shape}"
        )
    return means


def check_covariances(covariances, covariance_type, n_components, n_features, name="covariances"):
    """Return the covariances with the shape their type asks for, symmetric and finite.

    Positive definiteness is checked where the Cholesky factor is taken
    (:func:`gmm_teach.gaussian.cholesky_precisions`).
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
    """Return a NumPy Generator from None, an int seed or a Generator."""
    if random_state is None or isinstance(random_state, (numbers.Integral, np.random.Generator)):
        return np.random.default_rng(random_state)
    raise TypeError(
        f"random_state must be None, an int or a numpy.random.Generator, got {type(random_state).__name__}"
    )


def check_components(X, means, covariances, covariance_type):
    """Check a data set and the Gaussian components (means, covariances) together."""
    check_covariance_type(covariance_type)
    X = check_array(X)
    means = check_array(means, "means", ndim=2)
    n_components, n_features = means.shape
    if n_features != X.shape[1]:
        raise ValueError(
            f"means and X must agree on the number of features: means has {n_features}, "
            f"X has {X.shape[1]}"
        )
    covariances = check_covariances(covariances, covariance_type, n_components, n_features)
    return X, means, covariances


def check_parameters(X, weights, means, covariances, covariance_type):
    """Check a data set and all parameters of a mixture together; return them as arrays."""
    X, means, covariances = check_components(X, means, covariances, covariance_type)
    weights = check_weights(weights, means.shape[0])
    return X, weights, means, covariances


def check_responsibility_array(resp, n_samples):
    """Return responsibilities as an (n_samples, K) array of nonnegative rows summing to one."""
    resp = check_array(resp, "responsibilities")
    if resp.shape[0] != n_samples:
        raise ValueError(
            f"responsibilities must have one row per sample ({n_samples}), got shape {resp.shape}"
        )
    if np.any(resp < 0):
        raise ValueError(f"responsibilities must be nonnegative, got min {resp.min():.3g}")
    if not np.allclose(resp.sum(axis=1), 1.0, rtol=0, atol=1e-6):
        worst = np.abs(resp.sum(axis=1) - 1).max()
        raise ValueError(f"responsibilities: every row must sum to one, got a row off by {worst:.3g}")
    return resp
