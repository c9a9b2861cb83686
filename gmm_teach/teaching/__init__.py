"""The teaching layer: the book's data sets, figures, classroom widgets and
self-checks.

A reader of the algorithm may skip this subpackage: the mathematics is in the
modules of :mod:`gmm_teach` itself. Everything here reads that numerical core
and never the other way round, and importing :mod:`gmm_teach` does not load
any of it.

- :mod:`gmm_teach.teaching.datasets`: the book's data sets (NumPy only)
- :mod:`gmm_teach.teaching.plotting`: static figures and animated players
  (Matplotlib)
- :mod:`gmm_teach.teaching.widgets`: the classroom widgets (ipywidgets)
- :mod:`gmm_teach.teaching.exercises`: the self-checks of the exercises

Import what a chapter uses, for example
``from gmm_teach.teaching import datasets, plotting``; this package imports
none of its modules by itself.
"""
