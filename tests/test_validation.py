"""Bad input across every public function : the right error, and a message
that names the argument. Also the ConvergenceWarning of a fit that reaches max_iter."""

import re
import warnings
from unittest import mock

import numpy as np
import pytest
import scipy.sparse
import sklearn.exceptions

from gmm_teach import (
    ConvergenceWarning,
    GaussianMixture,
    _estimator,
    _validation,
    em,
    em1d,
    gaussian,
    init,
    kmeans,
    selection,
)
from gmm_teach.exceptions import InvalidParameterError, NotFittedError
from gmm_teach.model import PARAMETER_CONSTRAINTS

X = np.random.default_rng(0).normal(size=(20, 2))  # (n, d) = (20, 2)
x = X[:, 0]  # 1-D data for em1d
W = np.array([0.5, 0.5])  # weights of K = 2 components
M = np.array([[0.0, 0.0], [1.0, 1.0]])  # means
R = np.full((20, 2), 0.5)  # responsibilities
COV = {
    "full": np.stack([np.eye(2)] * 2),
    "tied": np.eye(2),
    "diag": np.ones((2, 2)),
    "spherical": np.ones(2),
}
NOT_PD = {
    "full": np.stack([np.eye(2), [[1.0, 2.0], [2.0, 1.0]]]),
    "tied": np.array([[1.0, 2.0], [2.0, 1.0]]),
    "diag": np.array([[1.0, 1.0], [1.0, 0.0]]),
    "spherical": np.array([1.0, -1.0]),
}
COVARIANCE_TYPES = tuple(COV)


def with_nan(a):
    a = np.array(a, dtype=float)
    a.flat[1] = np.nan
    return a


def with_inf(a):
    a = np.array(a, dtype=float)
    a.flat[0] = np.inf
    return a


@pytest.fixture(scope="module")
def fitted():
    return GaussianMixture(2, random_state=0).fit(X)


