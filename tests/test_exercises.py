"""Tests of gmm_teach.teaching.exercises: every check passes a right answer and names typical wrong ones."""

import math

import numpy as np
import pytest
from scipy.stats import multivariate_normal

from gmm_teach import em, em1d, selection
from gmm_teach.teaching import exercises
from gmm_teach.teaching.exercises import CheckResult, _feedback
from gmm_teach.teaching.exercises._feedback import _fixed_problem

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")


def passes(result):
    assert isinstance(result, CheckResult)
    assert result.passed and bool(result), result.message
    assert result.message.startswith("Correct: ")


def fails(result, *words):
    """The check failed, and its message contains every one of ``words``."""
    assert isinstance(result, CheckResult)
    assert not result.passed and not bool(result), result.message
    assert result.message.startswith("Not yet:")
    for word in words:
        assert word in result.message, f"{word!r} not in {result.message!r}"


@pytest.fixture
def problem():
    """A 2-D mixture problem: X (60, 2), unequal weights, full covariances."""
    rng = np.random.default_rng(7)
    means = np.array([[0.0, 0.0], [3.0, 1.0], [0.0, 3.5]])
    X = np.concatenate([rng.normal(m, 1.0, size=(20, 2)) for m in means])
    weights = np.array([0.6, 0.3, 0.1])
    covariances = np.array(
        [np.eye(2), [[1.0, 0.4], [0.4, 0.8]], 0.5 * np.eye(2)]
    )
    return X, weights, means + 0.2, covariances


# ---------------------------------------------------------------------------- the result


def test_result_is_printed_once_and_truthy(capsys):
    result = exercises.check_close(2.0, 2.0)
    assert capsys.readouterr().out == result.message + "\n"
    assert str(result) == result.message and result
    result._ipython_display_()  # outside IPython: shown again when displayed
    assert capsys.readouterr().out == result.message + "\n"


def test_result_is_not_shown_twice_in_the_cell_that_made_it(
    capsys, monkeypatch
):
    monkeypatch.setattr(_feedback, "_current_cell", lambda: 5)
    result = exercises.check_close(1.0, 2.0)
    capsys.readouterr()
    result._ipython_display_()  # the last line of the same cell: already printed
    assert capsys.readouterr().out == ""
    monkeypatch.setattr(_feedback, "_current_cell", lambda: 6)
    result._ipython_display_()  # displayed in a later cell
    assert "Not yet" in capsys.readouterr().out


# ---------------------------------------------------------------------------- check_close


def test_check_close_right_and_wrong_numbers():
    passes(exercises.check_close(0.5 + 1e-9, 0.5, "pi_1"))
    fails(exercises.check_close(0.7, 0.5, "pi_1"), "pi_1 is too big")
    fails(exercises.check_close(0.3, 0.5), "too small")
    fails(exercises.check_close(-0.5, 0.5), "wrong sign")
    fails(exercises.check_close("half", 0.5), "should be a number")
    fails(exercises.check_close(float("nan"), 0.5), "NaN")


def test_check_close_arrays():
    expected = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    passes(exercises.check_close(expected.tolist(), expected))
    fails(
        exercises.check_close(expected.T, expected, "means"),
        "means is transposed",
    )
    fails(exercises.check_close(expected[0], expected), "shape (3,)", "(2, 3)")
    wrong = expected.copy()
    wrong[1, 2] = 7.0
    fails(
        exercises.check_close(wrong, expected),
        "1 of 6 entries",
        "(1, 2)",
        "too big",
    )


def test_check_close_never_prints_the_expected_value():
    result = exercises.check_close(1.0, 0.123456)
    assert "0.123" not in result.message


def test_check_close_rejects_a_bad_expected_value():
    with pytest.raises(ValueError, match="expected"):
        exercises.check_close(1.0, np.nan)


# ---------------------------------------------------------------------------- check_gaussian_pdf


