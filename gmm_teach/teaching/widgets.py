"""Classroom widgets: move the start of EM with sliders, or run EM one step at
a time.

- :class:`InitExplorer1D` (chapters 5 and 7): sliders for each component's
  initial mean, standard deviation and weight, a K selector and an
  initialisation method with its seed; every change re-runs EM from that start
  and redraws the start, the fit and the log-likelihood curve.
- :class:`InitExplorer2D` (chapters 6 and 7): the same for 2-D data, with
  sliders for the initial means and one spread (initial covariances
  spread^2 I).
- :class:`StepByStepEM` (chapters 5 and 6): buttons "E-step", "M-step", "Run to
  convergence" and "Reset", for 1-D or 2-D data.

In Jupyter, make one the last expression of a cell (or ``display`` it) and move
its controls. Widgets need a running kernel: the static HTML book shows the
pre-computed players of :mod:`gmm_teach.teaching.plotting` instead.

Each widget keeps one Matplotlib figure that pyplot does not manage, updates
its artists on every change and shows the figure as a PNG in an
``ipywidgets.Image`` (no flicker, any backend). The model's state (the start,
the result of EM) and the controls are attributes, so code and tests can read
the state and move the controls as a user would.
"""

import functools
import io
import warnings
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from gmm_teach import covariance, em, em1d, init, kmeans
from gmm_teach._validation import (
    check_array,
    check_choice,
    check_covariance_type,
    check_positive_int,
    check_samples,
)
from gmm_teach.exceptions import ConvergenceWarning
from gmm_teach.teaching import plotting

METHODS = (
    "manual",
) + init.METHODS  # "manual": the start the sliders describe
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


# --------------------------------------------------------------- the explorers


class _Explorer(_FigureWidget):
    """What both initialisation explorers share: K, the method and its seed,
    the update cycle.

    The figure has three panels: the start, the fit and the log-likelihood per
    iteration. A subclass draws the data on the first two and then calls
    :meth:`_start_up`; it provides ``_fit``, ``_make_component_sliders(K)``,
    ``_manual_start()``, ``_method_start(K, method, seed)``,
    ``_show_on_sliders(weights, means, covariances)``, and ``_draw_start()``,
    which returns the start's log-likelihood, and ``_draw_fit(result)``.
    """

    def __init__(self, n_components, random_state, method, X):
        super().__init__(n_axes=3, width=10.5)
        n_components = _check_n_components(n_components, X)
        check_choice(method, "method", METHODS)
        seed = check_positive_int(random_state, "random_state", minimum=0)
        self.n_components_slider = widgets.IntSlider(
            value=n_components,
            min=1,
            max=min(MAX_COMPONENTS, len(X)),
            description="K",
            continuous_update=False,
            style=SLIDER_STYLE,
        )
        self.method_dropdown = widgets.Dropdown(
            options=METHODS,
            value=method,
            description="start",
            style=SLIDER_STYLE,
            layout={"width": "230px"},
        )
        self.seed_text = widgets.BoundedIntText(
            value=seed,
            min=0,
            max=2**31 - 1,
            description="seed",
            style=SLIDER_STYLE,
            layout={"width": "150px"},
        )
        self.components_box = widgets.VBox()
        self.n_components_slider.observe(self._on_n_components, names="value")
        self.method_dropdown.observe(self._on_method, names="value")
        self.seed_text.observe(self._on_method, names="value")
        self.widget = widgets.VBox(
            [
                widgets.HBox(
                    [
                        self.n_components_slider,
                        self.method_dropdown,
                        self.seed_text,
                    ]
                ),
                self.components_box,
                self.image,
                self.status,
            ]
        )
        self._log_likelihood_curve = _LogLikelihoodCurve(self.axes[2])
        self._log_likelihood_curve.set_title("log-likelihood per iteration")
        self.axes[2].set_xlabel("iteration (M-steps done)")

    def _start_up(self):
        self._make_component_sliders(self.n_components_slider.value)
        self.update()

    @property
    def weights(self):
        """The starting weights EM ran from, shape (K,), summing to one."""
        return self.start[0]

    @property
    def means(self):
        """The starting means EM ran from."""
        return self.start[1]

    def update(self):
        """Re-run EM from the start the controls describe, and redraw."""
        if self.method_dropdown.value == "manual":
            self.start = self._manual_start()
        else:
            self.start = self._method_start(
                self.n_components_slider.value,
                self.method_dropdown.value,
                self.seed_text.value,
            )
            with self._holding():
                self._show_on_sliders(*self.start)
        self.result, note = _run_em(self._fit, self.start)
        self._draw(note)
        self._render()

    def _on_n_components(self, change):
        self._make_component_sliders(change["new"])
        self.update()

    def _on_method(self, change):
        if not self._quiet:
            self.update()

    def _on_start_slider(self, change):
        if self._quiet:
            return
        if self.method_dropdown.value != "manual":
            # moving a start slider means "my own start"
            with self._holding():
                self.method_dropdown.value = "manual"
        self.update()

    def _draw(self, note):
        """Redraw the three panels and write the status line (``note`` says how
        EM ended).
        """
        _title(self.axes[0], f"start: log-likelihood {self._draw_start():.1f}")
        start = (
            f"<b>start</b> {self.method_dropdown.value}, weights "
            f"{_format(self.weights)}"
        )
        if self.result is None:
            self.final_log_likelihood = None
            _title(self.axes[1], "EM failed (see below)")
            self.status.value = f"{start} &middot; <b>{note}</b>"
            return
        self._draw_fit(self.result)
        self.final_log_likelihood = self.result.final_log_likelihood
        _title(self.axes[1], f"after EM: {self.result.n_iter} iterations")
        # l(theta^(t)) at t = 0 .. T - 1, then the returned parameters' at t
        # = T
        lls = [*self.result.log_likelihoods, self.final_log_likelihood]
        self._log_likelihood_curve.update(np.arange(len(lls)), lls)
        self.status.value = (
            f"{start} &middot; <b>after EM</b>: final log-likelihood "
            f"{self.final_log_likelihood:.2f} after {self.result.n_iter} "
            f"iterations &middot; {note}"
        )


