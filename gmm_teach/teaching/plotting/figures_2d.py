"""Figures in the plane: covariance ellipses (chapters 2, 6 and every later
one), points coloured by their responsibilities (chapters 3, 6 and later), and
K-Means clusters with their centres (chapter 1).
"""

import numbers

import numpy as np
from matplotlib.patches import Ellipse

from gmm_teach._validation import (
    check_array,
    check_covariances,
    check_responsibility_array,
)
from gmm_teach.gaussian import full_covariances
from gmm_teach.teaching.plotting.style import (
    COMPONENT_MARKERS,
    FONT_SIZE,
    _axes,
    _check_features,
    _set_aspect,
    component_colors,
)


def covariance_ellipse(mean, covariance, n_std=1.0, ax=None, **kwargs):
    """Draw the ellipse of points ``n_std`` Mahalanobis units from ``mean``.

    With covariance = V diag(lambda) V^T (eigendecomposition), the ellipse's
    axes point along the eigenvectors and have half-lengths
    n_std * sqrt(lambda): the contour of a Gaussian (chapters 2, 6).

    Parameters
    ----------
    mean : array-like of shape (2,)
        The centre of the ellipse.
    covariance : array-like of shape (2, 2)
        Symmetric positive semi-definite.
    n_std : float, default=1.0
        Size of the ellipse in standard deviations.
    ax : matplotlib Axes, default=None
        The Axes to draw on; None draws on the Axes of a new figure.
    **kwargs : dict
        Passed to ``matplotlib.patches.Ellipse`` (``fill`` defaults to False).

    Returns
    -------
    ellipse : matplotlib.patches.Ellipse
        The patch, already added to the Axes.
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
    """Draw each component as its mean and covariance ellipses (chapters 6, 8).

    Each component is drawn in its colour: one ellipse per value of ``n_std``,
    fainter as it grows, and its mean as a disc marked with the component's
    number (1, 2, ...), so that components can be told apart without their
    colours.

    Parameters
    ----------
    means : array-like of shape (n_components, n_features)
        The means mu_k.
    covariances : array-like
        Shaped by ``covariance_type``: "full" (n_components, n_features,
        n_features), "tied" (n_features, n_features), "diag" (n_components,
        n_features), "spherical" (n_components,).
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        How the covariances are stored (chapter 8).
    n_std : float or sequence of floats, default=(1, 2, 3)
        One ellipse per value, fainter as it grows.
    ax : matplotlib Axes, default=None
        The Axes to draw on; None draws on the Axes of a new figure.
    features : pair of int, default=(0, 1)
        The two features (columns) to draw, for data with more than two.
    aspect : {"equal", "auto", None}, default="equal"
        Equal scales on both axes, so that an ellipse shows its true shape and
        tilt; "auto" for features in different units; None leaves the Axes'
        aspect as it is.

    Returns
    -------
    ax : matplotlib Axes
        The Axes drawn on (``ax`` itself when one is given), rescaled to show
        every ellipse.
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
    """Return the colour of each point, blended by its responsibilities.

    A point with r_i = (1, 0, ...) gets component 0's colour; a point shared
    half and half gets the average of two colours (chapter 3).

    Parameters
    ----------
    resp : array-like of shape (n_samples, n_components)
        Responsibilities r_ik; every row sums to one.

    Returns
    -------
    colors : ndarray of shape (n_samples, 3)
        RGB values in [0, 1]: the component colours weighted by each row of
        ``resp``.
    """
    resp = check_array(resp, "resp")
    resp = check_responsibility_array(resp, resp.shape[0])
    # (n, K) @ (K, 3)
    return np.clip(resp @ component_colors(resp.shape[1]), 0.0, 1.0)


def plot_soft_assignments(
    X, resp, ax=None, *, features=(0, 1), size=12, aspect="equal"
):
    """Scatter the points, coloured by their responsibilities (chapters 3, 6).

    A point wholly of component k is drawn in component k's colour; a point
    shared between components in the blend of their colours (see
    :func:`soft_assignment_colors`).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data.
    resp : array-like of shape (n_samples, n_components)
        Responsibilities r_ik (see :func:`soft_assignment_colors`).
    ax : matplotlib Axes, default=None
        The Axes to draw on; None draws on the Axes of a new figure.
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
        The Axes drawn on (``ax`` itself when one is given).
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


def plot_kmeans(
    X, centers, labels, ax=None, *, features=(0, 1), aspect="equal"
):
    """Plot the points of each K-Means cluster and its centre (chapter 1).

    Cluster k is drawn in ``COMPONENT_COLORS[k]``
    with marker ``COMPONENT_MARKERS[k]``; each centre is a large cross in its
    cluster's colour, labelled with its cluster's number (1, 2, ...).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data.
    centers : array-like of shape (n_clusters, n_features)
        The cluster centres.
    labels : array-like of shape (n_samples,)
        Cluster index of each point, in [0, n_clusters).
    ax : matplotlib Axes, default=None
        The Axes to draw on; None draws on the Axes of a new figure.
    features : pair of int, default=(0, 1)
        The two features (columns) to draw.
    aspect : {"equal", "auto", None}, default="equal"
        Equal scales on both axes (K-Means is about distances); "auto" for
        features in different units; None leaves the Axes' aspect as it is.

    Returns
    -------
    ax : matplotlib Axes
        The Axes drawn on (``ax`` itself when one is given).
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
