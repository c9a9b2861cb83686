"""The initialisation explorers: sliders for the start of EM; every change
re-runs EM and redraws (chapters 5, 6 and 7).

:class:`InitExplorer1D` (chapters 5 and 7) and :class:`InitExplorer2D`
(chapters 6 and 7) share :class:`_Explorer`: the K selector, the
initialisation method and its seed, and the update cycle (start, EM, three
panels: the start, the fit and the log-likelihood per iteration).
"""

import functools

import ipywidgets as widgets
import numpy as np

from gmm_teach import em, em1d, init
from gmm_teach._validation import (
    check_array,
    check_choice,
    check_covariance_type,
    check_positive_int,
)
from gmm_teach.teaching import plotting
from gmm_teach.teaching.widgets._base import (
    MAX_COMPONENTS,
    SLIDER_STEPS,
    SLIDER_STYLE,
    TOL,
    _check_n_components,
    _covariances_like,
    _Curves1D,
    _Ellipses,
    _FigureWidget,
    _format,
    _histogram,
    _LogLikelihoodCurve,
    _mean_variance,
    _padded,
    _run_em,
    _slider,
    _swatch,
    _title,
)

METHODS = (
    "manual",
) + init.METHODS  # "manual": the start the sliders describe


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
        """The starting means EM ran from, shape (K,) in 1-D, (K, 2) in 2-D."""
        return self.start[1]

    def update(self):
        """Re-run EM from the start that the controls describe, and redraw.

        Called on every change of a control. The figure's three panels then
        show the start, the fit and the log-likelihood per iteration, and the
        status line gives the final log-likelihood, the number of iterations
        and what stopped EM (or why it failed).
        """
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
    """Sliders for the start of EM on 1-D data (chapters 5, 7).

    Every change re-runs EM and redraws. The figure shows the start (each
    weighted component and the mixture over the histogram, a triangle at each
    mean), the result of EM from that start, and the log-likelihood at each
    iteration; the status line gives the final log-likelihood and the number
    of iterations. Moving a start slider switches the method to "manual";
    choosing a method moves the sliders to its start.

    Parameters
    ----------
    x : array-like of shape (n_samples,)
        The data.
    n_components : int, default=3
        The starting number of components K (the selector offers 1 to 6).
    random_state : int, default=0
        The starting seed of the initialisation methods, an int >= 0.
    max_iter : int, default=100
        The most EM iterations per run, as in :func:`gmm_teach.em1d.em`.
    tol : float, default=1e-4
        The convergence threshold, as in :func:`gmm_teach.em1d.em` (tighter
        than its default).
    method : {"manual", "kmeans", "k-means++", "random", \
            "random_from_data"}, default="manual"
        "manual" starts from the sliders; the others from
        :func:`gmm_teach.init.initial_parameters`.

    Attributes
    ----------
    x : ndarray of shape (n_samples,)
        The data, checked.
    n_components_slider : ipywidgets.IntSlider
        The number of components K.
    method_dropdown : ipywidgets.Dropdown
        The initialisation method.
    seed_text : ipywidgets.BoundedIntText
        The seed of the initialisation methods.
    mean_sliders : list of ipywidgets.FloatSlider
        The initial mean of each component.
    std_sliders : list of ipywidgets.FloatSlider
        The initial standard deviation of each component.
    weight_sliders : list of ipywidgets.FloatSlider
        The initial weight of each component, before renormalisation.
    components_box : ipywidgets.VBox
        One row of sliders per component.
    start : tuple of 3 ndarray of shape (n_components,)
        The start (weights, means, variances) EM ran from, weights
        renormalised.
    weights, means, variances : ndarray of shape (n_components,)
        The three parts of ``start``.
    result : gmm_teach.em.EMResult or None
        EM from that start (None when EM failed; the status line says why).
    final_log_likelihood : float or None
        The log-likelihood of the fitted parameters (None when EM failed).
    figure : matplotlib.figure.Figure
        The figure, which pyplot does not manage.
    axes : ndarray of 3 matplotlib Axes
        The panels: the start, the fit, the log-likelihood per iteration.
    image : ipywidgets.Image
        The figure as a PNG.
    status : ipywidgets.HTML
        The status line.
    widget : ipywidgets.VBox
        What Jupyter displays: the controls, the figure and the status line.
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
    """Sliders for the start of EM on 2-D data (chapters 6, 7).

    Every change re-runs EM and redraws. Sliders set each component's initial
    mean (x, y) and one spread: the initial covariances are spread^2 I, the
    weights equal. The figure shows the start (ellipses over the points), the
    result of EM (points coloured by their responsibilities, fitted ellipses)
    and the log-likelihood at each iteration; the status line gives the final
    log-likelihood and the number of iterations. Moving a start slider
    switches the method to "manual"; choosing a method moves the sliders to
    its start (and EM starts from the method's own covariances).

    Parameters
    ----------
    X : array-like of shape (n_samples, 2)
        The data.
    n_components : int, default=3
        The starting number of components K (the selector offers 1 to 6).
    random_state : int, default=0
        The starting seed of the initialisation methods, an int >= 0.
    max_iter : int, default=100
        The most EM iterations per run, as in :func:`gmm_teach.em.em`.
    tol : float, default=1e-4
        The convergence threshold, as in :func:`gmm_teach.em.em` (tighter than
        its default).
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        The covariance type of the start and of the fit.
    method : {"manual", "kmeans", "k-means++", "random", \
            "random_from_data"}, default="manual"
        "manual" starts from the sliders; the others from
        :func:`gmm_teach.init.initial_parameters`.

    Attributes
    ----------
    X : ndarray of shape (n_samples, 2)
        The data, checked.
    covariance_type : str
        The covariance type of the start and of the fit.
    n_components_slider : ipywidgets.IntSlider
        The number of components K.
    method_dropdown : ipywidgets.Dropdown
        The initialisation method.
    seed_text : ipywidgets.BoundedIntText
        The seed of the initialisation methods.
    spread_slider : ipywidgets.FloatSlider
        The spread s of the manual start's covariances s^2 I.
    x_sliders, y_sliders : list of ipywidgets.FloatSlider
        The initial mean of each component: its x and y coordinates.
    components_box : ipywidgets.VBox
        One row of sliders per component.
    start : tuple of 3 ndarray
        The start (weights, means, covariances) EM ran from.
    weights, means, covariances : ndarray
        The three parts of ``start``: shapes (n_components,),
        (n_components, 2), and that of ``covariance_type``.
    result : gmm_teach.em.EMResult or None
        EM from that start (None when EM failed; the status line says why).
    final_log_likelihood : float or None
        The log-likelihood of the fitted parameters (None when EM failed).
    figure : matplotlib.figure.Figure
        The figure, which pyplot does not manage.
    axes : ndarray of 3 matplotlib Axes
        The panels: the start, the fit, the log-likelihood per iteration.
    image : ipywidgets.Image
        The figure as a PNG.
    status : ipywidgets.HTML
        The status line.
    widget : ipywidgets.VBox
        What Jupyter displays: the controls, the figure and the status line.
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
        """The covariances EM started from, shaped by ``covariance_type``."""
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
