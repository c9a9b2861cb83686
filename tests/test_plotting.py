"""Tests of gmm_teach.teaching.plotting: every helper draws, ellipses have the right axes, colours blend
and stay distinct for colour-blind readers, pictures of distances have equal axis scales,
recorded runs start at the start, and players export light, described, expected frames."""

import base64
import io
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from colorspacious import cspace_convert  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from gmm_teach import em, em1d, kmeans  # noqa: E402
from gmm_teach.gaussian import full_covariances  # noqa: E402
from gmm_teach.teaching import datasets, plotting  # noqa: E402


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
    return np.array(
        [[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]]
    )


# ------------------------------------------------------------------------------ palette


def test_palette_has_eight_distinct_colours_and_repeats():
    assert len(set(plotting.COMPONENT_COLORS)) >= 8
    colors = plotting.component_colors(10)
    assert colors.shape == (10, 3)
    np.testing.assert_array_equal(colors[8], colors[0])
    np.testing.assert_array_equal(
        colors[1], to_rgb(plotting.COMPONENT_COLORS[1])
    )


# The largest number of components a figure of the book draws (chapter 9's K = 5 panel).
MOST_COMPONENTS = 5
# CAM02-UCS distance (Luo, Cui and Li 2006): about 1 is a just-noticeable difference between
# large patches; small marks and thin lines need far more. 12 keeps the first five colours apart.
MIN_DISTANCE = 12.0


def _cam02_distances(colors):
    """Pairwise CAM02-UCS distances of sRGB colours in [0, 1]: shape (n, n)."""
    ucs = cspace_convert(np.asarray(colors), "sRGB1", "CAM02-UCS")
    return np.linalg.norm(ucs[:, np.newaxis] - ucs[np.newaxis], axis=-1)


@pytest.mark.parametrize("deficiency", ["deuteranomaly", "protanomaly"])
def test_components_stay_distinct_for_colour_blind_readers(deficiency):
    """Machado et al. (2009) at full severity: deuteranopia and protanopia."""
    colors = np.vstack(
        [
            plotting.component_colors(MOST_COMPONENTS),
            to_rgb(plotting.DATA_COLOR),
            to_rgb(plotting.MIXTURE_COLOR),
        ]
    )
    seen = np.clip(
        cspace_convert(
            colors,
            {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100},
            "sRGB1",
        ),
        0,
        1,
    )
    distances = _cam02_distances(seen)
    pairs = np.triu_indices(len(colors), k=1)
    assert distances[pairs].min() > MIN_DISTANCE, distances.round(1)


def test_the_simulation_does_confuse_red_and_green():
    """The check above can fail: Matplotlib's old red and green merge under deuteranopia."""
    red_green = np.array([to_rgb("tab:red"), to_rgb("tab:green")])
    seen = cspace_convert(
        red_green,
        {"name": "sRGB1+CVD", "cvd_type": "deuteranomaly", "severity": 100},
        "sRGB1",
    )
    assert _cam02_distances(np.clip(seen, 0, 1))[0, 1] < MIN_DISTANCE


def test_importing_the_module_sets_the_palette_and_line_styles_as_the_cycle():
    cycle = plt.rcParams["axes.prop_cycle"].by_key()
    assert tuple(cycle["color"]) == plotting.COMPONENT_COLORS
    assert len(set(map(str, cycle["linestyle"]))) == len(
        plotting.COMPONENT_COLORS
    )
    fig, ax = plt.subplots()
    # curves differ by style too
    lines = [ax.plot([0, 1], [k, k])[0] for k in range(4)]
    assert (
        len({(line.get_color(), str(line.get_linestyle())) for line in lines})
        == 4
    )
    assert len({str(line.get_linestyle()) for line in lines}) == 4


def _scales(ax):
    """Data units per display pixel along x and along y, once the figure is drawn."""
    # as a notebook or to_jshtml renders it
    ax.figure.savefig(io.BytesIO(), format="png")
    box = ax.get_window_extent()
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return abs(x1 - x0) / box.width, abs(y1 - y0) / box.height


