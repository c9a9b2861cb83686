"""Tests of gmm_teach.teaching.widgets, driven as a user would: set a slider's value, click a button."""

import warnings
from pathlib import Path

import numpy as np
import pytest
from conftest import editions

from gmm_teach import em, em1d, init
from gmm_teach.exceptions import ConvergenceWarning
from gmm_teach.teaching import datasets, plotting
from gmm_teach.teaching.widgets import (
    TOL,
    InitExplorer1D,
    InitExplorer2D,
    StepByStepEM,
)

BOOK = Path(__file__).resolve().parent.parent / "book"


@pytest.fixture(scope="module")
def x():
    return datasets.three_groups_1d().x  # (300,), chapter 5


@pytest.fixture(scope="module")
def X():
    return datasets.three_blobs_2d().X  # (300, 2), chapter 6


def shown(widget):
    """What the user sees: the PNG bytes of the figure and the status line."""
    return bytes(widget.image.value), widget.status.value


def assert_fitted(explorer):
    result = explorer.result
    assert result is not None and result.converged
    np.testing.assert_allclose(result.responsibilities.sum(axis=1), 1.0)
    assert bytes(explorer.image.value).startswith(b"\x89PNG")
    assert f"{explorer.final_log_likelihood:.2f}" in explorer.status.value
    assert f"after {result.n_iter} iterations" in explorer.status.value
    assert (
        "converged: the mean log-likelihood changed by less than tol = 0.0001"
        in explorer.status.value
    )
    # convention 1: the status quotes the returned parameters' log-likelihood
    assert explorer.final_log_likelihood == result.final_log_likelihood


# ---------------------------------------------------------------------------- InitExplorer1D


def test_explorer_1d_starts_from_its_sliders(x):
    explorer = InitExplorer1D(x)
    assert_fitted(explorer)
    assert (
        len(explorer.mean_sliders)
        == len(explorer.std_sliders)
        == len(explorer.weight_sliders)
        == 3
    )
    np.testing.assert_allclose(
        explorer.means, [s.value for s in explorer.mean_sliders]
    )
    np.testing.assert_allclose(
        explorer.variances, [s.value**2 for s in explorer.std_sliders]
    )
    np.testing.assert_allclose(explorer.weights.sum(), 1.0)
    expected = em1d.em(
        x, explorer.weights, explorer.means, explorer.variances, tol=TOL
    )
    np.testing.assert_allclose(explorer.result.means, expected.means)


def test_explorer_1d_mean_slider_reruns_em(x):
    explorer = InitExplorer1D(x)
    before, result_before = shown(explorer), explorer.result
    explorer.mean_sliders[
        0
    ].value = 4.0  # all three starts near the right-hand group
    explorer.mean_sliders[1].value = 4.5
    assert explorer.means[0] == 4.0 and explorer.means[1] == 4.5
    assert shown(explorer) != before
    assert (
        explorer.result.n_iter,
        round(explorer.final_log_likelihood, 6),
    ) != (
        result_before.n_iter,
        round(
            em1d.log_likelihood(
                x,
                result_before.weights,
                result_before.means,
                result_before.covariances,
            ),
            6,
        ),
    )


def test_explorer_1d_weights_are_renormalised(x):
    explorer = InitExplorer1D(x)
    explorer.weight_sliders[0].value = 1.0
    explorer.weight_sliders[1].value = 0.5
    explorer.weight_sliders[2].value = 0.5
    np.testing.assert_allclose(explorer.weights, [0.5, 0.25, 0.25])
    assert "weights (0.50, 0.25, 0.25)" in explorer.status.value


def test_explorer_1d_changing_k_changes_the_sliders(x):
    explorer = InitExplorer1D(x)
    explorer.n_components_slider.value = 5
    assert (
        len(explorer.mean_sliders) == 5
        and len(explorer.components_box.children) == 5
    )
    assert explorer.result.weights.shape == (5,)
    explorer.n_components_slider.value = 1
    assert len(
        explorer.components_box.children
    ) == 1 and explorer.result.means.shape == (1,)
    assert_fitted(explorer)


def test_explorer_1d_method_moves_the_sliders(x):
    explorer = InitExplorer1D(x)
    explorer.method_dropdown.value = "kmeans"
    weights, means, variances = init.initial_parameters(
        x, 3, "kmeans", covariance_type="spherical", random_state=0
    )
    np.testing.assert_allclose(explorer.means, means[:, 0])
    np.testing.assert_allclose(explorer.variances, variances)
    np.testing.assert_allclose(
        [s.value for s in explorer.mean_sliders], means[:, 0]
    )
    assert "start</b> kmeans" in explorer.status.value
    # a new seed gives a new random start
    explorer.method_dropdown.value = "random_from_data"
    first = explorer.means.copy()
    explorer.seed_text.value = 1
    assert not np.allclose(explorer.means, first)
    # touching a start slider means "my own start"
    explorer.std_sliders[0].value = 1.0
    assert explorer.method_dropdown.value == "manual"
    assert explorer.variances[0] == 1.0


