"""The special functions of the Bayesian mixture: log Gamma and digamma.

Chapter 12 and the maths appendix. The Dirichlet, Beta and Wishart
distributions are normalised by Gamma functions, and the expected logarithms
of their variables are differences of digammas psi = (log Gamma)'. The
package computes both with NumPy and the standard library, so that
``import gmm_teach`` needs nothing else; ``tests/test_special.py`` checks
them against SciPy's ``scipy.special``. Only positive arguments occur in a
mixture, and only those are accepted.
"""

import math

import numpy as np

# psi(x) ~ log x - 1/(2x) - sum_n B_2n / (2n x^2n), the Bernoulli numbers'
# terms B_2n / (2n) for n = 1..7, the coefficients of 1/x^2, 1/x^4, ...
_ASYMPTOTIC = (
    1 / 12,
    -1 / 120,
    1 / 252,
    -1 / 240,
    1 / 132,
    -691 / 32760,
    1 / 12,
)
# the series is used from here on (its next term is below 1e-16 there)
_LARGE = 10.0


def _positive(x, name):
    """``x`` as a float array, every entry finite and > 0."""
    x = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(x) & (x > 0)):
        raise ValueError(
            f"{name} must hold finite numbers > 0, got the value(s) "
            f"{x[~(np.isfinite(x) & (x > 0))]}: the Gamma function of a "
            "mixture's parameters is only needed there."
        )
    return x


def gammaln(x):
    """Return log Gamma(x) for x > 0, entry by entry.

    Gamma(x) = int_0^inf t^(x-1) e^(-t) dt, so Gamma(n) = (n-1)! and
    Gamma(x + 1) = x Gamma(x). Computed by the standard library's
    ``math.lgamma``.

    Parameters
    ----------
    x : array-like or float
        The arguments, every one > 0.

    Returns
    -------
    log_gamma : ndarray or float
        The values log Gamma(x), of the shape of ``x`` (a float for a scalar).
    """
    x = _positive(x, "x")
    values = np.frompyfunc(math.lgamma, 1, 1)(x)
    return np.asarray(values, dtype=float)[()]


def digamma(x):
    """Return the digamma function psi(x) = d/dx log Gamma(x) for x > 0.

    The recurrence psi(x) = psi(x + 1) - 1/x (from Gamma(x + 1) =
    x Gamma(x)) moves every argument to x >= 10, where the asymptotic
    series psi(x) = log x - 1/(2x) - 1/(12 x^2) + 1/(120 x^4) - ... is
    accurate to round-off.

    Parameters
    ----------
    x : array-like or float
        The arguments, every one > 0.

    Returns
    -------
    psi : ndarray or float
        The values psi(x), of the shape of ``x`` (a float for a scalar).
    """
    x = _positive(x, "x").copy()
    shift = np.zeros_like(x)  # sum of 1/x over the recurrence's steps
    small = x < _LARGE
    while np.any(small):
        shift[small] += 1.0 / x[small]
        x[small] += 1.0
        small = x < _LARGE
    z = 1.0 / (x * x)
    series = 0.0
    for coefficient in reversed(_ASYMPTOTIC):  # Horner's rule in 1/x^2
        series = series * z + coefficient
    return (np.log(x) - 0.5 / x - z * series - shift)[()]


def betaln(a, b):
    """Return log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b).

    B(a, b) normalises the Beta(a, b) density
    v^(a-1) (1 - v)^(b-1) / B(a, b) on [0, 1].

    Parameters
    ----------
    a, b : array-like or float
        The Beta parameters, every one > 0, of shapes that broadcast.

    Returns
    -------
    log_beta : ndarray or float
        The values log B(a, b), of the broadcast shape.
    """
    a, b = np.broadcast_arrays(_positive(a, "a"), _positive(b, "b"))
    return gammaln(a) + gammaln(b) - gammaln(a + b)
