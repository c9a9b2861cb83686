"""The book's figures: mixtures in 1-D, covariance ellipses, soft assignments,
EM players.

Conventions
-----------
- One palette for the components everywhere: component k is drawn in
  ``COMPONENT_COLORS[k]`` (Okabe and Ito's colour-blind safe palette); the
  data are grey, the whole mixture dark grey. Importing the module makes it
  Matplotlib's colour cycle too, paired with a cycle of line styles, so that
  curves differ by more than their colour (see :data:`STYLE`).
- Colour is never the only clue: a mean is marked by its component's number,
  K-Means clusters by marker shapes, and successive curves by their line
  styles.
- Pictures about distances and shapes (scatters, ellipses, K-Means, the 2-D
  players) have equal scales on both axes unless ``aspect="auto"`` is asked
  for (features in different units).
- Drawing helpers take an optional ``ax`` (a new figure is made when it is
  None), draw on it and return the Axes, so calls can be combined on one Axes.
  :func:`covariance_ellipse` returns the ellipse patch it adds.
- Players (:func:`em_player_1d`, :func:`em_player_2d`, :func:`kmeans_player`)
  return a ``matplotlib.animation.FuncAnimation`` drawn on a figure that
  pyplot does not manage (so a notebook never shows it as a stray static
  image); :func:`to_html` turns one into a slider and play buttons that run in
  any browser, with no kernel.
- Frame t of a player shows theta^(t), the parameters after t M-steps (t = 0:
  the start), and what they imply; its title gives t and l(theta^(t))
  (K-Means: the inertia).
- Figures are sharp on high-density screens: in a notebook, importing the
  module asks the inline backend for "retina" images (twice the pixels, shown
  at the same size), and players embed their frames at :data:`PLAYER_DPI` and
  show them at :data:`PLAYER_CSS_DPI`.

The module never selects a Matplotlib backend; notebooks keep theirs.
"""

import base64
import io
import numbers
import re
from html import escape
from typing import NamedTuple

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.animation import Animation, FuncAnimation
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse
from matplotlib.ticker import MaxNLocator

from gmm_teach import em, em1d, kmeans
from gmm_teach._validation import (
    check_array,
    check_covariance_type,
    check_covariances,
    check_positive_int,
    check_random_state,
    check_responsibility_array,
    check_samples,
)
from gmm_teach.gaussian import full_covariances

# Okabe & Ito (2008), "Color Universal Design": blue, orange, bluish green,
# reddish purple, vermillion, sky blue, yellow, black.
COMPONENT_COLORS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
# the second channel: one line style and one marker per component, in the
# palette's order
COMPONENT_LINESTYLES = (
    "-",
    "--",
    "-.",
    ":",
    (0, (5, 1, 1, 1, 1, 1)),
    (0, (1, 3)),
    (0, (8, 2)),
    (0, (3, 1, 1, 1)),
)
COMPONENT_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
DATA_COLOR = "#BBBBBB"
MIXTURE_COLOR = "#333333"

FIGSIZE = (6, 4)  # inches, of new figures and of players
# Text sizes in points. A figure w inches wide shown in a phone's 358-pixel
# column shrinks by 358 / (100 w); 11-point text on a 6-inch figure is then
# about 9 CSS pixels tall.
FONT_SIZE = 11
STYLE = {
    "axes.prop_cycle": cycler(
        color=COMPONENT_COLORS, linestyle=COMPONENT_LINESTYLES
    ),
    "figure.figsize": FIGSIZE,
    # CSS pixels per inch of a figure in the book (images are twice as dense)
    "figure.dpi": 100,
    "font.size": FONT_SIZE,
    "legend.fontsize": FONT_SIZE - 1,
    "axes.titlesize": FONT_SIZE + 1,
    "legend.framealpha": 0.9,
}
mpl.rcParams.update(STYLE)
# a player is shown FIGSIZE * 80 = 480 x 320 CSS pixels, at most the column
PLAYER_CSS_DPI = 80
# pixels per inch of its frames: 1.5 times as dense, for high-density screens
PLAYER_DPI = 120
# each frame is a PNG with a palette of this many colours (lighter pages)
PLAYER_COLORS = 128
MAX_FRAMES = 30


def _sharp_inline_figures():
    """In IPython, ask the inline backend for double-density PNGs shown at the
    normal size."""
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import select_figure_formats
        from matplotlib_inline.config import InlineBackend
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        # also read when the backend starts later
        config = InlineBackend.instance(parent=shell)
        config.figure_formats = {"retina"}
        select_figure_formats(
            shell, config.figure_formats, **config.print_figure_kwargs
        )


