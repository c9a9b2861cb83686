"""EM on Dask arrays: speed and memory (not part of the tests).

Three measurements, each from the same start (K-Means on the first chunk)
with a fixed number of iterations (tol=0), covariance_type="full":

(a) one Dask worker (one process, one thread) against the in-memory EM
    (``gmm_teach.em.em``, one BLAS thread) at n = 1e6, d = 16, K = 8;
    goal: Dask within 1.3 times the in-memory time;
(b) two single-threaded worker processes against one at n = 4e6, d = 16,
    K = 8 (512 MB); goal: at least 1.6 times faster;
(c) out of core: a fit (``GaussianMixture.fit``, K-Means start on a
    sample) on data four times larger than the workers' memory limits
    together, generated chunk by chunk from seeds on the workers, persisted
    (the workers spill to disk); reported: size, time, and the peak
    resident memory of each worker process and of the client.

The data are generated on the workers (``da.map_blocks`` from seeds), so
no array travels from the client. Times are wall-clock seconds of EM
alone (the data already persisted), the median of ``--repeat`` runs (3,
each Dask run on a new cluster);
the machine's load (``os.getloadavg``) is printed with them, since other
processes share the cores.

Distributed starts its worker processes with MALLOC_TRIM_THRESHOLD_=65536
(``distributed.nanny.pre-spawn-environ``). Setting it fixes glibc's mmap
threshold at 128 KiB, so each large temporary of the E-step is mapped,
zeroed and unmapped again, where the in-memory EM in this process (glibc's
defaults) reuses freed memory; the E-step and the scatter therefore reuse
their large arrays where they can. ``--glibc-defaults`` starts the workers
without that setting, to measure what it still costs.

Run: OMP_NUM_THREADS=1 .venv/bin/python bench/bench_dask.py [--part abc]
[--repeat 3] [--glibc-defaults]
"""

import argparse
import os
import resource
import tempfile
import time
import warnings
from contextlib import contextmanager

import dask
import dask.array as da
import numpy as np
from distributed import Client, LocalCluster

from gmm_teach import GaussianMixture, _dask, em, init
from gmm_teach.exceptions import ConvergenceWarning

ROWS_PER_CHUNK = 100_000
SEED = 0


def make_chunk(n_rows, n_features, n_components, block_id=None):
    """One chunk of rows from K Gaussians, from the seed (SEED, chunk)."""
    centres = np.random.default_rng(SEED).normal(
        scale=5, size=(n_components, n_features)
    )
    rng = np.random.default_rng([SEED, block_id[0]])
    labels = rng.integers(n_components, size=n_rows)
    return centres[labels] + rng.normal(size=(n_rows, n_features))


def lazy_data(n, d, K):
    """An (n, d) Dask array, generated chunk by chunk where it is used."""
    n_chunks = n // ROWS_PER_CHUNK
    return da.map_blocks(
        make_chunk,
        ROWS_PER_CHUNK,
        d,
        K,
        chunks=((ROWS_PER_CHUNK,) * n_chunks, (d,)),
        dtype=float,
        meta=np.empty((0, d)),
    )


def start_of(d, K):
    """K-Means on the first chunk, then one M-step: every run's start."""
    first = make_chunk(ROWS_PER_CHUNK, d, K, block_id=(0, 0))
    return init.initial_parameters(first, K, "kmeans", random_state=SEED)


@contextmanager
def cluster(n_workers, memory_limit="4GB"):
    """A client of a LocalCluster of single-threaded worker processes.

    Their spill directory is removed afterwards.
    """
    with (
        tempfile.TemporaryDirectory(prefix="bench_dask_") as spill,
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            memory_limit=memory_limit,
            dashboard_address=None,
            local_directory=spill,
        ) as local,
        Client(local) as client,
    ):
        yield client


def _cpu_seconds(client):
    """CPU seconds used so far by the client and every worker process."""
    workers = client.run(time.process_time)
    return time.process_time() + sum(workers.values())