def right_pdf(x, mean, variance):
    return np.exp(-((x - mean) ** 2) / (2 * variance)) / np.sqrt(
        2 * np.pi * variance
    )


def test_check_gaussian_pdf_right():
    passes(exercises.check_gaussian_pdf(right_pdf))
    passes(exercises.check_gaussian_pdf(em1d.normal_pdf))
    passes(
        exercises.check_gaussian_pdf(
            lambda x, m, s: right_pdf(x, m, s**2), parameter="std"
        )
    )


@pytest.mark.parametrize(
    "pdf, words",
    [
        (
            lambda x, m, v: right_pdf(x, m, v**2),
            ["variance where the standard deviation belongs"],
        ),
        (
            lambda x, m, v: right_pdf(x, m, v) * np.sqrt(2 * np.pi),
            ["1/sqrt(2 pi)"],
        ),
        (
            lambda x, m, v: np.exp(-((x - m) ** 2) / (2 * v)),
            ["normalising factor"],
        ),
        (
            lambda x, m, v: (
                np.exp(-((x - m) ** 2) / v) / np.sqrt(2 * np.pi * v)
            ),
            ["factor 1/2"],
        ),
        (
            lambda x, m, v: (
                np.exp((x - m) ** 2 / (2 * v)) / np.sqrt(2 * np.pi * v)
            ),
            ["minus sign"],
        ),
        (
            lambda x, m, v: (
                np.exp(-((x - m) ** 2) / (2 * v)) / (2 * np.pi * v)
            ),
            ["square root"],
        ),
        (lambda x, m, v: right_pdf(x, m, v)[:3], ["shape (3,)"]),
        (
            lambda x, m, v: math.exp(-((x - m) ** 2) / (2 * v)),
            ["raised TypeError", "np.exp"],
        ),
    ],
)
def test_check_gaussian_pdf_names_the_mistake(pdf, words):
    fails(exercises.check_gaussian_pdf(pdf), *words)


def test_check_gaussian_pdf_std_used_as_variance():
    fails(
        exercises.check_gaussian_pdf(right_pdf, parameter="std"),
        "standard deviation where the variance",
    )


def test_check_gaussian_pdf_bad_input():
    with pytest.raises(TypeError, match="my_pdf must be a function"):
        exercises.check_gaussian_pdf(3.0)
    with pytest.raises(ValueError, match="parameter"):
        exercises.check_gaussian_pdf(right_pdf, parameter="sigma")


# ---------------------------------------------------------------------------- responsibilities


def densities(X, means, covariances):
    """N(x_i | mu_k, Sigma_k), the slow obvious way, shape (n, K)."""
    return np.stack(
        [
            multivariate_normal(m, c).pdf(X)
            for m, c in zip(means, covariances, strict=True)
        ],
        axis=1,
    )


def test_check_responsibilities_right(problem):
    X, weights, means, covariances = problem
    resp, _ = em.e_step(X, weights, means, covariances)
    passes(
        exercises.check_responsibilities(resp, X, weights, means, covariances)
    )
    joint = weights * densities(X, means, covariances)
    passes(
        exercises.check_responsibilities(
            joint / joint.sum(1, keepdims=True), X, weights, means, covariances
        )
    )


def test_check_responsibilities_for_every_covariance_type():
    X, weights, means, _, _ = _fixed_problem()
    for covariance_type in COVARIANCE_TYPES:
        covariances = _fixed_problem(covariance_type)[3]
        resp, _ = em.e_step(X, weights, means, covariances, covariance_type)
        passes(
            exercises.check_responsibilities(
                resp, X, weights, means, covariances, covariance_type
            )
        )
        fails(
            exercises.check_responsibilities(
                resp[:, ::-1], X, weights, means, covariances, covariance_type
            ),
            "differ from Bayes' rule",
        )