_sharp_inline_figures()


def component_colors(n_components):
    """RGB colours of components 0, ..., n_components - 1 (the palette repeats
    after eight).

    Parameters
    ----------
    n_components : int

    Returns
    -------
    colors : array of shape (n_components, 3)
        Rows of ``COMPONENT_COLORS`` as RGB values in [0, 1].
    """
    n_components = check_positive_int(n_components, "n_components")
    palette = [to_rgb(color) for color in COMPONENT_COLORS]
    return np.array([palette[k % len(palette)] for k in range(n_components)])


def _axes(ax):
    """The given Axes, or the Axes of a new figure."""
    if ax is None:
        _, ax = plt.subplots(figsize=FIGSIZE)
    elif not isinstance(ax, Axes):
        raise TypeError(
            f"ax must be a matplotlib Axes or None, got {type(ax).__name__}"
        )
    return ax


def _set_aspect(ax, aspect):
    """Equal scales on both axes ("equal", the default of 2-D pictures), free
    ("auto"), or the Axes' own setting left as it is (None)."""
    if aspect not in ("equal", "auto", None):
        raise ValueError(
            f'aspect must be "equal", "auto" or None, got {aspect!r}'
        )
    if aspect is not None:
        ax.set_aspect(aspect)


def _check_features(features, n_features):
    """The two columns of X to draw, as a list of two valid indices."""
    pair = list(np.atleast_1d(features))
    if len(pair) != 2 or not all(
        isinstance(i, numbers.Integral) and 0 <= i < n_features for i in pair
    ):
        raise ValueError(
            "features must be two column indices in "
            f"[0, {n_features}), got {features!r}"
        )
    return pair


def _padded_range(values, pad=0.1):
    """(low, high) of the values, widened by ``pad`` times their range on each
    side."""
    low, high = float(np.min(values)), float(np.max(values))
    margin = pad * ((high - low) or 1.0)
    return low - margin, high + margin


# -----------------------------------------------------------------------------
# Static figures


def plot_mixture_1d(
    x, weights, means, variances, ax=None, *, components=True, bins=30
):
    """Histogram of 1-D data with each weighted component and the mixture
    density (chapters 2, 5).

    Draws the density histogram of ``x``, the curve pi_k N(x | mu_k, sigma_k^2)
    of each component (filled, in its colour) and their sum, the mixture
    density p(x).

    Parameters
    ----------
    x : array of shape (n_samples,)
    weights, means, variances : arrays of shape (n_components,)
        Mixing weights pi_k, means mu_k and VARIANCES sigma_k^2 (not standard
        deviations).
    ax : matplotlib Axes, optional
    components : bool, default=True
        Draw the weighted components as well as the mixture.
    bins : int or sequence, default=30
        Passed to ``Axes.hist``.

    Returns
    -------
    ax : matplotlib Axes
    """
    x, weights, means, variances = em1d.check_parameters_1d(
        x, weights, means, variances
    )
    ax = _axes(ax)
    grid = np.linspace(*_padded_range(x), 400)  # (G,)
    # (G, K)
    densities = weights * em1d.normal_pdf(
        grid[:, np.newaxis], means, variances
    )
    ax.hist(
        x,
        bins=bins,
        density=True,
        histtype="stepfilled",
        color=DATA_COLOR,
        label="data",
    )
    if components:
        for k, color in enumerate(component_colors(len(weights))):
            ax.fill_between(
                grid, densities[:, k], color=color, alpha=0.25, linewidth=0
            )
            style = COMPONENT_LINESTYLES[k % len(COMPONENT_LINESTYLES)]
            ax.plot(
                grid,
                densities[:, k],
                color=color,
                linestyle=style,
                label=f"component {k + 1}",
            )
    ax.plot(
        grid,
        densities.sum(axis=1),
        color=MIXTURE_COLOR,
        linestyle="-",
        linewidth=2,
        label="mixture",
    )
    ax.set(xlabel="x", ylabel="density")
    ax.legend(loc="upper right", fontsize="small")
    return ax


