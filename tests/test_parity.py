"""Parity with scikit-learn: from the same start, the same parameters in the same number of
iterations; em1d against em; the iris crosstab of chapter 10."""

import numpy as np
import pytest
from conftest import precisions
from sklearn.datasets import load_iris
from sklearn.mixture import GaussianMixture as SklearnMixture

import gmm_teach
from gmm_teach import covariance, em, em1d, init
from gmm_teach.covariance import COVARIANCE_TYPES

STARTS = [
    ("kmeans", 0),
    ("kmeans", 1),
    ("random_from_data", 0),
    ("random_from_data", 1),
]
TOL, MAX_ITER = 1e-4, 1000


def _blobs(seed, centres, scale=1.0, n_per_blob=100):
    rng = np.random.default_rng(seed)
    return np.vstack(
        [rng.normal(c, scale, size=(n_per_blob, len(c))) for c in centres]
    )


DATASETS = {
    "separated": lambda: _blobs(0, [[0, 0], [8, 8], [0, 10]]),
    "overlapping": lambda: _blobs(1, [[0, 0], [1.5, 1], [0.5, 2.5]]),
    "anisotropic": lambda: (
        _blobs(2, [[0, 0], [4, 3], [-3, 4]])
        @ np.array([[0.6, -0.6], [-0.4, 0.8]])
    ),
    "one_d": lambda: _blobs(3, [[-4], [0], [5]], scale=1.2),
    "five_d": lambda: _blobs(
        4, [np.zeros(5), np.full(5, 2.0), np.r_[3.0, -3.0, 0, 0, 1]]
    ),
}


def sklearn_from(start, covariance_type, **options):
    weights, means, covariances = start
    return SklearnMixture(
        len(weights),
        covariance_type=covariance_type,
        weights_init=weights,
        means_init=means,
        precisions_init=precisions(covariances, covariance_type),
        **options,
    )


def assert_relatively_close(ours, theirs, rtol=1e-8):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(
        ours, theirs, rtol=rtol, atol=rtol * np.abs(theirs).max()
    )


# ---------------------------------------------------------------- em.em against scikit-learn


@pytest.mark.parametrize("method, seed", STARTS)
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("dataset", DATASETS)
def test_em_matches_scikit_learn_from_the_same_start(
    dataset, covariance_type, method, seed
):
    X = DATASETS[dataset]()
    start = init.initial_parameters(
        X, 3, method, covariance_type=covariance_type, random_state=seed
    )
    ours = em.em(
        X, *start, covariance_type=covariance_type, tol=TOL, max_iter=MAX_ITER
    )
    theirs = sklearn_from(
        start, covariance_type, tol=TOL, max_iter=MAX_ITER
    ).fit(X)
    assert (
        ours.n_iter == theirs.n_iter_ and ours.converged == theirs.converged_
    )
    assert_relatively_close(ours.weights, theirs.weights_)
    assert_relatively_close(ours.means, theirs.means_)
    assert_relatively_close(ours.covariances, theirs.covariances_)
    np.testing.assert_allclose(
        ours.log_likelihoods / len(X), theirs.lower_bounds_, rtol=1e-10
    )


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_em_matches_scikit_learn_with_reg_covar_and_few_iterations(
    covariance_type,
):
    """Another reg_covar, and a run stopped by max_iter: the same parameters after 3 iterations."""
    X = DATASETS["overlapping"]()
    start = init.initial_parameters(
        X,
        4,
        "random_from_data",
        covariance_type=covariance_type,
        reg_covar=0.1,
        random_state=2,
    )
    with pytest.warns(gmm_teach.ConvergenceWarning):
        ours = em.em(
            X,
            *start,
            covariance_type=covariance_type,
            tol=0.0,
            max_iter=3,
            reg_covar=0.1,
        )
    with pytest.warns(Warning, match="did not converge"):
        theirs = sklearn_from(
            start, covariance_type, tol=0.0, max_iter=3, reg_covar=0.1
        ).fit(X)
    assert ours.n_iter == theirs.n_iter_ == 3
    for got, want in [
        (ours.weights, theirs.weights_),
        (ours.means, theirs.means_),
        (ours.covariances, theirs.covariances_),
    ]:
        assert_relatively_close(got, want)