def _median_run(run, repeat):
    """(wall, CPU) seconds of the run of median wall time among ``repeat``.

    ``run()`` returns its (wall, CPU) seconds; the median damps the noise
    of a shared machine.
    """
    times = sorted(run() for _ in range(repeat))
    return times[len(times) // 2]


def _timed(em_run, cpu_seconds):
    """(wall, CPU) seconds of ``em_run()``, ConvergenceWarning silenced."""
    t0, cpu0 = time.perf_counter(), cpu_seconds()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        em_run()
    return time.perf_counter() - t0, cpu_seconds() - cpu0


def timed_dask_em(n, d, K, n_workers, n_iter, repeat):
    """Wall and CPU seconds of n_iter EM iterations on a persisted array,
    the median of ``repeat`` runs, each on a new cluster (where the chunks
    land, 20 and 20 or 21 and 19, changes the time of every pass)."""

    def run():
        with cluster(n_workers) as client:
            X = lazy_data(n, d, K).persist()
            X.sum().compute()  # wait until every chunk is in memory
            start = start_of(d, K)
            return _timed(
                lambda: _dask.em(
                    X, start, "full", 1e-6, max_iter=n_iter, tol=0.0
                ),
                lambda: _cpu_seconds(client),
            )

    return _median_run(run, repeat)


def load():
    return "load averages {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def timed_numpy_em(n, d, K, n_iter, repeat):
    """Wall and CPU seconds of n_iter in-memory EM iterations, the median
    of ``repeat`` runs."""
    X = lazy_data(n, d, K).compute(scheduler="sync")
    start = start_of(d, K)

    def run():
        return _timed(
            lambda: em.em(X, *start, max_iter=n_iter, tol=0.0),
            time.process_time,
        )

    return _median_run(run, repeat)


def part_a(n_iter, repeat):
    n, d, K = 1_000_000, 16, 8
    numpy_time, numpy_cpu = timed_numpy_em(n, d, K, n_iter, repeat)
    dask_time, dask_cpu = timed_dask_em(n, d, K, 1, n_iter, repeat)
    print(
        f"(a) n={n:.0e} d={d} K={K}, {n_iter} iterations, median of "
        f"{repeat} runs ({load()})"
    )
    print(
        f"    in-memory NumPy {numpy_time:.2f} s ({numpy_cpu:.2f} s CPU), "
        f"Dask on one worker {dask_time:.2f} s ({dask_cpu:.2f} s CPU): "
        f"ratio {dask_time / numpy_time:.2f} wall, "
        f"{dask_cpu / numpy_cpu:.2f} CPU (goal <= 1.3)"
    )


def part_b(n_iter, repeat):
    n, d, K = 4_000_000, 16, 8
    (one, one_cpu), (two, two_cpu) = (
        timed_dask_em(n, d, K, workers, n_iter, repeat) for workers in (1, 2)
    )
    print(
        f"(b) n={n:.0e} d={d} K={K}, {n_iter} iterations, median of "
        f"{repeat} runs ({load()})"
    )
    print(
        f"    one worker {one:.2f} s ({one_cpu:.2f} s CPU), two workers "
        f"{two:.2f} s ({two_cpu:.2f} s CPU): speed-up {one / two:.2f} "
        "(goal >= 1.6)"
    )


def _peak_rss_mb():
    """This process's peak resident memory, in MB (Linux: ru_maxrss kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def part_c(n_iter, repeat, memory_limit_mb=400, d=8, K=4):
    """One run (``repeat`` is for parts a and b)."""
    n_workers = 2
    data_bytes = 4 * n_workers * memory_limit_mb * 2**20
    n = data_bytes // (8 * d) // ROWS_PER_CHUNK * ROWS_PER_CHUNK
    with cluster(n_workers, f"{memory_limit_mb}MiB") as client:
        X = lazy_data(n, d, K)
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = GaussianMixture(
                K, max_iter=n_iter, tol=0.0, random_state=SEED
            ).fit(X)
        seconds = time.perf_counter() - t0
        worker_peaks = client.run(_peak_rss_mb)
    print(
        f"(c) out of core: n={n:,} d={d} K={K} full, {n * d * 8 / 2**30:.2f}"
        f" GiB of data, {n_workers} workers of {memory_limit_mb} MiB each "
        f"({load()})"
    )
    print(
        f"    fit ({model.n_iter_} iterations, K-Means start on "
        f"{_dask.KMEANS_SAMPLE:,} rows): {seconds:.1f} s"
    )
    print(
        "    peak RSS per worker (MiB): "
        + ", ".join(f"{v:.0f}" for v in worker_peaks.values())
        + f"; client: {_peak_rss_mb():.0f}"
    )


def main():
    summary = __doc__.splitlines()[0]
    parser = argparse.ArgumentParser(description=summary)
    parser.add_argument("--part", default="abc", help="a, b, c or a mix")
    parser.add_argument("--n-iter", type=int, default=5)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of (a) and (b) of which the median is reported",
    )
    parser.add_argument(
        "--glibc-defaults",
        action="store_true",
        help="start the workers without MALLOC_TRIM_THRESHOLD_",
    )
    args = parser.parse_args()
    if args.glibc_defaults:
        environ = dask.config.get("distributed.nanny.pre-spawn-environ")
        environ = {
            k: v for k, v in environ.items() if not k.startswith("MALLOC")
        }
        dask.config.set({"distributed.nanny.pre-spawn-environ": environ})
    print(f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}, {load()}")
    for part in args.part:
        parts = {"a": part_a, "b": part_b, "c": part_c}
        parts[part](args.n_iter, args.repeat)


if __name__ == "__main__":
    main()