class InitExplorer1D(_Explorer):
    """Sliders for the start of EM on 1-D data; every change re-runs EM and
    redraws (chapters 5, 7).

    The figure shows the start (each weighted component and the mixture over
    the histogram), the result of EM from that start, and the log-likelihood at
    each iteration; the status line gives the final log-likelihood and the
    number of iterations. Moving a start slider switches the method to
    "manual"; choosing a method moves the sliders to its start.

    Parameters
    ----------
    x : array of shape (n_samples,)
    n_components : int, default 3
        The starting number of components K (the selector offers 1 to 6).
    random_state : int, default 0
        The starting seed of the initialisation methods.
    max_iter : int, default 100
    tol : float, default 1e-4
        As in :func:`gmm_teach.em1d.em`.
    method : {"manual", "random", "random_from_data", "kmeans", "k-means++"}
        Default "manual". "manual" starts from the sliders; the others from
        :func:`gmm_teach.init.initial_parameters`.

    Attributes
    ----------
    n_components_slider, method_dropdown, seed_text : ipywidgets controls
    mean_sliders, std_sliders, weight_sliders
        Lists of ipywidgets.FloatSlider, one per component.
    start : tuple (weights, means, variances)
        The start EM ran from (``weights``, ``means``, ``variances`` too),
        weights renormalised.
    result : gmm_teach.em.EMResult or None
        EM from that start (None when EM failed; the status line says why).
    final_log_likelihood : float or None
        The log-likelihood of the fitted parameters.
    widget : ipywidgets.VBox
        What Jupyter displays.
    """

    def __init__(
        self,
        x,
        n_components=3,
        random_state=0,
        max_iter=100,
        *,
        tol=TOL,
        method="manual",
    ):
        self.x = check_array(x, "x", ndim=1)
        max_iter, tol = em.check_loop_options(max_iter, tol)
        self._fit = functools.partial(
            em1d.em, self.x, max_iter=max_iter, tol=tol
        )
        super().__init__(
            n_components, random_state, method, self.x[:, np.newaxis]
        )
        low, high = _padded(self.x)
        self._mean_range, self._std_range = (
            (low, high),
            ((high - low) / SLIDER_STEPS, (high - low) / 2),
        )
        grid = np.linspace(low, high, 300)
        for ax in self.axes[:2]:
            _histogram(ax, self.x, (low, high))
        self._start_curves, self._fit_curves = (
            _Curves1D(ax, grid) for ax in self.axes[:2]
        )
        self._start_up()

    @property
    def variances(self):
        """The starting variances sigma_k^2 EM ran from, shape (K,)."""
        return self.start[2]

    def _make_component_sliders(self, n_components):
        means = np.quantile(
            self.x, (np.arange(n_components) + 0.5) / n_components
        )  # spread out
        std = self.x.std() / n_components
        observe = self._on_start_slider
        self.mean_sliders = [
            _slider("mean", m, *self._mean_range, observe) for m in means
        ]
        self.std_sliders = [
            _slider("std", std, *self._std_range, observe) for _ in means
        ]
        self.weight_sliders = [
            _slider("weight", 1 / n_components, 0.01, 1.0, observe)
            for _ in means
        ]
        self.components_box.children = [
            widgets.HBox([_swatch(k), *sliders])
            for k, sliders in enumerate(
                zip(
                    self.mean_sliders,
                    self.std_sliders,
                    self.weight_sliders,
                    strict=True,
                )
            )
        ]

    def _manual_start(self):
        weights = np.array([s.value for s in self.weight_sliders])  # (K,)
        means = np.array([s.value for s in self.mean_sliders])  # (K,)
        stds = np.array([s.value for s in self.std_sliders])  # (K,)
        return weights / weights.sum(), means, stds**2

    def _method_start(self, n_components, method, seed):
        weights, means, variances = init.initial_parameters(
            self.x,
            n_components,
            method,
            covariance_type="spherical",
            random_state=seed,
        )
        # one feature: (K, 1) means, (K,) variances
        return weights, means[:, 0], variances

    def _show_on_sliders(self, weights, means, variances):
        for sliders, values in (
            (self.mean_sliders, means),
            (self.std_sliders, np.sqrt(variances)),
            (self.weight_sliders, weights),
        ):
            for slider, value in zip(sliders, values, strict=True):
                slider.value = float(np.clip(value, slider.min, slider.max))

    def _draw_start(self):
        self._start_curves.update(*self.start)
        return em1d.log_likelihood(self.x, *self.start)

    def _draw_fit(self, result):
        self._fit_curves.update(
            result.weights, result.means, result.covariances
        )


