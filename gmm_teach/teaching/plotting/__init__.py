"""The book's figures: mixtures in 1-D, covariance ellipses, soft assignments,
EM players.

Conventions
-----------
- One palette for the components everywhere: component k is drawn in
  ``COMPONENT_COLORS[k]`` (Okabe and Ito's colour-blind safe palette); the
  data are grey, the whole mixture dark grey. Importing the package makes it
  Matplotlib's colour cycle too, paired with a cycle of line styles, so that
  curves differ by more than their colour (see ``STYLE``).
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
  package asks the inline backend for "retina" images (twice the pixels, shown
  at the same size), and players embed their frames at ``PLAYER_DPI`` and
  show them at ``PLAYER_CSS_DPI``.

The package never selects a Matplotlib backend; notebooks keep theirs.

Modules, one idea each; the chapters import every name from here
(``from gmm_teach.teaching import plotting``, then ``plotting.plot_ellipses``):

- ``style``: the palette, the sizes and Matplotlib's defaults; Axes helpers
  (every chapter);
- ``figures_1d``: a 1-D mixture, the log-likelihood per iteration
  (chapters 2, 4 to 7);
- ``figures_2d``: ellipses, soft assignments, K-Means clusters (chapters 1
  to 3, 6 to 10);
- ``players``: runs recorded and animated (chapters 1, 5, 6);
- ``player_html``: a player as a page's slider and buttons (chapters 1, 5,
  6).
"""

from gmm_teach.teaching.plotting.figures_1d import (
    plot_log_likelihood,
    plot_mixture_1d,
)
from gmm_teach.teaching.plotting.figures_2d import (
    covariance_ellipse,
    plot_ellipses,
    plot_kmeans,
    plot_soft_assignments,
    soft_assignment_colors,
)
from gmm_teach.teaching.plotting.player_html import to_html
from gmm_teach.teaching.plotting.players import (
    EMFrame,
    em_player_1d,
    em_player_2d,
    frame_indices,
    kmeans_player,
    record_em,
    record_em1d,
    record_kmeans,
)
from gmm_teach.teaching.plotting.style import (
    COMPONENT_COLORS,
    COMPONENT_LINESTYLES,
    COMPONENT_MARKERS,
    DATA_COLOR,
    FIGSIZE,
    FONT_SIZE,
    MAX_FRAMES,
    MIXTURE_COLOR,
    PLAYER_COLORS,
    PLAYER_CSS_DPI,
    PLAYER_DPI,
    STYLE,
    component_colors,
)

# by module, in the order of the list above
__all__ = [
    "COMPONENT_COLORS",
    "COMPONENT_LINESTYLES",
    "COMPONENT_MARKERS",
    "DATA_COLOR",
    "MIXTURE_COLOR",
    "FIGSIZE",
    "FONT_SIZE",
    "STYLE",
    "PLAYER_CSS_DPI",
    "PLAYER_DPI",
    "PLAYER_COLORS",
    "MAX_FRAMES",
    "component_colors",
    "plot_mixture_1d",
    "plot_log_likelihood",
    "covariance_ellipse",
    "plot_ellipses",
    "soft_assignment_colors",
    "plot_soft_assignments",
    "plot_kmeans",
    "EMFrame",
    "record_em",
    "record_em1d",
    "record_kmeans",
    "frame_indices",
    "em_player_1d",
    "em_player_2d",
    "kmeans_player",
    "to_html",
]
