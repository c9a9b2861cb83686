"""Figures of one variable: a 1-D mixture over the histogram of its data
(chapters 2 and 5), and the log-likelihood per iteration of EM, which never
decreases (chapters 4 to 7).
"""

import numpy as np
from matplotlib.ticker import MaxNLocator

from gmm_teach import em1d
from gmm_teach._validation import check_array
from gmm_teach.teaching.plotting.style import (
    COMPONENT_LINESTYLES,
    DATA_COLOR,
    MIXTURE_COLOR,
    _axes,
    _padded_range,
    component_colors,
)


def plot_mixture_1d(
    x, weights, means, variances, ax=None, *, components=True, bins=30
):
    """Plot 1-D data's histogram, each weighted component and the mixture.

    The figure shows the density histogram of ``x`` in grey, the curve
    pi_k N(x | mu_k, sigma_k^2) of each component (filled, in its colour and
    line style) and their sum, the mixture density p(x), as a thick dark line,
    with a legend that names them (chapters 2, 5).

    Parameters
    ----------
    x : array-like of shape (n_samples,)
        The data.
    weights : array-like of shape (n_components,)
        The mixing weights pi_k.
    means : array-like of shape (n_components,)
        The means mu_k.
    variances : array-like of shape (n_components,)
        The VARIANCES sigma_k^2 (not standard deviations).
    ax : matplotlib Axes, default=None
        The Axes to draw on; None draws on the Axes of a new figure.
    components : bool, default=True
        Draw the weighted components as well as the mixture.
    bins : int or sequence, default=30
        Passed to ``Axes.hist``.

    Returns
    -------
    ax : matplotlib Axes
        The Axes drawn on (``ax`` itself when one is given), its axes labelled
        "x" and "density".
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


def plot_log_likelihood(
    log_likelihoods, ax=None, *, label=None, final=None, **line_kwargs
):
    """Plot the log-likelihood after each iteration of EM (chapter 4).

    The figure shows the curve of l(theta^(t)), the log-likelihood after t
    M-steps, at x = t (t = 0: the start), with a dot at each iteration; EM's
    curve never decreases. Curves drawn on one Axes follow the colour and
    line-style cycle of ``STYLE``.

    Parameters
    ----------
    log_likelihoods : array-like of shape (n_iter,)
        For example ``EMResult.log_likelihoods``: l(theta^(t)) for
        t = 0, ..., T - 1.
    ax : matplotlib Axes, default=None
        The Axes to draw on; None draws on the Axes of a new figure.
    label : str, default=None
        Legend label of the curve (to compare several runs on one Axes).
    final : float, default=None
        The value l(theta^(T)), for example ``EMResult.final_log_likelihood``,
        drawn at x = T; None ends the curve at T - 1.
    **line_kwargs : dict
        Passed to ``Axes.plot`` (``color``, ``linestyle``, ``marker``, ...).

    Returns
    -------
    ax : matplotlib Axes
        The Axes drawn on (``ax`` itself when one is given), with integer
        iterations on the x-axis and the log-likelihood, without an offset, on
        the y-axis.
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