def test_static_pictures_of_distances_have_equal_axis_scales(blobs):
    stretched = blobs.X * [1.0, 0.2]  # data four times wider than tall
    resp = np.eye(3)[blobs.labels]
    for draw in (
        lambda ax: plotting.plot_soft_assignments(stretched, resp, ax=ax),
        lambda ax: plotting.plot_kmeans(
            stretched, blobs.means, blobs.labels, ax=ax
        ),
        lambda ax: plotting.plot_ellipses(
            blobs.means, blobs.covariances, ax=ax
        ),
    ):
        fig, ax = plt.subplots(figsize=(6, 4))
        draw(ax)
        x_scale, y_scale = _scales(ax)
        assert x_scale == pytest.approx(y_scale, rel=0.01)
    fig, ax = plt.subplots(figsize=(6, 4))
    # different units
    plotting.plot_soft_assignments(stretched, resp, ax=ax, aspect="auto")
    x_scale, y_scale = _scales(ax)
    assert x_scale != pytest.approx(y_scale, rel=0.5)


@pytest.mark.filterwarnings("ignore::gmm_teach.ConvergenceWarning")
def test_2d_players_have_equal_axis_scales_on_every_frame(blobs, caplog):
    """...without Matplotlib logging that it moves fixed limits (it would print in the book)."""
    stretched = blobs.X * [1.0, 0.3]
    _, history = plotting.record_kmeans(stretched, 3, random_state=0)
    _, em_history = plotting.record_em(
        stretched,
        np.full(3, 1 / 3),
        stretched[:3],
        np.full((3, 2), 1.0),
        covariance_type="diag",
        max_iter=3,
    )
    for anim, n_frames in (
        (plotting.kmeans_player(stretched, history), len(history)),
        (
            plotting.em_player_2d(
                stretched, em_history, covariance_type="diag"
            ),
            len(em_history),
        ),
    ):
        ax = anim._fig.axes[0]
        for t in (0, n_frames - 1):
            anim._func(t)  # draw frame t
            x_scale, y_scale = _scales(ax)
            assert x_scale == pytest.approx(y_scale, rel=0.01)
    assert not [
        record
        for record in caplog.records
        if record.name.startswith("matplotlib")
    ]


def test_ellipse_means_are_labelled_with_the_component_number(blobs):
    ax = plotting.plot_ellipses(blobs.means, blobs.covariances)
    labels = [
        (text.get_text(), tuple(text.get_position())) for text in ax.texts
    ]
    assert labels == [
        (str(k + 1), tuple(mean)) for k, mean in enumerate(blobs.means)
    ]


PHONE_COLUMN_PX = 358  # the text column of a 390-pixel-wide phone


def _phone_px(points, css_px_per_inch):
    """CSS pixels of text of that many points in a FIGSIZE figure shown at css_px_per_inch,
    shrunk to a phone's column if it is wider."""
    width = plotting.FIGSIZE[0] * css_px_per_inch
    return points * css_px_per_inch / 72 * min(1.0, PHONE_COLUMN_PX / width)


def test_text_of_figures_and_players_stays_8_css_pixels_tall_on_a_phone():
    fig, ax = plt.subplots()
    assert tuple(fig.get_size_inches()) == plotting.FIGSIZE
    ax.plot([0, 1], [0, 1], label="a curve")
    texts = [*ax.get_xticklabels(), ax.xaxis.label, *ax.legend().get_texts()]
    smallest = min(text.get_fontsize() for text in texts)
    # static figures
    assert _phone_px(smallest, plotting.STYLE["figure.dpi"]) >= 8.0
    # players: the legend of the 1-D player is "small" (0.833 of the font size)
    assert (
        _phone_px(0.833 * plotting.FONT_SIZE, plotting.PLAYER_CSS_DPI) >= 7.5
    )


def test_soft_assignment_colors_blend_the_palette():
    resp = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.5, 0.5, 0.0]])
    colors = plotting.soft_assignment_colors(resp)
    palette = plotting.component_colors(3)
    np.testing.assert_allclose(colors[0], palette[0])
    np.testing.assert_allclose(colors[1], palette[2])
    np.testing.assert_allclose(colors[2], (palette[0] + palette[1]) / 2)