def covariance_ellipse(mean, covariance, n_std=1.0, ax=None, **kwargs):
    """Draw the ellipse of points ``n_std`` Mahalanobis units from ``mean``
    (chapters 2, 6).

    With covariance = V diag(lambda) V^T (eigendecomposition), the ellipse's
    axes point along the eigenvectors and have half-lengths
    n_std * sqrt(lambda).

    Parameters
    ----------
    mean : array of shape (2,)
    covariance : array of shape (2, 2)
        Symmetric positive semi-definite.
    n_std : float, default=1.0
        Size of the ellipse in standard deviations.
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``matplotlib.patches.Ellipse`` (``fill`` defaults to False).

    Returns
    -------
    ellipse : matplotlib.patches.Ellipse
        The patch, already added to ``ax``.
    """
    mean = check_array(mean, "mean", ndim=1)
    covariance = check_array(covariance, "covariance")
    if mean.shape != (2,) or covariance.shape != (2, 2):
        raise ValueError(
            "mean and covariance must have shapes (2,) and (2, 2), "
            f"got {mean.shape} and {covariance.shape}"
        )
    if not np.allclose(covariance, covariance.T):
        raise ValueError("covariance must be a symmetric matrix")
    if (
        isinstance(n_std, bool)
        or not isinstance(n_std, numbers.Real)
        or not n_std > 0
    ):
        raise ValueError(f"n_std must be a number > 0, got {n_std!r}")
    # ascending; columns are the axes
    eigenvalues, eigenvectors = np.linalg.eigh(covariance)
    if eigenvalues[0] < -1e-12 * max(1.0, eigenvalues[1]):
        raise ValueError(
            "covariance must be positive semi-definite, "
            f"got eigenvalues {eigenvalues}"
        )
    major = eigenvectors[:, 1]  # (2,) direction of the largest variance
    # full axis lengths
    width, height = 2 * n_std * np.sqrt(np.clip(eigenvalues[::-1], 0, None))
    kwargs.setdefault("fill", False)
    # of the major axis, from the x-axis
    angle = np.degrees(np.arctan2(major[1], major[0]))
    ellipse = Ellipse(mean, width, height, angle=angle, **kwargs)
    _axes(ax).add_patch(ellipse)
    return ellipse


def plot_ellipses(
    means,
    covariances,
    covariance_type="full",
    n_std=(1, 2, 3),
    ax=None,
    *,
    features=(0, 1),
    aspect="equal",
):
    """Draw each component as its mean and covariance ellipses, in its colour
    (chapters 6, 8).

    The mean is marked by the component's number (1, 2, ...), so that
    components can be told apart without their colours.

    Parameters
    ----------
    means : array of shape (n_components, n_features)
    covariances : array
        Shaped by ``covariance_type``: "full" (n_components, n_features,
        n_features), "tied" (n_features, n_features), "diag" (n_components,
        n_features), "spherical" (n_components,).
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
    n_std : float or sequence of floats, default=(1, 2, 3)
        One ellipse per value, fainter as it grows.
    ax : matplotlib Axes, optional
    features : pair of int, default=(0, 1)
        The two features (columns) to draw, for data with more than two.
    aspect : {"equal", "auto", None}, default="equal"
        Equal scales on both axes, so that an ellipse shows its true shape and
        tilt; "auto" for features in different units; None leaves the Axes'
        aspect as it is.

    Returns
    -------
    ax : matplotlib Axes
    """
    means = check_array(means, "means")
    n_components, n_features = means.shape
    covariances = check_covariances(
        covariances, covariance_type, n_components, n_features
    )
    covariances = full_covariances(
        covariances, covariance_type, n_components, n_features
    )
    pair = _check_features(features, n_features)
    ax = _axes(ax)
    for k, color in enumerate(component_colors(n_components)):
        covariance = covariances[k][np.ix_(pair, pair)]  # (2, 2)
        for level, size in enumerate(np.atleast_1d(n_std)):
            covariance_ellipse(
                means[k, pair],
                covariance,
                size,
                ax,
                edgecolor=color,
                linewidth=2,
                alpha=1.0 / (1 + level),
            )
        ax.text(
            *means[k, pair],
            str(k + 1),
            color="white",
            fontsize=FONT_SIZE - 2,
            fontweight="bold",
            ha="center",
            va="center",
            zorder=4,
            bbox={
                "boxstyle": "circle,pad=0.25",
                "facecolor": color,
                "edgecolor": "white",
            },
        )
    ax.autoscale_view()
    _set_aspect(ax, aspect)
    return ax


def soft_assignment_colors(resp):
    """Colour of each point: the blend of the component colours weighted by its
    responsibilities.

    A point with r_i = (1, 0, ...) gets component 0's colour; a point shared
    half and half gets the average of two colours (chapter 3).

    Parameters
    ----------
    resp : array of shape (n_samples, n_components)
        Responsibilities r_ik; every row sums to one.

    Returns
    -------
    colors : array of shape (n_samples, 3)
        RGB values in [0, 1].
    """
    resp = check_array(resp, "resp")
    resp = check_responsibility_array(resp, resp.shape[0])
    # (n, K) @ (K, 3)
    return np.clip(resp @ component_colors(resp.shape[1]), 0.0, 1.0)