class InitExplorer2D(_Explorer):
    """Sliders for the start of EM on 2-D data; every change re-runs EM and
    redraws (chapters 6, 7).

    Sliders set each component's initial mean (x, y) and one spread: the
    initial covariances are spread^2 I, the weights equal. The figure shows the
    start (ellipses over the points), the result of EM (points coloured by
    their responsibilities, fitted ellipses) and the log-likelihood at each
    iteration; the status line gives the final log-likelihood and the number of
    iterations. Moving a start slider switches the method to "manual"; choosing
    a method moves the sliders to its start (and EM starts from the method's
    own covariances).

    Parameters
    ----------
    X : array of shape (n_samples, 2)
    n_components : int, default 3
        The starting number of components K (the selector offers 1 to 6).
    random_state : int, default 0
        The starting seed of the initialisation methods.
    max_iter : int, default 100
    tol : float, default 1e-4
    covariance_type : {"full", "tied", "diag", "spherical"}, default "full"
    method : {"manual", "random", "random_from_data", "kmeans", "k-means++"}
        Default "manual".

    Attributes
    ----------
    n_components_slider, method_dropdown, seed_text, spread_slider
        ipywidgets controls.
    x_sliders, y_sliders : lists of ipywidgets.FloatSlider
        The initial mean of each component.
    start : tuple (weights, means, covariances)
        The start EM ran from (``weights``, ``means``, ``covariances`` too).
    result : gmm_teach.em.EMResult or None
    final_log_likelihood : float or None
    widget : ipywidgets.VBox
    """

    def __init__(
        self,
        X,
        n_components=3,
        random_state=0,
        max_iter=100,
        *,
        tol=TOL,
        covariance_type="full",
        method="manual",
    ):
        self.X = check_array(X)
        if self.X.shape[1] != 2:
            raise ValueError(
                "X must have 2 features for InitExplorer2D, got "
                f"{self.X.shape[1]}"
            )
        self.covariance_type = check_covariance_type(covariance_type)
        max_iter, tol = em.check_loop_options(max_iter, tol)
        self._fit = functools.partial(
            em.em,
            self.X,
            covariance_type=covariance_type,
            max_iter=max_iter,
            tol=tol,
        )
        super().__init__(n_components, random_state, method, self.X)
        # [(low, high)] for x and y
        self._ranges = [_padded(column) for column in self.X.T]
        size = max(high - low for low, high in self._ranges)
        self.spread_slider = _slider(
            "spread",
            self.X.std(axis=0).mean() / 2,
            size / SLIDER_STEPS,
            size / 2,
            self._on_start_slider,
        )
        self.widget.children[0].children += (self.spread_slider,)
        ax_start, ax_fit, _ = self.axes
        for ax in (ax_start, ax_fit):
            ax.set(xlim=self._ranges[0], ylim=self._ranges[1], aspect="equal")
            ax.set_autoscale_on(False)
        # the same limits as the start panel
        ax_fit.tick_params(labelleft=False)
        ax_start.scatter(
            *self.X.T, s=8, color=plotting.DATA_COLOR, linewidths=0
        )
        self._points = ax_fit.scatter(
            *self.X.T, s=8, color=plotting.DATA_COLOR, linewidths=0
        )
        self._start_ellipses = _Ellipses(ax_start, covariance_type)
        self._fit_ellipses = _Ellipses(ax_fit, covariance_type)
        self._start_up()

    @property
    def covariances(self):
        """The starting covariances EM ran from, shaped by
        ``covariance_type``.
        """
        return self.start[2]

    def _make_component_sliders(self, n_components):
        angles = 2 * np.pi * np.arange(n_components) / n_components
        ring = (
            self.X.mean(axis=0)
            + self.X.std(axis=0) * np.c_[np.cos(angles), np.sin(angles)]
        )  # (K, 2)
        observe = self._on_start_slider
        self.x_sliders = [
            _slider("mean x", value, *self._ranges[0], observe)
            for value in ring[:, 0]
        ]
        self.y_sliders = [
            _slider("mean y", value, *self._ranges[1], observe)
            for value in ring[:, 1]
        ]
        self.components_box.children = [
            widgets.HBox([_swatch(k), *sliders])
            for k, sliders in enumerate(
                zip(self.x_sliders, self.y_sliders, strict=True)
            )
        ]

    def _manual_start(self):
        n_components = len(self.x_sliders)
        means = np.array(
            [
                [sx.value, sy.value]
                for sx, sy in zip(self.x_sliders, self.y_sliders, strict=True)
            ]
        )  # (K, 2)
        covariances = _covariances_like(
            self.spread_slider.value**2 * np.eye(2),
            n_components,
            self.covariance_type,
        )
        return np.full(n_components, 1 / n_components), means, covariances

    def _method_start(self, n_components, method, seed):
        return init.initial_parameters(
            self.X,
            n_components,
            method,
            covariance_type=self.covariance_type,
            random_state=seed,
        )

    def _show_on_sliders(self, weights, means, covariances):
        for slider, value in [
            *zip(self.x_sliders, means[:, 0], strict=True),
            *zip(self.y_sliders, means[:, 1], strict=True),
            (
                self.spread_slider,
                np.sqrt(_mean_variance(covariances, self.covariance_type)),
            ),
        ]:
            slider.value = float(np.clip(value, slider.min, slider.max))

    def _draw_start(self):
        self._start_ellipses.update(*self.start[1:])
        return em.log_likelihood(self.X, *self.start, self.covariance_type)

    def _draw_fit(self, result):
        self._fit_ellipses.update(result.means, result.covariances)
        self._points.set_facecolor(
            plotting.soft_assignment_colors(result.responsibilities)
        )


