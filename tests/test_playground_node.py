"""The EM playground's JavaScript (``book/_static/playground/``) against gmm_teach, without a browser.

Under Node (one process for the whole module), ``gmm-em.js`` is loaded as the page loads it, after
the data-set script that ``book/_ext/gmm_playground.py`` writes into the built book, and compared
with the package from the same starts: every data set the page offers, k-means++ means, every
covariance type (24 cases, tol = 1e-4, max_iter = 300):

- the page's data sets are exactly the points its "This run in Python" code draws;
- ``fit`` against ``em.em``: the same number of iterations and the same ``converged``; weights,
  means, covariances, the log-likelihoods of every iteration and of the returned parameters
  equal to a relative ``RTOL`` = 1e-13. Worst relative difference measured: 8.7e-15 (a mean of
  -0.011, an absolute difference of 1e-16);
- one ``eStep`` of the start against ``em.e_step`` (responsibilities and l; worst 7.2e-15) and
  the ``mStep`` from those responsibilities against ``em.m_step`` (worst 5.2e-15), to ``RTOL``;
- ``bic`` and ``aic`` of each fit against ``selection.bic`` and ``selection.aic`` (worst
  2.1e-15), and ``nParameters`` against ``selection.n_parameters`` (exactly) for K = 1..6,
  d = 1..4.

The module's tests take about 2 s, Node's one process about 1 s of it (1.4 to 3 s measured on two
busy cores). Without ``node`` on PATH these tests skip; the Chromium suite
(``tests/test_playground.py``, ``make test``) runs the same cases in the built page, where the
worst relative difference measured is 9.4e-14 (Chromium's V8 rounds a few operations differently
from Node's). The cases and helpers below are shared with that suite.

Without Node: every ``// mirrors module.name`` comment in the playground's scripts must name a
function, class or method *defined* (not re-exported) in ``gmm_teach/<module>.py``, or in
``gmm_teach/teaching/<module>.py`` for the teaching layer; and the header of ``gmm-em.js`` must
list every module its comments name.
"""

import ast
import functools
import importlib.util
import json
import re
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest

from gmm_teach import em, kmeans, selection
from gmm_teach.covariance import COVARIANCE_TYPES
from gmm_teach.exceptions import ConvergenceWarning
from gmm_teach.teaching import datasets

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "gmm_teach"
PLAYGROUND = ROOT / "book" / "_static" / "playground"
GMM_EM_JS = PLAYGROUND / "gmm-em.js"
EXTENSION = ROOT / "book" / "_ext" / "gmm_playground.py"

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(
    NODE is None,
    reason="Node.js was not found (no `node` on PATH): the playground's "
    "JavaScript is not run here; tests/test_playground.py still compares "
    "it with gmm_teach in Chromium (make test)",
)

# the number of clusters each data set of the page was drawn with
N_COMPONENTS = {
    "three_blobs_2d": 3,
    "correlated_pair_2d": 2,
    "anisotropic_blobs": 3,
    "unequal_blobs": 3,
    "five_blobs": 5,
    "old_faithful": 2,
}
# the options of every parity case, in Python's and in JavaScript's words
EM_OPTIONS = {"tol": 1e-4, "max_iter": 300, "reg_covar": 1e-6}
JS_OPTIONS = {"tol": 1e-4, "maxIter": 300, "regCovar": 1e-6}
# measured under Node 20: 8.7e-15 at worst (see the module docstring)
RTOL = 1e-13


# --------------------------------------------------------------- the cases


class Case(NamedTuple):
    """One parity case: a data set of the page, a covariance type, a start."""

    key: str
    covariance_type: str
    start: dict  # weights, means, covariances as nested lists

    @property
    def label(self):
        return f"{self.key}, {self.covariance_type}"


