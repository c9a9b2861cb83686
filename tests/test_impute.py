"""GaussianMixtureImputer and impute: conditional expectations under a
fitted mixture, as a scikit-learn transformer."""

import pickle
import warnings

import numpy as np
import pytest
import sklearn.exceptions
from sklearn.base import clone
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import estimator_checks_generator

from gmm_teach import (
    ConvergenceWarning,
    GaussianMixture,
    GaussianMixtureImputer,
    impute,
)

COVARIANCE = np.array([[1.0, 0.8, 0.3], [0.8, 1.0, 0.4], [0.3, 0.4, 1.0]])


def correlated(n=300, seed=0):
    """Complete data from one correlated Gaussian, and a copy with 20 %
    of its entries missing completely at random (no row left empty)."""
    rng = np.random.default_rng(seed)
    X = rng.multivariate_normal([0.0, 1.0, 2.0], COVARIANCE, size=n)
    holes = rng.uniform(size=X.shape) < 0.2
    holes[holes.all(axis=1), 0] = False
    return X, np.where(holes, np.nan, X)


# ---------------------------------------------------------------- scikit-learn


def _checks():
    with warnings.catch_warnings():  # "does not inherit from BaseEstimator"
        warnings.simplefilter("ignore", UserWarning)
        return list(estimator_checks_generator(GaussianMixtureImputer()))


CHECKS = _checks()


