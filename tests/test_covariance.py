"""Tests of gmm_teach.covariance: each covariance type against the hand-written references of
tests/conftest.py, and completeness: every entry point of the package runs for every entry of
COVARIANCE_TYPES, and every public function that takes a covariance_type is listed here."""

import importlib
import inspect
import pkgutil

import matplotlib
import numpy as np
import pytest
from conftest import (
    REFERENCES,
    component_covariance,
    count_by_hand,
    precisions,
    random_covariances,
)

import gmm_teach
from gmm_teach import covariance, em, gaussian, init, selection, stats
from gmm_teach.covariance import COVARIANCE_TYPES
from gmm_teach.teaching import exercises

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from gmm_teach.teaching import plotting, widgets  # noqa: E402


def test_every_type_has_a_reference_and_an_m_step():
    assert set(REFERENCES) == set(COVARIANCE_TYPES)
    assert set(em._COVARIANCE_ESTIMATORS) == set(COVARIANCE_TYPES)
    assert COVARIANCE_TYPES == (
        "full",
        "tied",
        "diag",
        "spherical",
    )  # the book's order


@pytest.mark.parametrize("name", ["Full", "full ", "", None, 3, ["full"]])
def test_get_rejects_an_unknown_type_and_names_the_argument(name):
    with pytest.raises(
        ValueError, match=r"covariance_type must be one of 'full'.*got"
    ):
        covariance.get(name)


# ---------------------------------------------------------------- each type against the reference


@pytest.fixture(params=COVARIANCE_TYPES)
def kind(request):
    return covariance.get(request.param)


def test_name_shape_and_parameter_count(kind):
    rng = np.random.default_rng(0)
    assert kind.name in COVARIANCE_TYPES
    assert kind.shape(3, 2) == np.shape(
        random_covariances(rng, kind.name, 3, 2)
    )
    for n_components, n_features in [(1, 1), (2, 3), (5, 7)]:
        expected = count_by_hand(n_components, n_features, kind.name)
        expected -= (n_components - 1) + n_components * n_features
        assert kind.n_parameters(n_components, n_features) == expected


def test_to_full_writes_out_every_component(kind):
    rng = np.random.default_rng(1)
    covariances = random_covariances(rng, kind.name, 3, 2)
    full = kind.to_full(covariances, 3, 2)
    assert full.shape == (3, 2, 2)
    for k in range(3):
        expected = component_covariance(covariances, kind.name, k, 2)
        np.testing.assert_array_equal(full[k], expected)


def test_from_full_inverts_to_full(kind):
    rng = np.random.default_rng(2)
    covariances = random_covariances(rng, kind.name, 3, 2)
    weights = np.array([0.2, 0.3, 0.5])
    back = kind.from_full(kind.to_full(covariances, 3, 2), weights)
    np.testing.assert_allclose(back, covariances, rtol=1e-14)


def test_from_full_reduces_different_matrices_like_the_m_step():
    """tied = the weighted average, diag = the diagonals, spherical = their mean."""
    full = np.array([[[2.0, 0.5], [0.5, 1.0]], [[4.0, -1.0], [-1.0, 3.0]]])
    weights = np.array([0.25, 0.75])
    get = covariance.get
    np.testing.assert_allclose(
        get("tied").from_full(full, weights), 0.25 * full[0] + 0.75 * full[1]
    )
    np.testing.assert_array_equal(
        get("diag").from_full(full, weights), [[2.0, 1.0], [4.0, 3.0]]
    )
    np.testing.assert_array_equal(
        get("spherical").from_full(full, weights), [1.5, 3.5]
    )


def test_precisions_and_back(kind):
    rng = np.random.default_rng(3)
    covariances = random_covariances(rng, kind.name, 3, 3)
    prec_chol = kind.cholesky_precisions(covariances)
    assert prec_chol.shape == np.shape(covariances)
    lam = kind.precisions(prec_chol)
    np.testing.assert_allclose(
        lam, precisions(covariances, kind.name), rtol=1e-10
    )
    np.testing.assert_allclose(
        kind.covariances_from_precisions(lam), covariances, rtol=1e-10
    )


def test_log_det_is_minus_half_log_det_of_each_covariance(kind):
    rng = np.random.default_rng(4)
    covariances = random_covariances(rng, kind.name, 3, 3)
    log_det = kind.log_det_cholesky(kind.cholesky_precisions(covariances), 3)
    expected = [
        -0.5
        * np.linalg.slogdet(
            component_covariance(covariances, kind.name, k, 3)
        )[1]
        for k in range(3)
    ]
    np.testing.assert_allclose(
        np.broadcast_to(log_det, (3,)), expected, rtol=1e-12
    )


