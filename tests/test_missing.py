"""EM with missing values (gmm_teach.patterns, .conditional, .missing).

Checked against what does not share its code: complete-data EM (no NaN),
the closed-form maximum likelihood of a bivariate normal under monotone
missingness, SciPy's densities on sub-blocks, and an M-step written row by
row with explicit inverses.
"""

import warnings

import numpy as np
import pytest
from conftest import PROPERTY, component_covariance, random_covariances
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from gmm_teach import (
    GaussianMixture,
    conditional,
    em,
    impute,
    init,
    missing,
    patterns,
    selection,
)
from gmm_teach.covariance import COVARIANCE_TYPES, full_covariances
from gmm_teach.exceptions import ConvergenceWarning


def three_clusters(n_per=60, d=3, seed=0):
    """Three well-separated Gaussian clusters in d dimensions."""
    rng = np.random.default_rng(seed)
    return np.vstack(
        [
            rng.normal(size=(n_per, d)) @ rng.normal(size=(d, d)) + 4.0 * k
            for k in range(3)
        ]
    )


def with_holes(X, fraction=0.25, seed=1):
    """``X`` with each entry missing with probability ``fraction`` (MCAR);
    rows that lose everything keep their first value."""
    rng = np.random.default_rng(seed)
    X = X.copy()
    holes = rng.uniform(size=X.shape) < fraction
    holes[holes.all(axis=1), 0] = False
    X[holes] = np.nan
    return X


def a_mixture(covariance_type, d=3, seed=2):
    """A random mixture of three components, stored as its type asks."""
    rng = np.random.default_rng(seed)
    weights = np.array([0.2, 0.3, 0.5])
    means = 4.0 * rng.normal(size=(3, d))
    covariances = random_covariances(rng, covariance_type, 3, d)
    return weights, means, covariances


def run(X, start, covariance_type, **options):
    options = {"max_iter": 30, "tol": 0.0, **options}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return missing.em(
            X, *start, covariance_type=covariance_type, **options
        )


# ------------------------------------------------ slow, obvious references


def slow_log_evidence(X, weights, means, covariances, covariance_type):
    """log sum_k pi_k N(x_o | mu_k,o, Sigma_k,oo), row by row, with SciPy."""
    d = X.shape[1]
    out = []
    for x in X:
        o = ~np.isnan(x)
        density = 0.0
        for k, (w, mu) in enumerate(zip(weights, means, strict=True)):
            cov = component_covariance(covariances, covariance_type, k, d)
            normal = stats.multivariate_normal(mu[o], cov[np.ix_(o, o)])
            density += w * normal.pdf(x[o])
        out.append(np.log(density))
    return np.array(out)


def slow_conditional(x, mu, cov):
    """Conditional mean (filled row) and covariance (d x d, zero outside the
    missing block) of one row, with explicit inverses."""
    o, m = ~np.isnan(x), np.isnan(x)
    inverse = np.linalg.inv(cov[np.ix_(o, o)])
    filled, C = x.copy(), np.zeros_like(cov)
    filled[m] = mu[m] + cov[np.ix_(m, o)] @ inverse @ (x[o] - mu[o])
    C[np.ix_(m, m)] = (
        cov[np.ix_(m, m)] - cov[np.ix_(m, o)] @ inverse @ cov[np.ix_(o, m)]
    )
    return filled, C


def slow_m_step(X, resp, means, covariances, covariance_type):
    """The M-step with the correction, row by row, as full matrices, then
    reduced to the type (no reg_covar)."""
    n, d = X.shape
    K = resp.shape[1]
    nk = resp.sum(axis=0)
    new_means, scatter = np.zeros((K, d)), np.zeros((K, d, d))
    expected = [[None] * n for _ in range(K)]
    for k in range(K):
        cov = component_covariance(covariances, covariance_type, k, d)
        for i in range(n):
            expected[k][i] = slow_conditional(X[i], means[k], cov)
            new_means[k] += resp[i, k] * expected[k][i][0] / nk[k]
        for i in range(n):
            filled, C = expected[k][i]
            diff = filled - new_means[k]
            scatter[k] += resp[i, k] * (np.outer(diff, diff) + C) / nk[k]
    reduce = {
        "full": lambda S: S,
        "tied": lambda S: np.tensordot(nk, S, axes=1) / n,
        "diag": lambda S: np.diagonal(S, axis1=1, axis2=2),
        "spherical": lambda S: np.diagonal(S, axis1=1, axis2=2).mean(axis=1),
    }
    return nk / n, new_means, reduce[covariance_type](scatter)


