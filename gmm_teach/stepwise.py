"""Stepwise EM: EM on a stream of batches (chapter 13).

Batch EM reads every row at every iteration. Stepwise (mini-batch, online)
EM reads each batch once: it keeps running sufficient statistics
tau_hat_t (:class:`gmm_teach.stats.SufficientStatistics`), moves them a
step eta_t towards the statistics tau_bar_t of the new batch, computed with
the current parameters, and takes the M-step of the running statistics
(Cappe and Moulines, 2009; Liang and Klein, 2009)::

    tau_bar_t = the statistics of batch t under theta^(t-1)
    tau_hat_t = (1 - eta_t) tau_hat_{t-1} + eta_t tau_bar_t
    theta^(t) = the M-step of tau_hat_t
    eta_t     = (learning_offset + t) ** -learning_decay,  t = 2, 3, ...

and eta_1 = 1: the first batch's statistics start the running sums. The
names and defaults of the schedule are those of scikit-learn's online
``LatentDirichletAllocation``: ``learning_decay`` in (0.5, 1] makes the
steps shrink fast enough for the running statistics to settle and slowly
enough for every batch to count (sum eta_t = inf, sum eta_t^2 < inf);
``learning_offset`` makes the first steps smaller. With
``learning_decay=0`` every step is 1, and a call on the whole data is one
EM iteration exactly.

The running statistics are kept as sums over as many rows as the latest
batch has: before a step, the old sums are rescaled to the new batch's size
(by n_t / n_{t-1}, n_t the rows of batch t), so a large batch does not
outweigh a small one beyond its step size.
"""

from types import SimpleNamespace

import numpy as np

from gmm_teach._estimator import to_generator
from gmm_teach._options import Constraint, check_constraints, real
from gmm_teach.stats import (
    _combine,
    _m_step_from_statistics,
    _statistics,
    scaled,
)

# what learning_decay and learning_offset may be, in scikit-learn's words
# (those of LatentDirichletAllocation's options)
LEARNING_DECAY = Constraint(
    "a float in the range [0.0, 1.0]",
    lambda v: (
        isinstance(v, (int, float, np.number))
        and not isinstance(v, bool)
        and 0 <= v <= 1
    ),
)
SCHEDULE_CONSTRAINTS = {
    "learning_decay": [LEARNING_DECAY],
    "learning_offset": [real(1.0)],
}


def step_size(t, learning_decay=0.7, learning_offset=10.0):
    """Return eta_t, the step size of stepwise EM's t-th batch.

    eta_1 = 1 (the first batch starts the running statistics), then
    eta_t = (learning_offset + t) ** -learning_decay, eq. (13.4): t_0 is
    ``learning_offset`` and zeta ``learning_decay``.

    Parameters
    ----------
    t : int
        The number of the batch, from 1.
    learning_decay : float, default=0.7
        How fast the steps shrink, in [0, 1]; 0 keeps them at 1.
    learning_offset : float, default=10.0
        How much smaller the first steps are, at least 1.

    Returns
    -------
    eta : float
        The weight of the t-th batch's statistics, in (0, 1].
    """
    if t == 1:
        return 1.0
    return float((learning_offset + t) ** -learning_decay)


def stepwise_update(running, batch, eta):
    """Return tau_hat_t = (1 - eta) tau_hat_{t-1} + eta tau_bar_t.

    The stepwise update of chapter 13, eq. (13.4).

    The old statistics are first rescaled to as many rows as the batch
    has; with ``eta = 1`` the result is the batch's statistics
    exactly.

    Parameters
    ----------
    running : SufficientStatistics or None
        The running statistics tau_hat_{t-1}; None before the first batch.
    batch : SufficientStatistics
        The statistics tau_bar_t of the new batch, with the current parameters.
    eta : float
        The step size, in [0, 1].

    Returns
    -------
    running : SufficientStatistics
        The running statistics tau_hat_t.
    """
    if running is None:
        return batch
    to_batch_size = batch.n_samples / running.n_samples
    old = scaled(running, (1.0 - eta) * to_batch_size)
    return _combine(old, scaled(batch, eta))


def _first_start(model, X):
    """The start that ``fit`` would draw on the first batch, checked X."""
    X = model._check_data(X, fitting=True)  # NaN: a missing value
    X64 = np.asarray(X, dtype=float)
    rng = to_generator(model.random_state)
    start = model._start(X64, rng, model._user_start(X.shape[1]))
    return X, start, None, 0


def _continued(model, X):
    """Checked X, the parameters, running statistics and batch count.

    After ``partial_fit``, its own float64 parameters and statistics;
    after ``fit``, the fitted parameters and no statistics.
    """
    X = model._check_X(X)
    state = getattr(model, "_stepwise_state", None)
    if state is not None and state[0] is model.means_:
        _, params, running = state
        return X, params, running, model.n_steps_
    return X, model._previous_fit(X), None, 0


def partial_fit(model, X, learning_decay=0.7, learning_offset=10.0):
    """One step of stepwise EM on the batch X; the work of ``partial_fit``.

    The first call (on an unfitted model) starts as ``fit`` does, with
    ``init_params`` or the ``*_init`` drawn on this batch; a model fitted
    by ``fit`` continues from its parameters.

    Parameters
    ----------
    model : gmm_teach.GaussianMixture
        The estimator, updated in place.
    X : array-like of shape (n_samples, n_features)
        The batch.
    learning_decay : float, default=0.7
        How fast the steps shrink, in [0, 1] (:func:`step_size`).
    learning_offset : float, default=10.0
        How much smaller the first steps are, at least 1.

    Returns
    -------
    model : gmm_teach.GaussianMixture
        The updated estimator.
    """
    model._validate_params()
    schedule = {
        "learning_decay": learning_decay,
        "learning_offset": learning_offset,
    }
    check_constraints(schedule, SCHEDULE_CONSTRAINTS, type(model).__name__)
    if hasattr(model, "means_"):
        X, params, running, t = _continued(model, X)
    else:
        X, params, running, t = _first_start(model, X)
    t += 1
    eta = step_size(t, learning_decay, learning_offset)
    # tau_bar_t; with NaN, chapter 11's statistics
    batch = _statistics(
        np.asarray(X, dtype=float), *params, model.covariance_type
    )
    running = stepwise_update(running, batch, eta)
    params = _m_step_from_statistics(running, model.reg_covar)
    # what _set_fitted reads: one step, and the batch's log-likelihood
    # under the parameters before the step; a stream never converges
    result = SimpleNamespace(
        weights=params[0],
        means=params[1],
        covariances=params[2],
        log_likelihoods=np.array([batch.log_likelihood]),
        n_iter=1,
        converged=False,
    )
    model._set_fitted(result, X)
    model.n_steps_ = t
    model._stepwise_state = (model.means_, params, running)
    return model