# ---------------------------------------------------------------- step by step


def _broad_start(X, n_components, covariance_type, random_state):
    """k-means++ seeds as means, each with the covariance of all the data,
    equal weights.

    A start that is easy to see: the means are spread over the data
    (chapter 1's seeding), and every component begins as wide as the whole data
    set, so EM visibly has to shrink them.
    """
    # (K, d)
    means = kmeans.kmeans_plusplus(X, n_components, random_state=random_state)
    spread = np.atleast_2d(np.cov(X, rowvar=False, bias=True))  # (d, d)
    return (
        np.full(n_components, 1 / n_components),
        means,
        _covariances_like(spread, n_components, covariance_type),
    )


class StepByStepEM(_FigureWidget):
    """EM one step at a time, with buttons (chapters 5 and 6), for 1-D or 2-D
    data.

    "E-step" colours every point by its responsibilities (a blend of the
    component colours); "M-step" moves the components to the weighted means and
    covariances of those colours (it is disabled until an E-step has run, and
    again after it until the next E-step); "Run to convergence" runs EM from
    the current parameters; "Reset" goes back to the start. The status line and
    the right panel give the iteration (the number of M-steps so far) and the
    log-likelihood of the current parameters.

    Parameters
    ----------
    X : array of shape (n_samples,), (n_samples, 1) or (n_samples, 2)
        1-D data run through :mod:`gmm_teach.em1d` (the covariances are
        variances), 2-D data through :mod:`gmm_teach.em`.
    n_components : int, default 3
    random_state : int, default 0
        Seed of the start.
    covariance_type : {"full", "tied", "diag", "spherical"}, default "full"
        For 2-D data.
    start : None, str or tuple, default None
        None: k-means++ seeds as means, each with the covariance of all the
        data, equal weights. A method of
        :func:`gmm_teach.init.initial_parameters`, or a tuple (weights, means,
        covariances) to start from.
    max_iter : int, default 100
    tol : float, default 1e-4
        For "Run to convergence".

    Attributes
    ----------
    e_step_button, m_step_button, run_button, reset_button : ipywidgets.Button
    weights, means, covariances : arrays
        The current parameters (in 1-D, covariances are the variances, shape
        (K,)).
    resp : array of shape (n_samples, n_components) or None
        The responsibilities of the last E-step (None after a reset).
    iteration : int
        The number of M-steps taken since the start.
    log_likelihoods : list of float
        The log-likelihood of the start and after each iteration,
        ``log_likelihoods[t]`` at iteration t.
    widget : ipywidgets.VBox
    """

    def __init__(
        self,
        X,
        n_components=3,
        random_state=0,
        covariance_type="full",
        *,
        start=None,
        max_iter=100,
        tol=TOL,
    ):
        self.X = check_array(X)
        if self.X.shape[1] > 2:
            raise ValueError(
                "X must have 1 or 2 features for StepByStepEM, got "
                f"{self.X.shape[1]}"
            )
        n_components = _check_n_components(
            n_components, self.X, maximum=len(plotting.COMPONENT_COLORS)
        )
        self.covariance_type = check_covariance_type(covariance_type)
        max_iter, tol = em.check_loop_options(max_iter, tol)
        self._one_d = self.X.shape[1] == 1
        self._set_steps(max_iter, tol)
        self.start = self._starting_parameters(
            start, n_components, random_state
        )
        super().__init__(n_axes=2, width=9)
        self.figure.subplots_adjust(wspace=0.35)
        self.e_step_button = widgets.Button(
            description="E-step", tooltip="compute the responsibilities"
        )
        self.m_step_button = widgets.Button(
            description="M-step", tooltip="move the components"
        )
        self.run_button = widgets.Button(
            description="Run to convergence", layout={"width": "160px"}
        )
        self.reset_button = widgets.Button(
            description="Reset", tooltip="back to the start"
        )
        for button, action in (
            (self.e_step_button, self.e_step),
            (self.m_step_button, self.m_step),
            (self.run_button, self.run),
            (self.reset_button, self.reset),
        ):
            button.on_click(lambda _button, action=action: self._press(action))
        self.widget = widgets.VBox(
            [
                widgets.HBox(
                    [
                        self.e_step_button,
                        self.m_step_button,
                        self.run_button,
                        self.reset_button,
                    ]
                ),
                self.image,
                self.status,
            ]
        )
        self._make_axes()
        self.reset()

    # -- the model

    def _set_steps(self, max_iter, tol):
        """The E-step, M-step and EM of the data's dimension, closed over the
        data.
        """
        if self._one_d:
            x = self.X[:, 0]
            self._e = functools.partial(em1d.e_step, x)
            self._m = functools.partial(em1d.m_step, x)
            self._fit = functools.partial(
                em1d.em, x, max_iter=max_iter, tol=tol
            )
        else:
            self._e = functools.partial(
                em.e_step, self.X, covariance_type=self.covariance_type
            )
            self._m = functools.partial(
                em.m_step, self.X, covariance_type=self.covariance_type
            )
            self._fit = functools.partial(
                em.em,
                self.X,
                covariance_type=self.covariance_type,
                max_iter=max_iter,
                tol=tol,
            )

    def _starting_parameters(self, start, n_components, random_state):
        """(weights, means, covariances) from ``start``
        (see the class docstring).
        """
        covariance_type = "spherical" if self._one_d else self.covariance_type
        if start is None:
            params = _broad_start(
                self.X, n_components, covariance_type, random_state
            )
        elif isinstance(start, str):
            params = init.initial_parameters(
                self.X,
                n_components,
                start,
                covariance_type=covariance_type,
                random_state=random_state,
            )
        else:
            params = start
        weights, means, covariances = (
            np.asarray(p, dtype=float) for p in params
        )
        if self._one_d:  # em1d's parameters: three arrays of shape (K,)
            means = means.reshape(-1)
        # checks a given start (shapes, weights, definiteness)
        self._e(weights, means, covariances)
        return weights, means, covariances

    @property
    def weights(self):
        return self.params[0]

    @property
    def means(self):
        return self.params[1]

    @property
    def covariances(self):
        return self.params[2]

    def _press(self, action):
        """Run a button's action; a step that fails (a collapsed component)
        says so in the status.
        """
        try:
            action()
        except ValueError as error:
            self.status.value = (
                f"Iteration {self.iteration} &middot; <b>the step failed</b>: "
                f"{error}"
            )

    def e_step(self):
        """Compute the responsibilities of the current parameters and colour
        the points by them.
        """
        self.resp, _ = self._e(*self.params)
        self.m_step_button.disabled = False
        self._show(
            "<b>E-step</b>: each point is coloured by its responsibilities. "
            "Next: M-step."
        )

    def m_step(self):
        """Move the components to the parameters that the last responsibilities
        imply.
        """
        if self.m_step_button.disabled:
            self._show(
                "<b>Run an E-step first</b>: the M-step needs fresh "
                "responsibilities."
            )
            return
        params = self._m(self.resp)
        # raises, before any change, if a component collapsed
        _, ll = self._e(*params)
        self.params, self.iteration = params, self.iteration + 1
        self.log_likelihoods.append(ll)
        self.m_step_button.disabled = True
        self._show(
            "<b>M-step</b>: the components moved to the weighted means and "
            "spreads of their points (the colours are those of the last "
            "E-step). Next: E-step."
        )

    def run(self):
        """Run EM from the current parameters until it converges
        (or reaches max_iter).
        """
        result, note = _run_em(self._fit, self.params)
        if result is None:
            self._show(f"<b>{note}</b>")
            return
        self.params = (result.weights, result.means, result.covariances)
        # from a final E-step of the returned parameters
        self.resp = result.responsibilities
        self.iteration += result.n_iter
        # result.log_likelihoods[0] is that of the parameters we started from,
        # already recorded
        self.log_likelihoods += [
            *result.log_likelihoods[1:],
            result.final_log_likelihood,
        ]
        self.m_step_button.disabled = False
        self._show(
            f"<b>Run to convergence</b>: {result.n_iter} more iterations, "
            f"{note}."
        )

    def reset(self):
        """Go back to the starting parameters; forget the responsibilities."""
        self.params, self.resp, self.iteration = self.start, None, 0
        self.log_likelihoods = [self._e(*self.start)[1]]
        self.m_step_button.disabled = True
        self._show(
            "<b>Start</b>: press E-step to compute the responsibilities."
        )

    # -- the figure

    def _make_axes(self):
        ax, ax_ll = self.axes
        if self._one_d:
            x = self.X[:, 0]
            low, high = _padded(x)
            top = _histogram(ax, x, (low, high), below=0.15)
            rug = (
                np.random.default_rng(0).uniform(-0.13, -0.04, size=len(x))
                * top
            )  # jitter under the axis
            self._points = ax.scatter(
                x, rug, s=8, color=plotting.DATA_COLOR, linewidths=0
            )
            ax.axhline(0, color=plotting.MIXTURE_COLOR, linewidth=0.5)
            self._components = _Curves1D(ax, np.linspace(low, high, 300))
        else:
            ranges = [_padded(column) for column in self.X.T]
            ax.set(xlim=ranges[0], ylim=ranges[1], aspect="equal")
            ax.set_autoscale_on(False)
            self._points = ax.scatter(
                *self.X.T, s=8, color=plotting.DATA_COLOR, linewidths=0
            )
            self._components = _Ellipses(ax, self.covariance_type)
        self._log_likelihood_curve = _LogLikelihoodCurve(ax_ll)
        ax_ll.set_xlabel("iteration (M-steps done)")

    def _show(self, message):
        """Redraw the points, the components and the log-likelihood; write the
        status line.
        """
        if self.resp is None:
            self._points.set_facecolor(plotting.DATA_COLOR)
        else:
            self._points.set_facecolor(
                plotting.soft_assignment_colors(self.resp)
            )
        if self._one_d:
            self._components.update(*self.params)
        else:
            self._components.update(self.means, self.covariances)
        ll = self.log_likelihoods[-1]
        _title(self.axes[0], f"iteration {self.iteration}")
        self._log_likelihood_curve.update(
            np.arange(len(self.log_likelihoods)), self.log_likelihoods
        )
        self._log_likelihood_curve.set_title(f"log-likelihood {ll:.2f}")
        self.status.value = (
            f"Iteration {self.iteration} &middot; log-likelihood {ll:.2f} "
            f"&middot; {message}"
        )
        self._render()
