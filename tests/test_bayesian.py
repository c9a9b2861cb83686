"""gmm_teach.BayesianGaussianMixture against scikit-learn's: parity from the
same starting responsibilities, fits from their own starts, scikit-learn's
estimator checks, the bound, pruning, the priors' checks; and what is not in
scikit-learn: the full bound, the effective number of components, the
predictive density."""

import re
import warnings
from unittest import SkipTest, mock

import numpy as np
import pytest
import sklearn.exceptions
from scipy import stats
from sklearn.mixture import BayesianGaussianMixture as SklearnBayes
from sklearn.utils.estimator_checks import estimator_checks_generator

import gmm_teach
from gmm_teach import BayesianGaussianMixture, GaussianMixture, elbo
from gmm_teach.covariance import COVARIANCE_TYPES
from gmm_teach.covariance import get as covariance_type_of
from gmm_teach.variational import PRIOR_TYPES

CASES = [(c, p) for p in PRIOR_TYPES for c in COVARIANCE_TYPES]
IDS = [f"{c}-{p}" for c, p in CASES]
RTOL = 1e-10


def _blobs(seed, centres, scale, n_per_blob):
    rng = np.random.default_rng(seed)
    return np.vstack(
        [rng.normal(c, scale, size=(n_per_blob, len(c))) for c in centres]
    )


# three clusters in 2-D, well apart
X = _blobs(0, [[0.0, 0.0], [6.0, 1.0], [1.0, 7.0]], 1.0, 60)
# three in 3-D, of other sizes, for the parity
X3 = _blobs(1, [[0.0, 0.0, 0.0], [4.0, 1.0, -2.0], [-1.0, 5.0, 2.0]], 1.2, 50)


def _random_resp(n_samples, n_components, seed=0):
    resp = np.random.default_rng(seed).uniform(size=(n_samples, n_components))
    return resp / resp.sum(axis=1, keepdims=True)


class _SklearnFromResp(SklearnBayes):
    """scikit-learn's estimator started from the responsibilities RESP."""

    resp = None

    def _initialize_parameters(self, X, random_state, xp=None):
        self._initialize(X, self.resp)


def _fit_both(resp, X, **options):
    """Both estimators fitted from the same starting responsibilities."""
    theirs = _SklearnFromResp(**options)
    theirs.resp = resp
    with mock.patch(
        "gmm_teach.bayesian.initial_responsibilities", return_value=resp
    ):
        ours = BayesianGaussianMixture(**options)
        with warnings.catch_warnings():
            warnings.simplefilter(
                "ignore", sklearn.exceptions.ConvergenceWarning
            )
            ours.fit(X)
            theirs.fit(X)
    return ours, theirs


def assert_relative(ours, theirs, rtol=RTOL):
    """Agree to ``rtol`` relative to the largest entry of ``theirs``.

    (scikit-learn's bounds for "tied" are arrays of one number.)
    """
    ours, theirs = np.asarray(ours, float), np.asarray(theirs, float)
    if theirs.shape == ours.shape + (1,):
        theirs = theirs[..., 0]
    assert ours.shape == theirs.shape
    scale = max(np.max(np.abs(theirs)), np.finfo(float).tiny)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=rtol * scale)


FITTED = [
    "weights_",
    "means_",
    "covariances_",
    "precisions_",
    "precisions_cholesky_",
    "mean_precision_",
    "degrees_of_freedom_",
    "mean_prior_",
    "covariance_prior_",
    "weight_concentration_prior_",
    "mean_precision_prior_",
    "degrees_of_freedom_prior_",
    "lower_bound_",
    "lower_bounds_",
]


# ---------------------------------------------------------------- parity