def raises(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---------------------------------------------------------------- NaN and infinite values

DATA_FUNCTIONS = {
    "log_gaussian_density": lambda X: gaussian.log_gaussian_density(
        X, M, COV["full"]
    ),
    "e_step": lambda X: em.e_step(X, W, M, COV["full"]),
    "m_step": lambda X: em.m_step(X, R),
    "log_likelihood": lambda X: em.log_likelihood(X, W, M, COV["full"]),
    "log_evidence": lambda X: em.log_evidence(X, W, M, COV["full"]),
    "em": lambda X: em.em(X, W, M, COV["full"]),
    "kmeans": lambda X: kmeans.kmeans(X, 2),
    "kmeans_plusplus": lambda X: kmeans.kmeans_plusplus(X, 2),
    "initial_parameters": lambda X: init.initial_parameters(X, 2),
    "bic": lambda X: selection.bic(X, W, M, COV["full"]),
    "aic": lambda X: selection.aic(X, W, M, COV["full"]),
    "GaussianMixture.fit": lambda X: GaussianMixture(2).fit(X),
}
DATA_1D_FUNCTIONS = {
    "normal_pdf": lambda x: em1d.normal_pdf(x, 0.0, 1.0),
    "em1d.e_step": lambda x: em1d.e_step(x, W, [0.0, 1.0], [1.0, 1.0]),
    "em1d.m_step": lambda x: em1d.m_step(x, R),
    "em1d.log_likelihood": lambda x: em1d.log_likelihood(
        x, W, [0.0, 1.0], [1.0, 1.0]
    ),
    "em1d.em": lambda x: em1d.em(x, W, [0.0, 1.0], [1.0, 1.0]),
}
FITTED_METHODS = (
    "predict",
    "predict_proba",
    "score_samples",
    "score",
    "bic",
    "aic",
)


# every function and both spoilers, but NaN for the estimator, which takes
# it as a missing value (tests/test_missing.py)
NON_FINITE = [
    pytest.param(function, spoil, id=f"{name}-{spoil.__name__}")
    for name, function in DATA_FUNCTIONS.items()
    for spoil in (with_nan, with_inf)
    if not (spoil is with_nan and name == "GaussianMixture.fit")
]


@pytest.mark.parametrize("function, spoil", NON_FINITE)
def test_non_finite_X(function, spoil):
    raises(
        lambda: function(spoil(X)),
        ValueError,
        "X must contain only finite numbers",
    )


@pytest.mark.parametrize("spoil", [with_nan, with_inf])
@pytest.mark.parametrize(
    "function", DATA_1D_FUNCTIONS.values(), ids=DATA_1D_FUNCTIONS
)
def test_non_finite_x_in_one_dimension(function, spoil):
    raises(
        lambda: function(spoil(x)),
        ValueError,
        "x must contain only finite numbers",
    )


@pytest.mark.parametrize("method", FITTED_METHODS)
def test_infinite_X_after_fit(fitted, method):
    """NaN is a missing value (tests/test_missing.py); infinity is not."""
    raises(
        lambda: getattr(fitted, method)(with_inf(X)),
        ValueError,
        r"X must contain only finite numbers or NaN \(missing values\), got 1 "
        "infinite",
    )


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: em.e_step(X, with_nan(W), M, COV["full"]), "weights"),
        (lambda: em.e_step(X, W, with_inf(M), COV["full"]), "means"),
        (lambda: em.e_step(X, W, M, with_nan(COV["full"])), "covariances"),
        (
            lambda: em.em(
                X, W, M, with_inf(COV["diag"]), covariance_type="diag"
            ),
            "covariances",
        ),
        (
            lambda: gaussian.log_gaussian_density(X, with_nan(M), COV["full"]),
            "means",
        ),
        (lambda: em.m_step(X, with_nan(R)), "responsibilities"),
        (lambda: em1d.e_step(x, W, [0.0, np.nan], [1.0, 1.0]), "means"),
        (lambda: em1d.em(x, W, [0.0, 1.0], [1.0, np.inf]), "variances"),
        (lambda: em1d.normal_pdf(0.0, np.nan, 1.0), "mean"),
        (lambda: em1d.normal_pdf(0.0, 0.0, np.inf), "variance"),
        (lambda: kmeans.kmeans(X, 2, init=with_nan(M)), "init"),
        (
            lambda: GaussianMixture(2, means_init=with_nan(M)).fit(X),
            "means_init",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_non_finite_parameters(call, name):
    raises(call, ValueError, rf"\b{name} must contain only finite numbers")


def test_non_numbers_are_a_type_error():
    raises(
        lambda: em.e_step([["a", "b"]], [1.0], [[0.0, 0.0]], [np.eye(2)]),
        TypeError,
        "X must be an array of numbers",
    )


# ---------------------------------------------------------------- number of dimensions


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: em.e_step(X[:, :, None], W, M, COV["full"]),
            "X must be a 2-D array, got 3-D",
        ),
        (
            lambda: em.em(np.float64(1.0), [1.0], [[0.0]], [[[1.0]]]),
            "X must be a 2-D array, got 0-D",
        ),
        (lambda: init.initial_parameters(X[None], 2), "X must be a 2-D array"),
        (lambda: kmeans.kmeans(X[None], 2), "X must be a 2-D array"),
        (lambda: GaussianMixture(2).fit(X[None]), "X must be a 2-D array"),
        (
            lambda: em.e_step(X, W, M[None], COV["full"]),
            "means must be a 2-D array",
        ),
        (
            lambda: em.e_step(X, W[None], M, COV["full"]),
            "weights must be a 1-D array",
        ),
        (
            lambda: em.e_step(X, W, M, COV["diag"], "full"),
            "covariances must be a 3-D array",
        ),
        (
            lambda: em.m_step(X, R[None]),
            "responsibilities must be a 2-D array",
        ),
        (
            lambda: em1d.e_step(X, W, [0.0, 1.0], [1.0, 1.0]),
            "x must be a 1-D array",
        ),
        (lambda: em1d.em(x, W, M, [1.0, 1.0]), "means must be a 1-D array"),
        (
            lambda: em1d.e_step(x, W, [0.0, 1.0], np.ones((2, 1))),
            "variances must be a 1-D array",
        ),
    ],
)
def test_wrong_number_of_dimensions(call, message):
    raises(call, ValueError, message)


def test_empty_data():
    raises(
        lambda: em.e_step(np.empty((0, 2)), W, M, COV["full"]),
        ValueError,
        "X must not be empty",
    )


# ---------------------------------------------------------------- n_components


@pytest.mark.parametrize(
    "call",
    [
        lambda: em.em(X[:1], W, M, COV["full"]),
        lambda: init.initial_parameters(X[:2], 3),
        lambda: GaussianMixture(3).fit(X[:2]),
        lambda: em1d.em(x[:1], W, [0.0, 1.0], [1.0, 1.0]),
    ],
    ids=["em", "initial_parameters", "GaussianMixture.fit", "em1d.em"],
)
def test_fewer_samples_than_components(call):
    raises(call, ValueError, "at least n_components=[23] samples")