# ------------------------------------------------ no NaN: complete-data EM


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_without_nan_em_is_complete_data_em(covariance_type):
    X = three_clusters()
    start = init.initial_parameters(  # a random start: 13 to 111 iterations
        X, 3, "random", covariance_type=covariance_type, random_state=0
    )
    options = {"covariance_type": covariance_type, "tol": 1e-6}
    options["max_iter"] = 300
    expected = em.em(X, *start, **options)
    got = missing.em(X, *start, **options)
    assert got.n_iter == expected.n_iter and got.converged
    for name in (
        "weights",
        "means",
        "covariances",
        "responsibilities",
        "log_likelihoods",
        "final_log_likelihood",
    ):
        # responsibilities are probabilities: to 1e-13 absolute
        atol = 1e-13 if name == "responsibilities" else 0
        np.testing.assert_allclose(
            getattr(got, name), getattr(expected, name), rtol=1e-13, atol=atol
        )


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_without_nan_each_step_is_the_complete_data_step(covariance_type):
    X = three_clusters()
    weights, means, covariances = a_mixture(covariance_type)
    resp, ll = missing.e_step(X, weights, means, covariances, covariance_type)
    expected_resp, expected_ll = em.e_step(
        X, weights, means, covariances, covariance_type
    )
    np.testing.assert_allclose(resp, expected_resp, rtol=0, atol=1e-13)
    assert ll == pytest.approx(expected_ll, rel=1e-14)
    got = missing.m_step(X, resp, means, covariances, covariance_type)
    expected = em.m_step(X, resp, covariance_type)
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=0)


# ------------------------------------------------ against references


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_log_evidence_is_the_marginal_density_of_scipy(covariance_type):
    X = with_holes(three_clusters(n_per=15), fraction=0.4)
    mixture = a_mixture(covariance_type)
    got = missing.log_evidence(X, *mixture, covariance_type)
    expected = slow_log_evidence(X, *mixture, covariance_type)
    np.testing.assert_allclose(got, expected, rtol=1e-10)
    resp, ll = missing.e_step(X, *mixture, covariance_type)
    assert ll == pytest.approx(expected.sum(), rel=1e-12)
    log_density = missing.log_marginal_density(
        X, *mixture[1:], covariance_type
    )
    log_joint = np.log(mixture[0]) + log_density
    np.testing.assert_allclose(
        resp, np.exp(log_joint - expected[:, np.newaxis]), rtol=1e-10
    )


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_m_step_is_the_row_by_row_m_step(covariance_type):
    X = with_holes(three_clusters(n_per=10), fraction=0.3)
    weights, means, covariances = a_mixture(covariance_type)
    resp, _ = missing.e_step(X, weights, means, covariances, covariance_type)
    got = missing.m_step(
        X, resp, means, covariances, covariance_type, reg_covar=0.0
    )
    expected = slow_m_step(X, resp, means, covariances, covariance_type)
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_conditional_means_and_covariances_row_by_row(covariance_type):
    X = with_holes(three_clusters(n_per=5), fraction=0.4)
    _, means, covariances = a_mixture(covariance_type)
    X_hat = impute.conditional_means(X, means, covariances, covariance_type)
    for k in range(3):
        cov = component_covariance(covariances, covariance_type, k, 3)
        for i, x in enumerate(X):
            filled, C = slow_conditional(x, means[k], cov)
            np.testing.assert_allclose(X_hat[k, i], filled, rtol=1e-12)
            got = conditional.conditional_covariances(
                covariances, covariance_type, ~np.isnan(x)
            )
            np.testing.assert_allclose(
                got[0 if len(got) == 1 else k], C, rtol=1e-12, atol=1e-15
            )
    assert X_hat.shape == (3, *X.shape)