def test_squared_mahalanobis_against_the_inverse(kind):
    rng = np.random.default_rng(5)
    X, means = rng.normal(size=(6, 3)), rng.normal(size=(2, 3))
    covariances = random_covariances(rng, kind.name, 2, 3)
    ours = kind.squared_mahalanobis(
        X, means, kind.cholesky_precisions(covariances)
    )
    inverses = [
        np.linalg.inv(component_covariance(covariances, kind.name, k, 3))
        for k in range(2)
    ]
    expected = [
        [
            (x - mu) @ P @ (x - mu)
            for mu, P in zip(means, inverses, strict=True)
        ]
        for x in X
    ]
    np.testing.assert_allclose(ours, expected, rtol=1e-12)


def test_add_reg_covar_adds_to_every_diagonal(kind):
    rng = np.random.default_rng(6)
    covariances = random_covariances(rng, kind.name, 3, 2)
    added = kind.to_full(
        kind.add_reg_covar(covariances, 0.5), 3, 2
    ) - kind.to_full(covariances, 3, 2)
    np.testing.assert_allclose(
        added, np.broadcast_to(0.5 * np.eye(2), (3, 2, 2)), atol=1e-15
    )


def test_not_positive_definite_is_reported(kind):
    bad = kind.from_full(
        np.array([[[1.0, 2.0], [2.0, 1.0]], [[-1.0, 0.0], [0.0, -1.0]]]),
        np.array([0.5, 0.5]),
    )
    if kind.name == "tied":
        bad = bad - 2 * np.eye(
            2
        )  # the average [[0, 1], [1, 0]] minus 2 I is negative definite
    with pytest.raises(ValueError, match="positive definite.*Raise reg_covar"):
        kind.cholesky_precisions(bad)
    with pytest.raises(
        ValueError,
        match=f"precisions_init must be positive definite.*{kind.name}",
    ):
        kind.covariances_from_precisions(bad, name="precisions_init")


def test_check_rejects_non_symmetric_matrices_only(kind):
    covariances = np.asarray(
        random_covariances(np.random.default_rng(7), kind.name, 2, 2), float
    )
    kind.check(covariances, "covariances")  # valid: no error
    if kind.stores_matrices:
        skewed = covariances.copy()
        skewed[..., 0, 1] += 1.0
        with pytest.raises(ValueError, match="covariances must be symmetric"):
            kind.check(skewed, "covariances")


def test_flags_describe_the_storage(kind):
    rng = np.random.default_rng(8)
    stored = np.shape(random_covariances(rng, kind.name, 3, 2))
    assert kind.stores_matrices == (stored[-2:] == (2, 2))
    assert kind.shared == (stored[0] != 3)
    assert kind.description


# ---------------------------------------------------------------- every entry point, every type


def _problem(covariance_type):
    rng = np.random.default_rng(9)
    centres = np.array([[0.0, 0.0], [5.0, 1.0], [1.0, 5.0]])
    X = np.repeat(centres, 20, axis=0) + rng.normal(size=(60, 2))
    weights = np.array([0.3, 0.3, 0.4])
    return X, weights, centres, random_covariances(rng, covariance_type, 3, 2)


def _run_exercise_checks(X, weights, means, covariances, t):
    resp, ll = em.e_step(X, weights, means, covariances, t)
    results = [
        exercises.check_responsibilities(
            resp, X, weights, means, covariances, t
        ),
        exercises.check_e_step(lambda *params: em.e_step(*params, t), t),
        exercises.check_predict(
            resp.argmax(axis=1), X, weights, means, covariances, t
        ),
        exercises.check_log_likelihood(ll, X, weights, means, covariances, t),
        exercises.check_m_step(
            lambda X, r: em.m_step(X, r, t, reg_covar=0.0), t
        ),
        exercises.check_n_parameters(selection.n_parameters(3, 2, t), 3, 2, t),
        exercises.check_bic(
            selection.bic(X, weights, means, covariances, t),
            X,
            weights,
            means,
            covariances,
            t,
        ),
    ]
    assert all(result.passed for result in results), [
        r.message for r in results
    ]


def _run_widgets(X, weights, means, covariances, t):
    stepper = widgets.StepByStepEM(X, 3, covariance_type=t)
    stepper.e_step_button.click()
    stepper.m_step_button.click()
    assert stepper.iteration == 1, stepper.status.value
    explorer = widgets.InitExplorer2D(X, 3, covariance_type=t)
    explorer.spread_slider.value = 2.0  # a manual start of the type
    explorer.method_dropdown.value = "kmeans"  # shown back on the sliders
    assert explorer.result is not None, explorer.status.value


def _run_plots(X, weights, means, covariances, t):
    fig, ax = plt.subplots()
    plotting.plot_ellipses(means, covariances, t, ax=ax)
    plt.close(fig)
    _, history = plotting.record_em(
        X, weights, means, covariances, covariance_type=t, max_iter=2, tol=0.0
    )
    assert "<script" in str(
        plotting.to_html(
            plotting.em_player_2d(X, history, covariance_type=t)
        ).data
    )