def plot_soft_assignments(
    X, resp, ax=None, *, features=(0, 1), size=12, aspect="equal"
):
    """Scatter the points, each coloured by its responsibilities
    (chapters 3, 6).

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    resp : array of shape (n_samples, n_components)
        Responsibilities r_ik (see :func:`soft_assignment_colors`).
    ax : matplotlib Axes, optional
    features : pair of int, default=(0, 1)
        The two features (columns) to draw.
    size : float, default=12
        Marker area, in points^2.
    aspect : {"equal", "auto", None}, default="equal"
        Equal scales on both axes (distances look like distances); "auto" for
        features in different units; None leaves the Axes' aspect as it is.

    Returns
    -------
    ax : matplotlib Axes
    """
    X = check_array(X)
    if np.shape(resp)[:1] != X.shape[:1]:
        raise ValueError(
            f"resp must have one row per sample of X ({X.shape[0]}), "
            f"got shape {np.shape(resp)}"
        )
    pair = _check_features(features, X.shape[1])
    ax = _axes(ax)
    ax.scatter(
        X[:, pair[0]],
        X[:, pair[1]],
        c=soft_assignment_colors(resp),
        s=size,
        linewidths=0,
    )
    _set_aspect(ax, aspect)
    return ax


def plot_log_likelihood(
    log_likelihoods, ax=None, *, label=None, final=None, **line_kwargs
):
    """The log-likelihood after each iteration of EM: it never decreases
    (chapter 4).

    Value t is l(theta^(t)), the log-likelihood after t M-steps, drawn at x = t
    (t = 0: the start). Curves drawn on one Axes follow the colour and
    line-style cycle of :data:`STYLE`.

    Parameters
    ----------
    log_likelihoods : array of shape (n_iter,)
        For example ``EMResult.log_likelihoods``: l(theta^(t)) for
        t = 0, ..., T - 1.
    ax : matplotlib Axes, optional
    label : str, optional
        Legend label of the curve (to compare several runs on one Axes).
    final : float, optional
        l(theta^(T)), for example ``EMResult.final_log_likelihood``, drawn at
        x = T.
    **line_kwargs
        Passed to ``Axes.plot`` (``color``, ``linestyle``, ``marker``, ...).

    Returns
    -------
    ax : matplotlib Axes
    """
    log_likelihoods = check_array(log_likelihoods, "log_likelihoods", ndim=1)
    if final is not None:
        log_likelihoods = np.append(
            log_likelihoods, check_array([final], "final", ndim=1)
        )
    ax = _axes(ax)
    line_kwargs = {"marker": "o", "markersize": 3, **line_kwargs}
    ax.plot(
        np.arange(len(log_likelihoods)),
        log_likelihoods,
        label=label,
        **line_kwargs,
    )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    # -5652.1, not 0.1 + -5.65e3
    ax.ticklabel_format(axis="y", style="plain", useOffset=False)
    ax.set(
        xlabel=r"iteration $t$ (M-steps done)",
        ylabel=r"log-likelihood $\ell(\theta^{(t)})$",
    )
    return ax


def plot_kmeans(
    X, centers, labels, ax=None, *, features=(0, 1), aspect="equal"
):
    """Points coloured by their K-Means cluster, with the cluster centres
    (chapter 1).

    Cluster k is drawn in ``COMPONENT_COLORS[k]`` with marker
    ``COMPONENT_MARKERS[k]``; each centre is a cross labelled with its
    cluster's number (1, 2, ...).

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    centers : array of shape (n_clusters, n_features)
    labels : array of shape (n_samples,)
        Cluster index of each point, in [0, n_clusters).
    ax : matplotlib Axes, optional
    features : pair of int, default=(0, 1)
        The two features (columns) to draw.
    aspect : {"equal", "auto", None}, default="equal"
        Equal scales on both axes (K-Means is about distances); "auto" for
        features in different units; None leaves the Axes' aspect as it is.

    Returns
    -------
    ax : matplotlib Axes
    """
    X = check_array(X)
    centers = check_array(centers, "centers")
    labels = np.asarray(labels)
    n_clusters = centers.shape[0]
    if labels.shape != X.shape[:1] or not np.issubdtype(
        labels.dtype, np.integer
    ):
        raise ValueError(
            f"labels must be {X.shape[0]} integers, "
            f"got {labels.dtype} of shape {labels.shape}"
        )
    if labels.min() < 0 or labels.max() >= n_clusters:
        raise ValueError(
            f"labels must be in [0, {n_clusters}), "
            f"got [{labels.min()}, {labels.max()}]"
        )
    pair = _check_features(features, X.shape[1])
    colors = component_colors(n_clusters)
    ax = _axes(ax)
    for k in range(n_clusters):
        members = X[labels == k]
        ax.scatter(
            members[:, pair[0]],
            members[:, pair[1]],
            color=colors[k],
            s=12,
            marker=COMPONENT_MARKERS[k % len(COMPONENT_MARKERS)],
            linewidths=0,
        )
    ax.scatter(
        centers[:, pair[0]],
        centers[:, pair[1]],
        c=colors,
        s=200,
        marker="X",
        edgecolors="black",
        linewidths=1.5,
        zorder=3,
    )
    for k, center in enumerate(centers[:, pair]):
        ax.annotate(
            str(k + 1),
            center,
            xytext=(7, 7),
            textcoords="offset points",
            fontweight="bold",
            zorder=4,
            bbox={
                "boxstyle": "round,pad=0.15",
                "facecolor": "white",
                "alpha": 0.8,
                "linewidth": 0,
            },
        )
    _set_aspect(ax, aspect)
    return ax


