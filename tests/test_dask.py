"""GaussianMixture on a Dask array: the in-memory fit, chunk by chunk.

From the same start, a fit on a Dask array must be the in-memory fit: to
1e-13 on one chunk (the same arithmetic), to 1e-10 relative on many chunks
(only the order of the sums differs), with the same n_iter_. The fits run
on Dask's threads and on a distributed LocalCluster (in-process workers:
the machine has 2 cores); the fault test, with worker processes, is in
tests/test_dask_faults.py.
"""

import warnings

import numpy as np
import pytest

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

from gmm_teach import GaussianMixture, _dask  # noqa: E402
from gmm_teach.covariance import COVARIANCE_TYPES  # noqa: E402
from gmm_teach.init import METHODS  # noqa: E402

FITTED = ("weights_", "means_", "covariances_", "precisions_cholesky_")


def blobs(seed=0, n=900, d=3, shift=0.0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=3.0, size=(3, d)) + shift
    X = np.vstack([rng.normal(c, 1.0, size=(n // 3, d)) for c in centres])
    return rng.permutation(X)


@pytest.fixture(scope="module")
def client():
    """A distributed cluster of two in-process workers, for this module."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _assert_same_fit(dask_fit, numpy_fit, rtol):
    assert dask_fit.n_iter_ == numpy_fit.n_iter_
    assert dask_fit.converged_ == numpy_fit.converged_
    for name in FITTED:
        np.testing.assert_allclose(
            getattr(dask_fit, name), getattr(numpy_fit, name), rtol=rtol
        )
    np.testing.assert_allclose(
        dask_fit.lower_bounds_, numpy_fit.lower_bounds_, rtol=rtol
    )


def _both(X, chunks, **options):
    options = {"n_components": 3, "random_state": 0, "tol": 1e-6, **options}
    numpy_fit = GaussianMixture(**options).fit(X)
    dask_fit = GaussianMixture(**options).fit(da.from_array(X, chunks=chunks))
    return dask_fit, numpy_fit


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_one_chunk_is_the_in_memory_fit(covariance_type):
    X = blobs()
    fits = _both(X, X.shape, covariance_type=covariance_type)
    _assert_same_fit(*fits, rtol=1e-13)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_many_chunks_on_a_cluster_give_the_in_memory_fit(
    client, covariance_type
):
    X = blobs(seed=1)
    # 13 uneven chunks: a tree of two levels of sums (SPLIT_EVERY = 8);
    # scikit-learn's default tol (each iteration is a round on the cluster)
    fits = _both(X, (70, 3), covariance_type=covariance_type, tol=1e-3)
    _assert_same_fit(*fits, rtol=1e-10)


@pytest.mark.parametrize("init_params", METHODS)
def test_every_start_is_the_in_memory_one(init_params):
    X = blobs(seed=2)
    fits = _both(X, (200, 3), init_params=init_params, covariance_type="diag")
    _assert_same_fit(*fits, rtol=1e-10)


def test_random_draws_each_chunk_s_part_of_the_same_stream():
    X = blobs(seed=3)
    rng = np.random.default_rng(5)
    drawn = _dask._random_start(
        da.from_array(X, chunks=(101, 3)), 3, "full", 1e-6, rng
    )
    expected_rng = np.random.default_rng(5)
    from gmm_teach.init import _initial_parameters

    expected = _initial_parameters(X, 3, "random", "full", 1e-6, expected_rng)
    for a, b in zip(drawn, expected, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    # the generator has moved on as far as the in-memory draw moved it
    assert rng.uniform() == expected_rng.uniform()


def test_user_start_and_n_init_and_warm_start():
    X = blobs(seed=4)
    means = X[:3]
    options = dict(means_init=means, n_init=2, max_iter=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fits = _both(X, (300, 3), **options)
        _assert_same_fit(*fits, rtol=1e-10)
        dask_fit, numpy_fit = fits
        dask_fit.set_params(warm_start=True)
        numpy_fit.set_params(warm_start=True)
        dask_fit.fit(da.from_array(X, chunks=(300, 3)))
        numpy_fit.fit(X)
    _assert_same_fit(dask_fit, numpy_fit, rtol=1e-10)


def test_kmeans_on_a_sample_beyond_the_sample_size(monkeypatch):
    monkeypatch.setattr(_dask, "KMEANS_SAMPLE", 300)
    X = blobs(seed=5, n=3000)
    dask_fit, numpy_fit = _both(X, (500, 3), tol=1e-10, max_iter=1000)
    # not the same start, but the same optimum (EM creeps along a flat
    # direction: 1e-4 after the change per iteration fell below 1e-10)
    order = np.argsort(dask_fit.means_[:, 0])
    expected = np.argsort(numpy_fit.means_[:, 0])
    np.testing.assert_allclose(
        dask_fit.means_[order], numpy_fit.means_[expected], rtol=1e-4
    )


def test_predictions_of_a_dask_array_are_dask_arrays(client):
    X = blobs(seed=6)
    model = GaussianMixture(3, random_state=0).fit(X)
    Xd = da.from_array(X, chunks=(250, 3))
    proba, labels, log_p = (
        model.predict_proba(Xd),
        model.predict(Xd),
        model.score_samples(Xd),
    )
    for lazy in (proba, labels, log_p):
        assert isinstance(lazy, da.Array)
    np.testing.assert_allclose(proba.compute(), model.predict_proba(X))
    np.testing.assert_array_equal(labels.compute(), model.predict(X))
    np.testing.assert_allclose(log_p.compute(), model.score_samples(X))
    assert model.score(Xd) == pytest.approx(model.score(X), rel=1e-13)
    np.testing.assert_array_equal(
        GaussianMixture(3, random_state=0).fit_predict(Xd).compute(),
        GaussianMixture(3, random_state=0).fit_predict(X),
    )


def test_bic_and_aic_read_a_dask_array_chunk_by_chunk(monkeypatch):
    """The criteria equal the in-memory ones, and no step checks (or
    computes on) more rows than one chunk holds."""
    X = blobs(seed=10)
    model = GaussianMixture(3, random_state=0).fit(X)
    expected = model.bic(X), model.aic(X)
    checked = []
    check = model._check_X
    monkeypatch.setattr(
        model, "_check_X", lambda A: checked.append(len(A)) or check(A)
    )
    Xd = da.from_array(X, chunks=(200, 3))
    with dask.config.set(scheduler="sync"):  # the model is not copied
        got = model.bic(Xd), model.aic(Xd)
    np.testing.assert_allclose(got, expected, rtol=1e-13)
    assert sorted(checked) == [100, 100] + [200] * 8  # 5 chunks, twice


def test_float32_data_give_float32_attributes():
    X = blobs(seed=7).astype(np.float32)
    dask_fit, numpy_fit = _both(X, (300, 3))
    assert dask_fit.means_.dtype == np.float32
    _assert_same_fit(dask_fit, numpy_fit, rtol=1e-6)


def _message(call):
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    return type(info.value), str(info.value)


@pytest.mark.parametrize(
    "make_bad",
    [
        pytest.param(lambda X: np.where(X > 4, np.inf, X), id="inf"),
        pytest.param(lambda X: X[:0], id="empty"),
        pytest.param(lambda X: X[:2], id="fewer-rows-than-components"),
        pytest.param(lambda X: X[:1], id="one-row"),
        pytest.param(lambda X: X[:, 0], id="1-d"),
        pytest.param(lambda X: X[:, :0], id="no-feature"),
        pytest.param(lambda X: X + 1j, id="complex"),
    ],
)
def test_bad_input_gets_the_in_memory_error(make_bad):
    X = make_bad(blobs(seed=8))
    Xd = da.from_array(X, chunks=(100,) + X.shape[1:])
    expected = _message(lambda: GaussianMixture(3).fit(X))
    assert _message(lambda: GaussianMixture(3).fit(Xd)) == expected


def with_holes(seed=11, fraction=0.2):
    """blobs with a fraction of the entries missing (no row left empty)."""
    X = blobs(seed=seed)
    holes = np.random.default_rng(seed).uniform(size=X.shape) < fraction
    holes[holes.all(axis=1), 0] = False
    return np.where(holes, np.nan, X)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_nan_is_a_missing_value_as_in_memory(covariance_type, client):
    """Chapter 11's EM, chunk by chunk: on one chunk the in-memory fit to
    1e-13, on many (on the cluster) to 1e-10, the same n_iter_; and the
    predictions of the rows with NaN."""
    X = with_holes()
    for chunks, rtol in (((900, 3), 1e-13), ((200, 3), 1e-10)):
        dask_fit, numpy_fit = _both(X, chunks, covariance_type=covariance_type)
        _assert_same_fit(dask_fit, numpy_fit, rtol=rtol)
    Xd = da.from_array(X, chunks=(200, 3))
    np.testing.assert_allclose(
        dask_fit.predict_proba(Xd).compute(), numpy_fit.predict_proba(X)
    )
    assert dask_fit.bic(Xd) == pytest.approx(numpy_fit.bic(X), rel=1e-10)


@pytest.mark.parametrize("init_params", METHODS)
def test_every_start_with_nan_is_the_in_memory_one(init_params):
    """The start of the mean-filled data, as in memory."""
    dask_fit, numpy_fit = _both(
        with_holes(seed=12), (300, 3), init_params=init_params, max_iter=0
    )
    for name in ("weights_", "means_", "covariances_"):
        np.testing.assert_allclose(
            getattr(dask_fit, name), getattr(numpy_fit, name), rtol=1e-12
        )


@pytest.mark.parametrize(
    "where, value",
    [
        pytest.param(np.s_[:, 1], np.nan, id="column"),
        pytest.param(np.s_[[5, 700], :], np.nan, id="rows"),
        pytest.param(np.s_[3, 2], np.inf, id="inf"),
    ],
)
def test_nothing_observed_gets_the_in_memory_error(where, value):
    """A column or a row with nothing observed, or infinity beside NaN:
    the in-memory message, the rows' positions included."""
    X = with_holes(seed=13)
    X[where] = value
    Xd = da.from_array(X, chunks=(100, 3))
    expected = _message(lambda: GaussianMixture(3).fit(X))
    assert _message(lambda: GaussianMixture(3).fit(Xd)) == expected


def test_chunks_across_the_features_are_refused():
    Xd = da.from_array(blobs(), chunks=(300, 2))
    with pytest.raises(ValueError, match=r"chunks of rows only.*rechunk"):
        GaussianMixture(3).fit(Xd)


def test_predictions_check_the_features():
    model = GaussianMixture(3, random_state=0).fit(blobs())
    Xd = da.from_array(blobs(n=30, d=2), chunks=(10, 2))
    expected = _message(lambda: model.predict(blobs(n=30, d=2)))
    assert _message(lambda: model.predict(Xd)) == expected


def test_chunks_of_unknown_size_are_measured_first():
    X = blobs(seed=9)
    Xd = da.from_array(X, chunks=(100, 3))
    kept = Xd[Xd[:, 0] > -100]  # every row, in chunks of unknown size
    assert np.isnan(kept.shape[0])
    fits = (
        GaussianMixture(3, random_state=0).fit(kept),
        GaussianMixture(3, random_state=0).fit(X),
    )
    _assert_same_fit(*fits, rtol=1e-10)


def test_random_needs_a_generator_that_jumps_ahead():
    X = da.from_array(blobs(seed=10), chunks=(300, 3))
    rng = np.random.Generator(np.random.MT19937(0))
    model = GaussianMixture(3, init_params="random", random_state=rng)
    with pytest.raises(ValueError, match="can jump ahead.*MT19937"):
        model.fit(X)