@pytest.mark.parametrize("function", [kmeans.kmeans, kmeans.kmeans_plusplus])
def test_fewer_samples_than_clusters_names_n_clusters(function):
    raises(lambda: function(X[:2], 3), ValueError, "n_clusters")


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: init.initial_parameters(X, 0), "n_components"),
        (lambda: GaussianMixture(0).fit(X), "n_components"),
        (lambda: selection.n_parameters(0, 2), "n_components"),
        (lambda: selection.n_parameters(2, 0), "n_features"),
        (lambda: kmeans.kmeans(X, 0), "n_clusters"),
        (lambda: kmeans.kmeans_plusplus(X, -1), "n_clusters"),
    ],
)
def test_fewer_than_one_component(call, name):
    estimator = f"The '{name}' parameter of GaussianMixture must be an int"
    raises(call, ValueError, f"{name} must be (an integer )?>= 1|{estimator}")


@pytest.mark.parametrize("value", [2.5, 2.0, "3", True, None])
@pytest.mark.parametrize(
    "call",
    [
        lambda k: init.initial_parameters(X, k),
        lambda k: GaussianMixture(k).fit(X),
        lambda k: selection.n_parameters(k, 2),
    ],
    ids=["initial_parameters", "GaussianMixture.fit", "n_parameters"],
)
def test_non_integer_n_components(call, value):
    estimator = (
        "The 'n_components' parameter of GaussianMixture must be an int"
    )
    raises(
        lambda: call(value),
        TypeError,
        f"n_components must be an integer|{estimator}",
    )


def test_non_integer_n_clusters():
    raises(
        lambda: kmeans.kmeans(X, 2.0),
        TypeError,
        "n_clusters must be an integer",
    )


# ---------------------------------------------------------------- unknown choices

COVARIANCE_TYPE_FUNCTIONS = {
    "log_gaussian_density": lambda t: gaussian.log_gaussian_density(
        X, M, COV["full"], t
    ),
    "e_step": lambda t: em.e_step(X, W, M, COV["full"], t),
    "m_step": lambda t: em.m_step(X, R, t),
    "log_likelihood": lambda t: em.log_likelihood(X, W, M, COV["full"], t),
    "em": lambda t: em.em(X, W, M, COV["full"], covariance_type=t),
    "initial_parameters": lambda t: init.initial_parameters(
        X, 2, covariance_type=t
    ),
    "n_parameters": lambda t: selection.n_parameters(2, 2, t),
    "bic": lambda t: selection.bic(X, W, M, COV["full"], t),
    "aic": lambda t: selection.aic(X, W, M, COV["full"], t),
    "GaussianMixture.fit": lambda t: GaussianMixture(2, covariance_type=t).fit(
        X
    ),
}


@pytest.mark.parametrize("value", ["ful", "Full", None])
@pytest.mark.parametrize(
    "function",
    COVARIANCE_TYPE_FUNCTIONS.values(),
    ids=COVARIANCE_TYPE_FUNCTIONS,
)
def test_unknown_covariance_type(function, value):
    estimator = "The 'covariance_type' parameter of GaussianMixture must be"
    raises(
        lambda: function(value),
        ValueError,
        "covariance_type must be one of 'full', 'tied', 'diag', 'spherical'"
        f"|{estimator} a str among",
    )


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: init.initial_parameters(X, 2, "k-means"), "method"),
        (
            lambda: GaussianMixture(2, init_params="kmean").fit(X),
            "init_params",
        ),
        (lambda: kmeans.kmeans(X, 2, init="kmeans"), "init"),
    ],
)
def test_unknown_method(call, name):
    estimator = rf"^The '{name}' parameter of GaussianMixture must be"
    raises(call, ValueError, rf"^{name} must be|{estimator}")


# ---------------------------------------------------------------- weights

WEIGHT_FUNCTIONS = {
    "e_step": lambda w: em.e_step(X, w, M, COV["full"]),
    "log_likelihood": lambda w: em.log_likelihood(X, w, M, COV["full"]),
    "em": lambda w: em.em(X, w, M, COV["full"]),
    "bic": lambda w: selection.bic(X, w, M, COV["full"]),
    "em1d.e_step": lambda w: em1d.e_step(x, w, [0.0, 1.0], [1.0, 1.0]),
    "em1d.em": lambda w: em1d.em(x, w, [0.0, 1.0], [1.0, 1.0]),
    "GaussianMixture.fit": lambda w: GaussianMixture(2, weights_init=w).fit(X),
}


