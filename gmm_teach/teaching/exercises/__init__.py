"""Self-checks for the book's exercises: call one on your answer and read the
feedback.

Every check prints, and returns as a :class:`CheckResult`, either
``"Correct: ..."`` or precisely what is wrong ("the rows do not sum to one",
"the weights are not divided by n", ...). It never prints the expected numbers:
the point is that you find them. A result is truthy when the answer is right,
so a solution cell can say ``assert check_m_step(m_step)``.

The checks compare your answer with the package's own functions
(:mod:`gmm_teach.em`, :mod:`gmm_teach.em1d`, :mod:`gmm_teach.selection`) and
with the typical mistakes, each computed on purpose, so a wrong answer is
named, not only rejected.

==============================  =====================================  ========
check                           what it takes                          chapter
==============================  =====================================  ========
:func:`check_close`             any number or array against the        all
                                expected one
:func:`check_function`          what your function returns, against    1, 7
                                the expected
:func:`check_gaussian_pdf`      your 1-D normal density                2
                                ``pdf(x, mean, variance)``
:func:`check_sampler`           your ancestral sampler of a mixture    2
:func:`check_responsibilities`  your responsibilities for given        3
                                parameters
:func:`check_e_step`            your ``e_step(X, weights, means,       3
                                covariances)``
:func:`check_log_likelihood`    your value of l(theta) for given       4
                                parameters
:func:`check_m_step`            your ``m_step(X, resp)``               4, 8, 14
:func:`check_e_step_1d`         your ``e_step(x, weights, means,       5
                                variances)``
:func:`check_m_step_1d`         your ``m_step(x, resp)``               5
:func:`check_predict`           your hard labels (or labelling         3, 6, 10
                                function)
:func:`check_n_parameters`      your count of free parameters          9
:func:`check_bic`               your BIC value (or BIC function)       9
:func:`check_missing_m_step`    your M-step with missing values        11
                                (and its correction term)
``check_expected_log_weights``  your E[log pi_k] function,             12
                                ``(nk, weight_concentration_prior)``
:func:`check_merge`             your merge of two blocks' centred      13
                                sums ``my_merge(a, b)``
==============================  =====================================  ========

The checks live in one module per idea; import them from here
(``from gmm_teach.teaching.exercises import check_m_step``):

- ``values``: any number, array or function (chapters 1, 3, 5, 7, 10);
- ``gaussians``: a density and a sampler (chapter 2);
- ``e_step``: responsibilities, labels and the log-likelihood (chapters 3 to
  6, 10, 14);
- ``m_step``: the M-step (chapters 4, 5, 8, 14);
- ``choosing_k``: parameter counts and the BIC (chapter 9);
- ``missing``: the M-step with missing values and its correction term
  (chapter 11);
- ``bayesian``: the expected log-weights of a Bayesian mixture (chapter 12);
- ``merging``: two blocks' centred sums merged (chapter 13);
- ``_feedback``: what they share: the verdict :class:`CheckResult`,
  ``_report`` and ``_named_mistake``, and the fixed problem.
"""

from gmm_teach.teaching.exercises._feedback import ATOL, RTOL, CheckResult
from gmm_teach.teaching.exercises.bayesian import check_expected_log_weights
from gmm_teach.teaching.exercises.choosing_k import (
    check_bic,
    check_n_parameters,
)
from gmm_teach.teaching.exercises.e_step import (
    FAR_POINT_HINT,
    check_e_step,
    check_e_step_1d,
    check_log_likelihood,
    check_predict,
    check_responsibilities,
)
from gmm_teach.teaching.exercises.gaussians import (
    check_gaussian_pdf,
    check_sampler,
)
from gmm_teach.teaching.exercises.m_step import check_m_step, check_m_step_1d
from gmm_teach.teaching.exercises.merging import check_merge
from gmm_teach.teaching.exercises.missing import check_missing_m_step
from gmm_teach.teaching.exercises.values import check_close, check_function

# in the order of the table above
__all__ = [
    "CheckResult",
    "check_close",
    "check_function",
    "check_gaussian_pdf",
    "check_sampler",
    "check_responsibilities",
    "check_e_step",
    "check_log_likelihood",
    "check_m_step",
    "check_e_step_1d",
    "check_m_step_1d",
    "check_predict",
    "check_n_parameters",
    "check_bic",
    "check_missing_m_step",
    "check_expected_log_weights",
    "check_merge",
    "FAR_POINT_HINT",
    "RTOL",
    "ATOL",
]
