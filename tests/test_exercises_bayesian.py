"""Tests of the self-check of chapter 12: check_expected_log_weights passes
the right answer and names each typical wrong one."""

import numpy as np
import pytest
from scipy.special import digamma
from test_exercises import fails, passes

from gmm_teach.teaching import exercises


def right(nk, prior):
    gamma = prior + nk
    return digamma(gamma) - digamma(gamma.sum())


def test_the_right_answer_passes(capsys):
    passes(exercises.check_expected_log_weights(right))
    assert "Correct" in capsys.readouterr().out


def test_the_expected_numbers_are_never_printed(capsys):
    exercises.check_expected_log_weights(lambda nk, prior: np.zeros(len(nk)))
    shown = capsys.readouterr().out
    gamma = 0.25 + np.array([150.2, 99.1, 50.0, 1.3])
    for value in digamma(gamma) - digamma(gamma.sum()):
        assert f"{value:.2f}" not in shown


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (
            lambda nk, g0: np.log((g0 + nk) / (g0 + nk).sum()),
            ("logarithm of the mean weights", "digamma"),
        ),
        (
            lambda nk, g0: (g0 + nk) / (g0 + nk).sum(),
            ("mean weights E[pi_k]",),
        ),
        (
            lambda nk, g0: digamma(nk) - digamma(nk.sum()),
            ("prior is missing",),
        ),
        (
            lambda nk, g0: right(nk, g0 - 1),
            ("exponent", "gamma_k = gamma_0 + N_k"),
        ),
        (lambda nk, g0: digamma(g0 + nk), ("psi(gamma_k) alone",)),
        (
            lambda nk, g0: digamma(g0 + nk) - digamma(g0 + nk.sum()),
            ("adds gamma_0 once",),
        ),
        (
            lambda nk, g0: digamma(g0 + nk) - digamma(nk.sum()),
            ("leaves the prior out",),
        ),
        (
            lambda nk, g0: digamma(g0 + nk) - digamma(len(nk) * g0),
            ("prior's sum K gamma_0 only",),
        ),
    ],
)
def test_typical_mistakes_are_named(wrong, words):
    fails(exercises.check_expected_log_weights(wrong), *words)


def test_an_unnamed_mistake_says_how_many_entries_differ():
    def off(nk, prior):
        result = right(nk, prior)
        result[0] += 1.0
        return result

    fails(exercises.check_expected_log_weights(off), "1 of 4 entries")


def test_a_wrong_shape_is_named():
    fails(
        exercises.check_expected_log_weights(
            lambda nk, prior: right(nk, prior)[:, np.newaxis].T
        ),
        "shape",
    )


def test_a_stub_is_not_written_yet():
    def my_expected_log_weights(nk, prior):
        raise NotImplementedError

    fails(
        exercises.check_expected_log_weights(my_expected_log_weights),
        "my_expected_log_weights is not written yet",
    )


def test_an_error_is_reported_not_raised():
    fails(
        exercises.check_expected_log_weights(lambda nk, prior: 1 / 0),
        "raised ZeroDivisionError",
    )


def test_nan_is_reported():
    fails(
        exercises.check_expected_log_weights(
            lambda nk, prior: np.full(len(nk), np.nan)
        ),
        "NaN",
    )


def test_the_input_is_not_changed_for_the_next_check():
    def in_place(nk, prior):
        nk += prior
        return digamma(nk) - digamma(nk.sum())

    passes(exercises.check_expected_log_weights(in_place))
    passes(exercises.check_expected_log_weights(right))


def test_not_a_function_is_a_type_error():
    with pytest.raises(TypeError, match="must be a function"):
        exercises.check_expected_log_weights(np.zeros(4))