@pytest.mark.parametrize(
    "function", WEIGHT_FUNCTIONS.values(), ids=WEIGHT_FUNCTIONS
)
def test_negative_weights(function):
    raises(
        lambda: function([-0.5, 1.5]),
        ValueError,
        r"weights(_init)? must be nonnegative",
    )


@pytest.mark.parametrize("weights", [[0.3, 0.3], [0.7, 0.7]])
@pytest.mark.parametrize(
    "function", WEIGHT_FUNCTIONS.values(), ids=WEIGHT_FUNCTIONS
)
def test_weights_not_summing_to_one(function, weights):
    raises(
        lambda: function(weights),
        ValueError,
        r"weights(_init)? must sum to one",
    )


@pytest.mark.parametrize(
    "function", WEIGHT_FUNCTIONS.values(), ids=WEIGHT_FUNCTIONS
)
def test_weights_of_the_wrong_length(function):
    raises(
        lambda: function([0.2, 0.3, 0.5]),
        ValueError,
        r"weights(_init)? must have shape \(2,\)",
    )


# ---------------------------------------------------------------- covariances


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize(
    "function",
    [
        gaussian.log_gaussian_density,
        em.e_step,
        em.log_likelihood,
        em.em,
        selection.bic,
    ],
    ids=["log_gaussian_density", "e_step", "log_likelihood", "em", "bic"],
)
def test_covariance_not_positive_definite_suggests_reg_covar(
    function, covariance_type
):
    args = (
        (X, M, NOT_PD[covariance_type])
        if function is gaussian.log_gaussian_density
        else (X, W, M, NOT_PD[covariance_type])
    )
    with pytest.raises(ValueError, match="positive definite") as error:
        if function is em.em:
            function(*args, covariance_type=covariance_type)
        else:
            function(*args, covariance_type)
    assert "reg_covar" in str(error.value)


@pytest.mark.parametrize("variances", [[1.0, 0.0], [1.0, -2.0]])
def test_non_positive_variances_in_one_dimension(variances):
    raises(
        lambda: em1d.em(x, W, [0.0, 1.0], variances),
        ValueError,
        "variances must be > 0.*reg_covar",
    )
    raises(
        lambda: em1d.normal_pdf(0.0, 0.0, variances),
        ValueError,
        r"variance must be > 0 \(it is sigma\^2",
    )


@pytest.mark.parametrize("covariance_type", ["full", "tied"])
def test_non_symmetric_covariance(covariance_type):
    skew = np.array([[1.0, 0.5], [0.4, 1.0]])
    covariances = (
        skew if covariance_type == "tied" else np.stack([np.eye(2), skew])
    )
    raises(
        lambda: em.e_step(X, W, M, covariances, covariance_type),
        ValueError,
        "covariances must be symmetric",
    )


# ---------------------------------------------------------------- shapes that disagree


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: em.e_step(X, W, np.zeros((2, 3)), COV["full"]),
            "means and X must agree on the number of",
        ),
        (
            lambda: gaussian.log_gaussian_density(
                X, np.zeros((2, 3)), COV["full"]
            ),
            "means and X must agree",
        ),
        (
            lambda: em.e_step(X, W, M, np.stack([np.eye(3)] * 2)),
            r"covariances of type 'full' must have shape \(2, 2, 2\)",
        ),
        (
            lambda: em.e_step(X, W, M, np.eye(3), "tied"),
            r"covariances of type 'tied' must have shape \(2, 2\)",
        ),
        (
            lambda: em.e_step(X, W, M, np.ones((3, 2)), "diag"),
            r"covariances of type 'diag' must have shape \(2, 2\)",
        ),
        (
            lambda: em.em(X, W, M, np.ones(3), covariance_type="spherical"),
            r"covariances of type 'spherical' must have shape \(2,\)",
        ),
        (
            lambda: em.m_step(X, R[:-1]),
            "responsibilities must have one row per sample",
        ),
        (
            lambda: em1d.m_step(x, R[:-1]),
            "responsibilities must have one row per sample",
        ),
        (
            lambda: em1d.e_step(x, W, [0.0, 1.0], [1.0, 1.0, 1.0]),
            "variances must have shape",
        ),
        (
            lambda: kmeans.kmeans(X, 2, init=np.zeros((3, 2))),
            r"init centres must have shape \(2, 2\)",
        ),
        (
            lambda: GaussianMixture(2, means_init=np.zeros((3, 2))).fit(X),
            r"means_init must have shape",
        ),
        (
            lambda: GaussianMixture(2, weights_init=[1.0]).fit(X),
            r"weights_init must have shape \(2,\)",
        ),
    ],
)
def test_shapes_that_disagree(call, message):
    raises(call, ValueError, message)


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: em.m_step(X, -R), "responsibilities must be nonnegative"),
        (lambda: em.m_step(X, R * 2), "every row must sum to one"),
        (lambda: em1d.m_step(x, R * 0.5), "every row must sum to one"),
    ],
)
def test_responsibilities_that_are_not_probabilities(call, error):
    raises(call, ValueError, error)


