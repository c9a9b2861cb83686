"""Missing values in a data matrix: the check, the patterns, mean filling.

Chapter 11. A missing value is a NaN. Each row observes some coordinates,
o, and misses the others, u; the rows that miss the same coordinates share
a missingness pattern, and :mod:`gmm_teach.missing` does its linear algebra
once per pattern, not once per row. A row with nothing observed carries no
information, a column with nothing observed cannot be estimated, and an
infinite value is an error, not a hole: :func:`check_incomplete_array`
refuses all three and names them.
"""

from dataclasses import dataclass

import numpy as np


def _positions(mask, limit=10):
    """The first ``limit`` indices where ``mask`` holds, as text."""
    where = np.flatnonzero(mask)
    shown = ", ".join(map(str, where[:limit]))
    return shown + (", ..." if where.size > limit else "")


def check_incomplete_array(X, name="X", check_columns=True):
    """Return ``X`` as a 2-D float array whose missing values are NaN.

    The check of data with holes: NaN is a missing value; an infinite value,
    a row with nothing observed and (with ``check_columns``) a column with
    nothing observed are refused, and the message names them.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data; a 1-D array is one feature.
    name : str, default="X"
        The argument's name, for the messages.
    check_columns : bool, default=True
        Also refuse a column with nothing observed (fitting needs at least
        one value of every feature; scoring does not).

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        ``X`` as float64.
    """
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name} must be an array of numbers, got {type(X).__name__}"
        ) from error
    X = X[:, np.newaxis] if X.ndim == 1 else X
    if X.ndim != 2 or X.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 2-D array, got shape {X.shape}"
        )
    infinite = np.isinf(X)
    if infinite.any():
        raise ValueError(
            f"{name} must hold finite numbers or NaN (a missing value), got "
            f"{infinite.sum()} infinite value(s), in rows "
            f"{_positions(infinite.any(axis=1))}"
        )
    observed = ~np.isnan(X)  # (n, d)
    empty_columns = ~observed.any(axis=0) if check_columns else None
    _refuse_empty(name, empty_columns, ~observed.any(axis=1))
    return X


def _refuse_empty(name, empty_columns, empty_rows):
    """Raise if a column (unless ``empty_columns`` is None) or a row has
    nothing observed, naming the first ones (masks of shape (d,), (n,))."""
    if empty_columns is not None and empty_columns.any():
        raise ValueError(
            f"{name} has no observed value in column(s) "
            f"{_positions(empty_columns)}: nothing can be learnt about such "
            "a feature; drop it"
        )
    if empty_rows.any():
        raise ValueError(
            f"{name} has no observed value in row(s) {_positions(empty_rows)}"
            f" ({empty_rows.sum()} in all): such a row carries no "
            "information; drop it"
        )


@dataclass(frozen=True)
class Pattern:
    """A missingness pattern and the rows that have it.

    Parameters
    ----------
    observed : ndarray of shape (n_features,)
        True for the coordinates o that these rows observe, False for the
        missing ones, u.
    rows : ndarray of shape (n_rows,)
        The indices of the rows of ``X`` with this pattern, increasing.
    """

    observed: np.ndarray  # (d,) bool
    rows: np.ndarray  # (n_rows,) int


def missingness_patterns(X):
    """Group the rows of ``X`` by which of their coordinates are NaN.

    Unchecked: pass the output of :func:`check_incomplete_array`.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The data, NaN where a value is missing.

    Returns
    -------
    patterns : list of Pattern
        One per distinct pattern; every row is in exactly one.
    """
    observed = ~np.isnan(X)  # (n, d)
    # each row's pattern as one byte string: np.unique sorts those fast
    packed = np.packbits(observed, axis=1)  # (n, ceil(d / 8))
    keys = packed.view(np.dtype((np.void, packed.shape[1])))[:, 0]  # (n,)
    _, first, which = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(which, kind="stable")  # rows, grouped by pattern
    groups = np.split(order, np.cumsum(np.bincount(which))[:-1])
    return [
        Pattern(observed[i], rows)
        for i, rows in zip(first, groups, strict=True)
    ]


def fill_with_means(X):
    """Return a copy of ``X`` with every NaN replaced by its column's mean.

    Mean imputation: the start of a fit with missing values, and the
    baseline that exact EM is compared with in chapter 11.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data, NaN where a value is missing; every column has a value.

    Returns
    -------
    X_filled : ndarray of shape (n_samples, n_features)
        The data with each NaN replaced by the mean of the observed values
        of its column.
    """
    X = check_incomplete_array(X)
    missing = np.isnan(X)
    column_means = np.nanmean(X, axis=0)  # (d,)
    return np.where(missing, column_means, X)