def test_check_responsibilities_names_the_mistake(problem):
    X, weights, means, covariances = problem
    resp, _ = em.e_step(X, weights, means, covariances)
    dens = densities(X, means, covariances)
    check = exercises.check_responsibilities
    fails(check(resp.T, X, weights, means, covariances), "transposed")
    fails(
        check(resp[:10], X, weights, means, covariances),
        "shape (10, 3)",
        "(60, 3)",
    )
    fails(
        check(weights * dens, X, weights, means, covariances),
        "do not sum to one",
        "denominator",
    )
    fails(
        check(
            dens / dens.sum(1, keepdims=True), X, weights, means, covariances
        ),
        "mixing weights are missing",
    )
    fails(
        check(dens, X, weights, means, covariances), "these are the densities"
    )
    fails(
        check(np.log(resp), X, weights, means, covariances),
        "log-responsibilities",
    )
    fails(check(resp - 0.5, X, weights, means, covariances), "negative")
    fails(
        check(resp * 1.5, X, weights, means, covariances), "do not sum to one"
    )
    fails(
        check(np.full_like(resp, np.nan), X, weights, means, covariances),
        "NaN",
    )


def test_check_responsibilities_bad_parameters(problem):
    X, weights, means, covariances = problem
    with pytest.raises(ValueError, match="weights"):
        exercises.check_responsibilities(
            np.ones((60, 3)) / 3, X, weights * 2, means, covariances
        )


# ---------------------------------------------------------------------------- E-step


def naive_e_step(X, weights, means, covariances):
    """Bayes' rule outside log space: right, until a point is far from every component."""
    joint = weights * densities(X, means, covariances)
    return joint / joint.sum(axis=1, keepdims=True)


def test_check_e_step_right():
    passes(exercises.check_e_step(em.e_step))
    # resp alone is fine too
    passes(exercises.check_e_step(lambda *args: em.e_step(*args)[0]))
    for covariance_type in COVARIANCE_TYPES:
        passes(
            exercises.check_e_step(
                lambda X, w, m, c, t=covariance_type: em.e_step(X, w, m, c, t),
                covariance_type,
            )
        )


def test_check_e_step_does_not_pass_an_e_step_that_underflows():
    """Exercise 3.3 asks for an E-step that never returns NaN: the naive one
    is right on ordinary data, and the report says so, but it is not done."""
    result = exercises.check_e_step(naive_e_step)
    assert not result and result.message.startswith("Not yet: ")
    assert "right responsibilities on ordinary data" in result.message
    assert (
        "far from every component" in result.message
        and "log-sum-exp" in result.message
    )


def test_check_e_step_names_the_mistake():
    def without_weights(X, weights, means, covariances):
        dens = densities(X, means, covariances)
        return dens / dens.sum(axis=1, keepdims=True)

    def mean_log_likelihood(X, weights, means, covariances):
        resp, ll = em.e_step(X, weights, means, covariances)
        return resp, ll / len(X)

    def broken(X, weights, means, covariances):
        raise KeyError("oops")

    fails(
        exercises.check_e_step(without_weights), "mixing weights are missing"
    )
    fails(
        exercises.check_e_step(mean_log_likelihood),
        "mean log-likelihood per sample",
    )
    fails(
        exercises.check_e_step(lambda *args: em.e_step(*args)[0].T),
        "transposed",
    )
    fails(exercises.check_e_step(broken), "raised KeyError")


def test_check_e_step_bad_input():
    with pytest.raises(TypeError, match="my_e_step must be a function"):
        exercises.check_e_step(None)
    with pytest.raises(ValueError, match="covariance_type"):
        exercises.check_e_step(em.e_step, "round")


def test_check_e_step_1d():
    passes(exercises.check_e_step_1d(em1d.e_step))

    def variance_as_std(x, weights, means, variances):
        joint = weights * em1d.normal_pdf(x[:, None], means, variances**2)
        return joint / joint.sum(axis=1, keepdims=True)

    def naive(x, weights, means, variances):
        joint = weights * em1d.normal_pdf(x[:, None], means, variances)
        return joint / joint.sum(axis=1, keepdims=True)

    fails(
        exercises.check_e_step_1d(variance_as_std), "differ from Bayes' rule"
    )
    fails(exercises.check_e_step_1d(naive), "far from every component")


