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
:func:`check_m_step`            your ``m_step(X, resp)``               4, 8, 11
:func:`check_e_step_1d`         your ``e_step(x, weights, means,       5
                                variances)``
:func:`check_m_step_1d`         your ``m_step(x, resp)``               5
:func:`check_predict`           your hard labels (or labelling         3, 6, 10
                                function)
:func:`check_n_parameters`      your count of free parameters          9
:func:`check_bic`               your BIC value (or BIC function)       9
==============================  =====================================  ========
"""

import inspect
import textwrap
from dataclasses import dataclass, field

import numpy as np

from gmm_teach import covariance, em, em1d, gaussian, selection
from gmm_teach._validation import (
    check_covariance_type,
    check_finite,
    check_parameters,
)

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

    Attributes
    ----------
    passed : bool
    message : str
        "Correct: ..." or "Not yet: ..." followed by what is wrong.
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
    M-step mistake; a helper reading a global is one of chapter 11's.
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


# ------------------------------------------------------------------- any value


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
    """Check a number or an array against the expected one, without printing
    the expected one.

    For the exercises of every chapter: the feedback says whether the answer is
    right, has the wrong shape, is transposed, or is too big / too small (and
    where, for an array).

    Parameters
    ----------
    answer : float or array
        The learner's answer.
    expected : float or array
        The right value (computed by the exercise, e.g. with the package).
    name : str, default "answer"
        What the answer is called in the feedback.
    rtol, atol : float
        Tolerances of :func:`numpy.allclose`.

    Returns
    -------
    CheckResult
    """
    expected = check_finite(expected, "expected")
    return _report(
        [_close_problem(answer, expected, name, rtol, atol)],
        f"{name} is right.",
    )


def check_function(
    my_function, args, expected, names=("the result",), rtol=1e-6, atol=1e-8
):
    """Check what a function of your own returns on ``args``, without printing
    the expected values.

    The function is called on copies of ``args``; each value it returns is
    compared with the corresponding ``expected`` value as in
    :func:`check_close`. A function that still raises NotImplementedError (a
    stub) gets "Not yet: ... fill in the function above".

    Parameters
    ----------
    my_function : callable
        The learner's function.
    args : tuple
        What to call it with.
    expected : float, array or tuple
        The right return value; a tuple when the function returns several
        values.
    names : tuple of str, default ("the result",)
        What each returned value is called in the feedback, one name per
        expected value.
    rtol, atol : float
        Tolerances of :func:`numpy.allclose`.

    Returns
    -------
    CheckResult
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


# ------------------------------------------------------------------- chapter 2


def check_gaussian_pdf(my_pdf, parameter="variance"):
    """Check a 1-D normal density ``my_pdf(x, mean, variance)`` (chapter 2;
    chapter 5, eq. (5.1)).

    It is called with an array ``x`` of nine points, ``mean=1.0`` and a
    variance of 2.25 (standard deviation 1.5), and must return the nine
    densities. Detects the standard deviation used as a variance (or the
    reverse), a missing 1/sqrt(2 pi), a normaliser without its square root, a
    missing 1/2 or minus sign in the exponent.

    Parameters
    ----------
    my_pdf : callable
        ``my_pdf(x, mean, variance)``, or ``my_pdf(x, mean, std)`` with
        ``parameter="std"``.
    parameter : {"variance", "std"}, default "variance"
        What the third argument of ``my_pdf`` is.

    Returns
    -------
    CheckResult
    """
    _check_callable(my_pdf, "my_pdf")
    if parameter not in ("variance", "std"):
        raise ValueError(
            f"parameter must be 'variance' or 'std', got {parameter!r}"
        )
    x, mean, std = np.linspace(-3.0, 5.0, 9), 1.0, 1.5  # (9,)
    variance = std**2
    output, problem = _call(
        my_pdf,
        (x, mean, variance if parameter == "variance" else std),
        f"my_pdf(x, mean, {parameter}) with x an array of 9 points",
    )
    if problem:
        return _report(
            [
                problem
                + (
                    " (use NumPy functions such as np.exp, so that it works "
                    "on arrays)"
                )
            ],
            "",
        )
    squared = (x - mean) ** 2  # (9,)

    def density(exponent_variance, normaliser, sign=-1.0):
        return np.exp(sign * squared / (2 * exponent_variance)) / normaliser

    root_2pi = np.sqrt(2 * np.pi)
    swapped = (
        (
            density(variance**2, root_2pi * variance),
            "you used the variance where the standard deviation belongs: "
            "sigma = sqrt(variance), sigma^2 = variance",
        )
        if parameter == "variance"
        else (
            density(std, np.sqrt(2 * np.pi * std)),
            "you used the standard deviation where the variance belongs: "
            "square it, sigma^2 = std^2",
        )
    )
    mistakes = [
        swapped,
        (
            density(variance, std),
            "the constant 1/sqrt(2 pi) in front is missing",
        ),
        (
            density(variance, 1.0),
            "the normalising factor 1/sqrt(2 pi sigma^2) in front is missing",
        ),
        (
            density(variance, root_2pi * variance),
            "in front you divide by sigma^2; the normaliser is "
            "1/sqrt(2 pi sigma^2) = 1/(sigma sqrt(2 pi))",
        ),
        (
            density(variance, 2 * np.pi * variance),
            "the normaliser 1/(2 pi sigma^2) needs a square root",
        ),
        (
            density(variance / 2, root_2pi * std),
            "the exponent lacks the factor 1/2: "
            "exp(-(x - mu)^2 / (2 sigma^2))",
        ),
        (
            density(variance, root_2pi * std, sign=1.0),
            "the exponent lacks its minus sign",
        ),
    ]
    correct = density(variance, root_2pi * std)
    return _report(
        [_part_problem("the densities", output, correct, mistakes)],
        "your density matches N(x | mu, sigma^2).",
    )