@pytest.mark.parametrize(
    "estimator, check",
    CHECKS,
    ids=[getattr(check, "func", check).__name__ for _, check in CHECKS],
)
def test_check_estimator(estimator, check):
    """Every check scikit-learn runs on a transformer that takes NaN (the
    Array API check skips itself without SCIPY_ARRAY_API)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
        check(estimator)


def test_in_a_pipeline_with_clone_pickle_and_grid_search():
    X, X_missing = correlated()
    y = X @ [1.0, -2.0, 0.5]
    pipeline = Pipeline(
        [
            ("impute", GaussianMixtureImputer(random_state=0)),
            ("ridge", Ridge()),
        ]
    )
    search = GridSearchCV(
        pipeline, {"impute__covariance_type": ["full", "diag"]}, cv=3
    ).fit(X_missing, y)
    # the correlations predict the missing values; "diag" ignores them
    assert search.best_params_ == {"impute__covariance_type": "full"}
    fitted = search.best_estimator_
    copy = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(
        copy.predict(X_missing), fitted.predict(X_missing)
    )
    fresh = clone(fitted.named_steps["impute"])
    assert fresh.get_params() == fitted.named_steps["impute"].get_params()
    assert not hasattr(fresh, "mixture_")


# ---------------------------------------------------------------- the numbers


@pytest.mark.parametrize(
    "covariance_type", ["full", "tied", "diag", "spherical"]
)
def test_transform_is_impute_under_the_fitted_mixture(covariance_type):
    _, X_missing = correlated()
    imputer = GaussianMixtureImputer(
        2, covariance_type=covariance_type, random_state=0
    ).fit(X_missing)
    mixture = imputer.mixture_
    assert isinstance(mixture, GaussianMixture) and mixture.n_iter_ >= 1
    expected = impute.impute(
        X_missing,
        mixture.weights_,
        mixture.means_,
        mixture.covariances_,
        covariance_type,
    )
    np.testing.assert_array_equal(imputer.transform(X_missing), expected)
    np.testing.assert_array_equal(imputer.fit_transform(X_missing), expected)


def test_one_component_fills_in_the_linear_regression():
    """With K = 1, E[x_m | x_o] = mu_m + Sigma_mo Sigma_oo^{-1} (x_o - mu_o),
    written with an explicit inverse."""
    _, X_missing = correlated()
    imputer = GaussianMixtureImputer(random_state=0).fit(X_missing)
    mu, cov = imputer.mixture_.means_[0], imputer.mixture_.covariances_[0]
    filled = imputer.transform(X_missing)
    for x, row in zip(X_missing, filled, strict=True):
        m, o = np.isnan(x), ~np.isnan(x)
        regression = cov[np.ix_(m, o)] @ np.linalg.inv(cov[np.ix_(o, o)])
        expected = mu[m] + regression @ (x[o] - mu[o])
        np.testing.assert_allclose(row[m], expected, rtol=1e-10)
        np.testing.assert_array_equal(row[o], x[o])


def test_beats_mean_imputation_on_correlated_data():
    X, X_missing = correlated()
    holes = np.isnan(X_missing)

    def rmse(filled):
        return np.sqrt(np.mean((filled[holes] - X[holes]) ** 2))

    ours = rmse(
        GaussianMixtureImputer(random_state=0).fit_transform(X_missing)
    )
    means = rmse(SimpleImputer().fit_transform(X_missing))
    assert ours < 0.8 * means


def test_indicator_columns_for_the_features_missing_in_fit():
    X, X_missing = correlated()
    X_missing[:, 2] = X[:, 2]  # feature 2 is never missing
    imputer = GaussianMixtureImputer(
        2, add_indicator=True, random_state=0
    ).fit(X_missing)
    np.testing.assert_array_equal(imputer.indicator_features_, [0, 1])
    out = imputer.transform(X_missing)
    assert out.shape == (len(X), 5)
    np.testing.assert_array_equal(out[:, 3:], np.isnan(X_missing[:, :2]))
    np.testing.assert_array_equal(
        out[:, :3],
        GaussianMixtureImputer(2, random_state=0).fit_transform(X_missing),
    )


@pytest.mark.parametrize("add_indicator", [False, True])
@pytest.mark.parametrize("input_features", [None, ["a", "b", "c"]])
def test_feature_names_out_are_scikit_learn_s(add_indicator, input_features):
    """The names SimpleImputer gives the same columns, one per column."""
    X, X_missing = correlated()
    X_missing[:, 1] = X[:, 1]  # feature 1 is never missing
    ours = GaussianMixtureImputer(add_indicator=add_indicator).fit(X_missing)
    theirs = SimpleImputer(add_indicator=add_indicator).fit(X_missing)
    names = ours.get_feature_names_out(input_features)
    np.testing.assert_array_equal(
        names, theirs.get_feature_names_out(input_features)
    )
    assert names.dtype == object
    assert len(names) == ours.transform(X_missing).shape[1]


def test_feature_names_out_check_their_input():
    X, X_missing = correlated()
    with pytest.raises(sklearn.exceptions.NotFittedError):
        GaussianMixtureImputer().get_feature_names_out()
    imputer = GaussianMixtureImputer().fit(X_missing)
    with pytest.raises(ValueError) as theirs:
        SimpleImputer().fit(X_missing).get_feature_names_out(["a"])
    with pytest.raises(ValueError, match="got 1") as ours:
        imputer.get_feature_names_out(["a"])
    assert str(ours.value) == str(theirs.value)


def test_a_row_with_nothing_observed_gets_the_mixture_mean():
    _, X_missing = correlated()
    X_missing[5] = np.nan
    imputer = GaussianMixtureImputer(2, random_state=0).fit(X_missing)
    mixture = imputer.mixture_
    out = imputer.transform(X_missing)
    np.testing.assert_allclose(out[5], mixture.weights_ @ mixture.means_)
    # the empty row is left out of the fit
    other = GaussianMixture(2, random_state=0).fit(np.delete(X_missing, 5, 0))
    np.testing.assert_array_equal(other.means_, mixture.means_)


def test_float32_stays_float32_and_observed_values_stay():
    _, X_missing = correlated()
    X32 = X_missing.astype(np.float32)
    out = GaussianMixtureImputer(random_state=0).fit_transform(X32)
    assert out.dtype == np.float32 and not np.isnan(out).any()
    observed = ~np.isnan(X32)
    np.testing.assert_array_equal(out[observed], X32[observed])


def test_warm_start_refits_the_same_mixture():
    _, X_missing = correlated()
    imputer = GaussianMixtureImputer(warm_start=True, max_iter=2, tol=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        first = imputer.fit(X_missing).mixture_
        bound = first.lower_bound_
        second = imputer.fit(X_missing).mixture_
    assert second is first and second.lower_bound_ >= bound


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("options", "spoil", "error", "message"),
    [
        (
            {},
            lambda X: X.__setitem__((0, 0), np.inf),
            ValueError,
            r"X must contain only finite numbers or NaN",
        ),
        (
            {},
            lambda X: X.__setitem__((slice(None), 1), np.nan),
            ValueError,
            r"no observed value in column\(s\) 1",
        ),
        (
            {"add_indicator": "yes"},
            lambda X: None,
            ValueError,
            "The 'add_indicator' parameter of GaussianMixtureImputer must be",
        ),
        (
            {"n_components": 0},
            lambda X: None,
            ValueError,
            "The 'n_components' parameter of GaussianMixtureImputer must be",
        ),
    ],
    ids=["infinity", "empty column", "add_indicator", "n_components"],
)
def test_fit_names_what_it_refuses(options, spoil, error, message):
    _, X_missing = correlated(n=30)
    spoil(X_missing)
    with pytest.raises(error, match=message):
        GaussianMixtureImputer(**options).fit(X_missing)


def test_transform_before_fit_and_with_other_features():
    _, X_missing = correlated(n=30)
    with pytest.raises(Exception, match="is not fitted yet"):
        GaussianMixtureImputer().transform(X_missing)
    imputer = GaussianMixtureImputer().fit(X_missing)
    with pytest.raises(ValueError, match="X has 2 features"):
        imputer.transform(X_missing[:, :2])
