"""Helpers shared by the tests: slow, obvious references, one entry per covariance type.

The references are written independently of :mod:`gmm_teach.covariance` (explicit matrices,
explicit loops), so that the package is checked against them and not against itself. A new
covariance type needs its entry in ``REFERENCES``; tests/test_covariance.py fails until then.
Import the helpers with ``from conftest import ...``.
"""

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings
from scipy import stats

from gmm_teach import covariance

# tools/editions.py reads the chapters (MyST Markdown) as notebooks; tools/ is
# not a package, so the tests import it as ``from conftest import editions``.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import editions  # noqa: E402, F401

ROOT = Path(__file__).resolve().parent.parent
BUILT_BOOK = ROOT / "_build" / "html" / "index.html"


def book_not_current():
    """Why the built book cannot be compared with the sources (missing, or
    older than a chapter or a module of the package), or None. ``make check``
    skips the comparisons then; ``make test`` builds the book first."""
    if not BUILT_BOOK.is_file():
        return "no built book: run `make book` to compare with the HTML"
    sources = [
        *(ROOT / "book").glob("*.md"),
        *(ROOT / "gmm_teach").rglob("*.py"),
    ]
    if (
        max(path.stat().st_mtime for path in sources)
        > BUILT_BOOK.stat().st_mtime
    ):
        return "the built book is older than its sources: run `make book`"
    return None


# Derandomised property tests: the same examples on every run and every machine.
PROPERTY = settings(
    max_examples=30, deadline=None, derandomize=True, database=None
)


def run_python(code):
    """What ``code`` prints when it runs in a fresh interpreter (which fails the test if it fails).

    For what one process cannot see again once it has imported it, e.g. what ``import gmm_teach``
    loads.
    """
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def random_spd(rng, n_features):
    """A random symmetric positive definite (d, d) matrix, not close to singular."""
    A = rng.normal(size=(n_features, n_features))
    return A @ A.T + n_features * np.eye(n_features)


def _count_symmetric_entries(n_features):
    """The diagonal and the entries above it, counted one by one."""
    return sum(
        1 for i in range(n_features) for j in range(n_features) if j >= i
    )


@dataclass(frozen=True)
class Reference:
    """How one covariance type is written out by hand, for the tests."""

    random: object  # (rng, K, d) -> random valid covariances of the type
    component: (
        object  # (covariances, k, d) -> the (d, d) covariance of component k
    )
    inverse: object  # covariances -> what scikit-learn's precisions_init takes
    from_scatter: (
        object  # (scatter (K, d, d), nk (K,), n, reg) -> M-step covariances
    )
    n_free: object  # (K, d) -> free covariance parameters, counted one by one


REFERENCES = {
    "full": Reference(
        random=lambda rng, K, d: np.stack(
            [random_spd(rng, d) for _ in range(K)]
        ),
        component=lambda c, k, d: c[k],
        inverse=np.linalg.inv,
        from_scatter=lambda S, nk, n, reg: np.array(
            [S[k] / nk[k] + reg * np.eye(S.shape[1]) for k in range(len(nk))]
        ),
        n_free=lambda K, d: sum(_count_symmetric_entries(d) for _ in range(K)),
    ),
    "tied": Reference(
        random=lambda rng, K, d: random_spd(rng, d),
        component=lambda c, k, d: c,
        inverse=np.linalg.inv,
        from_scatter=lambda S, nk, n, reg: (
            sum(S) / n + reg * np.eye(S.shape[1])
        ),
        n_free=lambda K, d: _count_symmetric_entries(d),
    ),
    "diag": Reference(
        random=lambda rng, K, d: rng.uniform(0.5, 3.0, size=(K, d)),
        component=lambda c, k, d: np.diag(c[k]),
        inverse=lambda c: 1.0 / c,
        from_scatter=lambda S, nk, n, reg: np.array(
            [np.diag(S[k]) / nk[k] + reg for k in range(len(nk))]
        ),
        n_free=lambda K, d: sum(1 for k in range(K) for j in range(d)),
    ),
    "spherical": Reference(
        random=lambda rng, K, d: rng.uniform(0.5, 3.0, size=K),
        component=lambda c, k, d: c[k] * np.eye(d),
        inverse=lambda c: 1.0 / c,
        from_scatter=lambda S, nk, n, reg: np.array(
            [
                np.trace(S[k]) / (S.shape[1] * nk[k]) + reg
                for k in range(len(nk))
            ]
        ),
        n_free=lambda K, d: sum(1 for k in range(K)),
    ),
}


def random_covariances(rng, covariance_type, n_components, n_features):
    """Random valid covariances in the shape ``covariance_type`` asks for."""
    return REFERENCES[covariance_type].random(rng, n_components, n_features)


def component_covariance(covariances, covariance_type, k, n_features):
    """The full (d, d) covariance matrix of component k, written out for each type."""
    return REFERENCES[covariance_type].component(covariances, k, n_features)


def precisions(covariances, covariance_type):
    """What scikit-learn's precisions_init wants: the inverse of each covariance."""
    return REFERENCES[covariance_type].inverse(covariances)


def unit_covariances(covariance_type, n_components, n_features):
    """Identity covariances of every component, stored as ``covariance_type`` stores them."""
    identities = np.broadcast_to(
        np.eye(n_features), (n_components, n_features, n_features)
    )
    return covariance.get(covariance_type).from_full(
        identities, np.ones(n_components)
    )


def slow_log_density(X, means, covariances, covariance_type):
    """log N(x_i | mu_k, Sigma_k) by a double loop over samples and components, (n, K)."""
    n_samples, n_features = X.shape
    out = np.empty((n_samples, len(means)))
    for i in range(n_samples):
        for k in range(len(means)):
            cov = component_covariance(
                covariances, covariance_type, k, n_features
            )
            out[i, k] = stats.multivariate_normal.logpdf(
                X[i], mean=means[k], cov=cov
            )
    return out


def count_by_hand(n_components, n_features, covariance_type):
    """Count free parameters one by one: weights but the last, every mean, the covariances."""
    count = n_components - 1  # the last weight is 1 minus the others
    count += n_components * n_features  # every coordinate of every mean
    return count + REFERENCES[covariance_type].n_free(n_components, n_features)


# ---------------------------------------------------------------- the browser

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# no background traffic from the browser itself (updates, sync, safe browsing ...)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, one for the whole session of a worker.

    Playwright's sync API allows one running instance per thread, so every
    browser test (the book's pages, the playground, JupyterLab) shares this.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        yield browser
        browser.close()