def _sampler_problems(output, n, weights, means, covariances):
    """What is wrong with ``(points, labels)`` drawn from the mixture, or an
    empty list.
    """
    K, d = means.shape
    if not (isinstance(output, (tuple, list)) and len(output) == 2):
        return [
            "the sampler should return two arrays (points, labels), got "
            f"{_describe(output)}"
        ]
    points, problem = _as_numbers(output[0], "points")
    if problem or _shape_problem(points, (n, d), "points"):
        return [problem or _shape_problem(points, (n, d), "points")]
    labels = np.asarray(output[1])
    if labels.shape != (n,) or not np.all(np.isin(labels, np.arange(K))):
        return [
            f"labels should be {n} integers in 0, ..., {K - 1}, one per point"
        ]
    shares = np.bincount(labels, minlength=K) / n  # (K,)
    if np.any(
        np.abs(shares - weights) > 5 * np.sqrt(weights * (1 - weights) / n)
    ):
        return [
            "the share of each label is not its weight: draw z_i with "
            "probabilities pi (rng.choice(K, size=n, p=weights))"
        ]
    problems = []
    for k in range(K):
        group = points[labels == k]  # the points labelled k
        if np.any(np.abs(group.mean(axis=0) - means[k]) > 0.1):
            problems.append(
                f"the points labelled {k} are not centred on means[{k}]: draw "
                "each point from the component its label names"
            )
            continue
        sample = np.cov(group, rowvar=False)  # (d, d)
        if np.allclose(sample, covariances[k] @ covariances[k], atol=0.1):
            problems.append(
                f"the points labelled {k} have covariance Sigma_k Sigma_k: "
                "multiply the noise by a Cholesky factor L_k "
                "(Sigma_k = L_k L_k^T), not by Sigma_k"
            )
        elif not np.allclose(sample, covariances[k], atol=0.1):
            problems.append(
                f"the points labelled {k} do not have covariance "
                f"covariances[{k}]: x = mu_k + L_k e with e ~ N(0, I) and "
                "Sigma_k = L_k L_k^T"
            )
    return problems