@pytest.mark.parametrize("covariance_type", ["diag", "spherical"])
def test_variance_types_fill_in_the_component_s_own_mean_and_variance(
    covariance_type,
):
    _, means, covariances = a_mixture(covariance_type)
    x = np.array([[np.nan, 1.0, np.nan]])
    X_hat = impute.conditional_means(x, means, covariances, covariance_type)
    np.testing.assert_array_equal(X_hat[:, 0, [0, 2]], means[:, [0, 2]])
    C = conditional.conditional_covariances(
        covariances, covariance_type, [False, True, False]
    )
    full = [
        component_covariance(covariances, covariance_type, k, 3)
        for k in range(3)
    ]
    for k in range(3):
        np.testing.assert_array_equal(
            np.diag(C[k])[[0, 2]], np.diag(full[k])[[0, 2]]
        )


# ------------------------------------------------ the closed form


def test_one_component_monotone_closed_form():
    """x1 always observed, x2 missing at random given x1: the MLE is
    mu1 = mean of x1, sigma11 = its variance (all rows); beta, the slope of
    x2 on x1 over the complete cases; mu2 = x2bar_cc + beta (mu1 -
    x1bar_cc); sigma22 = s22_cc + beta^2 (sigma11 - s11_cc); sigma12 =
    beta sigma11 (p(x1) p(x2 | x1), each fitted by itself)."""
    rng = np.random.default_rng(3)
    n = 400
    X = rng.multivariate_normal([1.0, -2.0], [[2.0, 1.2], [1.2, 1.5]], n)
    lost = rng.uniform(size=n) < 1 / (1 + np.exp(-X[:, 0]))  # MAR on x1
    cc = X[~lost]
    mu1, s11 = X[:, 0].mean(), X[:, 0].var()
    S = np.cov(cc.T, bias=True)  # (2, 2), divisor n_cc
    beta = S[0, 1] / S[0, 0]
    mu2 = cc[:, 1].mean() + beta * (mu1 - cc[:, 0].mean())
    s22 = S[1, 1] + beta**2 * (s11 - S[0, 0])
    expected_cov = [[s11, beta * s11], [beta * s11, s22]]
    X[lost, 1] = np.nan
    start = [1.0], [[0.0, 0.0]], [np.eye(2)]
    result = run(X, start, "full", reg_covar=0.0, max_iter=300)
    np.testing.assert_allclose(result.means[0], [mu1, mu2], rtol=1e-8)
    np.testing.assert_allclose(result.covariances[0], expected_cov, rtol=1e-8)


# ------------------------------------------------ what must always hold


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_observed_data_log_likelihood_never_decreases(covariance_type):
    X = with_holes(three_clusters(), fraction=0.3)
    start = a_mixture(covariance_type)
    result = run(X, start, covariance_type, reg_covar=0.0, max_iter=40)
    steps = np.diff([*result.log_likelihoods, result.final_log_likelihood])
    assert steps.min() >= -1e-10 * abs(result.final_log_likelihood)
    assert np.isfinite(result.final_log_likelihood)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_permuting_rows_or_features_permutes_the_results(covariance_type):
    X = with_holes(three_clusters(n_per=30), fraction=0.3)
    weights, means, covariances = start = a_mixture(covariance_type)
    base = run(X, start, covariance_type, max_iter=10)
    rows = np.random.default_rng(5).permutation(len(X))
    by_rows = run(X[rows], start, covariance_type, max_iter=10)
    np.testing.assert_allclose(by_rows.means, base.means, rtol=1e-10)
    np.testing.assert_allclose(
        by_rows.responsibilities, base.responsibilities[rows], rtol=1e-9
    )
    features = np.array([2, 0, 1])
    permuted = {
        "full": lambda c: c[:, features][:, :, features],
        "tied": lambda c: c[features][:, features],
        "diag": lambda c: c[:, features],
        "spherical": lambda c: c,
    }[covariance_type]
    start = weights, means[:, features], permuted(covariances)
    by_features = run(X[:, features], start, covariance_type, max_iter=10)
    np.testing.assert_allclose(
        by_features.means, base.means[:, features], rtol=1e-10
    )
    np.testing.assert_allclose(
        by_features.covariances, permuted(base.covariances), rtol=1e-9
    )
    np.testing.assert_allclose(
        by_features.log_likelihoods, base.log_likelihoods, rtol=1e-12
    )


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_one_nan_in_a_column_and_a_row_with_one_value(covariance_type):
    X = three_clusters(n_per=20)
    X[7, 2] = np.nan  # the only NaN of column 2
    X[30, [0, 2]] = np.nan  # row 30 observes one value
    start = init.initial_parameters(
        patterns.fill_with_means(X),
        3,
        covariance_type=covariance_type,
        random_state=0,
    )
    result = run(X, start, covariance_type, max_iter=20)
    fitted = result.weights, result.means, result.covariances
    assert np.all(np.isfinite(result.covariances))
    np.testing.assert_allclose(result.responsibilities.sum(axis=1), 1.0)
    expected = slow_log_evidence(X[[7, 30]], *fitted, covariance_type)
    got = missing.log_evidence(X[[7, 30]], *fitted, covariance_type)
    np.testing.assert_allclose(got, expected, rtol=1e-10)


