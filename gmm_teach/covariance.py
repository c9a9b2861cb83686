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
        """Return the shape of the stored covariances.

        Parameters
        ----------
        n_components : int
            The number of components K.
        n_features : int
            The number of features d.

        Returns
        -------
        shape : tuple of int
            (K, d, d) for "full", (d, d) for "tied", (K, d) for "diag",
            (K,) for "spherical".
        """

    @abc.abstractmethod
    def n_parameters(self, n_components, n_features):
        """Return the number of free covariance parameters (part of nu).

        Chapter 9, eq. (9.1).

        Parameters
        ----------
        n_components : int
            The number of components K.
        n_features : int
            The number of features d.

        Returns
        -------
        n_parameters : int
            K d(d+1)/2 for "full", d(d+1)/2 for "tied", K d for "diag", K
            for "spherical".
        """

    @abc.abstractmethod
    def check(self, covariances, name):
        """Raise ``ValueError`` if covariances of the right shape are bad.

        Matrices must be symmetric; positivity is checked where the Cholesky
        factors are taken (:meth:`cholesky_precisions`).

        Parameters
        ----------
        covariances : ndarray
            Finite covariances, already of :meth:`shape`.
        name : str
            The argument's name, for the messages.
        """

    @abc.abstractmethod
    def add_reg_covar(self, covariances, reg_covar):
        """Return a copy with ``reg_covar`` added to every diagonal.

        Parameters
        ----------
        covariances : ndarray
            The covariances, of :meth:`shape`.
        reg_covar : float
            The number added to each variance.

        Returns
        -------
        covariances : ndarray
            The regularised covariances, of the same shape.
        """

    @abc.abstractmethod
    def cholesky_precisions(self, covariances):
        """Return the precision Cholesky factors U_k, shaped as the input.

        U_k is upper-triangular with U_k U_k^T = Sigma_k^{-1}; for the
        variance types it is 1 / sqrt(variance).

        Parameters
        ----------
        covariances : ndarray
            The covariances, of :meth:`shape`.

        Returns
        -------
        prec_chol : ndarray
            The factors, shaped like ``covariances``.

        Raises
        ------
        ValueError
            If a covariance is not positive definite.
        """

    @abc.abstractmethod
    def log_det_cholesky(self, prec_chol, n_features):
        """Return sum_j log U_jj = -1/2 log det Sigma_k of every component.

        Parameters
        ----------
        prec_chol : ndarray
            The precision Cholesky factors, shaped like the covariances.
        n_features : int
            The number of features d.

        Returns
        -------
        log_det : ndarray of shape (n_components,) or float
            One value per component; one number for "tied".
        """

    @abc.abstractmethod
    def squared_mahalanobis(self, X, means, prec_chol):
        """Return ||(x_i - mu_k)^T U_k||^2 for every sample and component.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            The data.
        means : ndarray of shape (n_components, n_features)
            The component means mu_k.
        prec_chol : ndarray
            The precision Cholesky factors U_k, shaped like the covariances.

        Returns
        -------
        maha : ndarray of shape (n_samples, n_components)
            The squared Mahalanobis distances, in a new array (the
            log-density is computed in it).
        """

    @abc.abstractmethod
    def precisions(self, prec_chol):
        """Return the precisions Lambda_k = U_k U_k^T.

        Parameters
        ----------
        prec_chol : ndarray
            The precision Cholesky factors U_k, shaped like the covariances.

        Returns
        -------
        precisions : ndarray
            The inverse covariances, shaped like the covariances.
        """

    @abc.abstractmethod
    def covariances_from_precisions(self, precisions, name="precisions"):
        """Return the covariances Sigma_k = Lambda_k^{-1} of the precisions.

        Parameters
        ----------
        precisions : ndarray
            The precisions Lambda_k, shaped like the covariances.
        name : str, default="precisions"
            The argument's name, for the messages.

        Returns
        -------
        covariances : ndarray
            The covariances, of the same shape.

        Raises
        ------
        ValueError
            If a precision is not positive definite.
        """

    @abc.abstractmethod
    def to_full(self, covariances, n_components, n_features):
        """Return every covariance as a full d x d matrix.

        Parameters
        ----------
        covariances : ndarray
            The covariances, of :meth:`shape`.
        n_components : int
            The number of components K.
        n_features : int
            The number of features d.

        Returns
        -------
        full : ndarray of shape (n_components, n_features, n_features)
            One matrix per component ("tied" repeats its matrix).
        """

    @abc.abstractmethod
    def from_full(self, full, weights):
        """Return full matrices reduced to this type's storage.

        Parameters
        ----------
        full : ndarray of shape (n_components, n_features, n_features)
            One covariance matrix per component.
        weights : ndarray of shape (n_components,)
            The weights of the average that "tied" takes.

        Returns
        -------
        covariances : ndarray
            The covariances, of :meth:`shape`.
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
        maha = np.empty((len(means), len(X)))  # (K, n)
        Y = np.empty_like(X)  # (n, d), reused by every component
        for k, (mu, U) in enumerate(zip(means, prec_chol, strict=True)):
            np.matmul(X, U, out=Y)  # rows x_i^T U_k, one matrix product
            Y -= mu @ U  # the whitened residuals (x_i - mu_k)^T U_k
            # the squared norm of each row
            np.einsum("ij,ij->i", Y, Y, out=maha[k])
        # (n, K), stored column by column: sums over k add whole columns
        return maha.T

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
        XU = X @ prec_chol  # (n, d), one product for all components
        maha = np.empty((len(means), len(X)))  # (K, n)
        Y = np.empty_like(X)  # (n, d), reused by every component
        for k, mu in enumerate(means):
            np.subtract(XU, mu @ prec_chol, out=Y)  # the whitened residuals
            # the squared norm of each row
            np.einsum("ij,ij->i", Y, Y, out=maha[k])
        # (n, K), stored column by column: sums over k add whole columns
        return maha.T

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
    """Return the :class:`CovarianceType` called ``covariance_type``.

    Parameters
    ----------
    covariance_type : {"full", "tied", "diag", "spherical"}
        The name of the type.

    Returns
    -------
    kind : CovarianceType
        The type's one instance.

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
    """Return covariances of any type as a stack of full matrices.

    For sampling and drawing; see :meth:`CovarianceType.to_full`.

    Parameters
    ----------
    covariances : array-like
        The covariances, shaped by ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}
        How the covariances are stored.
    n_components : int
        The number of components K.
    n_features : int
        The number of features d.

    Returns
    -------
    full : ndarray of shape (n_components, n_features, n_features)
        One covariance matrix per component.
    """
    covariances = np.asarray(covariances, dtype=float)
    return get(covariance_type).to_full(covariances, n_components, n_features)
