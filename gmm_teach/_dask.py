"""EM on a Dask array: the map-reduce of :mod:`gmm_teach.stats` (chapter 13).

:class:`gmm_teach.GaussianMixture` comes here when ``X`` is a Dask array,
and only then (``import gmm_teach`` loads NumPy only; this module loads
Dask). One EM iteration is one pass over the chunks of rows: each chunk's
E-step and sums (:func:`gmm_teach.stats._block_statistics`) run where the
chunk is, the statistics are added pairwise in a tree, and the M-step
(:func:`gmm_teach.stats._m_step_from_statistics`) runs on the client, which
holds the parameters (K d^2 numbers) and sends them with the next pass. The
loop is the in-memory one, :func:`gmm_teach.em.run_em`, so ``tol``,
``n_iter_``, ``lower_bounds_`` and the warnings are the same. ``X`` is
persisted first: every pass reads the chunks from the workers' memory (or
their spill to disk), not from the source again. With a
``distributed.Client`` active, the passes run on its cluster; otherwise on
Dask's local threads. Data larger than the workers' memory need a
cluster: its workers spill the persisted chunks to disk
(``bench/bench_dask.py`` fits four times their memory limit).

Speed: a chunk's E-step and sums are the in-memory ones. Distributed
starts its worker processes with ``MALLOC_TRIM_THRESHOLD_=65536``, under
which every large temporary array is mapped, zeroed and unmapped anew; so
the E-step and the scatter reuse their ``(n, K)`` and ``(n, d)`` arrays
where they can. ``bench/bench_dask.py`` measures one worker against the
in-memory EM, two workers against one, and what the setting still costs
(``--glibc-defaults``).

Missing values (NaN) are handled as in memory (chapter 11): a chunk with
NaN runs the E-step on its observed values and returns the sums of its
filled rows and their corrections (``stats._block_statistics_incomplete``),
a chunk without NaN takes the complete-data map; a row or a column with
nothing observed, and infinity, get the in-memory errors.

How a fit starts on a Dask array (``init_params``), from the data with
each NaN replaced by its column's mean, as in memory:

- ``"random_from_data"``: exactly as in memory, the same K rows (drawn
  with the same generator), fetched from their chunks;
- ``"random"``: exactly as in memory, each chunk drawing its part of the
  uniform responsibilities from the generator moved to that chunk's first
  row (``bit_generator.advance``);
- ``"kmeans"`` and ``"k-means++"``: on all rows when there are at most
  ``KMEANS_SAMPLE`` (100 000) of them, which is then the in-memory start
  exactly; otherwise on ``KMEANS_SAMPLE`` rows drawn without replacement,
  whose K-Means (and M-step) give the start: a good start, but not the one
  an in-memory fit of all rows would compute;
- the user's ``weights_init``, ``means_init`` and ``precisions_init`` are
  used as in memory, and replace the parts they give.
"""

from functools import reduce

import dask
import dask.array as da
import numpy as np

from gmm_teach._estimator import (
    _check_all_finite,
    _not_2d_message,
    _numeric_array,
    check_data_matrix,
)
from gmm_teach.covariance import NOT_POSITIVE_DEFINITE
from gmm_teach.em import _m_step, run_em
from gmm_teach.exceptions import ILL_DEFINED
from gmm_teach.init import _initial_parameters
from gmm_teach.patterns import _refuse_empty
from gmm_teach.stats import (
    _accumulate,
    _combine,
    _m_step_from_statistics,
    _statistics,
)

# "kmeans" and "k-means++" start from at most this many rows
KMEANS_SAMPLE = 100_000
# how many statistics one task of the reduction adds
SPLIT_EVERY = 8


# ------------------------------------------------------- checking X


def _check_shape(X, min_samples, caller, n_components):
    """Raise the in-memory message when X has too few rows or features."""
    n, d = X.shape
    if n < max(min_samples, n_components) or d < 1:
        # a stand-in of X's shape and dtype, with no data (n or d is small)
        stand_in = np.zeros(X.shape, dtype=X.dtype)
        check_data_matrix(
            stand_in,
            min_samples=min_samples,
            caller=caller,
            n_components=n_components,
        )