def test_explorer_1d_reports_a_collapsed_component(x):
    explorer = InitExplorer1D(x, n_components=2)
    explorer.std_sliders[1].value = explorer.std_sliders[1].min
    explorer.mean_sliders[1].value = explorer.mean_sliders[
        1
    ].max  # a thin component far from all data
    assert explorer.result is None and explorer.final_log_likelihood is None
    assert (
        "EM stopped" in explorer.status.value
        and "collapsed" in explorer.status.value
    )
    explorer.mean_sliders[1].value = 0.0  # back among the data
    assert_fitted(explorer)


def test_explorer_1d_notes_when_em_does_not_converge(x):
    explorer = InitExplorer1D(x, max_iter=2, method="random_from_data")
    assert not explorer.result.converged and explorer.result.n_iter == 2
    assert "not converged: max_iter = 2 reached" in explorer.status.value


def test_explorer_1d_bad_input(x):
    with pytest.raises(ValueError, match="n_components must be at most 6"):
        InitExplorer1D(x, n_components=7)
    with pytest.raises(ValueError, match="method"):
        InitExplorer1D(x, method="best")
    with pytest.raises(ValueError, match="random_state"):
        InitExplorer1D(x, random_state=-1)
    with pytest.raises(ValueError, match="x must be a 1-D array"):
        InitExplorer1D(np.ones((10, 2)))


def test_explorer_displays_as_its_widget(x):
    explorer = InitExplorer1D(x)
    bundle = explorer._repr_mimebundle_()
    assert (
        bundle["application/vnd.jupyter.widget-view+json"]["model_id"]
        == explorer.widget.model_id
    )
    assert explorer.image in explorer.widget.children


# ---------------------------------------------------------------------------- InitExplorer2D


def test_explorer_2d_sliders_set_the_start(X):
    explorer = InitExplorer2D(X)
    assert_fitted(explorer)
    before = shown(explorer)
    explorer.x_sliders[0].value = 5.0
    explorer.y_sliders[0].value = 5.0
    explorer.spread_slider.value = 2.0
    assert shown(explorer) != before
    np.testing.assert_allclose(explorer.means[0], [5.0, 5.0])
    np.testing.assert_allclose(
        explorer.covariances, np.tile(4.0 * np.eye(2), (3, 1, 1))
    )
    np.testing.assert_allclose(explorer.weights, 1 / 3)
    expected = em.em(
        X, explorer.weights, explorer.means, explorer.covariances, tol=TOL
    )
    np.testing.assert_allclose(explorer.result.means, expected.means)
    assert explorer.result.n_iter == expected.n_iter


def test_explorer_2d_k_and_method(X):
    explorer = InitExplorer2D(X, covariance_type="diag")
    explorer.n_components_slider.value = 4
    assert len(explorer.x_sliders) == len(explorer.y_sliders) == 4
    assert explorer.covariances.shape == (
        4,
        2,
    ) and explorer.result.means.shape == (4, 2)
    explorer.method_dropdown.value = "kmeans"
    weights, means, covariances = init.initial_parameters(
        X, 4, "kmeans", covariance_type="diag", random_state=0
    )
    np.testing.assert_allclose(explorer.means, means)
    # the method's own covariances
    np.testing.assert_allclose(explorer.covariances, covariances)
    np.testing.assert_allclose(
        [s.value for s in explorer.x_sliders], means[:, 0]
    )
    assert_fitted(explorer)


def test_explorer_2d_a_start_can_miss_a_cluster(X):
    """Two narrow starts in one cluster and one between the others: EM ends in a worse optimum."""
    explorer = InitExplorer2D(X)
    good = explorer.final_log_likelihood
    explorer.spread_slider.value = 0.5
    for k, (mx, my) in enumerate([(0.0, 0.0), (0.5, 0.5), (5.0, 2.5)]):
        explorer.x_sliders[k].value, explorer.y_sliders[k].value = mx, my
    assert explorer.final_log_likelihood < good - 10


def test_explorer_2d_bad_input(X):
    with pytest.raises(ValueError, match="2 features"):
        InitExplorer2D(np.ones((20, 3)))
    with pytest.raises(ValueError, match="covariance_type"):
        InitExplorer2D(X, covariance_type="round")


# ---------------------------------------------------------------------------- StepByStepEM


def test_step_by_step_e_then_m(X):
    stepper = StepByStepEM(X)
    start = shown(stepper)
    assert (
        stepper.m_step_button.disabled
        and stepper.resp is None
        and stepper.iteration == 0
    )

    stepper.m_step_button.click()  # not yet: nothing changes
    assert stepper.iteration == 0 and "E-step first" in stepper.status.value

    stepper.e_step_button.click()
    assert stepper.resp.shape == (300, 3)
    np.testing.assert_allclose(stepper.resp.sum(axis=1), 1.0)
    assert not stepper.m_step_button.disabled
    assert shown(stepper)[0] != start[0]  # the points took their colours

    means_before = stepper.means.copy()
    stepper.m_step_button.click()
    assert stepper.iteration == 1 and stepper.m_step_button.disabled
    assert not np.allclose(stepper.means, means_before)
    assert (
        len(stepper.log_likelihoods) == 2
        and stepper.log_likelihoods[1] >= stepper.log_likelihoods[0]
    )
    assert "Iteration 1" in stepper.status.value


