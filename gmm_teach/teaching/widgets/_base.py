"""What the classroom widgets share: a Matplotlib figure shown as a PNG with
a status line, the pieces they draw, their sliders and their runs of EM.

:class:`_FigureWidget` is the base of every widget (chapters 5 to 7): it keeps
one figure that pyplot does not manage and shows it in an ``ipywidgets.Image``.
The pieces update their artists in place: :class:`_Curves1D` (a 1-D mixture),
:class:`_Ellipses` (2-D components), :class:`_LogLikelihoodCurve`.
:func:`_run_em` runs EM for a widget and says in words what stopped it.
"""

import io
import warnings
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from gmm_teach import covariance, em1d
from gmm_teach._validation import check_positive_int, check_samples
from gmm_teach.exceptions import ConvergenceWarning
from gmm_teach.teaching import plotting

MAX_COMPONENTS = 6
FIGURE_DPI = 72
SLIDER_STEPS = 200  # positions along each slider
SLIDER_LAYOUT = {"width": "250px"}
SLIDER_STYLE = {"description_width": "55px"}
# chapter 6's tolerance and the lesson plan's demo; tighter than the default
# 1e-3 of em.em and scikit-learn, so a widget may run longer than a chapter
TOL = 1e-4


# --------------------------------------------------------------- shared pieces


def _padded(values, pad=0.1):
    """(low, high) of the values, widened by ``pad`` times their range on each
    side.
    """
    low, high = float(np.min(values)), float(np.max(values))
    margin = pad * ((high - low) or 1.0)
    return low - margin, high + margin


def _check_n_components(n_components, X, maximum=MAX_COMPONENTS):
    """K as an int in [1, maximum], and no more than the number of samples of
    X.
    """
    n_components = check_positive_int(n_components, "n_components")
    if n_components > maximum:
        raise ValueError(
            f"n_components must be at most {maximum} here, got {n_components}"
        )
    check_samples(X, n_components)
    return n_components


def _covariances_like(matrix, n_components, covariance_type):
    """One (d, d) matrix as the covariances of every component, in the shape of
    the type.
    """
    full = np.tile(matrix, (n_components, 1, 1))  # (K, d, d)
    return covariance.get(covariance_type).from_full(
        full, np.ones(n_components)
    )


def _mean_variance(covariances, covariance_type):
    """The average variance along the axes, over all components (a number)."""
    if covariance.get(covariance_type).stores_matrices:
        return float(np.diagonal(covariances, axis1=-2, axis2=-1).mean())
    return float(np.mean(covariances))


def _run_em(fit, start):
    """(EMResult, note) of EM from ``start``, or (None, why it failed).

    ``fit`` is a partial of :func:`gmm_teach.em.em` or
    :func:`gmm_teach.em1d.em` holding ``max_iter`` and ``tol``; the note says
    what stopped the run, for the status line (a run that stops at ``max_iter``
    gives that note instead of a warning).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            result = fit(*start)
        except ValueError as error:
            # e.g. a component collapsed onto one point
            return None, f"EM stopped: {error}"
    return result, _stop_reason(
        result, fit.keywords["max_iter"], fit.keywords["tol"]
    )


def _stop_reason(result, max_iter, tol):
    """What ended an EM run, in words: the tolerance test, or the iteration
    limit.
    """
    if result.converged:
        return (
            "converged: the mean log-likelihood changed by less than "
            f"tol = {tol:g}"
        )
    return (
        f"not converged: max_iter = {max_iter} reached (the log-likelihood "
        f"was still changing by more than tol = {tol:g})"
    )


def _slider(description, value, low, high, observer):
    """A float slider that reports only when released, clipping ``value`` into
    its range.
    """
    slider = widgets.FloatSlider(
        value=float(np.clip(value, low, high)),
        min=low,
        max=high,
        step=(high - low) / SLIDER_STEPS,
        description=description,
        continuous_update=False,
        readout_format=".2f",
        layout=SLIDER_LAYOUT,
        style=SLIDER_STYLE,
    )
    slider.observe(observer, names="value")
    return slider


def _swatch(k):
    """A label in component k's colour."""
    color = plotting.COMPONENT_COLORS[k % len(plotting.COMPONENT_COLORS)]
    return widgets.HTML(
        f'<span style="color:{color}; font-size:1.3em">&#9632;</span> {k + 1}',
        layout={"width": "40px"},
    )


def _title(ax, text):
    """Set a title at a fixed height (Matplotlib then skips placing it around
    the tick labels).
    """
    ax.set_title(text, y=1.0, fontsize="medium")


def _format(values):
    return "(" + ", ".join(f"{v:.2f}" for v in values) + ")"