def check_sampler(my_sampler):
    """Check ancestral sampling
    ``my_sampler(n, weights, means, covariances, rng)`` (chapter 2).

    It draws 20 000 points from a fixed three-component mixture in 2-D (with
    ``np.random.default_rng(0)``) and checks the shapes, that the labels are
    drawn with the mixing weights, and that the points of each label have that
    component's mean and covariance. Detects labels drawn uniformly, points not
    drawn from their label's component, and noise multiplied by Sigma_k instead
    of a Cholesky factor.

    Parameters
    ----------
    my_sampler : callable
        ``my_sampler(n, weights, means, covariances, rng)`` returning
        ``(points, labels)``, of shapes (n, d) and (n,).

    Returns
    -------
    CheckResult
    """
    _check_callable(my_sampler, "my_sampler")
    _, weights, means, covariances, _ = _fixed_problem("full")
    n = 20_000
    output, problem = _call(
        my_sampler,
        (n, weights, means, covariances, np.random.default_rng(0)),
        f"{_name_of(my_sampler)}(n, weights, means, covariances, rng)",
    )
    problems = (
        [problem]
        if problem
        else _sampler_problems(output, n, weights, means, covariances)
    )
    return _report(
        problems,
        "the labels follow the weights, and each component's points have its "
        "mean and covariance.",
    )


# ------------------------------------------------------------------- chapter 3


def _responsibility_problem(
    resp, X, weights, means, covariances, covariance_type, nan_hint=""
):
    """What is wrong with ``resp`` as the responsibilities of these parameters,
    or None.
    """
    # (n, K)
    correct, _ = em.e_step(X, weights, means, covariances, covariance_type)
    array, problem = _as_numbers(resp, "resp", nan_hint)
    if problem:
        return problem
    n, K = correct.shape
    problem = _shape_problem(
        array, (n, K), "resp", ": one row per sample, one column per component"
    )
    if problem or _same(array, correct, atol=1e-7):
        return problem
    log_density = gaussian.log_gaussian_density(
        X, means, covariances, covariance_type
    )  # (n, K)
    # (n, K) pi_k N(x_i | mu_k, Sigma_k)
    weighted = np.exp(log_density) * weights
    without_weights = np.exp(
        log_density - em.log_sum_exp(log_density)[:, np.newaxis]
    )  # (n, K)
    mistakes = [
        (
            np.log(np.maximum(correct, 1e-300)),
            "these are log-responsibilities: take np.exp of them",
        ),
        (
            weighted,
            "the rows do not sum to one: you computed pi_k "
            "N(x_i | mu_k, Sigma_k) but did not divide by its sum over the "
            "components (the denominator of Bayes' rule)",
        ),
        (
            without_weights,
            "the mixing weights are missing: each density "
            "N(x_i | mu_k, Sigma_k) must be multiplied by pi_k before "
            "normalising",
        ),
        (
            np.exp(log_density),
            "these are the densities N(x_i | mu_k, Sigma_k): multiply by pi_k "
            "and divide by the sum over the components",
        ),
    ]
    named = _named_mistake(array, mistakes, atol=1e-7)
    if named:
        return named
    if np.any(array < 0):
        return (
            "resp has negative entries; responsibilities are probabilities, "
            "between 0 and 1"
        )
    row_sums = array.sum(axis=1)  # (n,)
    if not np.allclose(row_sums, 1.0):
        i = int(np.argmax(np.abs(row_sums - 1)))
        return (
            f"the rows of resp do not sum to one (row {i} sums to "
            f"{row_sums[i]:.4g})"
        )
    wrong = np.flatnonzero(
        ~np.all(np.isclose(array, correct, rtol=RTOL, atol=1e-7), axis=1)
    )
    return (
        f"every row sums to one, but {len(wrong)} of {n} rows differ from "
        f"Bayes' rule (the first is row {wrong[0]}): check the densities "
        "N(x_i | mu_k, Sigma_k) and the weights"
    )


def check_responsibilities(
    resp, X, weights, means, covariances, covariance_type="full"
):
    """Check responsibilities r_ik computed by hand for the given parameters
    (chapter 3).

    Detects a wrong shape, a transposed array, negative values, rows that do
    not sum to one, unnormalised pi_k N(x_i | ...) (Bayes' rule without its
    denominator), the mixing weights left out, log-responsibilities, and
    otherwise says which row is the first to differ.

    Parameters
    ----------
    resp : array of shape (n_samples, n_components), or callable
        The learner's responsibilities, or the learner's function
        ``resp(X, weights, means, covariances)`` that returns them.
    X : array of shape (n_samples, n_features)
    weights : array of shape (n_components,)
    means : array of shape (n_components, n_features)
    covariances : array shaped by ``covariance_type``
    covariance_type : {"full", "tied", "diag", "spherical"}, default "full"

    Returns
    -------
    CheckResult
    """
    X, weights, means, covariances = check_parameters(
        X, weights, means, covariances, covariance_type
    )
    resp, problem = _value_of(
        resp,
        (X, weights, means, covariances),
        "X, weights, means, covariances",
    )
    if problem is None:
        problem = _responsibility_problem(
            resp, X, weights, means, covariances, covariance_type
        )
    return _report(
        [problem], "every r_ik is right, and every row sums to one."
    )


