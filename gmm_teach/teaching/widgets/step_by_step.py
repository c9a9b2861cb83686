"""EM one step at a time, with buttons: E-step, M-step, run to convergence,
reset (chapters 5 and 6, and the lesson plan's demo).

:class:`StepByStepEM` shows the responsibilities that an E-step computes as
the colours of the points, and where an M-step moves the components, for 1-D
or 2-D data.
"""

import functools

import ipywidgets as widgets
import numpy as np

from gmm_teach import em, em1d, init, kmeans
from gmm_teach._validation import check_array, check_covariance_type
from gmm_teach.teaching import plotting
from gmm_teach.teaching.widgets._base import (
    TOL,
    _check_n_components,
    _covariances_like,
    _Curves1D,
    _Ellipses,
    _FigureWidget,
    _histogram,
    _LogLikelihoodCurve,
    _padded,
    _run_em,
    _title,
)


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
    """EM one step at a time, with buttons (chapters 5 and 6).

    For 1-D or 2-D data. "E-step" colours every point by its
    responsibilities (a blend of the component colours); "M-step" moves the
    components to the weighted means and covariances of those colours (it is
    disabled until an E-step has run, and again after it until the next
    E-step); "Run to convergence" runs EM from the current parameters;
    "Reset" goes back to the start. The left panel shows the points and the
    components (1-D: the weighted densities over a histogram, the points as a
    rug below it; 2-D: the ellipses); the status line and the right panel
    give the iteration (the number of M-steps so far) and the log-likelihood
    of the current parameters.

    Parameters
    ----------
    X : array-like of shape (n_samples,), (n_samples, 1) or (n_samples, 2)
        1-D data run through :mod:`gmm_teach.em1d` (the covariances are
        variances), 2-D data through :mod:`gmm_teach.em`.
    n_components : int, default=3
        The number of components K, at most 8 (one colour each).
    random_state : int, default=0
        Seed of the start.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        For 2-D data.
    start : None, str or tuple, default=None
        None: k-means++ seeds as means, each with the covariance of all the
        data, equal weights. A method of
        :func:`gmm_teach.init.initial_parameters`, or a tuple (weights, means,
        covariances) to start from.
    max_iter : int, default=100
        The most iterations of "Run to convergence".
    tol : float, default=1e-4
        The convergence threshold of "Run to convergence".

    Attributes
    ----------
    X : ndarray of shape (n_samples, 1) or (n_samples, 2)
        The data, checked.
    covariance_type : str
        The covariance type of the 2-D steps.
    start : tuple of 3 ndarray
        The starting (weights, means, covariances).
    params : tuple of 3 ndarray
        The current (weights, means, covariances).
    weights : ndarray of shape (n_components,)
        The current mixing weights.
    means : ndarray
        The current means.
    covariances : ndarray
        The current covariances.
    resp : ndarray of shape (n_samples, n_components) or None
        The responsibilities of the last E-step (None after a reset).
    iteration : int
        The number of M-steps taken since the start.
    log_likelihoods : list of float
        The log-likelihood of the start and after each iteration,
        ``log_likelihoods[t]`` at iteration t.
    e_step_button, m_step_button, run_button, reset_button : ipywidgets.Button
        The four buttons.
    figure : matplotlib.figure.Figure
        The figure, which pyplot does not manage.
    axes : ndarray of 2 matplotlib Axes
        The panels: the data and the components, the log-likelihood per
        iteration.
    image : ipywidgets.Image
        The figure as a PNG.
    status : ipywidgets.HTML
        The status line.
    widget : ipywidgets.VBox
        What Jupyter displays: the buttons, the figure and the status line.
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
        """The current mixing weights pi_k, shape (K,)."""
        return self.params[0]

    @property
    def means(self):
        """The current means mu_k, shape (K, d); shape (K,) in 1-D."""
        return self.params[1]

    @property
    def covariances(self):
        """The current covariances, shaped by ``covariance_type``.

        In 1-D, the variances sigma_k^2, shape (K,).
        """
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
        """Run an E-step: colour each point by its responsibilities.

        Computes the responsibilities of the current parameters; each point is
        drawn in the blend of the component colours that they give, and the
        "M-step" button is enabled.
        """
        self.resp, _ = self._e(*self.params)
        self.m_step_button.disabled = False
        self._show(
            "<b>E-step</b>: each point is coloured by its responsibilities. "
            "Next: M-step."
        )

    def m_step(self):
        """Run an M-step: move the components to fit the last responsibilities.

        The weights, means and covariances become those that the last E-step's
        responsibilities imply; the figure shows the moved components (the
        points keep the colours of that E-step) and the log-likelihood curve
        gains a point. Without a fresh E-step, nothing changes and the status
        line asks for one. A component that collapses raises ``ValueError``
        before any change (the button reports it in the status line).
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
        """Run EM from the current parameters until it converges.

        EM stops when the log-likelihood settles (``tol``) or after
        ``max_iter`` iterations; the figure then shows the fitted components,
        the points coloured by their final responsibilities and the whole
        log-likelihood curve, and the status line says what stopped EM. If EM
        fails (a component collapsed), the status line says why and nothing
        changes.
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
        """Go back to the starting parameters and forget the responsibilities.

        The points are grey again, the iteration count is 0 and the
        log-likelihood curve holds the start's value only.
        """
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
