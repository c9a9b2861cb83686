"""GaussianMixture.partial_fit: stepwise EM on running sufficient statistics.

With step size one and the whole data as the batch, each call is one EM
iteration exactly; on a stream of batches it reaches the held-out
log-likelihood of the batch fit.
"""

import warnings

import numpy as np
import pytest

from gmm_teach import ConvergenceWarning, GaussianMixture, stats, stepwise
from gmm_teach.covariance import COVARIANCE_TYPES
from gmm_teach.exceptions import InvalidParameterError

WEIGHTS = np.array([0.5, 0.3, 0.2])
CENTRES = np.array([[0.0, 0.0], [4.0, 1.0], [1.0, 5.0]])


def draw(rng, n):
    """n rows from a known mixture of three unit Gaussians in 2-D."""
    labels = rng.choice(3, size=n, p=WEIGHTS)
    return CENTRES[labels] + rng.normal(size=(n, 2))


def _fit_with_max_iter(X, max_iter, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return GaussianMixture(max_iter=max_iter, tol=0, **options).fit(X)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_step_one_on_all_the_data_is_one_em_iteration(covariance_type):
    X = draw(np.random.default_rng(0), 600)
    options = dict(
        n_components=3, covariance_type=covariance_type, random_state=1
    )
    model = GaussianMixture(**options)
    for n_iter in (1, 2, 3):
        model.partial_fit(X, learning_decay=0)
        expected = _fit_with_max_iter(X, n_iter, **options)
        for name in ("weights_", "means_", "covariances_", "precisions_"):
            np.testing.assert_allclose(
                getattr(model, name), getattr(expected, name), rtol=1e-14
            )
        # the mean log-likelihood of the batch before this step
        assert model.lower_bound_ == pytest.approx(
            expected.lower_bound_, rel=1e-14
        )
        assert model.n_steps_ == n_iter


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_with_nan_step_one_is_one_iteration_of_chapter_11(covariance_type):
    """NaN is a missing value, as in fit: step one on the whole data is one
    iteration of EM on the observed values (it gave NaN parameters)."""
    rng = np.random.default_rng(3)
    X = draw(rng, 600)
    X[rng.uniform(size=X.shape) < 0.15] = np.nan
    X = X[~np.isnan(X).all(axis=1)]
    options = dict(
        n_components=3, covariance_type=covariance_type, random_state=1
    )
    model = GaussianMixture(**options)
    for n_iter in (1, 2):
        model.partial_fit(X, learning_decay=0)
        expected = _fit_with_max_iter(X, n_iter, **options)
        for name in ("weights_", "means_", "covariances_"):
            np.testing.assert_allclose(
                getattr(model, name), getattr(expected, name), rtol=1e-12
            )
        assert model.lower_bound_ == pytest.approx(
            expected.lower_bound_, rel=1e-12
        )


def test_a_stream_reaches_the_held_out_score_of_the_batch_fit():
    rng = np.random.default_rng(2)
    held_out = draw(rng, 20_000)
    # the batch fit reads 20 000 rows, the stream 200 batches of 100
    batch_fit = GaussianMixture(3, random_state=0).fit(draw(rng, 20_000))
    model = GaussianMixture(3, random_state=0)
    scores = []
    for _ in range(200):
        model.partial_fit(draw(rng, 100))
        scores.append(model.score(held_out))
    # The batch fit's own excess held-out loss is about nu / (2 n) =
    # 17 / 40 000 = 4e-4 nats per sample; the stream's last estimates
    # average about 1 / gamma_200 = 42 batches, 4 200 rows: about 2e-3.
    # 5e-3 leaves room for the seed (this one: 6e-4), and fails a stream
    # that stalls (after 10 batches: 1e-2 short).
    assert batch_fit.score(held_out) - scores[-1] < 5e-3
    assert scores[-1] > scores[0] + 1e-2  # the stream learned something


def test_the_first_call_starts_as_fit_would():
    X = draw(np.random.default_rng(3), 300)
    model = GaussianMixture(3, init_params="random_from_data", random_state=4)
    model.partial_fit(X, learning_decay=0)
    expected = _fit_with_max_iter(
        X, 1, n_components=3, init_params="random_from_data", random_state=4
    )
    np.testing.assert_allclose(model.means_, expected.means_, rtol=1e-14)
    assert model.partial_fit(X) is model


def test_partial_fit_after_fit_continues_from_the_fit():
    X = draw(np.random.default_rng(5), 300)
    fitted = _fit_with_max_iter(X, 2, n_components=3, random_state=0)
    fitted.partial_fit(X, learning_decay=0)  # one more EM iteration
    expected = _fit_with_max_iter(X, 3, n_components=3, random_state=0)
    np.testing.assert_allclose(fitted.means_, expected.means_, rtol=1e-12)
    assert fitted.n_steps_ == 1


def test_smaller_steps_move_the_running_statistics_less():
    rng = np.random.default_rng(6)
    first, second = draw(rng, 200), draw(rng, 200) + 3.0
    model = GaussianMixture(1, random_state=0).partial_fit(first)
    mean_before = model.means_.copy()
    model.partial_fit(second, learning_decay=1.0, learning_offset=1.0)
    # gamma_2 = (1 + 2) ** -1: a third of the way to the second batch's mean
    target = second.mean(axis=0)
    np.testing.assert_allclose(
        model.means_, mean_before + (target - mean_before) / 3, rtol=1e-12
    )


def test_step_sizes():
    assert stepwise.step_size(1) == 1.0
    assert stepwise.step_size(2, 0.7, 10.0) == pytest.approx(12**-0.7)
    assert stepwise.step_size(5, 0.0, 10.0) == 1.0


def test_a_step_of_one_keeps_the_batch_statistics_exactly():
    rng = np.random.default_rng(7)
    resp = rng.dirichlet(np.ones(2), size=50)
    old = stats.accumulate(draw(rng, 50), resp)
    new = stats.accumulate(draw(rng, 30), resp[:30])
    running = stepwise.stepwise_update(old, new, eta=1.0)
    for name in ("nk", "sums", "scatter"):
        np.testing.assert_array_equal(
            getattr(running, name), getattr(new, name)
        )
    half = stepwise.stepwise_update(old, new, eta=0.5)
    assert half.n_samples == pytest.approx(30)  # the batch's size
    np.testing.assert_allclose(
        half.nk, 0.5 * old.nk * 30 / 50 + 0.5 * new.nk, rtol=1e-14
    )


def test_the_number_of_features_is_checked():
    model = GaussianMixture(2, random_state=0).partial_fit(
        draw(np.random.default_rng(8), 50)
    )
    with pytest.raises(ValueError, match="features"):
        model.partial_fit(np.ones((10, 3)))


def test_bad_input_is_named():
    X = draw(np.random.default_rng(9), 50)
    with pytest.raises(InvalidParameterError, match="'learning_decay'"):
        GaussianMixture(2).partial_fit(X, learning_decay=1.5)
    with pytest.raises(InvalidParameterError, match="'learning_offset'"):
        GaussianMixture(2).partial_fit(X, learning_offset=0.5)
    with pytest.raises(ValueError, match="n_samples >= n_components"):
        GaussianMixture(3).partial_fit(X[:2])
    bad = X.copy()
    bad[[0, 7]] = np.nan  # rows with nothing observed, as fit refuses them
    with pytest.raises(
        ValueError, match=r"no observed value in row\(s\) 0, 7"
    ):
        GaussianMixture(2).partial_fit(bad)
    bad[0] = np.inf
    with pytest.raises(ValueError, match="got 2 infinite value"):
        GaussianMixture(2).partial_fit(bad)