FAR_POINT_HINT = (
    ": the densities of a point far from every component underflow to 0, and "
    "0 / 0 = NaN. Compute log-densities and normalise with log-sum-exp "
    "(chapter 3)"
)


def _e_step_problems(call, X, weights, means, covariances, covariance_type):
    """The problems of an E-step on ``X``: its responsibilities, and its
    l(theta) if it returns one.

    ``call(X)`` runs the learner's E-step on ``X`` (in whatever form it takes
    its arguments) and returns (output, error message or None).
    """
    output, problem = call(X)
    if problem:
        return [problem]
    resp, ll = output if _returns_pair(output) else (output, None)
    problems = [
        _responsibility_problem(
            resp,
            X,
            weights,
            means,
            covariances,
            covariance_type,
            FAR_POINT_HINT,
        )
    ]
    if ll is not None:
        problems.append(
            _log_likelihood_problem(
                ll, X, weights, means, covariances, covariance_type
            )
        )
    return [p for p in problems if p]


def _returns_pair(output):
    """True if an E-step returned (resp, log_likelihood) rather than resp
    alone.
    """
    return (
        isinstance(output, (tuple, list))
        and len(output) == 2
        and np.ndim(output[1]) == 0
    )


def _check_e_step(call, X, weights, means, covariances, covariance_type):
    """Run an E-step on the fixed problem, then once more with a point far from
    every component.
    """
    problems = _e_step_problems(
        call, X, weights, means, covariances, covariance_type
    )
    if problems:
        return _report(problems, "")
    # (n + 1, d): ~60 sigma from every mean
    far = np.vstack([X, np.full((1, X.shape[1]), 60.0)])
    far_problems = _e_step_problems(
        call, far, weights, means, covariances, covariance_type
    )
    note = (
        ""
        if not far_problems
        else " But add one point far from every component (at 60 in every "
        f"coordinate) and it fails: {far_problems[0]}."
    )
    return _report([], "your E-step gives the right responsibilities." + note)


def check_e_step(my_e_step, covariance_type="full"):
    """Check an E-step ``my_e_step(X, weights, means, covariances)``
    (chapter 3).

    It runs on a small fixed problem (30 points in 2-D, three components with
    unequal weights) and may return the responsibilities alone or
    ``(resp, log_likelihood)``; both are checked as in
    :func:`check_responsibilities` and :func:`check_log_likelihood`. An E-step
    that is right on ordinary data but breaks for a point far from every
    component passes, with a warning about working in log space.

    Parameters
    ----------
    my_e_step : callable
        ``my_e_step(X, weights, means, covariances)`` with covariances of
        ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}, default "full"

    Returns
    -------
    CheckResult
    """
    _check_callable(my_e_step, "my_e_step")
    check_covariance_type(covariance_type)
    X, weights, means, covariances, _ = _fixed_problem(covariance_type)

    def call(X):
        return _call(
            my_e_step,
            (X, weights, means, covariances),
            "my_e_step(X, weights, means, covariances)",
        )

    return _check_e_step(call, X, weights, means, covariances, covariance_type)


def check_e_step_1d(my_e_step):
    """Check a 1-D E-step ``my_e_step(x, weights, means, variances)``
    (chapter 5, eq. (5.2)).

    As :func:`check_e_step`, on 30 numbers and three components with unequal
    weights.

    Parameters
    ----------
    my_e_step : callable
        ``my_e_step(x, weights, means, variances)``, x of shape (n_samples,),
        the others (K,).

    Returns
    -------
    CheckResult
    """
    _check_callable(my_e_step, "my_e_step")
    x, weights, means, variances, _ = _problem_1d()

    def call(X):
        return _call(
            my_e_step,
            (X[:, 0], weights, means, variances),
            "my_e_step(x, weights, means, variances)",
        )

    # a 1-D mixture is a "spherical" one with one feature: sigma_k^2 is the
    # variance
    return _check_e_step(
        call,
        x[:, np.newaxis],
        weights,
        means[:, np.newaxis],
        variances,
        "spherical",
    )