def _check_finite(X, caller):
    """Raise the in-memory messages if a chunk holds infinity, or if a row
    or a column has nothing observed (NaN is a missing value)."""
    isnan = da.isnan(X)
    n_bad, n_nan, empty_columns, n_empty_rows = dask.compute(
        (~da.isfinite(X) & ~isnan).sum(),
        isnan.sum(),
        isnan.all(axis=0),
        isnan.all(axis=1).sum(),
    )
    if n_bad:  # as many bad values as X has: the same message
        stand_in = np.full(n_bad, np.inf, dtype=X.dtype)
        _check_all_finite(stand_in, "X", caller, allow_nan=True)
    if n_nan:  # the rows are looked at only if one has nothing observed
        none = np.zeros(0, dtype=bool)
        empty_rows = isnan.all(axis=1).compute() if n_empty_rows else none
        _refuse_empty("X", empty_columns, empty_rows)


def _check_chunks(X):
    if np.isnan(X.shape[0]):
        X.compute_chunk_sizes()
    if len(X.chunks[1]) > 1:
        raise ValueError(
            "X must be split into chunks of rows only, each holding every "
            f"feature, got {len(X.chunks[1])} chunks along the features "
            f"(chunks={X.chunks[1]}). Rechunk first: X.rechunk({{1: -1}})."
        )


def check_dask_matrix(X, min_samples=1, caller="GaussianMixture"):
    """Return a Dask ``X`` checked as in memory, still lazy.

    The same checks and messages as
    :func:`gmm_teach._estimator.check_data_matrix` (2-D, real numbers,
    enough samples and features) and one more: the chunks must split the
    rows only. Finiteness is checked by :func:`persisted_data`.

    Parameters
    ----------
    X : dask.array.Array
        The data, one sample per row.
    min_samples : int, default=1
        The fewest samples accepted (``fit`` needs 2).
    caller : str, default="GaussianMixture"
        The estimator's name, for the messages.

    Returns
    -------
    X : dask.array.Array
        The data, float32 or float64, with known chunk sizes.
    """
    if X.ndim != 2:
        # the message shows a 0-D or 1-D array's values, as in memory
        shown = X.compute() if X.ndim < 2 else np.zeros(X.shape, X.dtype)
        raise ValueError(_not_2d_message(shown, "X", caller))
    kind = _numeric_array(np.zeros((1, 1), dtype=X.dtype), "X").dtype
    X = X.astype(kind, copy=False)
    _check_chunks(X)
    _check_shape(X, min_samples, caller, 1)
    return X


def persisted_data(X, n_components, caller="GaussianMixture"):
    """Return X checked, in float64 and persisted: what a fit reads.

    Parameters
    ----------
    X : dask.array.Array
        The data, one sample per row.
    n_components : int
        The number of components: at least as many rows are needed.
    caller : str, default="GaussianMixture"
        The estimator's name, for the messages.

    Returns
    -------
    X : dask.array.Array
        The data in float64, persisted (in the workers' memory, or spilled
        by them to disk).
    dtype : numpy.dtype
        The dtype of the data (float32 or float64), for the attributes.
    """
    X = check_dask_matrix(X, min_samples=2, caller=caller)
    dtype = X.dtype
    X = X.astype(np.float64, copy=False).persist()
    _check_finite(X, caller)
    _check_shape(X, 2, caller, n_components)
    return X, dtype


# ------------------------------------------------------- one pass


def _sum(*parts):
    return reduce(_combine, parts)


def _tree_sum(parts):
    """Add Delayed statistics pairwise in a tree, SPLIT_EVERY per task."""
    while len(parts) > 1:
        parts = [
            dask.delayed(_sum)(*parts[i : i + SPLIT_EVERY])
            for i in range(0, len(parts), SPLIT_EVERY)
        ]
    return parts[0]


def _blocks(X):
    """The chunks of rows of X, as Delayed NumPy arrays, top to bottom."""
    return list(X.to_delayed().ravel())


def _has_holes(X):
    """True if the Dask array ``X`` has a missing value (NaN): one pass."""
    return bool(da.isnan(X).any().compute())


def statistics(X, weights, means, covariances, covariance_type):
    """Return the sufficient statistics of one E-step over a Dask array.

    Chapter 13: the map (each chunk's E-step and sums, where the chunk is;
    a chunk with NaN gives chapter 11's statistics) and the reduce (the
    statistics added in a tree), computed at once.

    Parameters
    ----------
    X : dask.array.Array of shape (n_samples, n_features)
        Float64 data, in chunks of rows, NaN where a value is missing.
    weights : ndarray of shape (n_components,)
        Mixing weights pi_k.
    means : ndarray of shape (n_components, n_features)
        The component means mu_k.
    covariances : ndarray
        The covariances Sigma_k, shaped by ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}
        How the covariances are stored.

    Returns
    -------
    stats : gmm_teach.stats.SufficientStatistics
        The sums over every row, with the total log-likelihood.
    """
    task = dask.delayed(_statistics)
    parts = [
        task(block, weights, means, covariances, covariance_type)
        for block in _blocks(X)
    ]
    return dask.compute(_tree_sum(parts))[0]