@functools.cache
def _extension():
    """book/_ext/gmm_playground.py, the build step that exports the data."""
    spec = importlib.util.spec_from_file_location("gmm_playground", EXTENSION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def playground_data():
    """{key: X} of every data set the page offers, in the page's order.

    X is drawn by the call the page shows the reader ("This run in
    Python"), e.g. ``datasets.three_blobs_2d().X``.
    """
    return {
        key: np.asarray(eval(call, {"datasets": datasets}))  # noqa: S307
        for key, _label, _draw, call in _extension().DATASETS
    }


def _isotropic(covariance_type, K, variance):
    """variance * I for every component, stored as the type stores it."""
    return {
        "full": np.stack([variance * np.eye(2)] * K),
        "tied": variance * np.eye(2),
        "diag": np.full((K, 2), variance),
        "spherical": np.full(K, variance),
    }[covariance_type]


def parity_cases(data):
    """Every data set with each covariance type, from one start per data set.

    Equal weights, k-means++ means (seeded by the data set's position) and
    round covariances of half the features' mean standard deviation.
    """
    cases = []
    for seed, (key, K) in enumerate(N_COMPONENTS.items()):
        X = data[key]
        means = kmeans.kmeans_plusplus(X, K, random_state=seed)  # (K, 2)
        variance = float(X.std(axis=0).mean() / 2) ** 2
        for covariance_type in COVARIANCE_TYPES:
            start = {
                "weights": np.full(K, 1 / K).tolist(),
                "means": means.tolist(),
                "covariances": _isotropic(
                    covariance_type, K, variance
                ).tolist(),
            }
            cases.append(Case(key, covariance_type, start))
    return cases


def python_em(X, start, covariance_type, **options):
    """gmm_teach.em.em from a start of the page (nested lists).

    A ConvergenceWarning is silenced: the parity tests compare ``converged``,
    and the page's tests stop some runs by ``max_iter`` on purpose.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return em.em(
            np.array(X),
            np.array(start["weights"]),
            np.array(start["means"]),
            np.array(start["covariances"]),
            covariance_type=covariance_type,
            **options,
        )


def relative_difference(theirs, ours):
    """max |theirs - ours| / |ours|, elementwise (the difference where 0)."""
    theirs, ours = np.asarray(theirs, float), np.asarray(ours, float)
    scale = np.where(ours == 0, 1.0, np.abs(ours))
    return float(np.max(np.abs(theirs - ours) / scale))


def assert_close(theirs, ours, label, rtol=RTOL):
    """theirs equals ours to a relative rtol; returns the worst ratio."""
    np.testing.assert_allclose(
        np.asarray(theirs, float), ours, rtol=rtol, atol=0, err_msg=label
    )
    return relative_difference(theirs, ours)


def assert_same_fit(js, py, label, rtol=RTOL):
    """The JavaScript fit ``js`` (a dict) equals the EMResult ``py``.

    The same number of iterations and ``converged``, every number to a
    relative ``rtol``; returns the worst relative difference.
    """
    assert js["nIter"] == py.n_iter, (
        f"{label}: {js['nIter']} iterations in JS, {py.n_iter} in Python"
    )
    assert js["converged"] == py.converged, label
    return max(
        assert_close(js[name], ours, f"{label}: {name}", rtol)
        for name, ours in [
            ("weights", py.weights),
            ("means", py.means),
            ("covariances", py.covariances),
            ("logLikelihoods", py.log_likelihoods),
            ("finalLogLikelihood", py.final_log_likelihood),
        ]
    )


# ---------------------------------------------------------- one Node run

# The page's scripts in one Node process. `window` is the global object, as
# in the page (vm.runInThisContext: a separate vm context would make every
# global lookup, Math.exp included, several times slower).
NODE_SCRIPT = r"""
const fs = require("fs");
const vm = require("vm");
const request = JSON.parse(fs.readFileSync(0, "utf8"));
globalThis.window = globalThis;
for (const [filename, code] of request.scripts) vm.runInThisContext(code, { filename });
const G = window.gmmExplorer;
const datasets = {};
for (const [key, dataset] of Object.entries(G.datasets)) datasets[key] = dataset.X;
const cases = request.cases.map(({ key, covariance_type: type, start }) => {
  const X = datasets[key];
  const { weights, means, covariances } = start;
  const { regCovar } = request.options;
  const eStep = G.eStep(X, weights, means, covariances, type);
  const mStep = G.mStep(X, eStep.responsibilities, type, regCovar);
  const fit = G.fit(X, weights, means, covariances, type, request.options);
  const [n, K, d] = [X.length, weights.length, X[0].length];
  const ll = fit.finalLogLikelihood;
  return { eStep, mStep, fit, bic: G.bic(ll, K, n, d, type), aic: G.aic(ll, K, d, type) };
});
const nParameters = request.nParameters.map(([K, d, type]) => G.nParameters(K, d, type));
process.stdout.write(JSON.stringify({ datasets, cases, nParameters }));
"""

N_PARAMETERS_GRID = [
    (K, d, covariance_type)
    for K in range(1, 7)
    for d in range(1, 5)
    for covariance_type in COVARIANCE_TYPES
]


class NodeRun(NamedTuple):
    data: dict  # {key: X}, drawn in Python
    cases: list  # [Case]
    results: dict  # what the Node script printed


@pytest.fixture(scope="module")
def node_run():
    """Every computation of this module, in one Node process."""
    data = playground_data()
    cases = parity_cases(data)
    scripts = [
        # as the page loads them: the data first, then the EM
        [
            "datasets.js (book/_ext/gmm_playground.py)",
            _extension().datasets_script(),
        ],
        [str(GMM_EM_JS), GMM_EM_JS.read_text(encoding="utf-8")],
    ]
    request = {
        "scripts": scripts,
        "cases": [case._asdict() for case in cases],
        "options": JS_OPTIONS,
        "nParameters": N_PARAMETERS_GRID,
    }
    process = subprocess.run(
        [NODE, "-e", NODE_SCRIPT],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if process.returncode != 0:
        pytest.fail(f"Node failed:\n{process.stderr}")
    return NodeRun(data, cases, json.loads(process.stdout))


@pytest.fixture(scope="module")
def python_fits(node_run):
    """em.em on every case, in the order of node_run.cases."""
    return [
        python_em(
            node_run.data[case.key],
            case.start,
            case.covariance_type,
            **EM_OPTIONS,
        )
        for case in node_run.cases
    ]


# ------------------------------------------------------------ the tests


@needs_node
def test_the_page_holds_the_points_its_python_code_draws(node_run):
    exported = node_run.results["datasets"]
    assert list(exported) == list(node_run.data) == list(N_COMPONENTS), (
        "every data set of the page needs its number of clusters here"
    )
    for key, X in node_run.data.items():
        np.testing.assert_array_equal(exported[key], X, err_msg=key)


def _each_case(node_run):
    """(case, X, what Node computed for it) for every case."""
    for case, result in zip(
        node_run.cases, node_run.results["cases"], strict=True
    ):
        yield case, node_run.data[case.key], result


@needs_node
def test_fit_is_em_em_from_the_same_start(node_run, python_fits):
    """Every data set and covariance type, to RTOL (worst 8.7e-15)."""
    for (case, _X, result), py in zip(
        _each_case(node_run), python_fits, strict=True
    ):
        assert_same_fit(result["fit"], py, case.label)


@needs_node
def test_one_e_step_and_m_step_are_gmm_teachs(node_run):
    """From each start: r_ik and l of em.e_step, then em.m_step's theta."""
    for case, X, result in _each_case(node_run):
        start = [
            np.array(case.start[name])
            for name in ("weights", "means", "covariances")
        ]
        resp, ll = em.e_step(X, *start, case.covariance_type)
        js = result["eStep"]
        assert_close(js["responsibilities"], resp, f"{case.label}: r_ik")
        assert_close(js["logLikelihood"], ll, f"{case.label}: l")
        m_step = em.m_step(
            X, resp, case.covariance_type, EM_OPTIONS["reg_covar"]
        )
        for name, ours in zip(
            ("weights", "means", "covariances"), m_step, strict=True
        ):
            label = f"{case.label}: M-step {name}"
            assert_close(result["mStep"][name], ours, label)


@needs_node
def test_bic_aic_and_parameter_counts_are_gmm_teachs(node_run, python_fits):
    """BIC and AIC of each fit; nu exactly, for K = 1..6 and d = 1..4."""
    for (case, X, result), py in zip(
        _each_case(node_run), python_fits, strict=True
    ):
        fitted = (X, py.weights, py.means, py.covariances)
        bic = selection.bic(*fitted, case.covariance_type)
        aic = selection.aic(*fitted, case.covariance_type)
        assert_close(result["bic"], bic, f"{case.label}: BIC")
        assert_close(result["aic"], aic, f"{case.label}: AIC")
    expected = [selection.n_parameters(*args) for args in N_PARAMETERS_GRID]
    assert node_run.results["nParameters"] == expected


# ------------------------------------------- the "mirrors" comments (no Node)

# "// mirrors NAMES: what it computes", maybe continued on the comment lines
# below; the names end at the first ":" or " (".
MIRRORS = re.compile(
    r"^[ \t]*// mirrors (.*(?:\n[ \t]*//(?! mirrors ).*)*)", re.M
)
# module.function, module.Class.method, module.submodule.function
NAME = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+"
# the three forms of the names part: "a.b, c.d and e.f"; 'the "value" method
# of module.function'; "the method methods of module.A and module.B"
SEVERAL = re.compile(rf"({NAME})(?:(?:, | and )({NAME}))*")
VALUE_OF = re.compile(rf'the "([^"]+)" method of ({NAME})')
METHODS_OF = re.compile(rf"the (\w+) methods of ({SEVERAL.pattern})")


def mirrors_comments(path):
    """(line number, the names part) of every "// mirrors" comment."""
    text = path.read_text(encoding="utf-8")
    found = []
    for match in MIRRORS.finditer(text):
        joined = re.sub(r"\s*\n[ \t]*//\s*", " ", match.group(1))
        names = re.split(r":| \(", joined, maxsplit=1)[0].strip()
        found.append((text.count("\n", 0, match.start()) + 1, names))
    return found


def _definition(tree, qualname):
    """The def or class node that defines ``qualname`` in ``tree``'s body
    itself (a name that is only imported there is not defined), or None."""
    node, body = None, tree.body
    for part in qualname:
        node = next(
            (
                n
                for n in body
                if isinstance(
                    n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
                )
                and n.name == part
            ),
            None,
        )
        if node is None:
            return None
        body = node.body
    return node


def _module_files(module, package):
    """The files of ``gmm_teach.<module>``, then ``gmm_teach.teaching.<module>``."""
    for home in (package, package / "teaching"):
        folder = home.joinpath(*module)
        yield from (
            path
            for path in (folder.with_suffix(".py"), folder / "__init__.py")
            if path.is_file()
        )


@functools.cache
def _parsed(path):
    """(source, module AST) of a Python file."""
    source = path.read_text(encoding="utf-8")
    return source, ast.parse(source)


def resolve(name, package=PACKAGE):
    """(file, node) of the def or class that ``name`` (``module.function``,
    ``module.Class.method``, ``module.sub.function``) names, or None."""
    parts = name.split(".")
    for split in range(len(parts) - 1, 0, -1):  # the longest module first
        for path in _module_files(parts[:split], package):
            node = _definition(_parsed(path)[1], parts[split:])
            if node is not None:
                return path, node
    return None


def _problems(names):
    """What is wrong with the names part of one "mirrors" comment."""
    if match := VALUE_OF.fullmatch(names):
        value, name = match.groups()
        found = resolve(name)
        if found is None:
            return [f"{name} is not defined in gmm_teach"]
        path, node = found
        source = ast.get_source_segment(_parsed(path)[0], node)
        # the method's name, quoted, in the code or the comments
        quoted = {f'"{value}"', f"'{value}'"}
        return (
            []
            if any(q in source for q in quoted)
            else [f'{name} has no "{value}"']
        )
    if match := METHODS_OF.fullmatch(names):
        method = match.group(1)
        targets = [f"{owner}.{method}" for owner in re.findall(NAME, match[2])]
    elif SEVERAL.fullmatch(names):
        targets = re.findall(NAME, names)
    else:
        return [f"cannot read the names in {names!r}"]
    return [
        f"{target} is not defined in gmm_teach (re-exports do not count)"
        for target in targets
        if resolve(target) is None
    ]


def test_every_mirrors_comment_names_python_defined_there():
    """gmm-em.js and explorer.js name the Python they port, where it is."""
    problems, count = [], 0
    for path in sorted(PLAYGROUND.glob("*.js")):
        for line, names in mirrors_comments(path):
            count += 1
            problems += [
                f"{path.name}:{line}: {problem}"
                for problem in _problems(names)
            ]
    assert count >= 20, f"only {count} mirrors comments found"
    assert not problems, "\n".join(problems)


def test_the_header_of_gmm_em_js_lists_every_module_it_mirrors():
    header = GMM_EM_JS.read_text(encoding="utf-8").split("*/", 1)[0]
    listed = set(re.findall(r"(\w+)\.py", header))
    named = {
        target.split(".")[0]
        for _line, names in mirrors_comments(GMM_EM_JS)
        for target in re.findall(NAME, names)
    }
    assert named <= listed, f"not in the header: {sorted(named - listed)}"


def test_resolve_takes_definitions_in_either_layout(tmp_path):
    """gmm_teach.<module> first, then gmm_teach.teaching.<module> (a module
    or a package); a name that a module only imports is not defined there."""
    files = {
        "gaussian.py": "from covariance import full_covariances\n",
        "covariance.py": (
            "def full_covariances(): pass\n"
            "class Full:\n    def to_full(self): pass\n"
        ),
        "teaching/plotting.py": "def soft_assignment_colors(resp): pass\n",
        "teaching/figures/__init__.py": "from .figures_2d import blend\n",
        "teaching/figures/figures_2d.py": "def blend(resp): pass\n",
    }
    for name, source in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source)
    assert resolve("gaussian.full_covariances", tmp_path) is None
    assert resolve("covariance.full_covariances", tmp_path)
    assert resolve("covariance.Full.to_full", tmp_path)
    assert resolve("covariance.Full.from_full", tmp_path) is None
    found = resolve("plotting.soft_assignment_colors", tmp_path)
    assert found[0] == tmp_path / "teaching" / "plotting.py"
    assert resolve("figures.blend", tmp_path) is None
    found = resolve("figures.figures_2d.blend", tmp_path)
    assert found[0] == tmp_path / "teaching" / "figures" / "figures_2d.py"