@pytest.mark.parametrize("covariance_type, prior_type", CASES, ids=IDS)
def test_same_start_same_fit(covariance_type, prior_type):
    """Every fitted attribute and every lower_bounds_ entry to 1e-10, from
    the same responsibilities, on 40 iterations."""
    ours, theirs = _fit_both(
        _random_resp(len(X3), 5),
        X3,
        n_components=5,
        covariance_type=covariance_type,
        weight_concentration_prior_type=prior_type,
        max_iter=40,
        tol=0.0,
    )
    for name in FITTED:
        assert_relative(getattr(ours, name), getattr(theirs, name))
    for mine, their in zip(
        np.atleast_1d(ours.weight_concentration_[0]),
        np.atleast_1d(theirs.weight_concentration_[0]),
        strict=True,
    ):
        assert_relative(mine, their)
    assert_relative(
        np.ravel(ours.weight_concentration_),
        np.ravel(theirs.weight_concentration_),
    )
    assert ours.n_iter_ == theirs.n_iter_ == 40
    assert ours.converged_ == theirs.converged_
    assert len(ours.lower_bounds_) == len(theirs.lower_bounds_)
    assert_relative(ours.predict_proba(X3), theirs.predict_proba(X3))
    assert_relative(ours.score_samples(X3), theirs.score_samples(X3))
    assert_relative(ours.score(X3), theirs.score(X3))


@pytest.mark.parametrize("covariance_type, prior_type", CASES, ids=IDS)
def test_same_priors_given_same_fit(covariance_type, prior_type):
    """User-given priors and reg_covar, converged fits, n_iter_ equal."""
    d = X3.shape[1]
    prior = {
        "full": np.eye(d) * 2.0,
        "tied": np.eye(d) * 2.0,
        "diag": np.full(d, 2.0),
        "spherical": 2.0,
    }[covariance_type]
    ours, theirs = _fit_both(
        _random_resp(len(X3), 4, seed=1),
        X3,
        n_components=4,
        covariance_type=covariance_type,
        weight_concentration_prior_type=prior_type,
        weight_concentration_prior=0.5,
        mean_precision_prior=0.1,
        mean_prior=np.ones(d),
        degrees_of_freedom_prior=d + 1.5,
        covariance_prior=prior,
        reg_covar=1e-3,
        max_iter=500,
        tol=1e-6,
    )
    assert ours.converged_ and theirs.converged_
    assert ours.n_iter_ == theirs.n_iter_
    for name in FITTED:
        assert_relative(getattr(ours, name), getattr(theirs, name))


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("covariance_type, prior_type", CASES, ids=IDS)
def test_own_starts_agree_where_both_converge(covariance_type, prior_type):
    """Three components on three separated clusters: both find them. With
    the stick-breaking prior the optimum depends on the order of the
    components (the first sticks are a priori the larger), which depends on
    the start: the fits then agree to 1e-2 only."""
    options = dict(
        n_components=3,
        covariance_type=covariance_type,
        weight_concentration_prior_type=prior_type,
        tol=1e-8,
        max_iter=1000,
        n_init=3,
        random_state=0,
    )
    ours = BayesianGaussianMixture(**options).fit(X)
    theirs = SklearnBayes(**options).fit(X)
    assert ours.converged_ and theirs.converged_
    rtol = 1e-2 if prior_type == "dirichlet_process" else 1e-6
    mine, their = np.lexsort(ours.means_.T), np.lexsort(theirs.means_.T)
    np.testing.assert_allclose(
        ours.means_[mine], theirs.means_[their], rtol=rtol, atol=rtol
    )
    np.testing.assert_allclose(
        ours.weights_[mine], theirs.weights_[their], rtol=rtol
    )
    np.testing.assert_allclose(ours.lower_bound_, theirs.lower_bound_, rtol)