def test_step_by_step_matches_em(X):
    """Three presses of E then M reach what em.em reaches in three iterations."""
    stepper = StepByStepEM(X, covariance_type="tied", random_state=3)
    for _ in range(3):
        stepper.e_step_button.click()
        stepper.m_step_button.click()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        expected = em.em(
            X, *stepper.start, covariance_type="tied", max_iter=3, tol=0.0
        )
    np.testing.assert_allclose(stepper.means, expected.means)
    np.testing.assert_allclose(stepper.covariances, expected.covariances)
    np.testing.assert_allclose(
        stepper.log_likelihoods[:3], expected.log_likelihoods
    )


def test_step_by_step_run_and_reset(X):
    stepper = StepByStepEM(X)
    first_view = shown(stepper)
    stepper.run_button.click()
    assert (
        stepper.iteration > 1
        and "converged: the mean log-likelihood" in stepper.status.value
    )
    # EM never goes down
    assert np.all(np.diff(stepper.log_likelihoods) >= -1e-8)
    assert len(stepper.log_likelihoods) == stepper.iteration + 1
    # its responsibilities are those of the current parameters
    assert not stepper.m_step_button.disabled

    stepper.reset_button.click()
    assert (
        stepper.iteration == 0
        and stepper.resp is None
        and stepper.m_step_button.disabled
    )
    for now, start in zip(
        (stepper.weights, stepper.means, stepper.covariances),
        stepper.start,
        strict=True,
    ):
        np.testing.assert_array_equal(now, start)
    assert shown(stepper) == first_view


def test_step_by_step_1d(x):
    stepper = StepByStepEM(x, n_components=3, start="kmeans")
    assert stepper.covariances.shape == (3,) and stepper.means.shape == (3,)
    stepper.e_step_button.click()
    stepper.m_step_button.click()
    expected = em1d.m_step(x, em1d.e_step(x, *stepper.start)[0])
    np.testing.assert_allclose(stepper.means, expected[1])
    stepper.run_button.click()
    assert "converged: the mean log-likelihood" in stepper.status.value


def test_step_by_step_given_start(X):
    start = (
        np.array([0.5, 0.5]),
        np.array([[0.0, 0.0], [5.0, 5.0]]),
        np.array([1.0, 1.0]),
    )
    stepper = StepByStepEM(
        X, n_components=2, covariance_type="spherical", start=start
    )
    np.testing.assert_array_equal(stepper.means, start[1])
    with pytest.raises(ValueError, match="weights"):
        StepByStepEM(
            X,
            n_components=2,
            covariance_type="spherical",
            start=(np.ones(2), *start[1:]),
        )
    with pytest.raises(ValueError, match="1 or 2 features"):
        StepByStepEM(np.ones((20, 3)))


def test_step_by_step_reports_a_collapsed_component(x):
    # the second component is far from every point
    start = [0.5, 0.5], [0.0, 100.0], [1.0, 1e-4]
    stepper = StepByStepEM(x, n_components=2, start=start)
    stepper.e_step_button.click()
    stepper.m_step_button.click()  # its variance becomes 0: the step is refused, nothing changes
    assert (
        "the step failed" in stepper.status.value
        and "variances must be > 0" in stepper.status.value
    )
    assert stepper.iteration == 0
    np.testing.assert_array_equal(stepper.means, start[1])


# ---------------------------------------------------------------------------- the lesson plan's demo


def chapter_cell(notebook, marker):
    """The source of the first code cell of a book chapter that contains ``marker``."""
    cells = editions.read(BOOK / notebook)["cells"]
    return next(
        editions.source(c)
        for c in cells
        if c["cell_type"] == "code" and marker in editions.source(c)
    )


def test_the_lesson_plans_demo_gives_the_chapters_answer():
    """StepByStepEM on chapter 6's correlated pair, "Run to convergence" with the widget's defaults
    (as the lessons in book/teachers.md use it), ends where chapter 6's own run ends."""
    namespace = {
        "np": np,
        "plotting": plotting,
        "pair": datasets.correlated_pair_2d(),
    }
    # the chapter's start and run
    exec(chapter_cell("06_em_2d.md", "pair_start = ("), namespace)
    chapter = namespace["pair_fit"]
    # the chapter's widget cell
    demo = chapter_cell("06_em_2d.md", "StepByStepEM(pair.X")
    stepper = eval(
        demo.strip().splitlines()[-1],
        {**namespace, "StepByStepEM": StepByStepEM},
    )
    stepper.run_button.click()
    assert chapter.converged and stepper.iteration == chapter.n_iter
    np.testing.assert_allclose(
        stepper.log_likelihoods[-1], chapter.final_log_likelihood, rtol=1e-12
    )
    np.testing.assert_allclose(stepper.means, chapter.means, rtol=1e-10)
    assert f"Iteration {chapter.n_iter} " in stepper.status.value
    assert f"{chapter.final_log_likelihood:.2f}" in stepper.status.value
    assert (
        "converged: the mean log-likelihood changed by less than tol = 0.0001"
        in stepper.status.value
    )
