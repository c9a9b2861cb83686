"""Constraints on an estimator's options, checked as scikit-learn does.

An estimator lists, for each constructor argument, the constraints a value
may meet (``integer(1)``, ``real(0.0)``, ``one_of(...)``, ``NONE``, ...), as
scikit-learn's ``_parameter_constraints``; :func:`check_constraints` raises
:class:`~gmm_teach.exceptions.InvalidParameterError` with scikit-learn's
sentence when a value meets none. A reader of the algorithm can skip this
module.
"""

import numbers
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from gmm_teach.exceptions import InvalidParameterError


class Constraint(NamedTuple):
    """One form an option may take: a description for messages, a test.

    Parameters
    ----------
    description : str
        What the option may be, in words, as the messages say it.
    test : callable
        ``test(value)`` is True when ``value`` takes this form.
    """

    description: str
    test: Callable[[object], bool]


def _is_integer(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def integer(low, high=None):
    """Return the constraint: an int (not a bool) in [low, high].

    Parameters
    ----------
    low : int
        The smallest value allowed.
    high : int, default=None
        The largest value allowed; None for no upper bound.

    Returns
    -------
    constraint : Constraint
        The description (scikit-learn's words) and the test.
    """
    right = "inf)" if high is None else f"{high}]"
    return Constraint(
        f"an int in the range [{low}, {right}",
        lambda v: _is_integer(v) and low <= v and (high is None or v <= high),
    )


def real(low):
    """Return the constraint: a finite real number (not a bool) >= low.

    Parameters
    ----------
    low : float
        The smallest value allowed.

    Returns
    -------
    constraint : Constraint
        The description (scikit-learn's words) and the test.
    """
    return Constraint(
        f"a float in the range [{float(low)}, inf)",
        lambda v: _is_real(v) and bool(np.isfinite(v)) and v >= low,
    )


def one_of(options):
    """Return the constraint: one of the strings in ``options``.

    Parameters
    ----------
    options : sequence of str
        The strings allowed.

    Returns
    -------
    constraint : Constraint
        The description (scikit-learn's words: the options as a set) and
        the test.
    """
    listed = ", ".join(map(repr, set(options)))
    return Constraint(
        f"a str among {{{listed}}}",
        lambda v: isinstance(v, str) and v in options,
    )


def _type_name(kind):
    """'bool', 'numpy.random.mtrand.RandomState': as scikit-learn names it."""
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def instance_of(kind):
    """Return the constraint: an instance of the class ``kind``.

    Parameters
    ----------
    kind : type
        The class allowed.

    Returns
    -------
    constraint : Constraint
        The description (scikit-learn's words) and the test.
    """
    return Constraint(
        f"an instance of {_type_name(kind)!r}", lambda v: isinstance(v, kind)
    )


def _is_array_like(value):
    if isinstance(value, str):
        return False
    return hasattr(value, "__len__") or hasattr(value, "__array__")


NONE = Constraint("None", lambda v: v is None)
BOOLEAN = [instance_of(bool), instance_of(np.bool_)]  # two, as scikit-learn's
ARRAY_LIKE = Constraint("an array-like", _is_array_like)


def _either(descriptions):
    """'a', 'a or b', 'a, b or c'."""
    *others, last = descriptions
    return f"{', '.join(others)} or {last}" if others else last


def check_constraints(options, constraints, caller="GaussianMixture"):
    """Raise for the first option that meets none of its constraints.

    The error is scikit-learn's sentence: it names the option, says what it
    must be and what came.

    Parameters
    ----------
    options : dict
        Maps each option's name to its value.
    constraints : dict
        Maps the same names to lists of :class:`Constraint`; a value must
        meet one of its list.
    caller : str, default="GaussianMixture"
        The estimator's name, for the messages.

    Raises
    ------
    InvalidParameterError
        For the first option that meets none of its constraints.
    """
    for name, allowed in constraints.items():
        value = options[name]
        if not any(constraint.test(value) for constraint in allowed):
            expected = _either([c.description for c in allowed])
            message = (
                f"The {name!r} parameter of {caller} must be {expected}. "
                f"Got {value!r} instead."
            )
            if isinstance(value, bool):
                message += " A bool is not taken for a number here."
            elif _is_real(value) and not np.isfinite(value):
                message += f" {name} must be a finite number."
            raise InvalidParameterError(message)
