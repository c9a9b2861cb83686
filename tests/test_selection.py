"""Tests of gmm_teach.selection: parameter counts by hand, BIC and AIC against scikit-learn."""

import numpy as np
import pytest
from conftest import count_by_hand
from sklearn.mixture import GaussianMixture as SklearnMixture

from gmm_teach import selection
from gmm_teach.covariance import COVARIANCE_TYPES


@pytest.mark.parametrize(
    "covariance_type, expected",
    [
        ("full", 2 + 6 + 9),
        ("tied", 2 + 6 + 3),
        ("diag", 2 + 6 + 6),
        ("spherical", 2 + 6 + 3),
    ],
)
def test_n_parameters_of_three_components_in_two_dimensions(
    covariance_type, expected
):
    assert selection.n_parameters(3, 2, covariance_type) == expected


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_n_parameters_matches_counting_by_hand(covariance_type):
    for n_components in (1, 2, 5):
        for n_features in (1, 3, 7):
            assert selection.n_parameters(
                n_components, n_features, covariance_type
            ) == count_by_hand(n_components, n_features, covariance_type)


def test_n_parameters_default_is_full():
    assert (
        selection.n_parameters(4, 3)
        == selection.n_parameters(4, 3, "full")
        == 3 + 12 + 24
    )


@pytest.fixture(scope="module")
def fitted():
    """Data and scikit-learn fits for every covariance type."""
    rng = np.random.default_rng(0)
    X = np.vstack(
        [rng.normal(c, 1.0, size=(60, 2)) for c in ([0, 0], [5, 1], [1, 6])]
    )
    return X, {
        ct: SklearnMixture(3, covariance_type=ct, random_state=0).fit(X)
        for ct in COVARIANCE_TYPES
    }


def fit_of(fitted, covariance_type):
    """(X, scikit-learn's model, its parameters as selection takes them)."""
    X, models = fitted
    model = models[covariance_type]
    params = (model.weights_, model.means_, model.covariances_)
    return X, model, (*params, covariance_type)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_bic_and_aic_match_scikit_learn_on_its_fitted_parameters(
    fitted, covariance_type
):
    X, model, params = fit_of(fitted, covariance_type)
    assert selection.bic(X, *params) == pytest.approx(model.bic(X), rel=1e-10)
    assert selection.aic(X, *params) == pytest.approx(model.aic(X), rel=1e-10)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_bic_and_aic_are_minus_two_loglik_plus_penalty(
    fitted, covariance_type
):
    X, model, params = fit_of(fitted, covariance_type)
    total = model.score_samples(X).sum()  # l(theta), a sum over 180 samples
    nu = count_by_hand(3, 2, covariance_type)
    assert selection.bic(X, *params) == pytest.approx(
        -2 * total + nu * np.log(180), rel=1e-10
    )
    assert selection.aic(X, *params) == pytest.approx(
        -2 * total + 2 * nu, rel=1e-10
    )


def test_bic_prefers_the_true_number_of_components(fitted):
    X, _ = fitted
    bics = []
    for n_components in (1, 2, 3, 4, 5):
        model = SklearnMixture(n_components, random_state=0).fit(X)
        bics.append(
            selection.bic(X, model.weights_, model.means_, model.covariances_)
        )
    assert int(np.argmin(bics)) + 1 == 3
