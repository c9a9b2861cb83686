"""The book's look: a colour, a line style and a marker per component, the
figure and text sizes, and the helpers every figure shares.

Importing the module sets Matplotlib's defaults from ``STYLE`` (the palette
paired with the line styles as the colour cycle, the figure size, the text
sizes) and, in IPython, asks the inline backend for double-density images.
Every chapter's figures use it: through the other plotting modules, and
through ``COMPONENT_COLORS``, ``DATA_COLOR`` and ``MIXTURE_COLOR``, which the
chapters read to draw their own figures in the same colours.
"""

import numbers

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb

from gmm_teach._validation import check_positive_int

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
    """Return the RGB colours of components 0, ..., n_components - 1.

    Component k gets ``COMPONENT_COLORS[k]``; the palette repeats after eight
    components.

    Parameters
    ----------
    n_components : int
        The number of components K, at least 1.

    Returns
    -------
    colors : ndarray of shape (n_components, 3)
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
