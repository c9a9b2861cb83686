"""Self-checks of any value: a number, an array, or what a function of your
own returns.

:func:`check_close` compares an answer with the expected number or array
(chapters 1, 3, 5); :func:`check_function` calls a learner's function and
compares what it returns (chapters 1, 7, 10). The feedback says whether the
answer is right, has the wrong shape, is transposed, or is too big or too
small, and never prints the expected values.
"""

import numpy as np

from gmm_teach._validation import check_finite
from gmm_teach.teaching.exercises._feedback import (
    _as_numbers,
    _call,
    _check_callable,
    _describe,
    _direction,
    _name_of,
    _report,
    _same,
)


def _close_problem(answer, expected, name, rtol, atol):
    """What is wrong with ``answer`` as ``expected`` (shape, transposed, too
    big / small), or None.
    """
    array, problem = _as_numbers(answer, name)
    if problem:
        return problem
    if _same(array, expected, rtol, atol):
        return None
    if array.shape == expected.shape[::-1] and _same(
        array.T, expected, rtol, atol
    ):
        return (
            f"{name} is transposed: its shape is {array.shape}, expected "
            f"{expected.shape}"
        )
    if array.shape != expected.shape:
        return f"{name} has shape {array.shape}, expected {expected.shape}"
    if expected.ndim == 0:
        return f"{name} is {_direction(float(array), float(expected))}"
    wrong = ~np.isclose(array, expected, rtol=rtol, atol=atol)
    first = tuple(int(i) for i in np.argwhere(wrong)[0])
    where = first[0] if len(first) == 1 else first
    return (
        f"{int(wrong.sum())} of {array.size} entries of {name} are off; the "
        f"first, at index {where}, is "
        f"{_direction(array[first], expected[first])}"
    )


def check_close(answer, expected, name="answer", rtol=1e-6, atol=1e-8):
    """Check a number or an array against the expected one, kept hidden.

    For the exercises of every chapter: the feedback says whether the answer
    is right, has the wrong shape, is transposed, or is too big / too small
    (and where, for an array), without printing the expected value.

    Parameters
    ----------
    answer : float or array-like
        The learner's answer.
    expected : float or array-like
        The right value (computed by the exercise, e.g. with the package).
    name : str, default="answer"
        What the answer is called in the feedback.
    rtol : float, default=1e-6
        Relative tolerance of ``numpy.allclose``.
    atol : float, default=1e-8
        Absolute tolerance of ``numpy.allclose``.

    Returns
    -------
    result : CheckResult
        The verdict, truthy when the answer is right; its message is printed
        too.
    """
    expected = check_finite(expected, "expected")
    return _report(
        [_close_problem(answer, expected, name, rtol, atol)],
        f"{name} is right.",
    )


def check_function(
    my_function, args, expected, names=("the result",), rtol=1e-6, atol=1e-8
):
    """Check what a function of your own returns on ``args``.

    The function is called on copies of ``args``; each value it returns is
    compared with the corresponding ``expected`` value as in
    :func:`check_close`, without printing the expected values. A function
    that still raises NotImplementedError (a stub) gets "Not yet: ... fill in
    the function above".

    Parameters
    ----------
    my_function : callable
        The learner's function.
    args : tuple
        What to call it with.
    expected : float, array-like or tuple
        The right return value; a tuple when the function returns several
        values.
    names : tuple of str, default=("the result",)
        What each returned value is called in the feedback, one name per
        expected value.
    rtol : float, default=1e-6
        Relative tolerance of ``numpy.allclose``.
    atol : float, default=1e-8
        Absolute tolerance of ``numpy.allclose``.

    Returns
    -------
    result : CheckResult
        The verdict, truthy when every returned value is right; its message is
        printed too.
    """
    _check_callable(my_function, "my_function")
    several = isinstance(expected, tuple)
    expected = [
        check_finite(value, "expected")
        for value in (expected if several else (expected,))
    ]
    if len(names) != len(expected):
        raise ValueError(
            f"names must have one name per expected value ({len(expected)}), "
            f"got {len(names)}"
        )
    output, problem = _call(my_function, args, f"{_name_of(my_function)}(...)")
    if problem:
        return _report([problem], "")
    if several and not (
        isinstance(output, (tuple, list)) and len(output) == len(expected)
    ):
        return _report(
            [
                f"{_name_of(my_function)} should return {len(expected)} "
                f"values ({', '.join(names)}), got {_describe(output)}"
            ],
            "",
        )
    outputs = output if several else (output,)
    problems = [
        _close_problem(value, target, name, rtol, atol)
        for value, target, name in zip(outputs, expected, names, strict=True)
    ]
    return _report(
        problems, f"{' and '.join(names)} {'are' if several else 'is'} right."
    )
