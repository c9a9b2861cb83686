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

Modules: ``explorers`` (the two explorers), ``step_by_step``
(:class:`StepByStepEM`) and ``_base``, what they share (the figure widget, the
pieces they draw, the sliders); import the widgets from here.
"""

from gmm_teach.teaching.widgets._base import (
    FIGURE_DPI,
    MAX_COMPONENTS,
    SLIDER_LAYOUT,
    SLIDER_STEPS,
    SLIDER_STYLE,
    TOL,
)
from gmm_teach.teaching.widgets.explorers import (
    METHODS,
    InitExplorer1D,
    InitExplorer2D,
)
from gmm_teach.teaching.widgets.step_by_step import StepByStepEM

__all__ = [
    "InitExplorer1D",
    "InitExplorer2D",
    "StepByStepEM",
    "METHODS",
    "MAX_COMPONENTS",
    "TOL",
    "FIGURE_DPI",
    "SLIDER_STEPS",
    "SLIDER_LAYOUT",
    "SLIDER_STYLE",
]