def em(X, start, covariance_type, reg_covar, **loop_options):
    """Run EM on a Dask array from ``start``, one pass per iteration.

    The Dask twin of ``gmm_teach.em._em`` (and, when ``X`` has NaN, of
    ``gmm_teach.missing._em``): the same loop
    (:func:`gmm_teach.em.run_em`) with the E-step a pass over the chunks
    and the M-step from the summed statistics. The result's
    ``responsibilities`` hold the statistics of the final E-step (the
    responsibilities themselves are never gathered).

    Parameters
    ----------
    X : dask.array.Array of shape (n_samples, n_features)
        Float64 data, in chunks of rows, persisted; NaN where a value is
        missing.
    start : tuple of ndarray
        The starting (weights, means, covariances).
    covariance_type : {"full", "tied", "diag", "spherical"}
        How the covariances are stored.
    reg_covar : float
        Added to every covariance's diagonal at every M-step.
    **loop_options
        ``max_iter``, ``tol``, ``callback`` and ``lower_bound`` of
        :func:`gmm_teach.em.run_em`.

    Returns
    -------
    result : gmm_teach.em.EMResult
        The fitted parameters and the log-likelihood of every iteration.
    """

    def e(weights, means, covariances):
        stats = statistics(X, weights, means, covariances, covariance_type)
        return stats, stats.log_likelihood

    def m(stats):
        return _m_step_from_statistics(stats, reg_covar)

    return run_em(e, m, start, X.shape[0], **loop_options)


# ------------------------------------------------------- starts


def _random_block(block, bit_state, n_components, covariance_type):
    """The statistics of one chunk's uniform starting responsibilities."""
    rng = np.random.Generator(bit_state)
    resp = rng.uniform(size=(block.shape[0], n_components))
    return _accumulate(
        block, resp / resp.sum(axis=1, keepdims=True), covariance_type
    )


def _random_start(X, n_components, covariance_type, reg_covar, rng):
    """``"random"`` as in memory: each chunk draws its rows' uniforms."""
    if not hasattr(rng.bit_generator, "advance"):
        raise ValueError(
            "init_params='random' on a Dask array needs a generator that "
            "can jump ahead (PCG64, the default), got "
            f"{type(rng.bit_generator).__name__}: pass an int random_state."
        )
    parts, offset = [], 0
    for block, n_rows in zip(_blocks(X), X.chunks[0], strict=True):
        bit_state = type(rng.bit_generator)()
        bit_state.state = rng.bit_generator.state
        bit_state.advance(offset * n_components)  # one draw per double
        parts.append(
            dask.delayed(_random_block)(
                block, bit_state, n_components, covariance_type
            )
        )
        offset += n_rows
    total = dask.compute(_tree_sum(parts))[0]
    rng.bit_generator.advance(offset * n_components)
    return _m_step_from_statistics(total, reg_covar)


def initial_parameters(
    X, n_components, method, covariance_type, reg_covar, rng
):
    """Return the start of ``method`` on a Dask array (see the module).

    Parameters
    ----------
    X : dask.array.Array of shape (n_samples, n_features)
        Float64 data, in chunks of rows.
    n_components : int
        The number of components K.
    method : {"kmeans", "k-means++", "random", "random_from_data"}
        How to start.
    covariance_type : {"full", "tied", "diag", "spherical"}
        How the covariances are stored.
    reg_covar : float
        Added to every covariance's diagonal.
    rng : numpy.random.Generator
        Where every random draw comes from, as in memory.

    Returns
    -------
    weights : ndarray of shape (n_components,)
        The starting mixing weights.
    means : ndarray of shape (n_components, n_features)
        The starting means.
    covariances : ndarray
        The starting covariances, shaped by ``covariance_type``.
    """
    if _has_holes(X):  # as in memory: the start of the mean-filled data
        column_means = da.nanmean(X, axis=0).compute()  # (d,)
        X = da.where(da.isnan(X), column_means, X)
    n_samples = X.shape[0]
    if method == "random":
        return _random_start(X, n_components, covariance_type, reg_covar, rng)
    if method == "random_from_data":
        # the draw of init.initial_responsibilities; the other rows have r = 0
        indices = rng.choice(n_samples, size=n_components, replace=False)
        rows = X[indices].compute()  # (K, d), row k is component k's seed
        return _m_step(rows, np.eye(n_components), covariance_type, reg_covar)
    if n_samples <= KMEANS_SAMPLE:
        sample = X.compute()  # every row: the in-memory start exactly
    else:
        chosen = rng.choice(n_samples, size=KMEANS_SAMPLE, replace=False)
        sample = X[np.sort(chosen)].compute()
    return _initial_parameters(
        sample, n_components, method, covariance_type, reg_covar, rng
    )