# ---------------------------------------------------------------- precisions_init names itself

BAD_PRECISIONS = {
    "wrong shape": np.ones((2, 3, 3)),
    "not positive definite": np.stack([np.eye(2), [[1.0, 2.0], [2.0, 1.0]]]),
    "singular": np.stack([np.eye(2), np.ones((2, 2))]),
}


@pytest.mark.parametrize(
    "precisions", BAD_PRECISIONS.values(), ids=BAD_PRECISIONS
)
def test_bad_precisions_init_names_precisions_init(precisions):
    raises(
        lambda: GaussianMixture(2, precisions_init=precisions).fit(X),
        ValueError,
        "precisions_init",
    )


def test_non_positive_spherical_precisions_init():
    raises(
        lambda: GaussianMixture(
            2, covariance_type="spherical", precisions_init=[1.0, -1.0]
        ).fit(X),
        ValueError,
        "precisions_init must be positive",
    )


# ---------------------------------------------------------------- other scalar options


@pytest.mark.parametrize(
    "call, message, error",
    [
        (
            lambda: em.em(X, W, M, COV["full"], reg_covar=-1e-6),
            "reg_covar must be a finite number >= 0",
            ValueError,
        ),
        (
            lambda: em.m_step(X, R, reg_covar=np.nan),
            "reg_covar must be a finite number >= 0",
            ValueError,
        ),
        (
            lambda: init.initial_parameters(X, 2, reg_covar=-1.0),
            "reg_covar",
            ValueError,
        ),
        (
            lambda: GaussianMixture(2, reg_covar=-1.0).fit(X),
            "reg_covar",
            ValueError,
        ),
        (
            lambda: em.em(X, W, M, COV["full"], tol=-1.0),
            "tol must be a finite number >= 0",
            ValueError,
        ),
        (
            lambda: em1d.em(x, W, [0.0, 1.0], [1.0, 1.0], tol=-1.0),
            "tol",
            ValueError,
        ),
        (lambda: kmeans.kmeans(X, 2, tol=-1.0), "tol", ValueError),
        (
            lambda: GaussianMixture(2, tol="small").fit(X),
            "The 'tol' parameter of GaussianMixture must be a float",
            TypeError,
        ),
        (
            lambda: em.em(X, W, M, COV["full"], max_iter=-1),
            "max_iter must be >= 0",
            ValueError,
        ),
        (
            lambda: em1d.em(x, W, [0.0, 1.0], [1.0, 1.0], max_iter=2.5),
            "max_iter must be an integer",
            TypeError,
        ),
        (
            lambda: kmeans.kmeans(X, 2, max_iter=0),
            "max_iter must be >= 1",
            ValueError,
        ),
        (
            lambda: GaussianMixture(2, n_init=0).fit(X),
            "The 'n_init' parameter of GaussianMixture must be an int in the "
            r"range \[1, inf\)",
            ValueError,
        ),
        (
            lambda: init.initial_parameters(X, 2, random_state="seed"),
            "random_state must be None, an int",
            TypeError,
        ),
        (
            lambda: kmeans.kmeans(X, 2, random_state=1.5),
            "random_state",
            TypeError,
        ),
        (
            lambda: GaussianMixture(2, random_state=[0]).fit(X),
            "random_state",
            TypeError,
        ),
    ],
)
def test_bad_options(call, message, error):
    raises(call, error, message)


# ---------------------------------------------------------------- the estimator before and after fit


@pytest.mark.parametrize("method", FITTED_METHODS + ("sample",))
def test_methods_before_fit_raise_not_fitted(method):
    argument = 5 if method == "sample" else X
    with pytest.raises(NotFittedError, match="not fitted yet") as error:
        getattr(GaussianMixture(2), method)(argument)
    assert isinstance(error.value, ValueError) and isinstance(
        error.value, AttributeError
    )


