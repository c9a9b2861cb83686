"""A worker process killed in the middle of a fit on a Dask array.

Distributed recomputes the chunks the dead worker held (the persisted
array keeps how to compute them) and reruns its tasks; the fit completes
with the same numbers as without the fault. The cluster has two worker
processes, so this test takes several seconds: it belongs to make test,
not make check.
"""

import os
import signal

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

from gmm_teach import GaussianMixture, _dask  # noqa: E402


def test_a_worker_killed_between_two_passes_changes_nothing(monkeypatch):
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=3.0, size=(3, 4))
    X = np.vstack([rng.normal(c, 1.0, size=(400, 4)) for c in centres])
    X = rng.permutation(X)
    options = dict(n_components=3, random_state=0, tol=1e-6)
    expected = GaussianMixture(**options).fit(X)
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        passes, killed = [], []
        statistics = _dask.statistics

        def kill_before_the_third_pass(*args):
            passes.append(len(passes) + 1)
            if len(passes) == 3:  # after two EM passes have run
                holding = client.has_what()  # worker -> keys it holds
                worker = max(holding, key=lambda w: len(holding[w]))
                pids = client.run(os.getpid)
                os.kill(pids[worker], signal.SIGKILL)
                killed.append((worker, len(holding[worker])))
            return statistics(*args)

        monkeypatch.setattr(_dask, "statistics", kill_before_the_third_pass)
        Xd = da.from_array(X, chunks=(100, 4))
        model = GaussianMixture(**options).fit(Xd)
    assert killed and killed[0][1] > 0  # a worker holding chunks died
    assert len(passes) == model.n_iter_ + 1  # + the final E-step
    assert model.n_iter_ == expected.n_iter_ > 3
    for name in ("weights_", "means_", "covariances_"):
        np.testing.assert_allclose(
            getattr(model, name), getattr(expected, name), rtol=1e-10
        )