# -----------------------------------------------------------------------------
# Recording runs


class EMFrame(NamedTuple):
    """The parameters of a mixture at one iteration of EM (frame 0: the
    start)."""

    weights: np.ndarray  # (K,)
    means: np.ndarray  # (K, d), or (K,) in 1-D
    # shaped by covariance_type; the variances (K,) in 1-D
    covariances: np.ndarray


def _record(fit, data, start, em_kwargs):
    """Run ``fit(data, *start, callback=...)``; return (result, frames),
    frame 0 the start."""
    history = []

    def remember(iteration, state):
        history.append(
            EMFrame(
                state.weights.copy(),
                state.means.copy(),
                state.covariances.copy(),
            )
        )

    result = fit(data, *start, callback=remember, **em_kwargs)
    history.insert(
        0, EMFrame(*(np.array(parameter, dtype=float) for parameter in start))
    )
    return result, history


def record_em(X, weights, means, covariances, **em_kwargs):
    """Run :func:`gmm_teach.em.em` and keep the parameters of every iteration
    (chapter 6).

    Parameters
    ----------
    X, weights, means, covariances
        The data and the starting parameters, as for :func:`gmm_teach.em.em`.
    **em_kwargs
        Passed to :func:`gmm_teach.em.em` (``covariance_type``, ``max_iter``,
        ``tol``, ...).

    Returns
    -------
    result : gmm_teach.em.EMResult
    history : list of EMFrame
        ``history[0]`` is the start, ``history[t]`` the parameters after
        iteration t.
    """
    return _record(em.em, X, (weights, means, covariances), em_kwargs)


def record_em1d(x, weights, means, variances, **em_kwargs):
    """Run :func:`gmm_teach.em1d.em` and keep the parameters of every
    iteration (chapter 5).

    Parameters
    ----------
    x, weights, means, variances
        The data and the starting parameters, as for :func:`gmm_teach.em1d.em`.
    **em_kwargs
        Passed to :func:`gmm_teach.em1d.em` (``max_iter``, ``tol``).

    Returns
    -------
    result : gmm_teach.em.EMResult
    history : list of EMFrame
        ``history[0]`` is the start; ``covariances`` hold the variances.
    """
    return _record(em1d.em, x, (weights, means, variances), em_kwargs)


def record_kmeans(
    X, n_clusters, *, init="k-means++", random_state=None, **kmeans_kwargs
):
    """Run :func:`gmm_teach.kmeans.kmeans` and keep the centres of every
    iteration (chapter 1).

    Gives the same result as ``kmeans.kmeans(X, n_clusters, init=init,
    random_state=random_state, **kmeans_kwargs)``.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    n_clusters : int
    init : {"k-means++", "random"} or array of shape \
        (n_clusters, n_features), default="k-means++"
    random_state : None, int or numpy.random.Generator
    **kmeans_kwargs
        Passed to :func:`gmm_teach.kmeans.kmeans` (``max_iter``, ``tol``).

    Returns
    -------
    result : gmm_teach.kmeans.KMeansResult
    history : list of arrays of shape (n_clusters, n_features)
        ``history[0]`` holds the initial centres, ``history[t]`` the centres
        after iteration t.
    """
    X = check_array(X)
    n_clusters = check_positive_int(n_clusters, "n_clusters")
    check_samples(X, n_clusters, count_name="n_clusters")
    history = [
        kmeans.initial_centers(
            X, n_clusters, init, check_random_state(random_state)
        )
    ]

    def remember(iteration, centers, labels):
        history.append(centers.copy())

    result = kmeans.kmeans(
        X, n_clusters, init=history[0], callback=remember, **kmeans_kwargs
    )
    return result, history