def test_scikit_learn_sees_an_unfitted_estimator():
    from sklearn.utils.validation import check_is_fitted

    with pytest.raises(sklearn.exceptions.NotFittedError):
        check_is_fitted(GaussianMixture(2))


@pytest.mark.parametrize("method", FITTED_METHODS)
def test_wrong_number_of_features_after_fit(fitted, method):
    raises(
        lambda: getattr(fitted, method)(np.zeros((4, 3))),
        ValueError,
        "X has 3 features, but GaussianMixture is expecting 2 features as input",
    )


def test_bad_n_samples_for_sample(fitted):
    raises(
        lambda: fitted.sample(0),
        ValueError,
        "^Invalid value for 'n_samples': 0 . The sampling requires at least "
        "one sample. Ask for n_samples >= 1",
    )
    raises(
        lambda: fitted.sample(2.5), TypeError, "n_samples must be an integer"
    )


# ---------------------------------------------------------------- ConvergenceWarning

NOT_CONVERGING = {
    "em": lambda: em.em(X, W, M, COV["full"], max_iter=1),
    "em1d.em": lambda: em1d.em(x, W, [0.0, 1.0], [1.0, 1.0], max_iter=1),
    "GaussianMixture.fit": lambda: GaussianMixture(
        2, max_iter=1, n_init=3, random_state=0
    ).fit(X),
}


@pytest.mark.parametrize("call", NOT_CONVERGING.values(), ids=NOT_CONVERGING)
def test_reaching_max_iter_warns_once(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    messages = [
        w for w in caught if issubclass(w.category, ConvergenceWarning)
    ]
    assert len(messages) == 1 and "max_iter=1" in str(messages[0].message)
    assert issubclass(
        messages[0].category, sklearn.exceptions.ConvergenceWarning
    )


@pytest.mark.parametrize("name", ["em", "em1d.em"])
def test_the_warning_of_em_points_at_the_caller(name):
    with pytest.warns(ConvergenceWarning) as caught:
        NOT_CONVERGING[name]()
    assert caught[0].filename == __file__


@pytest.mark.parametrize(
    "call",
    [
        NOT_CONVERGING["GaussianMixture.fit"],
        lambda: GaussianMixture(4, random_state=0).fit(np.zeros((8, 2))),
    ],
    ids=["max_iter", "duplicate points"],
)
def test_the_warnings_of_the_estimator_point_at_the_caller(call):
    with pytest.warns(ConvergenceWarning) as caught:
        call()
    assert caught[0].filename == __file__


def test_converging_fit_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        assert GaussianMixture(2, random_state=0).fit(X).converged_


# ---------------------------------------------------------------- GaussianMixture's options: one table


def test_the_table_constrains_every_constructor_argument():
    assert list(PARAMETER_CONSTRAINTS) == list(GaussianMixture().get_params())


SEEDS = (
    r"an int in the range \[0, 4294967295\], an instance of "
    "'numpy.random.mtrand.RandomState', an instance of "
    "'numpy.random._generator.Generator' or None"
)
INTS_FROM_1 = r"an int in the range \[1, inf\)"
FLOATS_FROM_0 = r"a float in the range \[0.0, inf\)"
BOOLEAN = "an instance of 'bool' or an instance of 'numpy.bool'"


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("n_components", 0, INTS_FROM_1),
        ("n_components", True, INTS_FROM_1),
        (
            "covariance_type",
            "ful",
            "a str among {('full'|'tied'|'diag'|'spherical'|, )+}",
        ),
        ("tol", -1.0, FLOATS_FROM_0),
        ("reg_covar", np.inf, FLOATS_FROM_0),
        ("max_iter", 1.5, r"an int in the range \[0, inf\)"),
        ("n_init", 0, INTS_FROM_1),
        (
            "init_params",
            "k-means",
            "a str among {('kmeans'|'k-means\\+\\+'|'random'|"
            "'random_from_data'|, )+}",
        ),
        ("weights_init", "even", "an array-like or None"),
        ("means_init", 3.0, "an array-like or None"),
        ("precisions_init", 1.0, "an array-like or None"),
        ("random_state", -1, SEEDS),
        ("random_state", "seed", SEEDS),
        ("warm_start", "yes", BOOLEAN),
        ("warm_start", 1, BOOLEAN),
        ("verbose", -1, r"an int in the range \[0, inf\), " + BOOLEAN),
        ("verbose_interval", 0, INTS_FROM_1),
    ],
    ids=lambda v: v if isinstance(v, str) and v.isidentifier() else None,
)
def test_a_bad_option_names_itself_what_it_must_be_and_what_came(
    name, value, expected
):
    """scikit-learn's sentence; ValueError and TypeError at once, as
    scikit-learn's InvalidParameterError."""
    model = GaussianMixture(2).set_params(**{name: value})
    sentence = f"^The '{name}' parameter of GaussianMixture must be {expected}"
    with pytest.raises(InvalidParameterError, match=sentence) as error:
        model.fit(X)
    assert f". Got {value!r} instead." in str(error.value)
    assert isinstance(error.value, ValueError) and isinstance(
        error.value, TypeError
    )


