"""Players: runs of EM and K-Means recorded iteration by iteration, and
animated frame by frame.

:func:`record_em` (chapter 6), :func:`record_em1d` (chapter 5) and
:func:`record_kmeans` (chapter 1) run the algorithm and keep the parameters of
every iteration; :func:`em_player_1d` (chapter 5), :func:`em_player_2d`
(chapter 6) and :func:`kmeans_player` (chapter 1) draw them, frame by frame,
with the figures of ``figures_1d`` and ``figures_2d``. ``player_html`` turns a
player into a page's slider and buttons.
"""

from typing import NamedTuple

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.figure import Figure

from gmm_teach import em, em1d, kmeans
from gmm_teach._validation import (
    check_array,
    check_covariance_type,
    check_positive_int,
    check_random_state,
    check_samples,
)
from gmm_teach.teaching.plotting.figures_1d import plot_mixture_1d
from gmm_teach.teaching.plotting.figures_2d import (
    plot_ellipses,
    plot_kmeans,
    plot_soft_assignments,
)
from gmm_teach.teaching.plotting.style import FIGSIZE, MAX_FRAMES, PLAYER_DPI

# -----------------------------------------------------------------------------
# Recording runs


class EMFrame(NamedTuple):
    """The parameters of a mixture at one iteration of EM (frame 0: the start).

    Parameters
    ----------
    weights : ndarray of shape (n_components,)
        The mixing weights pi_k.
    means : ndarray of shape (n_components, n_features)
        The means mu_k; shape (n_components,) in 1-D.
    covariances : ndarray
        The covariances Sigma_k, shaped by ``covariance_type``; in 1-D the
        variances, shape (n_components,).
    """

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
    """Run EM and keep the parameters of every iteration (chapter 6).

    The run is that of :func:`gmm_teach.em.em`, with the same result; the
    history is what :func:`em_player_2d` animates.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data, as for :func:`gmm_teach.em.em`.
    weights : array-like of shape (n_components,)
        The starting mixing weights.
    means : array-like of shape (n_components, n_features)
        The starting means.
    covariances : array-like
        The starting covariances, shaped by ``covariance_type``.
    **em_kwargs : dict
        Passed to :func:`gmm_teach.em.em` (``covariance_type``, ``max_iter``,
        ``tol``, ...).

    Returns
    -------
    result : gmm_teach.em.EMResult
        The outcome of the run.
    history : list of EMFrame
        ``history[0]`` is the start, ``history[t]`` the parameters after
        iteration t.
    """
    return _record(em.em, X, (weights, means, covariances), em_kwargs)


def record_em1d(x, weights, means, variances, **em_kwargs):
    """Run 1-D EM and keep the parameters of every iteration (chapter 5).

    The run is that of :func:`gmm_teach.em1d.em`, with the same result; the
    history is what :func:`em_player_1d` animates.

    Parameters
    ----------
    x : array-like of shape (n_samples,)
        The data, as for :func:`gmm_teach.em1d.em`.
    weights : array-like of shape (n_components,)
        The starting mixing weights.
    means : array-like of shape (n_components,)
        The starting means.
    variances : array-like of shape (n_components,)
        The starting variances.
    **em_kwargs : dict
        Passed to :func:`gmm_teach.em1d.em` (``max_iter``, ``tol``).

    Returns
    -------
    result : gmm_teach.em.EMResult
        The outcome of the run; its ``covariances`` are the variances.
    history : list of EMFrame
        ``history[0]`` is the start, ``history[t]`` the parameters after
        iteration t; ``covariances`` hold the variances.
    """
    return _record(em1d.em, x, (weights, means, variances), em_kwargs)


def record_kmeans(
    X, n_clusters, *, init="k-means++", random_state=None, **kmeans_kwargs
):
    """Run K-Means and keep the centres of every iteration (chapter 1).

    The run is that of :func:`gmm_teach.kmeans.kmeans`: the result is that of
    ``kmeans.kmeans(X, n_clusters, init=init, random_state=random_state,
    **kmeans_kwargs)``; the history is what :func:`kmeans_player` animates.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data.
    n_clusters : int
        The number of clusters K.
    init : {"k-means++", "random"} or array-like of shape \
            (n_clusters, n_features), default="k-means++"
        The k-means++ seeds, K distinct random samples, or given centres.
    random_state : None, int or numpy.random.Generator, default=None
        Where the random draws of ``init`` come from: a seed, or a Generator.
    **kmeans_kwargs : dict
        Passed to :func:`gmm_teach.kmeans.kmeans` (``max_iter``, ``tol``).

    Returns
    -------
    result : gmm_teach.kmeans.KMeansResult
        The outcome of the run.
    history : list of ndarray of shape (n_clusters, n_features)
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
    """Return the recorded frames that a player shows.

    All of them if there are at most ``max_frames``; otherwise, since EM
    moves most in its first iterations, about half of the frames show
    iterations 0, 1, 2, ... one by one and the others spread evenly over the
    rest, always ending on the last.

    Parameters
    ----------
    n_frames : int
        Number of recorded frames.
    max_frames : int, default=30
        The most frames to show, at least 2.

    Returns
    -------
    indices : ndarray of shape (min(n_frames, max_frames),)
        The indices of the frames shown, increasing integers from 0 to
        n_frames - 1.
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
    """Animate EM in 1-D, one frame per recorded iteration (chapter 5).

    Each frame shows the histogram of ``x`` with each weighted component and
    the mixture of that iteration's parameters (as :func:`plot_mixture_1d`),
    titled with t and l(theta^(t)). The axis limits are those of all frames,
    so the picture does not jump.

    Parameters
    ----------
    x : array-like of shape (n_samples,)
        The data.
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
    anim : matplotlib.animation.FuncAnimation
        The animation, on a figure that pyplot does not manage; show it in a
        notebook or a built page with :func:`to_html`.
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
    """Animate EM in 2-D: responsibilities and covariance ellipses (chapter 6).

    Each frame shows one set of parameters: the points coloured by the
    responsibilities they give (E-step, as :func:`plot_soft_assignments`),
    each component's ellipses (as :func:`plot_ellipses`), and a title with t
    and their log-likelihood l(theta^(t)). The axis limits are those of all
    frames, so the picture does not jump.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data.
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
    anim : matplotlib.animation.FuncAnimation
        The animation, on a figure that pyplot does not manage; show it in a
        notebook or a built page with :func:`to_html`.
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
    """Animate Lloyd's K-Means, iteration by iteration (chapter 1).

    Each frame shows one set of centres (as :func:`plot_kmeans`), every point
    coloured by its nearest centre (the next assignment step), and a title
    with t and the inertia of that assignment. The axis limits are those of
    all frames, so the picture does not jump.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data.
    history : list of array-like of shape (n_clusters, n_features)
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
    anim : matplotlib.animation.FuncAnimation
        The animation, on a figure that pyplot does not manage; show it in a
        notebook or a built page with :func:`to_html`.
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
