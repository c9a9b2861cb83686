"""Tests of gmm_teach.plotting: every helper draws, ellipses have the right axes, colours blend,
recorded runs start at the start, and players export the expected frames."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402
from matplotlib.colors import to_rgb, to_rgba_array  # noqa: E402

from gmm_teach import datasets, em, em1d, kmeans, plotting  # noqa: E402
from gmm_teach.gaussian import full_covariances  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def blobs():
    return datasets.three_blobs_2d(n_per_cluster=30)


@pytest.fixture(scope="module")
def groups():
    return datasets.three_groups_1d(n_per_group=40)


def rotation(degrees):
    theta = np.radians(degrees)
    return np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])


# ------------------------------------------------------------------------------ palette


def test_palette_has_eight_distinct_colours_and_repeats():
    assert len(set(plotting.COMPONENT_COLORS)) >= 8
    colors = plotting.component_colors(10)
    assert colors.shape == (10, 3)
    np.testing.assert_array_equal(colors[8], colors[0])
    np.testing.assert_array_equal(colors[1], to_rgb(plotting.COMPONENT_COLORS[1]))


def test_soft_assignment_colors_blend_the_palette():
    resp = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.5, 0.5, 0.0]])
    colors = plotting.soft_assignment_colors(resp)
    palette = plotting.component_colors(3)
    np.testing.assert_allclose(colors[0], palette[0])
    np.testing.assert_allclose(colors[1], palette[2])
    np.testing.assert_allclose(colors[2], (palette[0] + palette[1]) / 2)


def test_plot_soft_assignments_colours_one_hot_points_like_their_component(blobs):
    resp = np.eye(3)[blobs.labels]  # (n, 3) one-hot
    ax = plotting.plot_soft_assignments(blobs.X, resp)
    facecolors = ax.collections[0].get_facecolors()[:, :3]
    np.testing.assert_allclose(facecolors, plotting.component_colors(3)[blobs.labels])


# ------------------------------------------------------------------------------ static figures


def test_plot_mixture_1d_draws_components_and_their_sum(groups):
    fig, ax = plt.subplots()
    returned = plotting.plot_mixture_1d(groups.x, groups.weights, groups.means, groups.variances,
                                        ax=ax)
    assert returned is ax
    *components, mixture = ax.get_lines()
    assert len(components) == 3
    np.testing.assert_allclose(sum(line.get_ydata() for line in components), mixture.get_ydata())
    grid = mixture.get_xdata()
    assert np.trapezoid(mixture.get_ydata(), grid) == pytest.approx(1.0, abs=0.02)


def test_plot_mixture_1d_without_components_draws_only_the_mixture(groups):
    ax = plotting.plot_mixture_1d(groups.x, groups.weights, groups.means, groups.variances,
                                  components=False)
    assert len(ax.get_lines()) == 1


@pytest.mark.parametrize("degrees", [0.0, 30.0, 120.0])
@pytest.mark.parametrize("n_std", [1.0, 2.5])
def test_covariance_ellipse_axes_are_sqrt_eigenvalues(degrees, n_std):
    R = rotation(degrees)
    covariance = R @ np.diag([4.0, 0.25]) @ R.T  # eigenvalues 4 and 0.25
    ellipse = plotting.covariance_ellipse([1.0, -2.0], covariance, n_std)
    assert ellipse.width == pytest.approx(2 * n_std * 2.0)
    assert ellipse.height == pytest.approx(2 * n_std * 0.5)
    assert ellipse.angle % 180 == pytest.approx(degrees % 180)
    np.testing.assert_allclose(ellipse.center, [1.0, -2.0])
    assert ellipse in ellipse.axes.patches


def _ellipse_sizes(ax):
    return np.array([(patch.width, patch.height) for patch in ax.patches])


@pytest.mark.parametrize(
    ("covariance_type", "covariances"),
    [
        ("full", np.stack([np.diag([4.0, 1.0]), np.diag([1.0, 9.0])])),
        ("tied", np.diag([4.0, 1.0])),
        ("diag", np.array([[4.0, 1.0], [1.0, 9.0]])),
        ("spherical", np.array([4.0, 9.0])),
    ],
)
def test_plot_ellipses_handles_every_covariance_type(covariance_type, covariances):
    means = np.array([[0.0, 0.0], [5.0, 5.0]])
    ax = plotting.plot_ellipses(means, covariances, covariance_type, n_std=(1, 2))
    assert len(ax.patches) == 2 * 2
    full = full_covariances(covariances, covariance_type, 2, 2)
    expected = [2 * n_std * np.sqrt(np.linalg.eigvalsh(full[k])[::-1])
                for k in range(2) for n_std in (1, 2)]
    np.testing.assert_allclose(_ellipse_sizes(ax), expected)


def test_plot_ellipses_picks_two_features_of_higher_dimensional_means():
    means = np.zeros((2, 4))
    covariances = np.stack([np.diag([1.0, 4.0, 9.0, 16.0])] * 2)
    ax = plotting.plot_ellipses(means, covariances, n_std=1, features=(2, 3))
    np.testing.assert_allclose(_ellipse_sizes(ax), [[8.0, 6.0], [8.0, 6.0]])


def test_plot_log_likelihood_draws_one_point_per_iteration():
    values = np.array([-120.0, -100.0, -95.0, -94.5])
    ax = plotting.plot_log_likelihood(values, label="run")
    line = ax.get_lines()[0]
    np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3, 4])
    np.testing.assert_array_equal(line.get_ydata(), values)


def test_plot_kmeans_colours_points_by_label(blobs):
    result = kmeans.kmeans(blobs.X, 3, random_state=0)
    ax = plotting.plot_kmeans(blobs.X, result.centers, result.labels)
    points, centers = ax.collections
    palette = plotting.component_colors(3)
    np.testing.assert_allclose(points.get_facecolors()[:, :3], palette[result.labels])
    np.testing.assert_allclose(centers.get_offsets(), result.centers)


# ------------------------------------------------------------------------------ recording runs


def test_record_em_starts_at_the_start_and_ends_at_the_result(blobs):
    start = (np.full(3, 1 / 3), blobs.means + 1.0, np.stack([np.eye(2)] * 3))
    result, history = plotting.record_em(blobs.X, *start)
    assert len(history) == result.n_iter + 1
    for recorded, given_value in zip(history[0], start):
        np.testing.assert_array_equal(recorded, given_value)
    np.testing.assert_allclose(history[-1].means, result.means)
    np.testing.assert_allclose(history[-1].covariances, result.covariances)


@pytest.mark.filterwarnings("ignore::gmm_teach.ConvergenceWarning")  # tol=0 on purpose
def test_record_em1d_passes_options_on(groups):
    result, history = plotting.record_em1d(groups.x, [0.2, 0.3, 0.5], [-1.0, 0.0, 1.0],
                                           [1.0, 1.0, 1.0], max_iter=3, tol=0.0)
    assert result.n_iter == 3 and len(history) == 4
    np.testing.assert_allclose(history[-1].covariances, result.covariances)  # the variances


def test_record_kmeans_gives_the_same_result_as_kmeans(blobs):
    result, history = plotting.record_kmeans(blobs.X, 3, init="random", random_state=3)
    reference = kmeans.kmeans(blobs.X, 3, init="random", random_state=3)
    np.testing.assert_array_equal(result.centers, reference.centers)
    assert len(history) == result.n_iter + 1
    np.testing.assert_array_equal(history[-1], result.centers)


# ------------------------------------------------------------------------------ players


@given(n_frames=st.integers(1, 500), max_frames=st.integers(2, 40))
def test_frame_indices_keep_first_and_last(n_frames, max_frames):
    indices = plotting.frame_indices(n_frames, max_frames)
    assert len(indices) == min(n_frames, max_frames)
    assert indices[0] == 0 and indices[-1] == n_frames - 1
    assert np.all(np.diff(indices) > 0)


def test_frame_indices_show_the_first_iterations_one_by_one():
    indices = plotting.frame_indices(100)
    assert len(indices) == plotting.MAX_FRAMES == 30
    np.testing.assert_array_equal(indices[:15], np.arange(15))


def _frames_in(html):
    return html.count("data:image/png;base64")


@pytest.mark.filterwarnings("ignore::gmm_teach.ConvergenceWarning")
def test_em_player_1d_exports_every_short_history_frame(groups):
    _, history = plotting.record_em1d(groups.x, [1 / 3] * 3, [-1.0, 0.0, 1.0], [1.0] * 3,
                                      max_iter=4, tol=0.0)
    anim = plotting.em_player_1d(groups.x, history)
    assert isinstance(anim, FuncAnimation)
    html = plotting.to_html(anim).data
    assert _frames_in(html) == 5
    assert "new Array(5)" in html
    assert "://" not in html  # offline: no CDN stylesheet for the buttons
    assert 'class="fa' not in html and html.count("\u25b6") == 2  # play and step-forward glyphs


@pytest.mark.filterwarnings("ignore::gmm_teach.ConvergenceWarning")
def test_em_player_2d_subsamples_and_titles_frames(blobs):
    start = (np.full(3, 1 / 3), blobs.means + 2.0, np.full((3, 2), 2.0))
    _, history = plotting.record_em(blobs.X, *start, covariance_type="diag", max_iter=9, tol=0.0)
    anim = plotting.em_player_2d(blobs.X, history, covariance_type="diag", max_frames=4)
    # the figure is drawn with the last frame when the player is built
    title = anim._fig.axes[0].get_title()
    last = history[-1]
    log_likelihood = em.log_likelihood(blobs.X, *last, covariance_type="diag")
    assert title.startswith("iteration 9") and f"{log_likelihood:.2f}" in title
    n_artists = len(anim._fig.axes[0].get_children())
    assert _frames_in(plotting.to_html(anim).data) == 4
    assert len(anim._fig.axes[0].get_children()) == n_artists  # each frame removes the last one


def test_kmeans_player_exports_its_frames(blobs):
    _, history = plotting.record_kmeans(blobs.X, 3, random_state=0)
    anim = plotting.kmeans_player(blobs.X, history, max_frames=3)
    assert _frames_in(plotting.to_html(anim).data) == min(3, len(history))


def test_players_leave_no_pyplot_figure_and_to_html_closes_one(groups):
    history = [(groups.weights, groups.means, groups.variances)]
    anim = plotting.em_player_1d(groups.x, history)
    assert plt.get_fignums() == []
    title = anim._fig.axes[0].get_title()
    log_likelihood = em1d.log_likelihood(groups.x, groups.weights, groups.means, groups.variances)
    assert title.startswith("iteration 0 (start)") and f"{log_likelihood:.2f}" in title
    assert _frames_in(plotting.to_html(anim).data) == 1
    fig, ax = plt.subplots()
    line = ax.plot([0, 1])[0]
    pyplot_anim = FuncAnimation(fig, lambda t: line.set_ydata([0, t]), frames=2)
    plotting.to_html(pyplot_anim)
    assert not plt.fignum_exists(fig.number)


# ------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: plotting.component_colors(0), ValueError, "n_components"),
        (lambda: plotting.covariance_ellipse([0, 0], [[1, 2], [0, 1]]), ValueError, "symmetric"),
        (lambda: plotting.covariance_ellipse([0, 0], [[1, 0], [0, -1]]), ValueError, "covariance"),
        (lambda: plotting.covariance_ellipse([0, 0, 0], np.eye(2)), ValueError, "mean"),
        (lambda: plotting.covariance_ellipse([0, 0], np.eye(2), n_std=0), ValueError, "n_std"),
        (lambda: plotting.covariance_ellipse([0, 0], np.eye(2), n_std="2"), ValueError, "n_std"),
        (lambda: plotting.plot_ellipses(np.zeros((2, 2)), np.ones(2), "round"), ValueError,
         "covariance_type"),
        (lambda: plotting.plot_ellipses(np.zeros((2, 2)), np.ones(3), "spherical"), ValueError,
         "covariances"),
        (lambda: plotting.plot_ellipses(np.zeros((2, 2)), np.ones(2), "spherical",
                                        features=(0, 2)), ValueError, "features"),
        (lambda: plotting.soft_assignment_colors([[0.5, 0.6]]), ValueError, "responsibilities"),
        (lambda: plotting.plot_soft_assignments(np.zeros((3, 2)), np.eye(2)), ValueError, "resp"),
        (lambda: plotting.plot_kmeans(np.zeros((3, 2)), np.zeros((2, 2)), [0, 1, 2]), ValueError,
         "labels"),
        (lambda: plotting.plot_log_likelihood([[1.0]]), ValueError, "log_likelihoods"),
        (lambda: plotting.plot_mixture_1d([1.0, 2.0], [1.0], [0.0], [-1.0]), ValueError,
         "variances"),
        (lambda: plotting.plot_log_likelihood([1.0], ax="axes"), TypeError, "ax"),
        (lambda: plotting.em_player_1d([1.0, 2.0], []), ValueError, "history"),
        (lambda: plotting.em_player_2d(np.zeros((3, 2)), [], covariance_type="round"), ValueError,
         "covariance_type"),
        (lambda: plotting.frame_indices(10, max_frames=1), ValueError, "max_frames"),
        (lambda: plotting.to_html("animation"), TypeError, "anim"),
        (lambda: plotting.plot_soft_assignments(np.zeros((3, 2)), np.eye(3)[[0, 1, 2]],
                                                features=0), ValueError, "features"),
    ],
)
def test_bad_arguments_name_the_argument(call, error, name):
    with pytest.raises(error, match=name):
        call()