def check_predict(
    labels, X, weights, means, covariances, covariance_type="full"
):
    """Check hard labels: each point goes to the component of largest
    responsibility (chapter 3).

    Detects the mixing weights left out (the argmax of the densities
    N(x_i | mu_k, Sigma_k) instead of the responsibilities, a mistake of
    chapter 11), labels counted from 1, and argmin for argmax.

    Parameters
    ----------
    labels : array of shape (n_samples,), or callable
        The learner's labels, integers in 0, ..., K - 1, or the learner's
        function ``labels(X, weights, means, covariances)`` that returns them.
    X, weights, means, covariances, covariance_type
        As in :func:`gmm_teach.em.e_step`.

    Returns
    -------
    CheckResult
    """
    X, weights, means, covariances = check_parameters(
        X, weights, means, covariances, covariance_type
    )
    # (n, K)
    resp, _ = em.e_step(X, weights, means, covariances, covariance_type)
    correct = resp.argmax(axis=1)  # (n,)
    labels, problem = _value_of(
        labels,
        (X, weights, means, covariances),
        "X, weights, means, covariances",
    )
    if problem is None:
        array, problem = _as_numbers(labels, "labels")
    if problem is None:
        problem = _shape_problem(
            array,
            correct.shape,
            "labels",
            ": one label per sample, the argmax of its row of resp",
        )
    if problem:
        return _report([problem], "")
    log_density = gaussian.log_gaussian_density(
        X, means, covariances, covariance_type
    )  # (n, K)
    mistakes = [
        (
            log_density.argmax(axis=1),
            "the labels ignore the mixing weights: take the argmax of the "
            "responsibilities (pi_k N(x_i | ...)), not of the densities "
            "N(x_i | ...)",
        ),
        (
            correct + 1,
            "the labels count from 1; components are numbered 0 to K - 1",
        ),
        (
            resp.argmin(axis=1),
            "you took the argmin; the label is the component of LARGEST "
            "responsibility",
        ),
    ]
    if np.array_equal(array, correct):
        return _report(
            [], "every point goes to its most responsible component."
        )
    wrong = int(np.sum(array != correct))
    named = _named_mistake(array, mistakes)
    return _report(
        [
            named
            or (
                f"{wrong} of {len(correct)} labels differ from the component "
                "of largest responsibility"
            )
        ],
        "",
    )


# ------------------------------------------------------------------- chapter 4


def _log_likelihood_problem(
    value, X, weights, means, covariances, covariance_type
):
    """What is wrong with ``value`` as the total log-likelihood l(theta), or
    None.
    """
    value, problem = _one_number(value, "the log-likelihood")
    if problem:
        return problem
    with np.errstate(divide="ignore"):
        # a weight of 0: log 0 = -inf, as in the E-step
        log_joint = gaussian.log_gaussian_density(
            X, means, covariances, covariance_type
        ) + np.log(weights)
    per_sample = em.log_sum_exp(log_joint)  # (n,) log sum_k pi_k N(x_i | ...)
    total = per_sample.sum()
    if _same(value, total):
        return None
    resp = np.exp(log_joint - per_sample[:, np.newaxis])  # (n, K)
    log_density = log_joint - np.log(weights)  # (n, K)
    mistakes = [
        (
            total / len(X),
            "this is the mean log-likelihood per sample "
            "(scikit-learn's score); l(theta) is the total, the sum over the "
            "samples",
        ),
        (-total, "the sign is flipped: this is the negative log-likelihood"),
        (
            em.log_sum_exp(log_density).sum(),
            "the mixing weights pi_k are missing inside the sum over "
            "components",
        ),
        (
            total / np.log(10),
            "this is a base-10 logarithm: use the natural logarithm, np.log",
        ),
        (
            log_joint.sum(),
            "the logarithm is inside the sum over the components: l(theta) = "
            "sum_i log sum_k pi_k N(x_i | ...), not sum_i sum_k log(...)",
        ),
        (
            np.sum(resp * log_joint),
            "this is the expected complete-data log-likelihood Q (weighted "
            "by the responsibilities), not l(theta)",
        ),
    ]
    return _named_mistake(value, mistakes) or (
        f"the value is {_direction(float(value), total)}; "
        "l(theta) = sum_i log sum_k pi_k N(x_i | mu_k, Sigma_k)"
    )


