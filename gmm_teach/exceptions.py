"""The package's exceptions and warning, caught by scikit-learn users' code.

When scikit-learn is installed, :class:`NotFittedError` and :class:`ConvergenceWarning` subclass
scikit-learn's classes of the same names, so ``except sklearn.exceptions.NotFittedError`` and
``warnings.filterwarnings("ignore", category=sklearn.exceptions.ConvergenceWarning)`` work on
:class:`gmm_teach.GaussianMixture` as on scikit-learn's. Without scikit-learn they derive from
the same built-in classes as scikit-learn's do. Either way nothing else needs scikit-learn.
"""

try:
    from sklearn import exceptions as _sklearn

    _CONVERGENCE_BASES = (_sklearn.ConvergenceWarning,)
    _NOT_FITTED_BASES = (_sklearn.NotFittedError,)
except (
    ImportError
):  # scikit-learn is optional: the built-in bases of its classes
    _CONVERGENCE_BASES = (UserWarning,)
    _NOT_FITTED_BASES = (ValueError, AttributeError)


class ConvergenceWarning(*_CONVERGENCE_BASES):
    """EM stopped at ``max_iter`` before the log-likelihood settled (within ``tol``)."""


class NotFittedError(*_NOT_FITTED_BASES):
    """A ``GaussianMixture`` method that needs fitted parameters was called before ``fit``.

    A ``ValueError`` and an ``AttributeError``, as scikit-learn's ``NotFittedError`` is.
    """


class InvalidParameterError(ValueError, TypeError):
    """A constructor argument of ``GaussianMixture`` is of the wrong type or out of range.

    Both a ``ValueError`` and a ``TypeError``, as scikit-learn's ``InvalidParameterError`` is.
    """