# ---------------------------------------------------------------------------- M-step

# a global an M-step can wrongly read
OLD_MEANS = _fixed_problem()[2]


def m_step_with(
    X, resp, weights=None, means=None, covariances=None, covariance_type="full"
):
    """The right M-step with one part swapped for a wrong one (a function of X, resp, nk, means)."""
    nk = resp.sum(axis=0)
    w, m, c = em.m_step(X, resp, covariance_type, reg_covar=0.0)
    return (
        w if weights is None else weights(X, resp, nk, m),
        m if means is None else means(X, resp, nk, m),
        c if covariances is None else covariances(X, resp, nk, m),
    )


def full_covariances(X, resp, centres, divisor):
    return np.stack(
        [
            (resp[:, k] * (X - centres[k]).T) @ (X - centres[k]) / divisor[k]
            for k in range(resp.shape[1])
        ]
    )


M_STEP_MISTAKES = {
    "weights sum to n": (
        dict(weights=lambda X, r, nk, m: nk),
        ["not divided by n"],
    ),
    "means not divided": (
        dict(means=lambda X, r, nk, m: r.T @ X),
        ["means are not divided by N_k"],
    ),
    "means divided by n": (
        dict(means=lambda X, r, nk, m: r.T @ X / len(X)),
        ["means are divided by n"],
    ),
    "no mean subtracted": (
        dict(
            covariances=lambda X, r, nk, m: full_covariances(X, r, 0 * m, nk)
        ),
        ["mean is not subtracted"],
    ),
    "divided by n": (
        dict(
            covariances=lambda X, r, nk, m: full_covariances(
                X, r, m, np.full(3, len(X))
            )
        ),
        ["divided by n instead of N_k"],
    ),
    "unbiased": (
        dict(
            covariances=lambda X, r, nk, m: full_covariances(X, r, m, nk - 1)
        ),
        ["N_k - 1"],
    ),
    "unweighted": (
        dict(
            covariances=lambda X, r, nk, m: full_covariances(
                X, np.ones_like(r), m, np.full(3, len(X))
            )
        ),
        ["ignore the responsibilities"],
    ),
    "diagonal only": (
        dict(
            covariances=lambda X, r, nk, m: np.diagonal(
                full_covariances(X, r, m, nk), 0, 1, 2
            )
        ),
        ["shape (3, 2)", "(3, 2, 2)", "one d x d matrix per component"],
    ),
}


def test_check_m_step_right():
    for covariance_type in COVARIANCE_TYPES:
        # the package's own M-step, with its default reg_covar=1e-6, passes
        passes(
            exercises.check_m_step(
                lambda X, r, t=covariance_type: em.m_step(X, r, t),
                covariance_type,
            )
        )


@pytest.mark.parametrize("name", M_STEP_MISTAKES)
def test_check_m_step_names_the_mistake(name):
    swap, words = M_STEP_MISTAKES[name]

    def my_m_step(X, resp):
        return m_step_with(X, resp, **swap)

    fails(exercises.check_m_step(my_m_step), *words)


def test_check_m_step_reads_the_old_means_from_a_global():
    def my_m_step(X, resp):
        # reads the global OLD_MEANS in the covariance, as a learner might
        nk = resp.sum(axis=0)
        covariances = full_covariances(X, resp, OLD_MEANS, nk)
        return nk / len(X), resp.T @ X / nk[:, None], covariances

    fails(exercises.check_m_step(my_m_step), "`OLD_MEANS`", "old means")

    def covariance_of(X, resp, k):  # a helper that reads the global
        diff = X - OLD_MEANS[k]
        return (resp[:, k] * diff.T) @ diff / resp[:, k].sum()

    def with_helper(X, resp):
        weights, means, _ = em.m_step(X, resp, reg_covar=0.0)
        return (
            weights,
            means,
            np.stack([covariance_of(X, resp, k) for k in range(3)]),
        )

    fails(exercises.check_m_step(with_helper), "`OLD_MEANS`")

    def in_a_comprehension(X, resp):
        # the global is read inside a list comprehension
        nk = resp.sum(axis=0)
        covariances = np.stack(
            [
                (resp[:, k] * (X - OLD_MEANS[k]).T)
                @ (X - OLD_MEANS[k])
                / nk[k]
                for k in range(3)
            ]
        )
        return nk / len(X), resp.T @ X / nk[:, None], covariances

    fails(exercises.check_m_step(in_a_comprehension), "`OLD_MEANS`")