def check_log_likelihood(
    value, X, weights, means, covariances, covariance_type="full"
):
    """Check a value of the total log-likelihood l(theta) (chapter 4,
    eq. (4.1)).

    Detects the mean per sample instead of the total, a flipped sign, the
    mixing weights left out, a base-10 logarithm, the logarithm inside the sum
    over components, and Q (the responsibility-weighted complete-data
    log-likelihood) in place of l.

    Parameters
    ----------
    value : float
        The learner's l(theta).
    X, weights, means, covariances, covariance_type
        As in :func:`gmm_teach.em.log_likelihood`.

    Returns
    -------
    CheckResult
    """
    X, weights, means, covariances = check_parameters(
        X, weights, means, covariances, covariance_type
    )
    problem = _log_likelihood_problem(
        value, X, weights, means, covariances, covariance_type
    )
    return _report([problem], "that is l(theta), the total log-likelihood.")


def _scatter(X, resp, centres):
    """S_k = sum_i r_ik (x_i - c_k)(x_i - c_k)^T for each component, shape
    (K, d, d).
    """
    diff = X[np.newaxis, :, :] - centres[:, np.newaxis, :]  # (K, n, d)
    return np.einsum("ik,kia,kib->kab", resp, diff, diff)


def _covariance_mistakes(X, resp, means, covariance_type, outside):
    """(value, message) for the typical wrong covariances of an M-step, in the
    type's shape.
    """
    n, K = resp.shape
    nk = resp.sum(axis=0)  # (K,)

    def covariances(centres, divisor, weights=resp):
        full = _scatter(
            X, weights, np.broadcast_to(centres, means.shape)
        ) / np.reshape(divisor, (-1, 1, 1))
        return _reduce_covariances(full, nk / n, covariance_type)

    mistakes = [
        (
            covariances(means, nk - 1),
            "you divided by N_k - 1 (the unbiased sample covariance); the "
            "maximum-likelihood M-step divides by N_k",
        ),
        (
            covariances(means, n),
            "the covariances are divided by n instead of N_k",
        ),
        (covariances(means, 1.0), "the covariances are not divided by N_k"),
        (
            covariances(0.0, nk),
            "the mean is not subtracted: use (x_i - mu_k)(x_i - mu_k)^T, not "
            "x_i x_i^T",
        ),
        (
            covariances(X.mean(axis=0), nk),
            "the covariances are centred on the mean of all the data; "
            "centre each on its own new mean mu_k",
        ),
        (
            covariances(means, n, np.ones_like(resp)),
            "the covariances ignore the responsibilities: "
            "weight each (x_i - mu_k)(x_i - mu_k)^T by r_ik",
        ),
    ]
    mistakes += [
        (
            covariances(value.reshape(means.shape), nk),
            f"the covariances are centred on `{name}`, which your function "
            "reads from outside (the old means?): centre them on the new "
            "means mu_k, computed from resp in this same M-step",
        )
        for name, value in outside
    ]
    if not covariance.get(covariance_type).stores_matrices:
        mistakes.append(
            (
                np.sqrt(covariances(means, nk)),
                "these are standard deviations; the M-step returns variances",
            )
        )
    return mistakes


