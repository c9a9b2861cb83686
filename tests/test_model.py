"""Tests of gmm_teach.GaussianMixture: scikit-learn's estimator conventions and its methods."""

import re
import warnings

import numpy as np
import pytest
from scipy import special
from sklearn.base import clone
from sklearn.mixture import GaussianMixture as SklearnMixture
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from test_gaussian import slow_log_density

from gmm_teach import ConvergenceWarning, GaussianMixture, em, init, selection

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")


def blobs(seed=0, n_per_blob=60, shuffle=False):
    rng = np.random.default_rng(seed)
    X = np.vstack(
        [
            rng.normal(c, 1.0, size=(n_per_blob, 2))
            for c in ([0, 0], [7, 7], [0, 9])
        ]
    )
    return rng.permutation(X) if shuffle else X


@pytest.fixture(scope="module")
def X():
    return blobs()


@pytest.fixture(scope="module")
def fitted(X):
    """One fitted mixture per covariance type."""
    return {
        ct: GaussianMixture(3, covariance_type=ct, random_state=0).fit(X)
        for ct in COVARIANCE_TYPES
    }


# ---------------------------------------------------------------- scikit-learn conventions


def test_constructor_arguments_and_defaults_are_scikit_learn_s():
    assert GaussianMixture().get_params() == SklearnMixture().get_params()


def test_set_params_sets_and_returns_self():
    model = GaussianMixture()
    assert model.set_params(n_components=4, covariance_type="diag") is model
    assert (
        model.get_params()["n_components"] == 4
        and model.covariance_type == "diag"
    )
    with pytest.raises(ValueError, match="n_component"):
        model.set_params(n_component=2)


def test_clone_copies_the_parameters_not_the_fit(X):
    model = GaussianMixture(3, covariance_type="tied", random_state=1).fit(X)
    copy = clone(model)
    assert copy is not model and copy.get_params() == model.get_params()
    assert not hasattr(copy, "means_")


def test_repr_shows_the_changed_arguments():
    expected = "GaussianMixture(n_components=3, covariance_type='tied')"
    assert repr(GaussianMixture(3, covariance_type="tied")) == expected


def test_works_in_a_pipeline_with_a_scaler(X):
    pipeline = make_pipeline(
        StandardScaler(), GaussianMixture(3, random_state=0)
    ).fit(X)
    scaled = StandardScaler().fit_transform(X)
    alone = GaussianMixture(3, random_state=0).fit(scaled)
    np.testing.assert_array_equal(pipeline.predict(X), alone.predict(scaled))
    assert pipeline.score(X) == pytest.approx(alone.score(scaled), rel=1e-12)


def test_grid_search_over_n_components_agrees_with_scikit_learn():
    X = blobs(
        seed=1, shuffle=True
    )  # shuffled: each fold then holds samples of every blob
    grid = {"n_components": [1, 2, 3]}
    ours = GridSearchCV(GaussianMixture(random_state=0), grid, cv=3).fit(X)
    theirs = GridSearchCV(SklearnMixture(random_state=0), grid, cv=3).fit(X)
    assert ours.best_params_ == theirs.best_params_ == {"n_components": 3}
    assert isinstance(ours.best_estimator_, GaussianMixture)
    # K = 1 and K = 3 have one clear optimum (K = 2 may merge either pair of blobs)
    np.testing.assert_allclose(
        ours.cv_results_["mean_test_score"][[0, 2]],
        theirs.cv_results_["mean_test_score"][[0, 2]],
        rtol=1e-6,
    )


# ---------------------------------------------------------------- fit


def test_fit_returns_self(X):
    model = GaussianMixture(2, random_state=0)
    assert model.fit(X) is model