def test_plot_soft_assignments_colours_one_hot_points_like_their_component(
    blobs,
):
    resp = np.eye(3)[blobs.labels]  # (n, 3) one-hot
    ax = plotting.plot_soft_assignments(blobs.X, resp)
    facecolors = ax.collections[0].get_facecolors()[:, :3]
    np.testing.assert_allclose(
        facecolors, plotting.component_colors(3)[blobs.labels]
    )


# ------------------------------------------------------------------------------ static figures


def test_plot_mixture_1d_draws_components_and_their_sum(groups):
    fig, ax = plt.subplots()
    returned = plotting.plot_mixture_1d(
        groups.x, groups.weights, groups.means, groups.variances, ax=ax
    )
    assert returned is ax
    *components, mixture = ax.get_lines()
    assert len(components) == 3
    np.testing.assert_allclose(
        sum(line.get_ydata() for line in components), mixture.get_ydata()
    )
    grid = mixture.get_xdata()
    assert np.trapezoid(mixture.get_ydata(), grid) == pytest.approx(
        1.0, abs=0.02
    )


def test_plot_mixture_1d_without_components_draws_only_the_mixture(groups):
    ax = plotting.plot_mixture_1d(
        groups.x,
        groups.weights,
        groups.means,
        groups.variances,
        components=False,
    )
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
def test_plot_ellipses_handles_every_covariance_type(
    covariance_type, covariances
):
    means = np.array([[0.0, 0.0], [5.0, 5.0]])
    ax = plotting.plot_ellipses(
        means, covariances, covariance_type, n_std=(1, 2)
    )
    assert len(ax.patches) == 2 * 2
    full = full_covariances(covariances, covariance_type, 2, 2)
    expected = [
        2 * n_std * np.sqrt(np.linalg.eigvalsh(full[k])[::-1])
        for k in range(2)
        for n_std in (1, 2)
    ]
    np.testing.assert_allclose(_ellipse_sizes(ax), expected)


def test_plot_ellipses_picks_two_features_of_higher_dimensional_means():
    means = np.zeros((2, 4))
    covariances = np.stack([np.diag([1.0, 4.0, 9.0, 16.0])] * 2)
    ax = plotting.plot_ellipses(means, covariances, n_std=1, features=(2, 3))
    np.testing.assert_allclose(_ellipse_sizes(ax), [[8.0, 6.0], [8.0, 6.0]])


