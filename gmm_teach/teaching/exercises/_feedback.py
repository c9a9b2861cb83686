"""What every self-check shares: the verdict, the helpers that name a
mistake, and the fixed problem the function checks run on.

A check computes the right answer with the package, then each typical mistake
on purpose, and passes the problems it found to :func:`_report`, which prints
the verdict and returns it as a :class:`CheckResult`; :func:`_named_mistake`
finds which mistake an answer equals. The checks of functions (sampler, E-step,
M-step) call the learner's function through :func:`_call` on
:func:`_fixed_problem`. Every module of :mod:`gmm_teach.teaching.exercises`
uses it, so every chapter with exercises does.
"""

import inspect
import textwrap
from dataclasses import dataclass, field

import numpy as np

from gmm_teach import covariance

# an answer "is" a value when np.allclose says so with these
RTOL, ATOL = 1e-5, 1e-8


# ------------------------------------------------------------------ the result


def _current_cell():
    """The IPython execution count while a cell runs, or None outside
    IPython.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        # IPython ships with every Jupyter install
        return None
    shell = get_ipython()
    return None if shell is None else shell.execution_count


@dataclass(frozen=True)
class CheckResult:
    """The verdict of a check: truthy when the answer is right.

    Every check prints the message and returns the verdict, so that a
    solution cell can say ``assert check_m_step(m_step)``; ``str(result)`` is
    the message.

    Parameters
    ----------
    passed : bool
        True if the answer is right.
    message : str
        "Correct: ..." or "Not yet: ..." followed by what is wrong.
    _cell : int, default=None
        Set by the checks, not by the learner: the IPython execution count of
        the cell that ran the check (None outside IPython). Displayed as the
        last line of that same cell, the result is not printed a second time;
        displayed elsewhere, it prints its message again.
    """

    passed: bool
    message: str
    _cell: object = field(default=None, repr=False, compare=False)

    def __bool__(self):
        return self.passed

    def __str__(self):
        return self.message

    def _ipython_display_(self):
        # The check printed the message when it ran; as the last line of that
        # same cell, do not show it twice. Displayed later (``result`` in
        # another cell), show it again.
        if self._cell is None or self._cell != _current_cell():
            print(_wrapped(self.message))


def _report(problems, success):
    """Print and return the verdict: ``success`` if there are no problems, else
    the problems.
    """
    problems = [p for p in problems if p]
    if not problems:
        message = f"Correct: {success}"
    elif len(problems) == 1:
        message = f"Not yet: {problems[0]}"
    else:
        message = "Not yet:\n" + "\n".join(f"  - {p}" for p in problems)
    print(_wrapped(message))
    return CheckResult(not problems, message, _current_cell())


def _wrapped(message, width=88):
    """The message with long lines folded, so that it fits a notebook's or the
    book's output box.
    """
    return "\n".join(
        textwrap.fill(line, width, subsequent_indent="    ")
        for line in message.splitlines()
    )


# -------------------------------------------------------------- shared helpers


def _as_numbers(answer, name, nan_hint=""):
    """(answer as a float array, None), or (None, what is wrong with it)."""
    try:
        array = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return (
            None,
            f"{name} should be a number or an array of numbers, got "
            f"{type(answer).__name__}",
        )
    if not np.all(np.isfinite(array)):
        return None, f"{name} contains NaN or infinite values{nan_hint}"
    return array, None


def _one_number(answer, name):
    """(answer as a 0-d float array, None), or (None, what is wrong with
    it).
    """
    array, problem = _as_numbers(answer, name)
    if problem is None and array.size != 1:
        return (
            None,
            f"{name} should be one number, got an array of shape "
            f"{array.shape}",
        )
    return (None, problem) if problem else (array.reshape(()), None)


def _same(answer, target, rtol=RTOL, atol=ATOL):
    """True when ``answer`` has the shape of ``target`` and np.allclose
    agrees.
    """
    target = np.asarray(target, dtype=float)
    return answer.shape == target.shape and bool(
        np.allclose(answer, target, rtol=rtol, atol=atol)
    )


def _named_mistake(answer, mistakes, rtol=RTOL, atol=ATOL):
    """The message of the first (value, message) in ``mistakes`` that
    ``answer`` equals, or None.
    """
    return next(
        (
            message
            for value, message in mistakes
            if _same(answer, value, rtol, atol)
        ),
        None,
    )


def _direction(answer, expected):
    """'too big', 'too small' or 'of the wrong sign', comparing two numbers."""
    if expected != 0 and np.sign(answer) == -np.sign(expected):
        return "of the wrong sign"
    return "too big" if answer > expected else "too small"


def _shape_problem(array, expected_shape, name, hint=""):
    """What is wrong with the shape of ``array``, or None if it is
    ``expected_shape``.
    """
    if array.shape == tuple(expected_shape):
        return None
    if array.ndim == 2 and array.shape[::-1] == tuple(expected_shape):
        return (
            f"{name} looks transposed: it has shape {array.shape}, expected "
            f"{tuple(expected_shape)}{hint}"
        )
    return (
        f"{name} has shape {array.shape}, expected "
        f"{tuple(expected_shape)}{hint}"
    )


def _part_problem(name, answer, correct, mistakes, hint="", otherwise=""):
    """What is wrong with one returned array: its type, its shape, a named
    mistake, or a value.
    """
    array, problem = _as_numbers(answer, name)
    if problem:
        return problem
    problem = _shape_problem(array, np.shape(correct), name, hint)
    if problem or _same(array, correct):
        return problem
    named = _named_mistake(array, mistakes)
    if named:
        return named
    wrong = int(np.sum(~np.isclose(array, correct, rtol=RTOL, atol=ATOL)))
    return (
        f"{wrong} of {array.size} entries of {name} differ from the closed "
        f"form{otherwise}"
    )


def _check_callable(function, name):
    if not callable(function):
        raise TypeError(
            f"{name} must be a function, got {type(function).__name__} "
            f"{function!r}"
        )


def _name_of(function):
    """The name a learner gave a function (that of the function inside a
    functools.partial).
    """
    return getattr(function, "__name__", None) or getattr(
        getattr(function, "func", None), "__name__", "it"
    )


def _call(function, args, signature):
    """(output, None) from ``function(*copies of args)``, or (None, the error
    it raised).

    A function still raising NotImplementedError is a stub not yet filled in:
    the problem says so, for the "Not yet: ..." of the check.
    """
    copies = [
        np.array(a, copy=True) if isinstance(a, np.ndarray) else a
        for a in args
    ]
    try:
        with np.errstate(all="ignore"):
            # NaN and overflow are diagnosed in the feedback instead
            return function(*copies), None
    except NotImplementedError:
        return None, (
            f"{_name_of(function)} is not written yet: fill in the function "
            "above, run its cell, then this one again"
        )
    except Exception as error:
        # the learner's code: report any error, do not crash the check
        return None, f"{signature} raised {type(error).__name__}: {error}"


def _value_of(answer, args, arguments):
    """(the answer, None); or, when the answer is a function, what it returns
    on ``args``.

    ``arguments`` names the arguments for the feedback, e.g. "X, weights,
    means, covariances".
    """
    if not callable(answer):
        return answer, None
    return _call(answer, args, f"{_name_of(answer)}({arguments})")


def _describe(output):
    """A short description of what a function returned."""
    if isinstance(output, (tuple, list)):
        return f"a {type(output).__name__} of length {len(output)}"
    return f"a {type(output).__name__}" + (
        f" of shape {output.shape}" if hasattr(output, "shape") else ""
    )


def _names_read(code):
    """The global names a code object reads, including in its comprehensions
    and lambdas.
    """
    names = set(code.co_names)
    for constant in code.co_consts:
        if inspect.iscode(constant):
            names |= _names_read(constant)
    return names


def _outside_arrays(function, shape, depth=3):
    """Arrays of ``shape`` that ``function``, or a helper it calls, reads from
    outside variables.

    A function that reads the old means from a global (or an enclosing
    function), instead of computing the new ones from ``resp``, is the classic
    M-step mistake; a helper reading a global is one of the bugs of
    "Spot the bug".
    """
    if not inspect.isfunction(function):
        # a callable object or a builtin: nothing to inspect
        return []
    names = _names_read(function.__code__)
    found = {
        name: value
        for name, value in function.__globals__.items()
        if name in names
    }
    found.update(inspect.getclosurevars(function).nonlocals)
    arrays = [
        (name, value)
        for name, value in found.items()
        if isinstance(value, np.ndarray) and value.shape == shape
    ]
    if depth > 1:
        # the learner's own helpers, e.g. a covariance function called per
        # component
        for value in found.values():
            if inspect.isfunction(value) and value is not function:
                arrays += _outside_arrays(value, shape, depth - 1)
    return arrays


# ----------------------------------------------------------- the fixed problem


def _fixed_problem(covariance_type="full"):
    """The small problem the function checks run on: X (30, 2), three
    components, resp (30, 3).

    Weights, means and covariances are deliberately unequal, so that forgetting
    any one of them changes the answer.
    """
    rng = np.random.default_rng(2024)
    centres = np.array([[0.0, 0.0], [4.0, 1.0], [1.0, 4.0]])  # (3, 2)
    X = np.repeat(centres, 10, axis=0) + rng.normal(size=(30, 2))  # (30, 2)
    weights = np.array([0.5, 0.3, 0.2])  # (3,)
    # (3, 2)
    means = centres + np.array([[0.3, -0.2], [-0.4, 0.1], [0.2, 0.5]])
    full = np.array(
        [
            [[1.0, 0.3], [0.3, 0.8]],
            [[0.6, -0.2], [-0.2, 1.2]],
            [[1.5, 0.0], [0.0, 0.5]],
        ]
    )
    covariances = _reduce_covariances(full, weights, covariance_type)
    resp = rng.dirichlet(np.ones(3), size=30)  # (30, 3), rows sum to one
    return X, weights, means, covariances, resp


def _reduce_covariances(full, shares, covariance_type):
    """Full per-component matrices (K, d, d) in the shape of
    ``covariance_type``.

    "tied" is their average weighted by ``shares`` (N_k / n), as the tied
    M-step is.
    """
    return covariance.get(covariance_type).from_full(full, shares)


def _problem_1d():
    """The 1-D version of the fixed problem: x (30,), weights, means, variances
    (3,), resp.
    """
    X, weights, means, covariances, resp = _fixed_problem("diag")
    return X[:, 0], weights, means[:, 0], covariances[:, 0], resp