def _m_step_problems(
    output, X, resp, correct, covariance_type, outside, signature, names
):
    """What is wrong with each of the three arrays an M-step returned
    (an empty list if nothing).

    ``correct`` is the package's (weights, means, covariances); the typical
    mistakes are computed on ``X`` of shape (n, d) and reshaped like the
    correct arrays (so (K,) means in 1-D).
    """
    if not (isinstance(output, (tuple, list)) and len(output) == 3):
        return [
            f"{signature} should return three arrays ({', '.join(names)}), "
            f"got {_describe(output)}"
        ]
    n, K = resp.shape
    nk = resp.sum(axis=0)  # (K,)
    means = correct[1].reshape(K, -1)  # (K, d)
    weight_mistakes = [
        (
            nk,
            "the weights are not divided by n: they sum to n_samples instead "
            "of one",
        ),
        (np.full(K, 1 / K), "the weights are all 1/K: update them to N_k / n"),
    ]
    mean_mistakes = [
        (resp.T @ X, "the means are not divided by N_k"),
        (resp.T @ X / n, "the means are divided by n instead of N_k"),
        (
            np.broadcast_to(X.mean(axis=0), means.shape),
            "every mean is the average of all the data: "
            "weight each x_i by r_ik",
        ),
    ]
    problems = [
        _part_problem(names[0], output[0], correct[0], weight_mistakes),
        _part_problem(
            names[1],
            output[1],
            correct[1],
            [
                (value.reshape(correct[1].shape), message)
                for value, message in mean_mistakes
            ],
        ),
    ]
    problems.append(
        _part_problem(
            names[2],
            output[2],
            correct[2],
            _covariance_mistakes(X, resp, means, covariance_type, outside),
            hint=f" ({covariance.get(covariance_type).description})"
            if names[2] == "covariances"
            else "",
            otherwise=" (fix the means first: the covariances use them)"
            if problems[1]
            else "",
        )
    )
    return [p for p in problems if p]


def check_m_step(my_m_step, covariance_type="full"):
    """Check an M-step ``my_m_step(X, resp)`` (chapter 4; chapter 8 for the
    covariance types).

    It runs on a small fixed problem (30 points in 2-D, random responsibilities
    for three components) and compares the returned
    ``(weights, means, covariances)`` with :func:`gmm_teach.em.m_step`
    (``reg_covar=0``). Detects: weights not divided by n, means not divided by
    N_k (or divided by n), covariances centred on the old means (read from
    outside the function), on no mean or on the data's mean, divided by n or
    N_k - 1 instead of N_k, not weighted by the responsibilities, standard
    deviations instead of variances, and wrong shapes.

    Parameters
    ----------
    my_m_step : callable
        ``my_m_step(X, resp)`` returning ``(weights, means, covariances)``,
        covariances in the shape of ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}, default "full"

    Returns
    -------
    CheckResult
    """
    _check_callable(my_m_step, "my_m_step")
    check_covariance_type(covariance_type)
    X, _, means, _, resp = _fixed_problem(covariance_type)
    signature = "my_m_step(X, resp)"
    output, problem = _call(my_m_step, (X, resp), signature)
    if problem:
        return _report([problem], "")
    correct = em.m_step(
        X, resp, covariance_type=covariance_type, reg_covar=0.0
    )
    problems = _m_step_problems(
        output,
        X,
        resp,
        correct,
        covariance_type,
        _outside_arrays(my_m_step, means.shape),
        signature,
        ("weights", "means", "covariances"),
    )
    return _report(problems, "weights, means and covariances are all right.")


def check_m_step_1d(my_m_step):
    """Check a 1-D M-step ``my_m_step(x, resp)`` (chapter 5, eqs. (5.3) to
    (5.5)).

    As :func:`check_m_step`, against :func:`gmm_teach.em1d.m_step`, on 30
    numbers and random responsibilities for three components.

    Parameters
    ----------
    my_m_step : callable
        ``my_m_step(x, resp)`` returning ``(weights, means, variances)``, each
        of shape (K,).

    Returns
    -------
    CheckResult
    """
    _check_callable(my_m_step, "my_m_step")
    x, _, means, _, resp = _problem_1d()
    signature = "my_m_step(x, resp)"
    output, problem = _call(my_m_step, (x, resp), signature)
    if problem:
        return _report([problem], "")
    # a 1-D mixture is a "spherical" one with one feature: sigma_k^2 is the
    # variance
    problems = _m_step_problems(
        output,
        x[:, np.newaxis],
        resp,
        em1d.m_step(x, resp),
        "spherical",
        _outside_arrays(my_m_step, means.shape),
        signature,
        ("weights", "means", "variances"),
    )
    return _report(problems, "weights, means and variances are all right.")


# ------------------------------------------------------------------- chapter 9