def test_verbose_interval_zero_is_rejected_before_any_division():
    raises(
        lambda: GaussianMixture(2, verbose=1, verbose_interval=0).fit(X),
        ValueError,
        r"The 'verbose_interval' parameter of GaussianMixture must be an int "
        r"in the range \[1, inf\). Got 0 instead.",
    )


@pytest.mark.parametrize(
    "options",
    [
        dict(verbose=True),
        dict(warm_start=np.True_),
        dict(random_state=np.int64(3)),
        dict(random_state=np.random.RandomState(0)),
        dict(random_state=np.random.default_rng(0)),
        dict(tol=np.float32(1e-3), n_components=np.int32(2)),
        dict(means_init=M.tolist()),
    ],
)
def test_options_of_numpy_types_and_lists_are_accepted(options, capsys):
    assert GaussianMixture(**{"n_components": 2, **options}).fit(X).converged_


# ---------------------------------------------------------------- GaussianMixture's data: as scikit-learn checks it

ESTIMATOR_CALLS = {
    "fit": lambda data: GaussianMixture(2, random_state=0).fit(data),
    "predict": lambda data: (
        GaussianMixture(2, random_state=0).fit(X).predict(data)
    ),
    "score_samples": lambda data: (
        GaussianMixture(2, random_state=0).fit(X).score_samples(data)
    ),
}


@pytest.mark.parametrize("call", ESTIMATOR_CALLS.values(), ids=ESTIMATOR_CALLS)
def test_estimator_rejects_one_dimensional_data_and_says_how_to_reshape(call):
    """The teaching functions (em, init, em1d) take a 1-D array as one feature; the estimator,
    as scikit-learn's, asks for (n_samples, n_features)."""
    raises(
        lambda: call(x),
        ValueError,
        r"(?s)^Expected 2D array, got 1D array instead:\narray=\[.*\]\.\n"
        r"Reshape your data either using array\.reshape\(-1, 1\) if your data "
        r"has a single feature or array\.reshape\(1, -1\) if it contains a "
        r"single sample\. X must be a 2-D array of shape \(n_samples, "
        r"n_features\)\.$",
    )


def test_teaching_functions_keep_one_dimensional_data_as_one_feature():
    weights, means, covariances = init.initial_parameters(x, 2, random_state=0)
    assert means.shape == (2, 1) and em.em(
        x, weights, means, covariances
    ).means.shape == (2, 1)


@pytest.mark.parametrize("call", ESTIMATOR_CALLS.values(), ids=ESTIMATOR_CALLS)
def test_estimator_rejects_complex_data(call):
    raises(
        lambda: call(X + 1j),
        ValueError,
        r"^Complex data not supported: X must hold real numbers.*X\.real",
    )


@pytest.mark.parametrize(
    "sparse_type", [scipy.sparse.csr_matrix, scipy.sparse.csr_array]
)
@pytest.mark.parametrize("call", ESTIMATOR_CALLS.values(), ids=ESTIMATOR_CALLS)
def test_estimator_rejects_sparse_data_and_says_how_to_densify(
    call, sparse_type
):
    raises(
        lambda: call(sparse_type(X)),
        TypeError,
        r"^Sparse data was passed for X, but dense data is required\. Use "
        r"'\.toarray\(\)' to convert to a dense numpy array\. .*X\.toarray\(\)",
    )


@pytest.mark.parametrize("call", ESTIMATOR_CALLS.values(), ids=ESTIMATOR_CALLS)
def test_estimator_rejects_objects_that_are_not_numbers(call):
    data = X.astype(object)
    data[0, 0] = {"a": 1}
    raises(
        lambda: call(data),
        TypeError,
        "^float.. argument must be a string or a real number, not 'dict'. "
        "X must be an array of numbers",
    )