@PROPERTY
@given(
    seed=st.integers(0, 2**16),
    fraction=st.sampled_from([0.05, 0.3, 0.6]),
    covariance_type=st.sampled_from(COVARIANCE_TYPES),
)
def test_any_holes_keep_em_monotone_and_its_parameters_valid(
    seed, fraction, covariance_type
):
    X = with_holes(three_clusters(n_per=20, seed=seed), fraction, seed)
    start = init.initial_parameters(
        patterns.fill_with_means(X),
        3,
        covariance_type=covariance_type,
        random_state=seed,
    )
    result = run(X, start, covariance_type, max_iter=15, reg_covar=0.0)
    steps = np.diff([*result.log_likelihoods, result.final_log_likelihood])
    assert steps.min() >= -1e-10 * abs(result.final_log_likelihood)
    np.testing.assert_allclose(result.responsibilities.sum(axis=1), 1.0)
    np.testing.assert_allclose(result.weights.sum(), 1.0)
    full = full_covariances(result.covariances, covariance_type, 3, 3)
    assert np.linalg.eigvalsh(full).min() > 0


# ------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("hole", "message"),
    [
        ((3, slice(None)), r"no observed value in row\(s\) 3 "),
        ((slice(None), 1), r"no observed value in column\(s\) 1"),
    ],
)
def test_a_row_or_a_column_with_nothing_observed_is_named(hole, message):
    X = three_clusters(n_per=5)
    X[hole] = np.nan
    start = a_mixture("full")
    with pytest.raises(ValueError, match=message):
        missing.em(X, *start)


def test_infinite_values_are_refused_with_their_rows():
    X = three_clusters(n_per=5)
    X[[2, 9], 1] = [np.inf, -np.inf]
    X[4, 0] = np.nan
    with pytest.raises(
        ValueError, match=r"2 infinite value\(s\), in rows 2, 9"
    ):
        missing.e_step(X, *a_mixture("full"))


def test_scoring_accepts_a_column_that_is_missing_in_every_row():
    X = three_clusters(n_per=5)
    X[:, 1] = np.nan  # the density of the other two coordinates
    mixture = a_mixture("full")
    np.testing.assert_allclose(
        missing.log_evidence(X, *mixture),
        slow_log_evidence(X, *mixture, "full"),
        rtol=1e-10,
    )


def test_shapes_and_types_are_checked():
    X = with_holes(three_clusters(n_per=5))
    weights, means, covariances = a_mixture("full")
    with pytest.raises(ValueError, match="means must have shape"):
        missing.e_step(X, weights, means[:, :2], covariances)
    with pytest.raises(TypeError, match="X must be an array of numbers"):
        missing.e_step([["a", "b", "c"]], weights, means, covariances)
    resp, _ = missing.e_step(X, weights, means, covariances)
    with pytest.raises(ValueError, match="one column per component"):
        missing.m_step(
            X,
            resp[:, :2] / resp[:, :2].sum(1, keepdims=True),
            means,
            covariances,
        )
    with pytest.raises(ValueError, match="observed must be a 1-D boolean"):
        conditional.conditional_covariances(covariances, "full", [0, 1, 1])


# ------------------------------------------------ patterns, filling in


def test_patterns_group_every_row_once():
    X = with_holes(three_clusters(n_per=20), fraction=0.3)
    found = patterns.missingness_patterns(X)
    rows = np.concatenate([p.rows for p in found])
    np.testing.assert_array_equal(np.sort(rows), np.arange(len(X)))
    for p in found:
        assert (~np.isnan(X[p.rows]) == p.observed).all()
    assert len({p.observed.tobytes() for p in found}) == len(found)