def check_n_parameters(
    answer, n_components, n_features, covariance_type="full"
):
    """Check a count of the free parameters of a mixture (chapter 9,
    eq. (9.1)).

    Detects K weights counted where only K - 1 are free, weights, means or
    covariances left out, every entry of a symmetric matrix counted, and a tied
    matrix counted once per component.

    Parameters
    ----------
    answer : int
        The learner's count.
    n_components, n_features : int
    covariance_type : {"full", "tied", "diag", "spherical"}, default "full"

    Returns
    -------
    CheckResult
    """
    correct = selection.n_parameters(n_components, n_features, covariance_type)
    value, problem = _one_number(answer, "the number of parameters")
    if problem is None and value != np.round(value):
        problem = f"the number of parameters is a whole number, got {answer!r}"
    if problem:
        return _report([problem], "")
    K, d = n_components, n_features
    kind = covariance.get(covariance_type)
    # the covariances' share of the count
    n_covariance = correct - (K - 1) - K * d
    mistakes = [
        (
            correct + 1,
            "you counted K mixing weights, but they sum to one: only K - 1 "
            "are free",
        ),
        (
            correct - (K - 1),
            "the mixing weights are missing (K - 1 of them are free)",
        ),
        (correct - K * d, "the means are missing (K d numbers)"),
        (correct - n_covariance, "the covariances are missing"),
    ]
    if kind.stores_matrices:
        every_entry = (1 if kind.shared else K) * d * d
        mistakes.append(
            (
                correct - n_covariance + every_entry,
                "you counted every entry of each d x d "
                "covariance; it is symmetric, so only d(d + 1)/2 are free",
            )
        )
    if kind.shared:
        mistakes.append(
            (
                correct + (K - 1) * n_covariance,
                "'tied' means one covariance shared by all "
                "components: count it once",
            )
        )
    if value == correct:
        return _report(
            [],
            f"a {covariance_type!r} mixture of {K} components in {d} "
            "dimensions has that many free parameters.",
        )
    return _report(
        [
            _named_mistake(value, mistakes)
            or (
                f"your count is {_direction(float(value), correct)}: add up "
                "the free numbers of the weights, the means and the "
                f"{covariance_type!r} covariances"
            )
        ],
        "",
    )


def check_bic(value, X, weights, means, covariances, covariance_type="full"):
    """Check a BIC value, -2 l(theta) + q ln n (chapter 9, eq. (9.2)).

    Detects the AIC instead, a flipped sign, a missing factor 2, the mean
    log-likelihood per sample instead of the total, log10 n or n instead of
    ln n, and one parameter too many.

    Parameters
    ----------
    value : float or callable
        The learner's BIC, or the learner's function
        ``value(X, weights, means, covariances)`` that returns it.
    X, weights, means, covariances, covariance_type
        As in :func:`gmm_teach.selection.bic`.

    Returns
    -------
    CheckResult
    """
    X, weights, means, covariances = check_parameters(
        X, weights, means, covariances, covariance_type
    )
    correct = selection.bic(X, weights, means, covariances, covariance_type)
    ll = em.log_likelihood(X, weights, means, covariances, covariance_type)
    n, d = X.shape
    q = selection.n_parameters(len(weights), d, covariance_type)
    value, problem = _value_of(
        value,
        (X, weights, means, covariances),
        "X, weights, means, covariances",
    )
    if problem is None:
        value, problem = _one_number(value, "the BIC")
    if problem:
        return _report([problem], "")
    mistakes = [
        (
            -2 * ll + 2 * q,
            "this is the AIC (penalty 2q); the BIC's penalty is q ln n",
        ),
        (
            2 * ll - q * np.log(n),
            "the sign is flipped: BIC = -2 l(theta) + q ln n "
            "(smaller is better)",
        ),
        (
            -ll + q * np.log(n),
            "the factor 2 in front of the log-likelihood is missing",
        ),
        (
            -2 * ll / n + q * np.log(n),
            "you used the mean log-likelihood per sample; the BIC uses the "
            "total l(theta)",
        ),
        (
            -2 * ll + q * np.log10(n),
            "use the natural logarithm of n, not log10",
        ),
        (-2 * ll + q * n, "the penalty is q ln n, not q n"),
        (
            -2 * ll + (q + 1) * np.log(n),
            "q is one too many: the K weights sum to one, so only K - 1 are "
            "free",
        ),
    ]
    if _same(value, correct):
        return _report([], "that is the BIC.")
    return _report(
        [
            _named_mistake(value, mistakes)
            or f"the value is {_direction(float(value), correct)}"
        ],
        "",
    )
