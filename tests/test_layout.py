"""The package's layout: the numerical core in gmm_teach/, the teaching layer in gmm_teach/teaching/.

The core loads NumPy only (and scikit-learn's exception bases where it is installed) and never
imports the teaching layer; no module of either part is longer than a reader can hold.
"""

import ast
import tomllib
from pathlib import Path

import pytest
from conftest import run_python

PACKAGE = Path(__file__).resolve().parents[1] / "gmm_teach"
CORE = sorted(PACKAGE.glob("*.py"))
EVERY_MODULE = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 600

# What `import gmm_teach` loads that is not in Python's standard library, printed as a list.
# scikit-learn is blocked, as if it were not installed: what it loads is its own business.
IMPORT_CORE = """
import sys

sys.modules["sklearn"] = None
before = set(sys.modules)
import gmm_teach

loaded = {
    name.split(".")[0]
    for name in set(sys.modules) - before
    if sys.modules[name] is not None
}
print(sorted(
    name for name in loaded - set(sys.stdlib_module_names)
    if not name.startswith(("_", "cython"))  # NumPy's compiled helpers
))
print(sorted(name for name in sys.modules if name.startswith("gmm_teach.")))
"""


def test_import_gmm_teach_loads_numpy_only():
    third_party, modules = run_python(IMPORT_CORE).splitlines()
    assert third_party == "['gmm_teach', 'numpy']"
    assert "teaching" not in modules


def test_import_gmm_teach_with_scikit_learn_loads_no_teaching_library():
    loaded = run_python("import sys, gmm_teach; print(' '.join(sys.modules))")
    teaching = (
        "matplotlib",
        "ipywidgets",
        "IPython",
        "PIL",
        "gmm_teach.teaching",
    )
    assert not [name for name in loaded.split() if name.startswith(teaching)]


def _imported(path):
    """Every module name that a source file imports, at any depth of its code."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


@pytest.mark.parametrize("path", CORE, ids=lambda path: path.name)
def test_the_core_never_imports_the_teaching_layer(path):
    teaching = {
        name
        for name in _imported(path)
        if name.startswith("gmm_teach.teaching")
    }
    assert not teaching, (
        f"{path.name} imports the teaching layer: {sorted(teaching)}"
    )


def test_the_teaching_layer_holds_the_figures_widgets_and_checks():
    for path in CORE:
        libraries = {name.split(".")[0] for name in _imported(path)}
        assert not libraries & {"matplotlib", "ipywidgets", "IPython"}, (
            path.name
        )


@pytest.mark.parametrize(
    "path", EVERY_MODULE, ids=lambda path: path.relative_to(PACKAGE).as_posix()
)
def test_no_module_is_longer_than_600_lines(path):
    n_lines = len(path.read_text().splitlines())
    assert n_lines <= MAX_LINES, (
        f"{path.relative_to(PACKAGE)} has {n_lines} lines: split it by idea (CONTRIBUTING.md)"
    )


def test_pyproject_ships_every_subpackage_and_the_data():
    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())
    setuptools = pyproject["tool"]["setuptools"]
    packages = {
        ".".join(path.parent.relative_to(PACKAGE.parent).parts)
        for path in PACKAGE.rglob("__init__.py")
    }
    assert set(setuptools["packages"]) == packages
    data = PACKAGE / "teaching" / "data"
    patterns = setuptools["package-data"]["gmm_teach.teaching"]
    assert patterns == ["data/*.csv"] and sorted(data.glob("*.csv"))