# -----------------------------------------------------------------------------
# Players: animations that run in a static web page


def frame_indices(n_frames, max_frames=MAX_FRAMES):
    """Which frames a player shows: all if there are few, else the first ones
    then evenly spaced.

    EM moves most in its first iterations, so about half of the frames show
    iterations 0, 1, 2, ... one by one and the others spread evenly over the
    rest, always ending on the last.

    Parameters
    ----------
    n_frames : int
        Number of recorded frames.
    max_frames : int, default=30

    Returns
    -------
    indices : array of int, increasing, of length min(n_frames, max_frames)
    """
    n_frames = check_positive_int(n_frames, "n_frames")
    max_frames = check_positive_int(max_frames, "max_frames", minimum=2)
    if n_frames <= max_frames:
        return np.arange(n_frames)
    head = np.arange((max_frames - 1) // 2)  # iterations 0, 1, ... one by one
    # >= 2 points, step > 1
    tail = np.linspace(len(head), n_frames - 1, max_frames - len(head))
    return np.concatenate([head, tail.round().astype(int)])


def _play(history, draw, *, max_frames, interval, aspect="auto", headroom=0.0):
    """A FuncAnimation calling ``draw(ax, frame)`` for the chosen frames of
    ``history``.

    ``draw`` returns the frame's caption, for example the log-likelihood of its
    parameters; frame t is titled with t and that caption. Every frame keeps
    the same axis limits, wide enough for all frames (and widened further to
    give both axes one scale when ``aspect`` is "equal"), so the picture does
    not jump. A new frame removes only what the previous one drew
    (``ax.clear()`` would rebuild the ticks too, which doubles the time to
    render a frame). ``headroom`` is added above the highest frame, as a
    fraction of the height, for a legend.
    """
    if len(history) == 0:
        raise ValueError("history must hold at least one frame, got none")
    if aspect not in ("equal", "auto"):
        raise ValueError(f'aspect must be "equal" or "auto", got {aspect!r}')
    figure = Figure(figsize=FIGSIZE, dpi=PLAYER_DPI)
    # fixed: fast to render
    figure.subplots_adjust(left=0.12, right=0.97, bottom=0.12, top=0.92)
    ax = figure.add_subplot()
    on_show = []  # the artists of the frame on show

    def update(t):  # t: index into history, i.e. the iteration
        for artist in on_show:
            artist.remove()
        before = set(ax.get_children())
        caption = draw(ax, history[t])  # e.g. "log-likelihood -512.33"
        on_show[:] = [
            artist for artist in ax.get_children() if artist not in before
        ]
        ax.set_title(f"$t = {t}${' (start)' if t == 0 else ''}    {caption}")

    indices = frame_indices(len(history), max_frames)
    # draw (not render) every frame once: the data limits then hold them all
    for t in indices:
        update(t)
    (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
    y_high += headroom * (y_high - y_low)
    # the box keeps its size; the limits widen to one scale on both axes
    if aspect == "equal":
        box = ax.get_position()
        width, height = (
            box.width * figure.get_figwidth(),
            box.height * figure.get_figheight(),
        )
        # data units per inch
        scale = max((x_high - x_low) / width, (y_high - y_low) / height)
        x_mid, y_mid = (x_low + x_high) / 2, (y_low + y_high) / 2
        x_low, x_high = x_mid - scale * width / 2, x_mid + scale * width / 2
        y_low, y_high = y_mid - scale * height / 2, y_mid + scale * height / 2
    ax.set(xlim=(x_low, x_high), ylim=(y_low, y_high))  # fixed from now on
    # already met: nothing moves when drawn
    ax.set_aspect(aspect, adjustable="datalim")
    return FuncAnimation(
        figure, update, frames=[int(t) for t in indices], interval=interval
    )


def _log_likelihood_caption(value):
    r"""The title's "l(theta^(t)) = value" (mathtext; t is filled in by
    :func:`_play`)."""
    return rf"$\ell(\theta^{{(t)}}) = {value:.2f}$"


def em_player_1d(x, history, *, bins=30, max_frames=MAX_FRAMES, interval=400):
    """Animate EM in 1-D: histogram, components and mixture at each recorded
    iteration (chapter 5).

    Parameters
    ----------
    x : array of shape (n_samples,)
    history : list of (weights, means, variances)
        For example the history of :func:`record_em1d`; frame 0 is the start.
    bins : int, default=30
        Histogram bins.
    max_frames : int, default=30
        At most this many frames are drawn (see :func:`frame_indices`).
    interval : int, default=400
        Milliseconds between frames.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        Show it in a notebook or a built page with :func:`to_html`.
    """
    x = check_array(x, "x", ndim=1)

    def draw(ax, frame):
        weights, means, variances = frame[:3]
        plot_mixture_1d(x, weights, means, variances, ax=ax, bins=bins)
        # in the headroom, off the peaks
        ax.legend(loc="upper center", ncols=3, fontsize="small")
        return _log_likelihood_caption(
            em1d.log_likelihood(x, weights, means, variances)
        )

    return _play(
        history, draw, max_frames=max_frames, interval=interval, headroom=0.3
    )


def em_player_2d(
    X,
    history,
    *,
    covariance_type="full",
    n_std=(1, 2),
    features=(0, 1),
    max_frames=MAX_FRAMES,
    interval=400,
    aspect="equal",
):
    """Animate EM in 2-D: points coloured by responsibilities, and covariance
    ellipses (chapter 6).

    Each frame shows one set of parameters, the responsibilities they give
    (E-step) and their log-likelihood.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    history : list of (weights, means, covariances)
        For example the history of :func:`record_em`; frame 0 is the start.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        The type of the covariances in ``history``.
    n_std : float or sequence of floats, default=(1, 2)
        Ellipses drawn per component (see :func:`plot_ellipses`).
    features : pair of int, default=(0, 1)
        The two features (columns) to draw.
    max_frames : int, default=30
        At most this many frames are drawn (see :func:`frame_indices`).
    interval : int, default=400
        Milliseconds between frames.
    aspect : {"equal", "auto"}, default="equal"
        Equal scales on both axes, so that round clusters look round and tilts
        are true.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        Show it in a notebook or a built page with :func:`to_html`.
    """
    X = check_array(X)
    check_covariance_type(covariance_type)

    def draw(ax, frame):
        weights, means, covariances = frame[:3]
        resp, log_likelihood = em.e_step(
            X, weights, means, covariances, covariance_type
        )
        plot_soft_assignments(X, resp, ax=ax, features=features, aspect=None)
        plot_ellipses(
            means,
            covariances,
            covariance_type,
            n_std,
            ax=ax,
            features=features,
            aspect=None,
        )
        return _log_likelihood_caption(log_likelihood)

    return _play(
        history, draw, max_frames=max_frames, interval=interval, aspect=aspect
    )


def kmeans_player(
    X,
    history,
    *,
    features=(0, 1),
    max_frames=MAX_FRAMES,
    interval=600,
    aspect="equal",
):
    """Animate Lloyd's K-Means: centres and the clusters they induce,
    iteration by iteration.

    Chapter 1. Each frame shows one set of centres, every point coloured by its
    nearest centre (the next assignment step), and the inertia of that
    assignment.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    history : list of arrays of shape (n_clusters, n_features)
        The centres at each iteration, for example from
        :func:`record_kmeans`; frame 0 is the start.
    features : pair of int, default=(0, 1)
        The two features (columns) to draw.
    max_frames : int, default=30
        At most this many frames are drawn (see :func:`frame_indices`).
    interval : int, default=600
        Milliseconds between frames.
    aspect : {"equal", "auto"}, default="equal"
        Equal scales on both axes: K-Means compares distances, which must look
        like distances.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        Show it in a notebook or a built page with :func:`to_html`.
    """
    X = check_array(X)

    def draw(ax, centers):
        # (n, K)
        distances = kmeans.squared_distances(
            X, check_array(centers, "centers")
        )
        labels = distances.argmin(axis=1)  # (n,) nearest centre
        plot_kmeans(X, centers, labels, ax=ax, features=features, aspect=None)
        return f"inertia {distances.min(axis=1).sum():.1f}"

    return _play(
        history, draw, max_frames=max_frames, interval=interval, aspect=aspect
    )


# to_jshtml's buttons are Font Awesome icons whose stylesheet comes from a
# CDN: offline they would be blank. Plain characters need no font file and no
# network, in the book and in Jupyter.
_BUTTON_GLYPHS = {
    "fa fa-minus": "\u2212",
    "fa fa-fast-backward": "\u21e4",
    "fa fa-step-backward": "|\u25c0",
    "fa fa-play fa-flip-horizontal": "\u25c0",
    "fa fa-pause": "\u275a\u275a",
    "fa fa-play": "\u25b6",
    "fa fa-step-forward": "\u25b6|",
    "fa fa-fast-forward": "\u21e5",
    "fa fa-plus": "+",
}
_FONT_AWESOME_LINK = re.compile(
    r'<link rel="stylesheet"\s+href="[^"]*font-awesome[^"]*">'
)
_ICON = re.compile(r'<i class="([^"]+)"></i>')


def _offline_buttons(html):
    """to_jshtml's HTML without the CDN stylesheet, its icons replaced by
    characters."""
    html = _FONT_AWESOME_LINK.sub("", html)
    return _ICON.sub(lambda match: _BUTTON_GLYPHS[match.group(1)], html)


_FRAME = re.compile(r'"data:image/png;base64,([A-Za-z0-9+/=\\\n]*)"')


def _lighter_frames(html):
    """to_jshtml's HTML with every embedded PNG frame reduced to a palette of
    PLAYER_COLORS."""
    from PIL import Image  # a dependency of Matplotlib

    def quantise(match):
        png = base64.b64decode(
            match.group(1).replace("\\\n", "").replace("\n", "")
        )
        image = (
            Image.open(io.BytesIO(png)).convert("RGB").quantize(PLAYER_COLORS)
        )
        out = io.BytesIO()
        image.save(out, format="png", optimize=True)
        return (
            '"data:image/png;base64,'
            f'{base64.b64encode(out.getvalue()).decode("ascii")}"'
        )

    return _FRAME.sub(quantise, html)


# The player fits its column (phones included) and its buttons are large
# enough to tap.
_PLAYER_CSS = (
    "<style>\n"
    ".animation { max-width: 100%; }\n"
    ".animation img { width: 100%; height: auto; }\n"
    ".animation .anim-slider { width: 100%; max-width: 100%; }\n"
    ".animation .anim-buttons { display: flex; flex-wrap: wrap;"
    " justify-content: center; gap: 4px; }\n"
    ".animation .anim-buttons button { min-width: 40px; min-height: 40px;"
    " touch-action: manipulation; }\n"
    "</style>\n"
)


def _player_attributes(html, width, alt):
    """The player's frame sized to ``width`` CSS pixels (at most the column)
    and described."""
    label = "" if alt is None else f' role="group" aria-label="{escape(alt)}"'
    html = html.replace(
        '<div class="animation">',
        f'<div class="animation" style="width: {width}px"{label}>',
        1,
    )
    alt_text = "" if alt is None else f' alt="{escape(alt)}"'
    return re.sub(
        r'<img id="(_anim_img\w+)">',
        rf'<img id="\1"{alt_text}>',
        html,
        count=1,
    )


def to_html(anim, alt=None):
    """The animation as HTML with a slider and play buttons that work without
    a kernel.

    Embeds every frame as a PNG (``FuncAnimation.to_jshtml``, playing once;
    its buttons drawn with plain characters, so nothing is fetched from another
    host), each frame reduced to a palette of ``PLAYER_COLORS`` colours, and
    closes the animation's figure so that no static copy is shown as well. The
    player is FIGSIZE * PLAYER_CSS_DPI CSS pixels wide, or as wide as its
    column if that is narrower.

    Parameters
    ----------
    anim : matplotlib.animation.Animation
        For example from :func:`em_player_1d`, :func:`em_player_2d` or
        :func:`kmeans_player`.
    alt : str, optional
        One sentence saying what the player shows: the frame's alternative
        text and the player's label for screen readers. The book's build fills
        it in from the cell's ``mystnb.image.alt`` metadata when it is not
        given here.

    Returns
    -------
    IPython.display.HTML
        Displayed by Jupyter and by the book's build; its ``.data`` is the
        HTML text.
    """
    from IPython.display import HTML  # only needed where there is a notebook

    if not isinstance(anim, Animation):
        raise TypeError(
            f"anim must be a matplotlib Animation, got {type(anim).__name__}"
        )
    if alt is not None and (not isinstance(alt, str) or not alt.strip()):
        raise ValueError(
            f"alt must be a sentence (a non-empty str) or None, got {alt!r}"
        )
    html = _offline_buttons(anim.to_jshtml(default_mode="once"))
    width = round(anim._fig.get_figwidth() * PLAYER_CSS_DPI)
    html = _PLAYER_CSS + _player_attributes(_lighter_frames(html), width, alt)
    # no effect on the players' own figures; closes a pyplot one
    plt.close(anim._fig)
    return HTML(html)