# ------------------------------------------------------- a fitted mixture


def _check_fitted_dask(model, X):
    model._check_is_fitted()
    X = check_dask_matrix(X, caller=type(model).__name__)
    model._check_n_features(X)  # reads X.shape only
    return X


def predict_proba(model, X):
    """Return ``model.predict_proba`` of a Dask array, as a Dask array.

    Parameters
    ----------
    model : gmm_teach.GaussianMixture
        A fitted mixture.
    X : dask.array.Array of shape (n_samples, n_features)
        The data, in chunks of rows.

    Returns
    -------
    resp : dask.array.Array of shape (n_samples, n_components)
        The responsibilities, chunk by chunk (lazy).
    """
    X = _check_fitted_dask(model, X)
    dtype = np.result_type(X.dtype, model.means_.dtype)
    n_components = len(model.weights_)
    return X.map_blocks(
        model.predict_proba,
        chunks=(X.chunks[0], (n_components,)),
        dtype=dtype,
    )


def score_samples(model, X):
    """Return ``model.score_samples`` of a Dask array, as a Dask array.

    Parameters
    ----------
    model : gmm_teach.GaussianMixture
        A fitted mixture.
    X : dask.array.Array of shape (n_samples, n_features)
        The data, in chunks of rows.

    Returns
    -------
    log_prob : dask.array.Array of shape (n_samples,)
        The log-density log p(x_i) of each sample, chunk by chunk (lazy).
    """
    X = _check_fitted_dask(model, X)
    dtype = np.result_type(X.dtype, model.means_.dtype)
    return X.map_blocks(
        model.score_samples, drop_axis=1, chunks=(X.chunks[0],), dtype=dtype
    )


def _chunk_log_likelihood(block, model):
    """sum_i log p(x_i) over one chunk, as a 1-element array."""
    return np.array([model._total_log_likelihood(model._check_X(block))])


def total_log_likelihood(model, X):
    """Return l = sum_i log p(x_i) of a Dask array, for ``bic`` and ``aic``.

    One pass: each chunk's sum, then the sum of those; ``X`` is never
    gathered. Each chunk is checked as ``bic`` checks an in-memory ``X``
    (NaN marginalised, as in memory).

    Parameters
    ----------
    model : gmm_teach.GaussianMixture
        A fitted mixture.
    X : dask.array.Array of shape (n_samples, n_features)
        The data, in chunks of rows.

    Returns
    -------
    log_likelihood : float
        The total log-likelihood of the rows of ``X``.
    """
    X = _check_fitted_dask(model, X)
    per_chunk = X.map_blocks(
        _chunk_log_likelihood,
        model,
        drop_axis=1,
        chunks=((1,) * X.numblocks[0],),
        meta=np.empty(0),
    )
    return float(per_chunk.sum().compute())


# ------------------------------------------------------- the fit


def fit(model, X):
    """Fit ``model`` (a GaussianMixture) on a Dask array, as ``fit`` does.

    The best of ``n_init`` starts (or a warm start), each run by
    :func:`em`; the same checks, warnings and errors as in memory.

    Parameters
    ----------
    model : gmm_teach.GaussianMixture
        The estimator to fit; its ``_start`` and ``_fit_once`` come here
        for a Dask array.
    X : dask.array.Array of shape (n_samples, n_features)
        The data, in chunks of rows.

    Returns
    -------
    model : gmm_teach.GaussianMixture
        The fitted estimator.
    """
    model._validate_params()
    caller = type(model).__name__
    X, dtype = persisted_data(X, model.n_components, caller)
    try:
        best = model._best_run(X)
    except ValueError as error:  # a collapse: scikit-learn's words first
        if not str(error).startswith(NOT_POSITIVE_DEFINITE.split("{")[0]):
            raise
        raise ValueError(f"{ILL_DEFINED} {error}") from None
    if not best.converged and model.max_iter > 0:
        model._warn_not_converged()
    model._set_fitted(best, X.astype(dtype, copy=False))  # dtype and shape
    return model
