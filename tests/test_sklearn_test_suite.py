"""scikit-learn's own tests of its GaussianMixture and BayesianGaussianMixture,
run on ours.

At test time, the test reads the file of tests that the installed
scikit-learn ships (sklearn/mixture/tests/test_gaussian_mixture.py, then
test_bayesian_mixture.py), swaps its one import of the estimator for
``gmm_teach``'s, writes the result into
pytest's ``tmp_path`` and runs it with pytest in a subprocess, with
scikit-learn's conftest as a plugin (its fixtures ``global_dtype`` and
``global_random_seed``) and its float32 variants switched on. Nothing of
scikit-learn's test code is stored in this repository.

Every test of public behaviour must pass. ``OUT_OF_SCOPE`` and
``OUT_OF_SCOPE_BAYESIAN`` list the tests that may fail, each with the reason:
they test private internals of scikit-learn (functions and methods whose
names start with an underscore, its private modules
``sklearn.mixture._gaussian_mixture`` and ``_bayesian_mixture``), or input
the package documents that it does not take (Array API arrays).
"""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

sklearn = pytest.importorskip("sklearn")

TESTS = Path(sklearn.__file__).parent / "mixture/tests"
ROOT = Path(__file__).resolve().parents[1]

# Test functions (all their parametrisations) that are out of scope: why.
_PRIVATE_ONLY = (
    "tests only private functions of sklearn.mixture._gaussian_mixture "
    "and never builds a GaussianMixture"
)
OUT_OF_SCOPE = {
    "test_suffstat_sk_full": _PRIVATE_ONLY,
    "test_suffstat_sk_tied": _PRIVATE_ONLY,
    "test_suffstat_sk_diag": _PRIVATE_ONLY,
    "test_gaussian_suffstat_sk_spherical": _PRIVATE_ONLY,
    "test_compute_log_det_cholesky": _PRIVATE_ONLY,
    "test_gaussian_mixture_log_probabilities": _PRIVATE_ONLY,
    "test_gaussian_mixture_n_parameters": (
        "calls the private method GaussianMixture._n_parameters; the public "
        "count is gmm_teach.selection.n_parameters"
    ),
    "test_gaussian_mixture_aic_bic": (
        "computes its expected AIC and BIC with the private method "
        "GaussianMixture._n_parameters"
    ),
    "test_gaussian_mixture_precisions_init": (
        "its helper calls the private method GaussianMixture._set_parameters "
        "on scikit-learn's private _estimate_gaussian_parameters"
    ),
    "test_gaussian_mixture_all_init_does_not_estimate_gaussian_parameters": (
        "counts, with a mock, the calls of scikit-learn's private "
        "_estimate_gaussian_parameters, which gmm_teach never calls"
    ),
    "test_gaussian_mixture_array_api_compliance": (
        "Array API input (torch, CuPy, array-api-strict): the package takes "
        "NumPy arrays only, as its Notes say"
    ),
    "test_gaussian_mixture_raises_where_array_api_not_implemented": (
        "Array API dispatch: the package takes NumPy arrays only"
    ),
}
OUT_OF_SCOPE_BAYESIAN = {
    "test_log_dirichlet_norm": (
        "tests only private functions of sklearn.mixture._bayesian_mixture"
    ),
    "test_log_wishart_norm": (
        "tests only private functions of sklearn.mixture._bayesian_mixture"
    ),
    "test_compare_covar_type": (
        "calls the private method _initialize_parameters with a RandomState"
    ),
}
# estimator: (scikit-learn's test file, its tests out of scope, the fewest
# tests in scope that must pass)
SUITES = {
    "GaussianMixture": ("test_gaussian_mixture.py", OUT_OF_SCOPE, 50),
    "BayesianGaussianMixture": (
        "test_bayesian_mixture.py",
        OUT_OF_SCOPE_BAYESIAN,
        14,
    ),
}


def _results(junit_xml):
    """{test id: outcome} from pytest's JUnit XML report."""
    outcomes = {}
    for case in ET.parse(junit_xml).getroot().iter("testcase"):
        kinds = {child.tag for child in case}
        outcome = "passed"
        for kind in ("failure", "error", "skipped"):
            if kind in kinds:
                outcome = kind
        outcomes[case.get("name")] = outcome
    return outcomes


@pytest.mark.parametrize("estimator", SUITES)
def test_scikit_learn_s_own_tests_pass_on_gmm_teach(estimator, tmp_path):
    file_name, out_of_scope, fewest = SUITES[estimator]
    tests = TESTS / file_name
    if not tests.is_file():
        pytest.skip(f"scikit-learn's test file is not installed: {tests}")
    source = tests.read_text()
    theirs = f"from sklearn.mixture import {estimator}\n"
    ours = f"from gmm_teach import {estimator}\n"
    assert source.count(theirs) == 1, (
        f"scikit-learn's test file no longer imports {estimator} with "
        f"{theirs.strip()!r}"
    )
    missing = [name for name in out_of_scope if f"def {name}(" not in source]
    assert not missing, f"OUT_OF_SCOPE names tests that are gone: {missing}"
    suite = tmp_path / file_name.replace(".py", "_on_gmm_teach.py")
    suite.write_text(source.replace(theirs, ours))
    report = tmp_path / "report.xml"
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT), os.environ.get("PYTHONPATH", "")]
        ),
        "SKLEARN_RUN_FLOAT32_TESTS": "1",
    }
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "sklearn.conftest",
        "-p",
        "no:cacheprovider",
        "-q",
        "--tb=short",
        f"--junitxml={report}",
        suite.name,
    ]
    run = subprocess.run(
        command,
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert report.is_file(), run.stdout[-3000:] + run.stderr[-3000:]
    results = _results(report)
    in_scope = {
        name: outcome
        for name, outcome in results.items()
        if name.split("[")[0] not in out_of_scope
    }
    failed = sorted(
        n for n, o in in_scope.items() if o in ("failure", "error")
    )
    assert not failed, f"{failed}\n{run.stdout[-6000:]}"
    # the run did test our estimator: many tests in scope, and ours imported
    passed = sum(outcome == "passed" for outcome in in_scope.values())
    assert passed >= fewest, f"only {passed} in scope passed\n{run.stdout}"
    assert ours in suite.read_text()