def _histogram(ax, x, xlim, below=0.0):
    """The density histogram of x on fixed limits, without y tick labels;
    returns its top.

    ``below`` leaves that fraction of the height free under the axis (for a
    rug of points). Density values are not read off these panels, and
    their tick labels would double the time to draw the figure.
    """
    heights, _, _ = ax.hist(
        x,
        bins=30,
        density=True,
        histtype="stepfilled",
        color=plotting.DATA_COLOR,
    )
    top = 1.6 * heights.max()
    ax.set(
        xlim=xlim,
        ylim=(-below * top, top),
        yticks=[],
        xlabel="x",
        ylabel="density",
    )
    ax.set_autoscale_on(False)
    return top


class _Curves1D:
    """The weighted densities pi_k N(x | mu_k, sigma_k^2), their sum and the
    means, on one Axes.

    A triangle on the x-axis marks each mean: a component with a tiny variance
    is a spike narrower than the grid of the curves.
    """

    def __init__(self, ax, grid):
        self.ax, self.grid, self.lines = ax, grid, []
        self.markers = ax.scatter(
            [],
            [],
            marker="^",
            s=60,
            zorder=3,
            clip_on=False,
            edgecolors="white",
            linewidths=0.5,
        )

    def update(self, weights, means, variances):
        densities = weights * em1d.normal_pdf(
            self.grid[:, np.newaxis], means, variances
        )  # (G, K)
        if len(self.lines) != len(weights) + 1:
            self._make_lines(len(weights))
        for line, density in zip(
            self.lines, [*densities.T, densities.sum(axis=1)], strict=True
        ):
            line.set_ydata(density)
        self.markers.set_offsets(np.c_[means, np.zeros_like(means)])  # (K, 2)

    def _make_lines(self, n_components):
        for line in self.lines:
            line.remove()
        zeros = np.zeros_like(self.grid)
        colors = plotting.component_colors(n_components)  # (K, 3)
        self.lines = [
            self.ax.plot(self.grid, zeros, color=color, linewidth=1.5)[0]
            for color in colors
        ]
        self.lines.append(
            self.ax.plot(
                self.grid, zeros, color=plotting.MIXTURE_COLOR, linewidth=2
            )[0]
        )
        self.markers.set_facecolor(colors)


class _Ellipses:
    """Each component's mean and 1- and 2-sigma ellipses on one Axes, redrawn
    on update.
    """

    def __init__(self, ax, covariance_type):
        self.ax, self.covariance_type, self.artists = ax, covariance_type, []

    def update(self, means, covariances):
        for artist in self.artists:
            artist.remove()
        before = set(self.ax.get_children())
        plotting.plot_ellipses(
            means, covariances, self.covariance_type, n_std=(1, 2), ax=self.ax
        )
        self.artists = [
            artist for artist in self.ax.get_children() if artist not in before
        ]


class _LogLikelihoodCurve:
    """The log-likelihood per iteration, one line updated in place
    (chapter 4).
    """

    def __init__(self, ax):
        plotting.plot_log_likelihood(np.zeros(1), ax=ax)
        self.ax, self.line = ax, ax.lines[-1]

    def update(self, iterations, values):
        self.line.set_data(iterations, values)
        if len(values):
            self.ax.set_xlim(
                iterations[0] - 0.5,
                max(iterations[-1], iterations[0] + 1) + 0.5,
            )
            self.ax.set_ylim(*_log_likelihood_limits(np.asarray(values)))

    def set_title(self, title):
        _title(self.ax, title)


def _log_likelihood_limits(values):
    """y-limits that show the climb of EM: a start far below the rest is left
    off the chart.

    Tiny initial variances ("random_from_data", "k-means++") give a start whose
    log-likelihood is orders of magnitude below the rest; including it would
    flatten the curve to a step.
    """
    rest = values[1:] if len(values) > 2 else values
    low, high = rest.min(), rest.max()
    span = (high - low) or 1.0
    if values[0] >= low - 10 * span:
        low = min(low, values[0])
    # at least 1: no tick labels with three decimals
    margin = max(0.08 * (high - low), 1.0)
    return low - margin, high + margin


class _FigureWidget:
    """A Matplotlib figure shown as a PNG in an ``ipywidgets.Image``, with a
    status line.
    """

    def __init__(self, n_axes, width):
        self.figure = Figure(figsize=(width, 3.3), dpi=FIGURE_DPI)
        # draws without pyplot, so no stray inline copy appears
        FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(1, n_axes, squeeze=False)[0]
        self.figure.subplots_adjust(
            left=0.07, right=0.98, bottom=0.16, top=0.88, wspace=0.3
        )
        self.image = widgets.Image(format="png")
        self.status = widgets.HTML()
        self._quiet = False

    def _render(self):
        buffer = io.BytesIO()
        self.figure.savefig(
            buffer, format="png", pil_kwargs={"compress_level": 1}
        )  # speed over size
        self.image.value = buffer.getvalue()

    @contextmanager
    def _holding(self):
        """Set controls from code without their observers re-running EM."""
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
