"""The package's exceptions and warning, as scikit-learn users catch them.

When scikit-learn is installed, :class:`NotFittedError` and
:class:`ConvergenceWarning` subclass scikit-learn's classes of the same names,
so ``except sklearn.exceptions.NotFittedError`` and a warnings filter for
``sklearn.exceptions.ConvergenceWarning`` work on
:class:`gmm_teach.GaussianMixture` as on scikit-learn's. Without scikit-learn
they derive from the built-in classes that scikit-learn's derive from; nothing
else in the package needs scikit-learn.
"""

import os
import sys

try:
    from sklearn import exceptions as _sklearn

    _CONVERGENCE_BASES = (_sklearn.ConvergenceWarning,)
    _NOT_FITTED_BASES = (_sklearn.NotFittedError,)
except ImportError:  # scikit-learn is optional: its classes' built-in bases
    _CONVERGENCE_BASES = (UserWarning,)
    _NOT_FITTED_BASES = (ValueError, AttributeError)

# the package's folder: a warning skips the frames of the files in it
_PACKAGE = os.path.join(os.path.dirname(__file__), "")

# scikit-learn's sentence when a covariance collapses during a fit; the
# estimator's message goes on with the package's own explanation
ILL_DEFINED = (
    "Fitting the mixture model failed because some components have "
    "ill-defined empirical covariance (for instance caused by singleton or "
    "collapsed samples). Try to decrease the number of components, increase "
    "reg_covar, or scale the input data."
)

# scikit-learn's KMeans, which starts its GaussianMixture, warns when X has
# fewer distinct points than components; so does the estimator, with advice
FEW_DISTINCT = (
    "Number of distinct clusters ({0}) found smaller than n_clusters ({1}). "
    "Possibly due to duplicate points in X. X has {0} distinct points for "
    "{1} components: use fewer components, or expect components that share "
    "a point."
)


class ConvergenceWarning(*_CONVERGENCE_BASES):
    """EM stopped at ``max_iter`` before the log-likelihood settled."""


class NotFittedError(*_NOT_FITTED_BASES):
    """A method that needs a fitted ``GaussianMixture`` was called before fit.

    A ``ValueError`` and an ``AttributeError``, as scikit-learn's is.
    """


class InvalidParameterError(ValueError, TypeError):
    """A constructor argument of ``GaussianMixture`` is wrong.

    Of the wrong type or out of range: both a ``ValueError`` and a
    ``TypeError``, as scikit-learn's ``InvalidParameterError`` is.
    """


def _stacklevel_outside_package():
    """The ``stacklevel`` of the first caller outside gmm_teach.

    A warning then points at the user's line, however deep in the package it
    is raised (what Python 3.12's ``skip_file_prefixes`` does).
    """
    frame, level = sys._getframe(1), 1  # the function that warns
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level