def test_fill_with_means_uses_the_observed_mean_of_each_column():
    X = np.array([[1.0, np.nan], [3.0, 4.0], [np.nan, 8.0]])
    np.testing.assert_array_equal(
        patterns.fill_with_means(X), [[1.0, 6.0], [3.0, 4.0], [2.0, 8.0]]
    )


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_impute_weights_conditional_means_by_responsibilities(covariance_type):
    X = with_holes(three_clusters(n_per=10), fraction=0.3)
    mixture = a_mixture(covariance_type)
    filled = impute.impute(X, *mixture, covariance_type)
    resp, _ = missing.e_step(X, *mixture, covariance_type)
    X_hat = impute.conditional_means(X, *mixture[1:], covariance_type)
    expected = np.einsum("ik,kid->id", resp, X_hat)
    holes = np.isnan(X)
    np.testing.assert_allclose(filled[holes], expected[holes], rtol=1e-12)
    np.testing.assert_array_equal(filled[~holes], X[~holes])


# ------------------------------------------------ the estimator


FITTED = (
    "weights_",
    "means_",
    "covariances_",
    "precisions_",
    "precisions_cholesky_",
    "lower_bound_",
    "lower_bounds_",
)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_estimator_without_nan_is_exact_em_on_complete_data(covariance_type):
    """Fit without NaN, then run the missing-value EM from the same start:
    every fitted attribute agrees to 1e-13, n_iter_ exactly."""
    X = three_clusters()
    weights, means, covariances = init.initial_parameters(
        X, 3, "random", covariance_type=covariance_type, random_state=0
    )
    precisions = {
        "full": np.linalg.inv,
        "tied": np.linalg.inv,
        "diag": lambda c: 1 / c,
        "spherical": lambda c: 1 / c,
    }[covariance_type](covariances)
    model = GaussianMixture(
        3,
        covariance_type=covariance_type,
        weights_init=weights,
        means_init=means,
        precisions_init=precisions,
        tol=1e-6,
        max_iter=300,
    ).fit(X)
    start = (weights, means, model._user_start(X.shape[1])[2])
    result = missing.em(
        X, *start, covariance_type=covariance_type, tol=1e-6, max_iter=300
    )
    assert model.n_iter_ == result.n_iter and model.converged_
    other = GaussianMixture(3, covariance_type=covariance_type)
    other._set_fitted(result, X)
    for name in FITTED:
        np.testing.assert_allclose(
            getattr(model, name), getattr(other, name), rtol=1e-13, atol=0
        )


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_estimator_with_nan_starts_on_mean_filled_data(covariance_type):
    X = with_holes(three_clusters(), fraction=0.2)
    model = GaussianMixture(
        3, covariance_type=covariance_type, random_state=0, tol=1e-6
    ).fit(X)
    rng = np.random.default_rng(0)
    start = init._initial_parameters(
        patterns.fill_with_means(X), 3, "kmeans", covariance_type, 1e-6, rng
    )
    result = missing.em(X, *start, covariance_type=covariance_type, tol=1e-6)
    assert model.n_iter_ == result.n_iter
    np.testing.assert_allclose(model.means_, result.means, rtol=1e-13)
    np.testing.assert_allclose(
        model.lower_bounds_, result.log_likelihoods / len(X), rtol=1e-13
    )
    np.testing.assert_array_equal(model.fit_predict(X), model.predict(X))


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_estimator_scores_rows_with_nan_by_their_marginal(covariance_type):
    X = with_holes(three_clusters(), fraction=0.3)
    model = GaussianMixture(
        3, covariance_type=covariance_type, random_state=0
    ).fit(X)
    mixture = model.weights_, model.means_, model.covariances_
    expected = slow_log_evidence(X, *mixture, covariance_type)
    np.testing.assert_allclose(model.score_samples(X), expected, rtol=1e-10)
    assert model.score(X) == pytest.approx(expected.mean(), rel=1e-12)
    resp, _ = missing.e_step(X, *mixture, covariance_type)
    np.testing.assert_allclose(model.predict_proba(X), resp, atol=1e-12)
    np.testing.assert_array_equal(model.predict(X), resp.argmax(axis=1))
    nu = selection.n_parameters(3, 3, covariance_type)
    total = expected.sum()
    assert model.bic(X) == pytest.approx(
        -2 * total + nu * np.log(len(X)), rel=1e-12
    )
    assert model.aic(X) == pytest.approx(-2 * total + 2 * nu, rel=1e-12)