@pytest.mark.parametrize("call", ESTIMATOR_CALLS.values(), ids=ESTIMATOR_CALLS)
def test_estimator_rejects_strings(call):
    data = X.astype(str)
    data[0, 0] = "one"
    raises(
        lambda: call(data),
        ValueError,
        "^could not convert string to float: .*X must be an array of numbers",
    )


def test_estimator_reads_numbers_written_as_strings_as_scikit_learn_does():
    model = GaussianMixture(2, random_state=0).fit(X.astype(str))
    np.testing.assert_allclose(
        model.means_, GaussianMixture(2, random_state=0).fit(X).means_
    )


def test_estimator_reads_an_object_array_of_numbers_as_float64():
    model = GaussianMixture(2, random_state=0).fit(X.astype(object))
    assert model.means_.dtype == np.float64
    np.testing.assert_allclose(
        model.means_, GaussianMixture(2, random_state=0).fit(X).means_
    )


@pytest.mark.parametrize(
    "shape, what",
    [((0, 2), "sample"), ((1, 2), "sample"), ((20, 0), "feature")],
)
def test_estimator_needs_two_samples_and_one_feature_to_fit(shape, what):
    minimum = 2 if what == "sample" else 1
    raises(
        lambda: GaussianMixture(1).fit(np.ones(shape)),
        ValueError,
        rf"^Found array with {shape[what == 'feature']} {what}\(s\) "
        rf"\(shape={re.escape(str(shape))}\) while a minimum of {minimum} is "
        "required by GaussianMixture",
    )


def test_a_fitted_estimator_scores_one_sample():
    assert GaussianMixture(2, random_state=0).fit(X).score_samples(
        X[:1]
    ).shape == (1,)


# ---------------------------------------------------------------- one check at each door
# Every check of an array ends in _validation.check_finite (the teaching
# functions' check_array) or, for the estimator, in
# _estimator._check_all_finite (check_data_matrix and the *_init checks),
# each called through its module's namespace, so spies on both count how
# often a call checks the array called "X".


def checks_of(name, call):
    """How many times ``call()`` checks the array called ``name``."""
    spies = [
        mock.patch.object(module, check, wraps=getattr(module, check))
        for module, check in (
            (_validation, "check_finite"),
            (_estimator, "_check_all_finite"),
        )
    ]
    with spies[0] as check_finite, spies[1] as check_all_finite:
        call()
    calls = check_finite.call_args_list + check_all_finite.call_args_list
    return sum(1 for c in calls if c.args[1] == name)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("init_params", init.METHODS)
def test_fit_checks_X_once(init_params, covariance_type):
    model = GaussianMixture(
        2,
        covariance_type=covariance_type,
        init_params=init_params,
        n_init=3,
        random_state=0,
    )
    assert checks_of("X", lambda: model.fit(X)) == 1


def test_fit_checks_each_user_given_start_once():
    model = GaussianMixture(
        2,
        weights_init=W,
        means_init=M,
        precisions_init=COV["full"],
        n_init=3,
    )
    for name in ("X", "weights_init", "means_init", "precisions_init"):
        assert checks_of(name, lambda: model.fit(X)) == 1, name


def test_a_warm_start_checks_X_once_and_its_features():
    model = GaussianMixture(2, warm_start=True, random_state=0).fit(X)
    assert checks_of("X", lambda: model.fit(X)) == 1
    raises(
        lambda: model.fit(np.ones((20, 3))),
        ValueError,
        "X has 3 features, but GaussianMixture is expecting 2 features",
    )


@pytest.mark.parametrize("method", FITTED_METHODS)
def test_a_fitted_method_checks_X_once(fitted, method):
    assert checks_of("X", lambda: getattr(fitted, method)(X)) == 1


# The functions a learner calls keep their own checks, once each.
DOORS = {
    name: DATA_FUNCTIONS[name]
    for name in ("em", "kmeans", "initial_parameters", "log_evidence", "bic")
}


@pytest.mark.parametrize("call", DOORS.values(), ids=DOORS)
def test_a_public_function_checks_X_once(call):
    assert checks_of("X", lambda: call(X)) == 1


@pytest.mark.parametrize(
    "bad_X, message",
    [
        (with_nan(X), "X must contain only finite numbers, got 1 NaN"),
        (X[np.newaxis], r"X must be a 2-D array, got 3-D with shape"),
        (np.zeros((0, 2)), r"X must not be empty, got shape \(0, 2\)"),
    ],
)
@pytest.mark.parametrize("call", DOORS.values(), ids=DOORS)
def test_a_public_function_still_refuses_bad_X(call, bad_X, message):
    raises(lambda: call(bad_X), ValueError, message)