def test_check_m_step_diag_mistakes():
    def with_covariances(function):
        return lambda X, resp: m_step_with(
            X, resp, covariances=function, covariance_type="diag"
        )

    def diag(X, r, nk, m, centres=None, divisor=None):
        centres = m if centres is None else centres
        divisor = nk if divisor is None else divisor
        return np.stack(
            [r[:, k] @ (X - centres[k]) ** 2 / divisor[k] for k in range(3)]
        )

    check = exercises.check_m_step
    passes(check(with_covariances(diag), "diag"))
    fails(
        check(
            with_covariances(lambda X, r, nk, m: np.sqrt(diag(X, r, nk, m))),
            "diag",
        ),
        "standard deviations",
    )
    fails(
        check(
            with_covariances(
                lambda X, r, nk, m: diag(X, r, nk, m, divisor=np.full(3, 30))
            ),
            "diag",
        ),
        "divided by n instead of N_k",
    )
    fails(
        check(
            with_covariances(
                lambda X, r, nk, m: full_covariances(X, r, m, nk)
            ),
            "diag",
        ),
        "(3, 2, 2)",
        "only the variances",
    )


def test_check_m_step_wrong_returns():
    fails(
        exercises.check_m_step(lambda X, resp: em.m_step(X, resp)[:2]),
        "three arrays",
        "length 2",
    )
    fails(
        exercises.check_m_step(lambda X, resp: None),
        "three arrays",
        "NoneType",
    )

    def transposed_means(X, resp):
        weights, means, covariances = em.m_step(X, resp)
        return weights, means.T, covariances

    fails(exercises.check_m_step(transposed_means), "means looks transposed")

    def shifted_means(X, resp):
        # a slip in the means, carried into the covariances
        weights, means, _ = em.m_step(X, resp)
        return (
            weights,
            means + 1.0,
            full_covariances(X, resp, means + 1.0, resp.sum(axis=0)),
        )

    fails(
        exercises.check_m_step(shifted_means),
        "6 of 6 entries of means",
        "fix the means first",
    )


def test_check_m_step_1d():
    passes(exercises.check_m_step_1d(em1d.m_step))

    def variances_over_n(x, resp):
        weights, means, variances = em1d.m_step(x, resp)
        return weights, means, variances * resp.sum(axis=0) / len(x)

    def weights_not_divided(x, resp):
        weights, means, variances = em1d.m_step(x, resp)
        return resp.sum(axis=0), means, variances

    fails(
        exercises.check_m_step_1d(variances_over_n),
        "variances",
        "divided by n instead of N_k",
    )
    fails(exercises.check_m_step_1d(weights_not_divided), "not divided by n")


# ---------------------------------------------------------------------------- log-likelihood