def test_plot_log_likelihood_puts_the_value_after_t_m_steps_at_t():
    # l(theta^(0)) ... l(theta^(3))
    values = np.array([-120.0, -100.0, -95.0, -94.5])
    ax = plotting.plot_log_likelihood(values, label="run", final=-94.4)
    line = ax.get_lines()[0]
    # l(theta^(T)) at T = 4
    np.testing.assert_array_equal(line.get_xdata(), [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(line.get_ydata(), [*values, -94.4])
    assert "t" in ax.get_xlabel() and "M-steps" in ax.get_xlabel()


def test_plot_kmeans_colours_and_shapes_points_by_label(blobs):
    result = kmeans.kmeans(blobs.X, 3, random_state=0)
    ax = plotting.plot_kmeans(blobs.X, result.centers, result.labels)
    *clusters, centers = ax.collections
    palette = plotting.component_colors(3)
    for k, points in enumerate(clusters):
        np.testing.assert_allclose(
            points.get_offsets(), blobs.X[result.labels == k]
        )
        np.testing.assert_allclose(
            points.get_facecolors()[:, :3], palette[[k]]
        )
    # shapes
    assert (
        len({points.get_paths()[0].vertices.tobytes() for points in clusters})
        == 3
    )
    np.testing.assert_allclose(centers.get_offsets(), result.centers)
    assert [text.get_text() for text in ax.texts] == ["1", "2", "3"]


# ------------------------------------------------------------------------------ recording runs


def test_record_em_starts_at_the_start_and_ends_at_the_result(blobs):
    start = (np.full(3, 1 / 3), blobs.means + 1.0, np.stack([np.eye(2)] * 3))
    result, history = plotting.record_em(blobs.X, *start)
    assert len(history) == result.n_iter + 1
    for recorded, given_value in zip(history[0], start, strict=True):
        np.testing.assert_array_equal(recorded, given_value)
    np.testing.assert_allclose(history[-1].means, result.means)
    np.testing.assert_allclose(history[-1].covariances, result.covariances)


# tol=0 on purpose
@pytest.mark.filterwarnings("ignore::gmm_teach.ConvergenceWarning")
def test_record_em1d_passes_options_on(groups):
    result, history = plotting.record_em1d(
        groups.x,
        [0.2, 0.3, 0.5],
        [-1.0, 0.0, 1.0],
        [1.0, 1.0, 1.0],
        max_iter=3,
        tol=0.0,
    )
    assert result.n_iter == 3 and len(history) == 4
    # the variances
    np.testing.assert_allclose(history[-1].covariances, result.covariances)


def test_record_kmeans_gives_the_same_result_as_kmeans(blobs):
    result, history = plotting.record_kmeans(
        blobs.X, 3, init="random", random_state=3
    )
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
    _, history = plotting.record_em1d(
        groups.x, [1 / 3] * 3, [-1.0, 0.0, 1.0], [1.0] * 3, max_iter=4, tol=0.0
    )
    anim = plotting.em_player_1d(groups.x, history)
    assert isinstance(anim, FuncAnimation)
    html = plotting.to_html(anim).data
    assert _frames_in(html) == 5
    assert "new Array(5)" in html
    assert "://" not in html  # offline: no CDN stylesheet for the buttons
    # play and step-forward glyphs
    assert 'class="fa' not in html and html.count("\u25b6") == 2


@pytest.mark.filterwarnings("ignore::gmm_teach.ConvergenceWarning")
def test_em_player_2d_subsamples_and_titles_frames(blobs):
    start = (np.full(3, 1 / 3), blobs.means + 2.0, np.full((3, 2), 2.0))
    _, history = plotting.record_em(
        blobs.X, *start, covariance_type="diag", max_iter=9, tol=0.0
    )
    anim = plotting.em_player_2d(
        blobs.X, history, covariance_type="diag", max_frames=4
    )
    # the figure is drawn with the last frame when the player is built
    title = anim._fig.axes[0].get_title()
    last = history[-1]
    log_likelihood = em.log_likelihood(blobs.X, *last, covariance_type="diag")
    assert title.startswith("$t = 9$") and f"{log_likelihood:.2f}" in title
    n_artists = len(anim._fig.axes[0].get_children())
    assert _frames_in(plotting.to_html(anim).data) == 4
    # each frame removes the last one
    assert len(anim._fig.axes[0].get_children()) == n_artists


def test_to_html_describes_the_player_and_fits_it_to_the_column(blobs):
    _, history = plotting.record_kmeans(blobs.X, 3, random_state=0)
    html = plotting.to_html(
        plotting.kmeans_player(blobs.X, history),
        alt='K-Means "moving" its centres',
    ).data
    described = 'aria-label="K-Means &quot;moving&quot; its centres"'
    assert re.search(
        r'<div class="animation" style="width: 480px" role="group" '
        + described,
        html,
    )
    assert re.search(r'<img id="_anim_img\w+" alt="K-Means &quot;moving', html)
    assert ".animation img { width: 100%" in html
    anim = plotting.kmeans_player(blobs.X, history)
    with pytest.raises(ValueError, match="alt"):
        plotting.to_html(anim, alt=" ")
    plotting.to_html(anim)


def test_player_frames_are_palette_pngs_at_the_player_dpi(blobs):
    from PIL import Image

    _, history = plotting.record_kmeans(blobs.X, 3, random_state=0)
    anim = plotting.kmeans_player(blobs.X, history)
    html = plotting.to_html(anim).data
    frames = re.findall(r'"data:image/png;base64,([^"]*)"', html)
    assert len(frames) == len(history)
    image = Image.open(
        io.BytesIO(base64.b64decode(frames[0].replace("\\\n", "")))
    )
    assert (
        image.mode == "P" and len(image.getcolors()) <= plotting.PLAYER_COLORS
    )
    assert image.width == plotting.FIGSIZE[0] * plotting.PLAYER_DPI


def test_kmeans_player_exports_its_frames(blobs):
    _, history = plotting.record_kmeans(blobs.X, 3, random_state=0)
    anim = plotting.kmeans_player(blobs.X, history, max_frames=3)
    assert _frames_in(plotting.to_html(anim).data) == min(3, len(history))


def test_players_leave_no_pyplot_figure_and_to_html_closes_one(groups):
    history = [(groups.weights, groups.means, groups.variances)]
    anim = plotting.em_player_1d(groups.x, history)
    assert plt.get_fignums() == []
    title = anim._fig.axes[0].get_title()
    log_likelihood = em1d.log_likelihood(
        groups.x, groups.weights, groups.means, groups.variances
    )
    assert (
        title.startswith("$t = 0$ (start)")
        and f"{log_likelihood:.2f}" in title
    )
    assert _frames_in(plotting.to_html(anim).data) == 1
    fig, ax = plt.subplots()
    line = ax.plot([0, 1])[0]
    pyplot_anim = FuncAnimation(
        fig, lambda t: line.set_ydata([0, t]), frames=2
    )
    plotting.to_html(pyplot_anim)
    assert not plt.fignum_exists(fig.number)


# ------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: plotting.component_colors(0), ValueError, "n_components"),
        (
            lambda: plotting.covariance_ellipse([0, 0], [[1, 2], [0, 1]]),
            ValueError,
            "symmetric",
        ),
        (
            lambda: plotting.covariance_ellipse([0, 0], [[1, 0], [0, -1]]),
            ValueError,
            "covariance",
        ),
        (
            lambda: plotting.covariance_ellipse([0, 0, 0], np.eye(2)),
            ValueError,
            "mean",
        ),
        (
            lambda: plotting.covariance_ellipse([0, 0], np.eye(2), n_std=0),
            ValueError,
            "n_std",
        ),
        (
            lambda: plotting.covariance_ellipse([0, 0], np.eye(2), n_std="2"),
            ValueError,
            "n_std",
        ),
        (
            lambda: plotting.plot_ellipses(
                np.zeros((2, 2)), np.ones(2), "round"
            ),
            ValueError,
            "covariance_type",
        ),
        (
            lambda: plotting.plot_ellipses(
                np.zeros((2, 2)), np.ones(3), "spherical"
            ),
            ValueError,
            "covariances",
        ),
        (
            lambda: plotting.plot_ellipses(
                np.zeros((2, 2)), np.ones(2), "spherical", features=(0, 2)
            ),
            ValueError,
            "features",
        ),
        (
            lambda: plotting.soft_assignment_colors([[0.5, 0.6]]),
            ValueError,
            "responsibilities",
        ),
        (
            lambda: plotting.plot_soft_assignments(
                np.zeros((3, 2)), np.eye(2)
            ),
            ValueError,
            "resp",
        ),
        (
            lambda: plotting.plot_kmeans(
                np.zeros((3, 2)), np.zeros((2, 2)), [0, 1, 2]
            ),
            ValueError,
            "labels",
        ),
        (
            lambda: plotting.plot_log_likelihood([[1.0]]),
            ValueError,
            "log_likelihoods",
        ),
        (
            lambda: plotting.plot_mixture_1d([1.0, 2.0], [1.0], [0.0], [-1.0]),
            ValueError,
            "variances",
        ),
        (
            lambda: plotting.plot_log_likelihood([1.0], ax="axes"),
            TypeError,
            "ax",
        ),
        (lambda: plotting.em_player_1d([1.0, 2.0], []), ValueError, "history"),
        (
            lambda: plotting.em_player_2d(
                np.zeros((3, 2)), [], covariance_type="round"
            ),
            ValueError,
            "covariance_type",
        ),
        (
            lambda: plotting.frame_indices(10, max_frames=1),
            ValueError,
            "max_frames",
        ),
        (lambda: plotting.to_html("animation"), TypeError, "anim"),
        (
            lambda: plotting.plot_soft_assignments(
                np.zeros((3, 2)), np.eye(3)[[0, 1, 2]], features=0
            ),
            ValueError,
            "features",
        ),
    ],
)
def test_bad_arguments_name_the_argument(call, error, name):
    with pytest.raises(error, match=name):
        call()
