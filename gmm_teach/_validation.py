"""Input checks shared by every public function.

Each check raises ``ValueError`` or ``TypeError`` with a message that names the
argument, says what was expected and what came.
"""

import numbers

import numpy as np

from gmm_teach import covariance
from gmm_teach.covariance import COVARIANCE_TYPES  # noqa: F401 (re-exported)


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