@pytest.mark.parametrize("max_iter", [2, 100])
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_fit_predict_equals_predict_after_fit(covariance_type, max_iter):
    """Even when EM stopped early (max_iter=2), thanks to the final E-step."""
    X = blobs(seed=2, n_per_blob=30) * [1.0, 0.3]
    options = dict(
        n_components=4,
        covariance_type=covariance_type,
        max_iter=max_iter,
        random_state=3,
        init_params="random",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        labels = GaussianMixture(**options).fit_predict(X)
        model = GaussianMixture(**options).fit(X)
    np.testing.assert_array_equal(labels, model.predict(X))


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_fitted_attributes(fitted, X, covariance_type):
    model = fitted[covariance_type]
    shape = {
        "full": (3, 2, 2),
        "tied": (2, 2),
        "diag": (3, 2),
        "spherical": (3,),
    }[covariance_type]
    assert model.weights_.shape == (3,) and model.means_.shape == (3, 2)
    for name in ("covariances_", "precisions_", "precisions_cholesky_"):
        assert getattr(model, name).shape == shape, name
    assert model.n_features_in_ == 2 and model.converged_
    assert (
        len(model.lower_bounds_) == model.n_iter_
        and model.lower_bound_ == model.lower_bounds_[-1]
    )
    assert np.all(np.diff(model.lower_bounds_) > -1e-12)
    if covariance_type in ("full", "tied"):
        np.testing.assert_allclose(
            model.precisions_ @ model.covariances_,
            np.broadcast_to(np.eye(2), model.covariances_.shape),
            atol=1e-10,
        )
        U = model.precisions_cholesky_
        np.testing.assert_allclose(
            U @ np.swapaxes(U, -1, -2), model.precisions_, rtol=1e-12
        )
    else:
        np.testing.assert_allclose(
            model.precisions_, 1 / model.covariances_, rtol=1e-12
        )
        np.testing.assert_allclose(
            model.precisions_cholesky_**2, model.precisions_, rtol=1e-12
        )


def test_fit_recovers_separated_blobs(fitted):
    means = fitted["full"].means_
    np.testing.assert_allclose(
        means[np.argsort(means.sum(axis=1))],
        [[0, 0], [0, 9], [7, 7]],
        atol=0.35,
    )


def test_one_feature_is_a_column():
    """As in scikit-learn, one feature is X.reshape(-1, 1) (a 1-D X is refused)."""
    x = np.random.default_rng(3).normal(size=50)
    model = GaussianMixture(2, random_state=0).fit(x.reshape(-1, 1))
    assert model.means_.shape == (2, 1) and model.n_features_in_ == 1
    assert model.predict(x.reshape(-1, 1)).shape == (50,)
    reference = em.em(
        x, model.weights_, model.means_, model.covariances_, max_iter=0
    )
    np.testing.assert_allclose(
        model.predict_proba(x[:, None]), reference.responsibilities, rtol=1e-12
    )


def test_max_iter_zero_keeps_the_last_start_as_scikit_learn_does(X):
    """With max_iter=0 every start ties at -inf; scikit-learn keeps the last one."""
    model = GaussianMixture(
        3, init_params="random_from_data", max_iter=0, n_init=3, random_state=8
    ).fit(X)
    rng = np.random.default_rng(8)
    starts = [
        init.initial_parameters(X, 3, "random_from_data", random_state=rng)
        for _ in range(3)
    ]
    np.testing.assert_array_equal(model.means_, starts[-1][1])
    assert (
        model.n_iter_ == 0
        and model.lower_bounds_ == []
        and model.lower_bound_ == -np.inf
    )
    assert not model.converged_


def test_warm_start_continues_from_the_previous_fit(X):
    """Five warm fits of one iteration each are five iterations of EM from one start."""
    warm = GaussianMixture(
        3,
        init_params="random",
        max_iter=1,
        tol=0.0,
        warm_start=True,
        n_init=4,
        random_state=5,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warm.fit(
            X
        )  # the first fit picks the best of n_init=4 starts, after one iteration
        first = (warm.weights_, warm.means_, warm.covariances_)
        for _ in range(4):
            warm.fit(X)
        reference = em.em(X, *first, max_iter=4, tol=0.0)
    np.testing.assert_allclose(warm.means_, reference.means, rtol=1e-12)
    np.testing.assert_allclose(
        warm.covariances_, reference.covariances, rtol=1e-12
    )
    assert warm.n_iter_ == 1


def test_n_init_keeps_the_best_start():
    X = blobs(seed=4, shuffle=True) * [1.0, 0.4]
    best = GaussianMixture(
        4, init_params="random_from_data", n_init=5, random_state=6
    ).fit(X)
    rng = np.random.default_rng(
        6
    )  # the same stream of starts, one after the other
    finals = []
    for _ in range(5):
        start = init.initial_parameters(
            X, 4, "random_from_data", random_state=rng
        )
        finals.append(em.em(X, *start))
    assert (
        len({round(r.log_likelihoods[-1], 6) for r in finals}) > 1
    )  # the starts do differ
    winner = max(finals, key=lambda r: r.log_likelihoods[-1])
    assert best.lower_bound_ == pytest.approx(
        winner.log_likelihoods[-1] / len(X), rel=1e-12
    )
    np.testing.assert_allclose(best.means_, winner.means, rtol=1e-12)


def test_verbose_reports_starts_iterations_and_their_end(X, capsys):
    """scikit-learn's lines (tests/test_sklearn_compat.py compares them)."""
    model = GaussianMixture(3, verbose=1, verbose_interval=2, n_init=2)
    model.set_params(random_state=0, max_iter=3).fit(X)
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["Initialization 0", "  Iteration 2"]
    assert lines[2] in (
        "Initialization converged.",
        "Initialization did not converge.",
    )
    assert lines[3] == "Initialization 1"
    model.set_params(verbose=2, verbose_interval=1, n_init=1).fit(X)
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(
        r"  Iteration 1\t time lapse \d+\.\d{5}s\t ll change inf", lines[1]
    )
    end = (
        r"Initialization (converged|did not converge)\. time lapse "
        rf"\d+\.\d{{5}}s\t lower bound {model.lower_bound_:.5f}\."
    )
    assert re.fullmatch(end, lines[-1])


# ---------------------------------------------------------------- the fitted mixture


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_score_samples_predict_proba_and_score_match_slow_mixture(
    fitted, covariance_type
):
    model = fitted[covariance_type]
    X = blobs(seed=7, n_per_blob=5)  # new data
    log_joint = np.log(model.weights_) + slow_log_density(
        X, model.means_, model.covariances_, covariance_type
    )
    log_evidence = special.logsumexp(log_joint, axis=1)
    np.testing.assert_allclose(
        model.score_samples(X), log_evidence, rtol=1e-11
    )
    np.testing.assert_allclose(
        model.predict_proba(X),
        np.exp(log_joint - log_evidence[:, None]),
        rtol=1e-9,
        atol=1e-14,
    )
    np.testing.assert_array_equal(model.predict(X), log_joint.argmax(axis=1))
    assert model.score(X) == pytest.approx(log_evidence.mean(), rel=1e-12)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_bic_and_aic_follow_scikit_learn_s_formulas(
    fitted, X, covariance_type
):
    model = fitted[covariance_type]
    n, p = len(X), selection.n_parameters(3, 2, covariance_type)
    assert model.bic(X) == pytest.approx(
        -2 * n * model.score(X) + p * np.log(n), rel=1e-12
    )
    assert model.aic(X) == pytest.approx(
        -2 * n * model.score(X) + 2 * p, rel=1e-12
    )
    reference = SklearnMixture(
        3, covariance_type=covariance_type
    )  # holding our fitted parameters
    for name in (
        "weights_",
        "means_",
        "covariances_",
        "precisions_cholesky_",
        "n_features_in_",
    ):
        setattr(reference, name, getattr(model, name))
    assert model.bic(X) == pytest.approx(reference.bic(X), rel=1e-10)
    assert model.aic(X) == pytest.approx(reference.aic(X), rel=1e-10)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_sample_shapes_and_label_counts(fitted, covariance_type):
    model = fitted[covariance_type]
    X, y = model.sample(600)
    assert X.shape == (600, 2) and y.shape == (600,)
    counts = np.bincount(y, minlength=3)
    assert counts.sum() == 600 and set(np.unique(y)) <= {0, 1, 2}
    np.testing.assert_allclose(counts / 600, model.weights_, atol=0.08)
    np.testing.assert_array_equal(
        model.sample(600)[0], X
    )  # an int random_state: reproducible


def test_samples_follow_each_component(fitted):
    model = fitted["full"]
    X, y = model.sample(6000)
    for k in range(3):
        np.testing.assert_allclose(
            X[y == k].mean(axis=0), model.means_[k], atol=0.1
        )
        np.testing.assert_allclose(
            np.cov(X[y == k].T), model.covariances_[k], atol=0.15
        )