def test_a_seed_gives_the_responsibilities_of_gaussian_mixture():
    """The same random_state gives GaussianMixture's starting
    responsibilities, for every init_params."""
    from gmm_teach import init

    for method in init.METHODS:
        seen = []

        def spy(*args, _real=init.initial_responsibilities, _seen=seen):
            _seen.append(_real(*args))
            return _seen[-1]

        with (
            mock.patch("gmm_teach.init.initial_responsibilities", spy),
            mock.patch("gmm_teach.bayesian.initial_responsibilities", spy),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore", gmm_teach.ConvergenceWarning)
            options = dict(init_params=method, random_state=7, max_iter=1)
            GaussianMixture(4, **options).fit(X)
            BayesianGaussianMixture(n_components=4, **options).fit(X)
        np.testing.assert_array_equal(seen[0], seen[1])


# ---------------------------------------------------------------- the bound


@pytest.mark.parametrize("covariance_type, prior_type", CASES, ids=IDS)
def test_the_lower_bound_never_decreases(covariance_type, prior_type):
    model = BayesianGaussianMixture(
        n_components=6,
        covariance_type=covariance_type,
        weight_concentration_prior_type=prior_type,
        init_params="random",
        tol=1e-10,
        max_iter=300,
        random_state=0,
    ).fit(X)
    for bounds in (model.lower_bounds_, model.full_lower_bounds_):
        steps = np.diff(bounds)
        assert len(steps) > 10
        assert np.all(steps >= -1e-9 * np.abs(bounds[1:]))


@pytest.mark.parametrize("covariance_type, prior_type", CASES, ids=IDS)
def test_without_reg_covar_the_bounds_differ_by_a_constant(
    covariance_type, prior_type
):
    """Full bound - scikit-learn's = elbo.bound_gap, at every iteration:
    without reg_covar the posterior is the best for the responsibilities,
    and the full bound is -sum r ln r plus the log-normalisers of the priors
    minus those of the posteriors (tests what elbo.bound_gap derives)."""
    model = BayesianGaussianMixture(
        n_components=5,
        covariance_type=covariance_type,
        weight_concentration_prior_type=prior_type,
        init_params="random",
        reg_covar=0.0,
        max_iter=20,
        tol=0.0,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gmm_teach.ConvergenceWarning)
        model.fit(X3)
    gap = elbo.bound_gap(
        model._priors(), len(X3), 5, covariance_type, prior_type
    )
    differences = np.subtract(model.full_lower_bounds_, model.lower_bounds_)
    np.testing.assert_allclose(differences, gap, rtol=1e-11)
    # a bound on ln p(X) <= max ln p(X | theta): here, far below the
    # log-likelihood of maximum-likelihood fits
    best = GaussianMixture(5, covariance_type=covariance_type, n_init=3)
    assert model.full_lower_bound_ < best.fit(X3).score(X3) * len(X3)


def test_with_reg_covar_the_difference_moves():
    """reg_covar enlarges S_k in the update only: the posterior is no longer
    the best one for the responsibilities, and the gap is not constant."""
    model = BayesianGaussianMixture(
        n_components=5, reg_covar=1e-2, max_iter=20, tol=0.0, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gmm_teach.ConvergenceWarning)
        model.fit(X3)
    differences = np.subtract(model.full_lower_bounds_, model.lower_bounds_)
    assert np.ptp(differences) > 1e-3


# ---------------------------------------------------------------- pruning


@pytest.mark.parametrize("prior_type", PRIOR_TYPES)
def test_ten_components_on_three_clusters_leave_three(prior_type):
    model = BayesianGaussianMixture(
        n_components=10,
        weight_concentration_prior_type=prior_type,
        weight_concentration_prior=1e-3,
        max_iter=1000,
        random_state=0,
    ).fit(X)
    assert model.converged_
    assert model.n_effective_components_ == 3
    concentration = model.weight_concentration_
    if prior_type == "dirichlet_process":  # a_k = 1 + N_k
        counts = concentration[0] - 1
    else:  # alpha_k = alpha_0 + N_k
        counts = concentration - model.weight_concentration_prior_
    counts = np.sort(counts)[::-1]
    assert np.all(counts[:3] > 50) and np.all(counts[3:] < 1)
    assert len(np.unique(model.predict(X))) == 3


def test_effective_components_count_the_posterior_counts():
    model = BayesianGaussianMixture(
        n_components=4,
        weight_concentration_prior_type="dirichlet_distribution",
        random_state=0,
    ).fit(X)
    resp = model.predict_proba(X)
    # alpha_k - alpha_0 = N_k of the last M-step, close to the final E-step
    counts = model.weight_concentration_ - model.weight_concentration_prior_
    np.testing.assert_allclose(counts, resp.sum(axis=0), atol=0.5)
    assert model.n_effective_components_ == np.sum(counts >= 1)


# ---------------------------------------------------------------- predictive


@pytest.mark.parametrize("covariance_type, prior_type", CASES, ids=IDS)
def test_the_predictive_density_is_a_mixture_of_student_t(
    covariance_type, prior_type
):
    """Bishop 10.81 with scipy.stats.multivariate_t, from the attributes."""
    model = BayesianGaussianMixture(
        n_components=3,
        covariance_type=covariance_type,
        weight_concentration_prior_type=prior_type,
        random_state=0,
    ).fit(X)
    K, d = model.means_.shape
    kind = covariance_type_of(covariance_type)
    covariances = kind.to_full(model.covariances_, K, d)  # W_k^{-1} / nu_k
    nu = np.broadcast_to(model.degrees_of_freedom_, K)
    beta = model.mean_precision_
    points = X[::7] + 0.3
    density = np.zeros(len(points))
    for k in range(K):
        dof = nu[k] + 1 - d
        # L_k^{-1} = (1 + beta_k) / (dof beta_k) W_k^{-1}
        shape = (1 + beta[k]) * nu[k] / (dof * beta[k]) * covariances[k]
        t = stats.multivariate_t(model.means_[k], shape, df=dof)
        density += model.weights_[k] * t.pdf(points)
    np.testing.assert_allclose(
        model.predictive_score_samples(points), np.log(density), rtol=1e-12
    )


def test_the_predictive_density_integrates_to_one_and_score_samples_not():
    """On a grid in 1-D: the predictive density sums to 1; scikit-learn's
    score_samples (issue 10148) to less."""
    x = _blobs(3, [[-3.0], [3.0]], 1.0, 15)
    model = BayesianGaussianMixture(n_components=2, random_state=0).fit(x)
    grid = np.linspace(-40, 40, 80001)[:, np.newaxis]
    step = grid[1, 0] - grid[0, 0]
    predictive = np.exp(model.predictive_score_samples(grid)).sum() * step
    plug = np.exp(model.score_samples(grid)).sum() * step
    np.testing.assert_allclose(predictive, 1.0, rtol=1e-6)
    assert plug < 0.95


# ---------------------------------------------------------------- the priors

BAD_PRIORS = {
    "dof <= d - 1": (
        {"degrees_of_freedom_prior": 1.0},
        "degrees_of_freedom_prior",
    ),
    "zero concentration": (
        {"weight_concentration_prior": 0.0},
        "weight_concentration_prior",
    ),
    "negative concentration": (
        {"weight_concentration_prior": -1.0},
        "weight_concentration_prior",
    ),
    "zero precision": ({"mean_precision_prior": 0}, "mean_precision_prior"),
    "negative precision": (
        {"mean_precision_prior": -2.0},
        "mean_precision_prior",
    ),
    "mean of the wrong shape": ({"mean_prior": [0.0, 0.0, 0.0]}, "mean_prior"),
    "covariance of the wrong shape": (
        {"covariance_prior": np.eye(3)},
        "covariance_prior",
    ),
    "covariance not positive definite": (
        {"covariance_prior": [[1.0, 2.0], [2.0, 1.0]]},
        "covariance_prior",
    ),
    "covariance not symmetric": (
        {"covariance_prior": [[1.0, 0.5], [0.0, 1.0]]},
        "covariance_prior",
    ),
    "diag covariance not positive": (
        {"covariance_type": "diag", "covariance_prior": [1.0, -1.0]},
        "covariance_prior",
    ),
    "diag covariance of the wrong shape": (
        {"covariance_type": "diag", "covariance_prior": [1.0, 1.0, 1.0]},
        "covariance_prior",
    ),
}


def _message(estimator, options):
    with pytest.raises(ValueError) as caught:
        estimator(n_components=2, **options).fit(X)
    return str(caught.value)


@pytest.mark.parametrize("options, name", BAD_PRIORS.values(), ids=BAD_PRIORS)
def test_a_bad_prior_gets_scikit_learn_s_sentence_and_its_name(options, name):
    ours = _message(BayesianGaussianMixture, options)
    theirs = _message(SklearnBayes, options)
    assert ours.startswith(theirs)
    assert name in ours


def test_a_spherical_covariance_prior_must_be_a_number():
    with pytest.raises(ValueError, match="covariance_prior must be a number"):
        BayesianGaussianMixture(
            covariance_type="spherical", covariance_prior=[1.0, 2.0]
        ).fit(X)


def test_an_infinite_prior_is_refused():
    with pytest.raises(ValueError, match="must be a finite number"):
        BayesianGaussianMixture(mean_precision_prior=np.inf).fit(X)


def test_the_defaults_and_constraints_are_scikit_learn_s():
    assert (
        BayesianGaussianMixture().get_params() == SklearnBayes().get_params()
    )
    with pytest.raises(TypeError):
        BayesianGaussianMixture(3)  # keyword-only, as scikit-learn's
    wrong = {"weight_concentration_prior_type": "dirichlet"}
    with pytest.raises(ValueError) as ours:
        BayesianGaussianMixture(**wrong).fit(X)
    with pytest.raises(ValueError) as theirs:
        SklearnBayes(**wrong).fit(X)
    pattern = re.sub(r"\{.*\}", "", str(theirs.value))
    assert re.sub(r"\{.*\}", "", str(ours.value)) == pattern


# ---------------------------------------------------------------- the rest


def test_fit_predict_is_fit_then_predict_and_warns_as_scikit_learn():
    model = BayesianGaussianMixture(n_components=4, max_iter=2, random_state=0)
    with pytest.warns(
        sklearn.exceptions.ConvergenceWarning,
        match="^Best performing initialization did not converge",
    ):
        labels = model.fit_predict(X)
    np.testing.assert_array_equal(labels, model.predict(X))


def test_a_warm_start_goes_on_from_the_previous_posterior():
    options = dict(n_components=3, max_iter=3, tol=0.0, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gmm_teach.ConvergenceWarning)
        once = BayesianGaussianMixture(**{**options, "max_iter": 6}).fit(X)
        twice = BayesianGaussianMixture(warm_start=True, **options).fit(X)
        twice.fit(X)
    assert_relative(twice.means_, once.means_)
    assert_relative(twice.lower_bounds_, once.lower_bounds_[3:])


def test_float32_data_give_float32_attributes():
    ours = BayesianGaussianMixture(n_components=3, random_state=0)
    ours.fit(X.astype(np.float32))
    wide = BayesianGaussianMixture(n_components=3, random_state=0).fit(X)
    for name in ("weights_", "means_", "covariances_", "precisions_"):
        assert getattr(ours, name).dtype == np.float32
        assert_relative(getattr(ours, name), getattr(wide, name), 1e-5)
    assert ours.score_samples(X.astype(np.float32)).dtype == np.float32


def test_verbose_prints_what_scikit_learn_prints(capsys):
    resp = _random_resp(len(X), 3)
    options = dict(n_components=3, max_iter=7, verbose=2, verbose_interval=2)
    _fit_both(resp, X, **options)
    ours_and_theirs = capsys.readouterr().out.splitlines()
    half = len(ours_and_theirs) // 2
    ours, theirs = ours_and_theirs[:half], ours_and_theirs[half:]
    number = re.compile(r"-?\d+\.\d+")
    assert len(ours) == len(theirs) > 3
    for mine, their in zip(ours, theirs, strict=True):
        assert number.sub("#", mine) == number.sub("#", their)
        if "time lapse" not in mine or "change" in mine:
            continue
        assert number.findall(mine)[-1] == number.findall(their)[-1]


# ---------------------------------------------------------------- check_estimator


def _checks(estimator):
    with warnings.catch_warnings():  # "does not inherit from BaseEstimator"
        warnings.simplefilter("ignore", UserWarning)
        return list(estimator_checks_generator(estimator))


def _name(check):
    keywords = ", ".join(f"{k}={v!r}" for k, v in check.keywords.items())
    return f"{check.func.__name__}({keywords})"


OURS = _checks(BayesianGaussianMixture())
THEIRS = _checks(SklearnBayes())


def test_both_estimators_get_the_same_checks():
    assert [_name(c) for _, c in OURS] == [_name(c) for _, c in THEIRS]


@pytest.mark.parametrize(
    "index", range(len(OURS)), ids=[_name(c) for _, c in OURS]
)
def test_check_estimator_passes_as_scikit_learn_s(index):
    """scikit-learn's estimator passes every check it does not skip (the
    Array API one, without SCIPY_ARRAY_API); ours passes the same."""
    (estimator, check), (theirs, their_check) = OURS[index], THEIRS[index]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
        try:
            their_check(theirs)
        except SkipTest as reason:
            pytest.skip(f"scikit-learn skips it: {reason}")
        check(estimator)