# Every public function or class of the package that takes a covariance_type, with a call.
ENTRY_POINTS = {
    "gaussian.cholesky_precisions": lambda X, w, m, c, t: (
        gaussian.cholesky_precisions(c, t)
    ),
    "gaussian.log_gaussian_density": lambda X, w, m, c, t: (
        gaussian.log_gaussian_density(X, m, c, t)
    ),
    "gaussian.log_gaussian_density_cholesky": lambda X, w, m, c, t: (
        gaussian.log_gaussian_density_cholesky(
            X, m, gaussian.cholesky_precisions(c, t), t
        )
    ),
    "em.e_step": lambda X, w, m, c, t: em.e_step(X, w, m, c, t),
    "em.log_evidence": lambda X, w, m, c, t: em.log_evidence(X, w, m, c, t),
    "em.log_likelihood": lambda X, w, m, c, t: em.log_likelihood(
        X, w, m, c, t
    ),
    "em.m_step": lambda X, w, m, c, t: em.m_step(
        X, em.e_step(X, w, m, c, t)[0], t
    ),
    "em.em": lambda X, w, m, c, t: em.em(
        X, w, m, c, covariance_type=t, max_iter=3, tol=0
    ),
    "init.initial_parameters": lambda X, w, m, c, t: [
        init.initial_parameters(
            X, 3, method, covariance_type=t, random_state=0
        )
        for method in init.METHODS
    ],
    "selection.n_parameters": lambda X, w, m, c, t: selection.n_parameters(
        3, 2, t
    ),
    "selection.bic": lambda X, w, m, c, t: selection.bic(X, w, m, c, t),
    "selection.aic": lambda X, w, m, c, t: selection.aic(X, w, m, c, t),
    "stats.block_statistics": lambda X, w, m, c, t: (
        stats.m_step_from_statistics(
            stats.block_statistics(X[:5], w, m, c, t)
            + stats.block_statistics(X[5:], w, m, c, t)
        )
    ),
    "stats.accumulate": lambda X, w, m, c, t: stats.accumulate(
        X, em.e_step(X, w, m, c, t)[0], t
    ),
    "stats.SufficientStatistics": lambda X, w, m, c, t: (
        stats.scaled(stats.block_statistics(X, w, m, c, t), 0.5)
        + stats.block_statistics(X, w, m, c, t)
    ),
    "covariance.get": lambda X, w, m, c, t: covariance.get(t),
    "covariance.full_covariances": lambda X, w, m, c, t: (
        covariance.full_covariances(c, t, 3, 2)
    ),
    "model.GaussianMixture": lambda X, w, m, c, t: [
        (model.predict(X), model.score(X), model.sample(5), model.bic(X))
        for model in [
            gmm_teach.GaussianMixture(
                3, covariance_type=t, random_state=0
            ).fit(X),
            gmm_teach.GaussianMixture(
                3,
                covariance_type=t,
                weights_init=w,
                means_init=m,
                precisions_init=precisions(c, t),
            ).fit(X),
        ]
    ],
    "teaching.widgets.step_by_step.StepByStepEM": _run_widgets,
    "teaching.widgets.explorers.InitExplorer2D": _run_widgets,
    "teaching.plotting.figures_2d.plot_ellipses": _run_plots,
    "teaching.plotting.players.em_player_2d": _run_plots,
    "teaching.exercises.e_step.check_responsibilities": _run_exercise_checks,
    "teaching.exercises.e_step.check_e_step": _run_exercise_checks,
    "teaching.exercises.e_step.check_predict": _run_exercise_checks,
    "teaching.exercises.e_step.check_log_likelihood": _run_exercise_checks,
    "teaching.exercises.m_step.check_m_step": _run_exercise_checks,
    "teaching.exercises.choosing_k.check_n_parameters": _run_exercise_checks,
    "teaching.exercises.choosing_k.check_bic": _run_exercise_checks,
}


def _public_callables_with_covariance_type():
    """'module.name' of every public function or class whose signature has covariance_type."""
    found = set()
    for info in pkgutil.walk_packages(gmm_teach.__path__, "gmm_teach."):
        # the name inside the package: "em", "teaching.plotting"
        where = info.name.removeprefix("gmm_teach.")
        if any(part.startswith("_") for part in where.split(".")):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (
                name.startswith("_")
                or getattr(obj, "__module__", None) != module.__name__
            ):
                continue
            if callable(obj) and "covariance_type" in _parameters(obj):
                found.add(f"{where}.{name}")
    return found


def _parameters(obj):
    try:
        return inspect.signature(obj).parameters
    except (TypeError, ValueError):
        return {}


def test_every_entry_point_is_listed():
    assert _public_callables_with_covariance_type() == set(ENTRY_POINTS)


# One run per distinct call (the exercise checks share one, so do the two plots).
RUNS = {run: name for name, run in reversed(ENTRY_POINTS.items())}


@pytest.mark.filterwarnings(
    "ignore::gmm_teach.ConvergenceWarning"
)  # runs of 2 or 3 iterations
@pytest.mark.parametrize("run", RUNS, ids=RUNS.values())
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_every_entry_point_runs_for_every_type(run, covariance_type):
    run(*_problem(covariance_type), covariance_type)