# ---------------------------------------------------------------- em1d against em


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("covariance_type", ["spherical", "full"])
def test_em1d_matches_em_on_one_dimensional_data(covariance_type, seed):
    X = DATASETS["one_d"]()
    weights, means, variances = init.initial_parameters(
        X,
        3,
        "random_from_data",
        covariance_type="spherical",
        random_state=seed,
    )
    ours = em1d.em(
        X[:, 0],
        weights,
        means[:, 0],
        variances + 1.0,
        tol=TOL,
        max_iter=MAX_ITER,
    )
    covariances = covariance.get(covariance_type).from_full(
        (variances + 1.0)[:, None, None], weights
    )
    general = em.em(
        X,
        weights,
        means,
        covariances,
        covariance_type=covariance_type,
        tol=TOL,
        max_iter=MAX_ITER,
        reg_covar=0.0,
    )
    assert ours.n_iter == general.n_iter
    assert_relatively_close(ours.weights, general.weights, rtol=1e-10)
    assert_relatively_close(ours.means, general.means[:, 0], rtol=1e-10)
    assert_relatively_close(
        ours.covariances, general.covariances.reshape(-1), rtol=1e-10
    )


# ---------------------------------------------------------------- the estimator


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_estimator_matches_scikit_learn_from_a_user_given_start(
    covariance_type,
):
    X = DATASETS["anisotropic"]()
    weights, means, covariances = init.initial_parameters(
        X,
        3,
        "random_from_data",
        covariance_type=covariance_type,
        random_state=4,
    )
    options = dict(
        n_components=3,
        covariance_type=covariance_type,
        weights_init=weights,
        means_init=means,
        precisions_init=precisions(covariances, covariance_type),
        tol=TOL,
        max_iter=MAX_ITER,
    )
    ours = gmm_teach.GaussianMixture(**options).fit(X)
    theirs = SklearnMixture(**options).fit(X)
    assert (
        ours.n_iter_ == theirs.n_iter_ and ours.converged_ == theirs.converged_
    )
    for name in (
        "weights_",
        "means_",
        "covariances_",
        "precisions_",
        "precisions_cholesky_",
    ):
        assert_relatively_close(getattr(ours, name), getattr(theirs, name))
    np.testing.assert_allclose(
        ours.lower_bounds_, theirs.lower_bounds_, rtol=1e-10
    )
    assert ours.lower_bound_ == pytest.approx(theirs.lower_bound_, rel=1e-10)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_allclose(
        ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-6, atol=1e-10
    )
    np.testing.assert_allclose(
        ours.score_samples(X), theirs.score_samples(X), rtol=1e-9
    )
    assert ours.bic(X) == pytest.approx(theirs.bic(X), rel=1e-9)
    assert ours.aic(X) == pytest.approx(theirs.aic(X), rel=1e-9)


def test_warm_start_continues_like_scikit_learn():
    X = DATASETS["separated"]()
    start = init.initial_parameters(X, 3, "kmeans", random_state=0)
    options = dict(
        n_components=3,
        weights_init=start[0],
        means_init=start[1],
        precisions_init=precisions(start[2], "full"),
        warm_start=True,
    )
    ours = gmm_teach.GaussianMixture(**options).fit(X).fit(X)
    theirs = SklearnMixture(**options).fit(X).fit(X)
    assert ours.n_iter_ == theirs.n_iter_
    np.testing.assert_allclose(
        ours.lower_bounds_, theirs.lower_bounds_, rtol=1e-10
    )


# ---------------------------------------------------------------- iris (chapter 10)


def crosstab(species, labels):
    """counts[s, c]: how many flowers of species s fell in cluster c."""
    counts = np.zeros((3, 3), dtype=int)
    np.add.at(counts, (species, labels), 1)
    return counts


@pytest.mark.parametrize(
    "estimator",
    [SklearnMixture, gmm_teach.GaussianMixture],
    ids=["scikit-learn", "gmm_teach"],
)
def test_iris_crosstab(estimator):
    iris = load_iris()
    labels = (
        estimator(n_components=3, random_state=0)
        .fit(iris.data)
        .predict(iris.data)
    )
    counts = crosstab(
        iris.target, labels
    )  # rows: setosa, versicolor, virginica
    setosa, versicolor, virginica = (int(np.argmax(row)) for row in counts)
    assert counts[0, setosa] == 50
    assert counts[1, versicolor] == 45
    assert counts[2, virginica] == 50
    assert (
        counts[1, virginica] == 5
    )  # the five versicolor share virginica's cluster
    assert len({setosa, versicolor, virginica}) == 3


def test_iris_mean_log_likelihoods_agree():
    X = load_iris().data
    ours = gmm_teach.GaussianMixture(n_components=3, random_state=0).fit(X)
    theirs = SklearnMixture(n_components=3, random_state=0).fit(X)
    assert ours.score(X) == pytest.approx(theirs.score(X), abs=1e-4)
