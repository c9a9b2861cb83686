"""Warnings of the package."""


class ConvergenceWarning(UserWarning):
    """EM stopped at ``max_iter`` before the log-likelihood settled (within ``tol``)."""


class NotFittedError(ValueError, AttributeError):
    """A ``GaussianMixture`` method that needs fitted parameters was called before ``fit``."""
