"""The covariance types, each in one place (chapter 8).

A covariance type says how the covariances Sigma_k are stored and constrained:

=========== ======================== =====================================
type        stored covariances       meaning
=========== ======================== =====================================
"full"      (K, d, d)                one d x d matrix per component
"tied"      (d, d)                   one d x d matrix shared by all
"diag"      (K, d)                   d variances per component
"spherical" (K,)                     one variance per component
=========== ======================== =====================================

Each type is one class below. It knows its storage (shape, checks, the
``reg_covar`` addition, the number of free parameters), the pieces of the
log-density that depend on it (the precision Cholesky factors U_k with
U_k U_k^T = Sigma_k^{-1}, the log-determinant and the squared Mahalanobis
distances of eq. (2.3)) and the conversions: precisions <-> covariances, and
to or from full (K, d, d) matrices (for sampling, drawing ellipses and the
widgets). The M-step estimate of each type stays in :mod:`gmm_teach.em`,
where the book shows it.

``get(covariance_type)`` returns the checked type; ``COVARIANCE_TYPES``
lists the names.
"""

import abc

import numpy as np

NOT_POSITIVE_DEFINITE = (
    "covariances must be positive definite, but {which} is not (a component "
    "may have collapsed onto a point). Raise reg_covar (e.g. 1e-3), use fewer "
    "components, or scale the data."
)


def _cholesky_precision(covariance, which):
    """Upper-triangular U with U U^T = covariance^{-1}, for one (d, d)."""
    try:
        L = np.linalg.cholesky(
            covariance
        )  # covariance = L L^T, L lower-triangular
    except np.linalg.LinAlgError:
        raise ValueError(NOT_POSITIVE_DEFINITE.format(which=which)) from None
    # U = L^{-T}, upper-triangular (triu drops round-off)
    return np.triu(np.linalg.inv(L).T)


class CovarianceType(abc.ABC):
    """What every covariance type provides; one subclass per type.

    Attributes
    ----------
    name : str
        The value of ``covariance_type``.
    description : str
        What is stored, in words (for messages).
    stores_matrices : bool
        True if the covariances are d x d matrices, False if they are
        variances.
    shared : bool
        True if one covariance serves every component.
    """

    name = ""
    description = ""
    stores_matrices = True
    shared = False

    @abc.abstractmethod
    def shape(self, n_components, n_features):
        """The shape of the stored covariances."""

    @abc.abstractmethod
    def n_parameters(self, n_components, n_features):
        """The number of free covariance parameters (part of q, eq. (9.1))."""

    @abc.abstractmethod
    def check(self, covariances, name):
        """Raise ``ValueError`` if covariances (of the right shape) are bad."""

    @abc.abstractmethod
    def add_reg_covar(self, covariances, reg_covar):
        """A copy with ``reg_covar`` added to every covariance's diagonal."""

    @abc.abstractmethod
    def cholesky_precisions(self, covariances):
        """The precision Cholesky factors U_k, shaped like the covariances."""

    @abc.abstractmethod
    def log_det_cholesky(self, prec_chol, n_features):
        """sum_j log U_jj = -1/2 log det Sigma_k, (K,) (a number for tied)."""

    @abc.abstractmethod
    def squared_mahalanobis(self, X, means, prec_chol):
        """||(x_i - mu_k)^T U_k||^2 for every sample and component, (n, K)."""

    @abc.abstractmethod
    def precisions(self, prec_chol):
        """The precisions Lambda_k = U_k U_k^T, shaped like the covariances."""

    @abc.abstractmethod
    def covariances_from_precisions(self, precisions, name="precisions"):
        """Sigma_k = Lambda_k^{-1}; raise if one is not positive definite."""

    @abc.abstractmethod
    def to_full(self, covariances, n_components, n_features):
        """Every covariance as a full matrix: a (K, d, d) array."""

    @abc.abstractmethod
    def from_full(self, full, weights):
        """Full matrices (K, d, d) reduced to this type.

        ``weights`` (K,) weigh the average that "tied" takes.
        """


class _Matrices(CovarianceType):
    """Shared by the types that store d x d matrices."""

    def check(self, covariances, name):
        transposed = np.swapaxes(covariances, -1, -2)
        if not np.allclose(covariances, transposed, rtol=1e-8, atol=1e-12):
            raise ValueError(f"{name} must be symmetric matrices")

    def add_reg_covar(self, covariances, reg_covar):
        return covariances + reg_covar * np.eye(covariances.shape[-1])

    def covariances_from_precisions(self, precisions, name="precisions"):
        try:
            np.linalg.cholesky(
                precisions
            )  # exists exactly when P is positive definite
        except np.linalg.LinAlgError:
            raise ValueError(
                _not_positive_precisions(name, self.name)
            ) from None
        return np.linalg.inv(precisions)


class _Variances(CovarianceType):
    """Shared by the types that store variances (diagonal covariances)."""

    stores_matrices = False

    def check(self, covariances, name):
        """Nothing beyond the shape: positivity is checked by the Cholesky."""

    def add_reg_covar(self, covariances, reg_covar):
        return covariances + reg_covar

    def cholesky_precisions(self, covariances):
        if np.any(covariances <= 0):
            which = f"a {self.name} variance (<= 0)"
            raise ValueError(NOT_POSITIVE_DEFINITE.format(which=which))
        return 1.0 / np.sqrt(covariances)

    def precisions(self, prec_chol):
        return prec_chol**2

    def covariances_from_precisions(self, precisions, name="precisions"):
        if np.any(precisions <= 0):
            raise ValueError(_not_positive_precisions(name, self.name))
        return 1.0 / precisions