def test_check_log_likelihood(problem):
    X, weights, means, covariances = problem
    dens = densities(X, means, covariances)  # (n, K)
    total = np.log(dens @ weights).sum()
    check = exercises.check_log_likelihood
    passes(check(total, X, weights, means, covariances))
    passes(check(np.array([total]), X, weights, means, covariances))
    fails(
        check(total / len(X), X, weights, means, covariances),
        "mean log-likelihood per sample",
    )
    fails(check(-total, X, weights, means, covariances), "sign is flipped")
    fails(
        check(np.log(dens.sum(axis=1)).sum(), X, weights, means, covariances),
        "weights pi_k are missing",
    )
    fails(
        check(np.log10(dens @ weights).sum(), X, weights, means, covariances),
        "base-10",
    )
    fails(
        check(np.log(weights * dens).sum(), X, weights, means, covariances),
        "inside the sum",
    )
    resp = weights * dens / (dens @ weights)[:, None]
    fails(
        check(
            np.sum(resp * np.log(weights * dens)),
            X,
            weights,
            means,
            covariances,
        ),
        "complete-data",
    )
    fails(check(total + 5.0, X, weights, means, covariances), "too big")
    fails(
        check(np.log(dens @ weights), X, weights, means, covariances),
        "one number",
    )
    assert (
        f"{total:.2f}"
        not in check(total + 5.0, X, weights, means, covariances).message
    )


# ---------------------------------------------------------------------------- predict


def test_check_predict():
    rng = np.random.default_rng(3)
    X = np.concatenate(
        [rng.normal(0, 1, (90, 1)), rng.normal(1.5, 1, (10, 1))]
    )
    weights, means, variances = (
        np.array([0.9, 0.1]),
        np.array([[0.0], [1.5]]),
        np.array([1.0, 1.0]),
    )
    resp, _ = em.e_step(X, weights, means, variances, "spherical")
    labels = resp.argmax(axis=1)
    check = exercises.check_predict
    passes(check(labels, X, weights, means, variances, "spherical"))
    # argmax of the densities: the nearer mean
    nearest = (X[:, 0] > 0.75).astype(int)
    assert not np.array_equal(nearest, labels)
    fails(
        check(nearest, X, weights, means, variances, "spherical"),
        "ignore the mixing weights",
    )
    fails(
        check(labels + 1, X, weights, means, variances, "spherical"),
        "count from 1",
    )
    fails(
        check(resp, X, weights, means, variances, "spherical"),
        "shape (100, 2)",
    )


# ---------------------------------------------------------------------------- chapter 9


def test_check_n_parameters():
    check = exercises.check_n_parameters
    for covariance_type in COVARIANCE_TYPES:
        passes(
            check(
                selection.n_parameters(3, 2, covariance_type),
                3,
                2,
                covariance_type,
            )
        )
    # full, K=3, d=2: 2 weights + 6 means + 9 covariance entries = 17
    fails(check(18, 3, 2), "only K - 1 are free")
    fails(check(20, 3, 2), "symmetric")
    fails(check(15, 3, 2), "weights are missing")
    fails(check(11, 3, 2), "means are missing")
    fails(check(17.5, 3, 2), "whole number")
    fails(check(40, 3, 2), "too big")
    fails(check(2 + 6 + 3 * 3, 3, 2, "tied"), "count it once")
    with pytest.raises(ValueError, match="covariance_type"):
        check(17, 3, 2, "round")


def test_check_bic(problem):
    X, weights, means, covariances = problem
    ll = em.log_likelihood(X, weights, means, covariances)
    n, p = len(X), selection.n_parameters(3, 2)
    check = exercises.check_bic
    passes(check(-2 * ll + p * np.log(n), X, weights, means, covariances))
    fails(check(-2 * ll + 2 * p, X, weights, means, covariances), "AIC")
    fails(
        check(2 * ll - p * np.log(n), X, weights, means, covariances),
        "sign is flipped",
    )
    fails(
        check(-ll + p * np.log(n), X, weights, means, covariances), "factor 2"
    )
    fails(
        check(-2 * ll / n + p * np.log(n), X, weights, means, covariances),
        "mean log-likelihood",
    )
    fails(
        check(-2 * ll + (p + 1) * np.log(n), X, weights, means, covariances),
        "one too many",
    )
    fails(check([1.0, 2.0], X, weights, means, covariances), "one number")


# ---------------------------------------------------------------------------- stubs and learners' functions


def stub(*args):
    """An exercise's function before the learner fills it in."""
    raise NotImplementedError("fill in stub")


