"""gmm_teach.special against SciPy's scipy.special."""

import numpy as np
import pytest
from scipy import special as scipy_special

from gmm_teach import special

# small arguments (the recurrence), around psi's zero, large ones (the series)
POINTS = np.concatenate(
    [np.logspace(-8, 6, 400), np.linspace(0.05, 30.0, 600), [1.4616321]]
)


def test_digamma_is_scipy_s():
    np.testing.assert_allclose(
        special.digamma(POINTS),
        scipy_special.digamma(POINTS),
        rtol=2e-15,
        atol=2e-15,
    )


def test_gammaln_is_scipy_s():
    np.testing.assert_allclose(
        special.gammaln(POINTS),
        scipy_special.gammaln(POINTS),
        rtol=4e-15,
        atol=4e-15,
    )


def test_betaln_is_scipy_s_to_the_round_off_of_its_terms():
    """ln B(a, b) is a difference of ln Gamma terms: its error is that of
    the largest term."""
    a, b = np.meshgrid(POINTS[::20], POINTS[::20][::-1])
    scale = np.maximum(1.0, np.abs(scipy_special.gammaln(a + b)))
    error = np.abs(special.betaln(a, b) - scipy_special.betaln(a, b))
    assert np.all(error <= 1e-14 * scale)


def test_the_facts_the_chapter_uses():
    # psi(1) = -Euler's gamma; psi(x + 1) = psi(x) + 1/x; Gamma(n) = (n-1)!
    assert special.digamma(1.0) == pytest.approx(-np.euler_gamma, abs=1e-15)
    x = np.linspace(0.1, 5.0, 50)
    np.testing.assert_allclose(
        special.digamma(x + 1), special.digamma(x) + 1 / x, atol=4e-15
    )
    assert special.gammaln(5.0) == pytest.approx(np.log(24.0), rel=1e-15)
    assert np.shape(special.digamma([[1.0, 2.0]])) == (1, 2)
    assert isinstance(special.gammaln(2.0), float)


@pytest.mark.parametrize("function", [special.digamma, special.gammaln])
@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan, np.inf])
def test_only_positive_finite_arguments(function, bad):
    with pytest.raises(ValueError, match="x must hold finite numbers > 0"):
        function([1.0, bad])