def test_estimator_log_likelihood_never_decreases_with_holes():
    X = with_holes(three_clusters(), fraction=0.3)
    for covariance_type in COVARIANCE_TYPES:
        model = GaussianMixture(
            3,
            covariance_type=covariance_type,
            reg_covar=0.0,
            tol=1e-10,
            max_iter=200,
            random_state=1,
        ).fit(X)
        assert np.diff(model.lower_bounds_).min() >= -1e-12, covariance_type


def test_scikit_learn_refuses_nan_and_ours_takes_it():
    sklearn_mixture = pytest.importorskip("sklearn.mixture")
    X = with_holes(three_clusters(n_per=20), fraction=0.1)
    with pytest.raises(ValueError, match="Input X contains NaN"):
        sklearn_mixture.GaussianMixture(2).fit(X)
    model = GaussianMixture(2, random_state=0).fit(X)
    assert model.__sklearn_tags__().input_tags.allow_nan
    assert np.isfinite(model.score(X))


def test_float32_data_with_nan_give_float32_results():
    X = with_holes(three_clusters(n_per=20), fraction=0.1).astype(np.float32)
    model = GaussianMixture(2, random_state=0).fit(X)
    assert model.means_.dtype == np.float32
    assert model.score_samples(X).dtype == np.float32


@pytest.mark.parametrize(
    ("spoil", "method", "message"),
    [
        (
            lambda X: X.__setitem__((4, 1), np.inf),
            "fit",
            r"X must contain only finite numbers or NaN \(missing values\), "
            "got 1 infinite",
        ),
        (
            lambda X: X.__setitem__((5, slice(None)), np.nan),
            "fit",
            r"no observed value in row\(s\) 5 ",
        ),
        (
            lambda X: X.__setitem__((slice(None), 2), np.nan),
            "fit",
            r"no observed value in column\(s\) 2",
        ),
        (
            lambda X: X.__setitem__((5, slice(None)), np.nan),
            "predict",
            r"no observed value in row\(s\) 5 ",
        ),
    ],
    ids=["infinity", "empty row", "empty column", "empty row, predict"],
)
def test_estimator_names_what_it_refuses(spoil, method, message):
    X = with_holes(three_clusters(n_per=10), fraction=0.1)
    model = GaussianMixture(2, random_state=0).fit(X)
    spoil(X)
    with pytest.raises(ValueError, match=message):
        getattr(model, method)(X)


def test_predict_accepts_a_feature_missing_in_every_row():
    X = three_clusters(n_per=10)
    model = GaussianMixture(3, random_state=0).fit(X)
    X[:, 0] = np.nan
    mixture = model.weights_, model.means_, model.covariances_
    np.testing.assert_allclose(
        model.score_samples(X),
        slow_log_evidence(X, *mixture, "full"),
        rtol=1e-10,
    )


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_at_convergence_the_gradient_in_the_means_vanishes(covariance_type):
    """A maximum of l_obs: central differences of l_obs in every mean
    coordinate are ~0 (round-off, ~1e-8) at the end of a long run with
    reg_covar=0."""
    X = with_holes(three_clusters(n_per=30), fraction=0.3)
    start = init.initial_parameters(
        patterns.fill_with_means(X),
        3,
        covariance_type=covariance_type,
        random_state=0,
    )
    result = run(X, start, covariance_type, reg_covar=0.0, max_iter=250)
    weights, means, covariances = (
        result.weights,
        result.means,
        result.covariances,
    )

    def l_obs(shifted):
        return missing.e_step(
            X, weights, shifted, covariances, covariance_type
        )[1]

    step = 1e-5
    for k, j in np.ndindex(means.shape):
        up, down = means.copy(), means.copy()
        up[k, j] += step
        down[k, j] -= step
        gradient = (l_obs(up) - l_obs(down)) / (2 * step)
        assert abs(gradient) < 1e-6, (k, j, gradient)


def test_a_warm_start_with_holes_goes_on_from_the_previous_fit():
    X = with_holes(three_clusters(), fraction=0.2)
    model = GaussianMixture(
        3, warm_start=True, max_iter=3, tol=0.0, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X)
        first = model.lower_bounds_
        model.fit(X)
    assert model.lower_bounds_[0] >= first[-1] - 1e-12
    assert np.diff(model.lower_bounds_).min() >= -1e-12