def _not_positive_precisions(name, covariance_type):
    return (
        f"{name} must be positive definite (inverse covariances of type "
        f"{covariance_type!r})"
    )


class Full(_Matrices):
    """Type "full": one d x d covariance matrix per component, (K, d, d)."""

    name = "full"
    description = "one d x d matrix per component"

    def shape(self, n_components, n_features):
        return (n_components, n_features, n_features)

    def n_parameters(self, n_components, n_features):
        return n_components * n_features * (n_features + 1) // 2

    def cholesky_precisions(self, covariances):
        return np.stack(
            [
                _cholesky_precision(c, f"covariances[{k}]")
                for k, c in enumerate(covariances)
            ]
        )

    def log_det_cholesky(self, prec_chol, n_features):
        return np.log(np.diagonal(prec_chol, axis1=1, axis2=2)).sum(axis=1)

    def squared_mahalanobis(self, X, means, prec_chol):
        # (n, d) @ (d, d) per component: the whitened residuals
        return np.stack(
            [
                np.sum(np.square(X @ U - mu @ U), axis=1)
                for mu, U in zip(means, prec_chol, strict=True)
            ],
            axis=1,
        )

    def precisions(self, prec_chol):
        return prec_chol @ np.swapaxes(prec_chol, 1, 2)

    def to_full(self, covariances, n_components, n_features):
        return covariances

    def from_full(self, full, weights):
        return full


class Tied(_Matrices):
    """Type "tied": one d x d covariance matrix shared by all components."""

    name = "tied"
    description = "one d x d matrix shared by all components"
    shared = True

    def shape(self, n_components, n_features):
        return (n_features, n_features)

    def n_parameters(self, n_components, n_features):
        return n_features * (n_features + 1) // 2

    def cholesky_precisions(self, covariances):
        return _cholesky_precision(covariances, "the tied covariance")

    def log_det_cholesky(self, prec_chol, n_features):
        return np.log(np.diag(prec_chol)).sum()

    def squared_mahalanobis(self, X, means, prec_chol):
        Y = X @ prec_chol  # (n, d)
        return np.stack(
            [np.sum(np.square(Y - mu @ prec_chol), axis=1) for mu in means],
            axis=1,
        )

    def precisions(self, prec_chol):
        return prec_chol @ prec_chol.T

    def to_full(self, covariances, n_components, n_features):
        return np.broadcast_to(
            covariances, (n_components, n_features, n_features)
        )

    def from_full(self, full, weights):
        return np.tensordot(weights, full, axes=1) / np.sum(weights)


class Diag(_Variances):
    """Type "diag": d variances per component (axis-aligned), (K, d)."""

    name = "diag"
    description = "only the variances: one row of d per component"

    def shape(self, n_components, n_features):
        return (n_components, n_features)

    def n_parameters(self, n_components, n_features):
        return n_components * n_features

    def log_det_cholesky(self, prec_chol, n_features):
        return np.log(prec_chol).sum(axis=1)

    def squared_mahalanobis(self, X, means, prec_chol):
        # (n, 1, d) - (K, d) -> (n, K, d), scaled by 1/sigma per feature
        return np.sum(
            np.square((X[:, np.newaxis, :] - means) * prec_chol), axis=2
        )

    def to_full(self, covariances, n_components, n_features):
        return np.stack([np.diag(c) for c in covariances])

    def from_full(self, full, weights):
        return np.diagonal(full, axis1=1, axis2=2).copy()


class Spherical(_Variances):
    """Type "spherical": one variance per component (round clusters), (K,)."""

    name = "spherical"
    description = "one variance per component"

    def shape(self, n_components, n_features):
        return (n_components,)

    def n_parameters(self, n_components, n_features):
        return n_components

    def log_det_cholesky(self, prec_chol, n_features):
        return n_features * np.log(prec_chol)  # d equal diagonal entries

    def squared_mahalanobis(self, X, means, prec_chol):
        # ||x_i - mu_k||^2 / sigma_k^2
        return (
            np.sum(np.square(X[:, np.newaxis, :] - means), axis=2)
            * prec_chol**2
        )

    def to_full(self, covariances, n_components, n_features):
        return covariances[:, np.newaxis, np.newaxis] * np.eye(n_features)

    def from_full(self, full, weights):
        return np.diagonal(full, axis1=1, axis2=2).mean(axis=1)


_TYPES = {kind.name: kind for kind in (Full(), Tied(), Diag(), Spherical())}

#: The names of the covariance types, in the book's order.
COVARIANCE_TYPES = tuple(_TYPES)


def get(covariance_type):
    """The :class:`CovarianceType` called ``covariance_type``.

    Raises
    ------
    ValueError
        If ``covariance_type`` is not one of :data:`COVARIANCE_TYPES`.
    """
    if not isinstance(covariance_type, str) or covariance_type not in _TYPES:
        choices = ", ".join(map(repr, COVARIANCE_TYPES))
        got = repr(covariance_type)
        raise ValueError(
            f"covariance_type must be one of {choices}; got {got}"
        )
    return _TYPES[covariance_type]


def full_covariances(covariances, covariance_type, n_components, n_features):
    """Every covariance type as a (K, d, d) stack of full matrices.

    For sampling and drawing; see :meth:`CovarianceType.to_full`.
    """
    covariances = np.asarray(covariances, dtype=float)
    return get(covariance_type).to_full(covariances, n_components, n_features)