STUB_CHECKS = [
    lambda: exercises.check_gaussian_pdf(stub),
    lambda: exercises.check_sampler(stub),
    lambda: exercises.check_e_step(stub),
    lambda: exercises.check_e_step_1d(stub),
    lambda: exercises.check_m_step(stub, "tied"),
    lambda: exercises.check_m_step_1d(stub),
    lambda: exercises.check_function(stub, (1.0,), 2.0),
    lambda: exercises.check_predict(stub, *_fixed_problem()[:4]),
    lambda: exercises.check_responsibilities(stub, *_fixed_problem()[:4]),
    lambda: exercises.check_bic(stub, *_fixed_problem()[:4]),
]


@pytest.mark.parametrize("check", STUB_CHECKS)
def test_an_unfilled_stub_is_not_yet_written(check, capsys):
    fails(check(), "stub is not written yet: fill in the function above")
    assert "Not yet: stub is not written yet" in capsys.readouterr().out


def test_check_function():
    def square(x):
        return x**2

    def halves(x):
        return x / 2, -x / 2

    passes(
        exercises.check_function(square, (3.0,), 9.0, names=("the square",))
    )
    fails(
        exercises.check_function(square, (3.0,), 10.0, names=("the square",)),
        "the square is too small",
    )
    passes(
        exercises.check_function(
            halves,
            (np.ones(3),),
            (np.full(3, 0.5), np.full(3, -0.5)),
            names=("the half", "minus the half"),
        )
    )
    fails(
        exercises.check_function(
            halves,
            (np.ones(3),),
            (np.full(3, 0.5), np.full(3, 0.5)),
            names=("the half", "minus the half"),
        ),
        "3 of 3 entries of minus the half",
    )
    fails(
        exercises.check_function(square, (1.0,), (1.0, 1.0), names=("a", "b")),
        "should return 2 values",
    )
    with pytest.raises(ValueError, match="one name per expected value"):
        exercises.check_function(square, (1.0,), (1.0, 1.0))
    with pytest.raises(TypeError, match="my_function must be a function"):
        exercises.check_function(3, (1.0,), 1.0)


def sampler(transform="cholesky", labels="weights"):
    """An ancestral sampler, right or with one typical mistake."""

    def sample(n, weights, means, covariances, rng):
        z = rng.choice(
            len(weights), size=n, p=None if labels == "uniform" else weights
        )
        factors = (
            np.linalg.cholesky(covariances)
            if transform == "cholesky"
            else covariances
        )
        noise = rng.standard_normal((n, means.shape[1]))
        return means[z] + np.einsum("nij,nj->ni", factors[z], noise), z

    return sample


def test_check_sampler():
    passes(exercises.check_sampler(sampler()))
    fails(
        exercises.check_sampler(sampler(labels="uniform")),
        "draw z_i with probabilities pi",
    )
    fails(
        exercises.check_sampler(sampler(transform="covariance")),
        "not by Sigma_k",
    )
    fails(
        exercises.check_sampler(lambda n, w, m, c, rng: np.zeros((n, 2))),
        "two arrays (points, labels)",
    )


def test_checks_take_the_learners_function(problem):
    X, weights, means, covariances = problem

    def labels(X, weights, means, covariances):
        return em.e_step(X, weights, means, covariances)[0].argmax(axis=1)

    def responsibilities(X, weights, means, covariances):
        return em.e_step(X, weights, means, covariances)[0]

    def bic(X, weights, means, covariances):
        return selection.bic(X, weights, means, covariances)

    passes(exercises.check_predict(labels, X, weights, means, covariances))
    passes(
        exercises.check_responsibilities(
            responsibilities, X, weights, means, covariances
        )
    )
    passes(exercises.check_bic(bic, X, weights, means, covariances))
    fails(
        exercises.check_responsibilities(
            lambda *args: responsibilities(*args).T,
            X,
            weights,
            means,
            covariances,
        ),
        "transposed",
    )
