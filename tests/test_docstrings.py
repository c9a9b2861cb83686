"""Every public docstring of the package follows numpydoc's standard.

As scikit-learn's sklearn/tests/test_docstrings.py does, each public function,
class and public method or property is run through
``numpydoc.validate.validate``; the test fails on any error whose code is not
in ``IGNORED``. The modules are found with ``pkgutil.walk_packages``, so a new
module is checked without being listed here: every module of the package,
the numerical core and the teaching layer (``gmm_teach.teaching``), the
private modules included. Public means: the name does not begin with an
underscore, and the object is defined in the module that is read. So an
imported name is checked once, where it is defined: the names that
``plotting``, ``widgets`` and ``exercises`` re-export from their modules in
their ``__init__.py`` are checked in those modules (``CheckResult`` in
``exercises._feedback``). An override that has no docstring of its own
shows, in ``help()`` and on the API page, the docstring of the method it
overrides: that one is checked, where it is defined.
"""

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import gmm_teach

validate = pytest.importorskip("numpydoc.validate").validate

# The checks left out, and why (every other check of numpydoc applies):
IGNORED = {
    # ES01, no extended summary: a one-line helper needs no second paragraph;
    # the chapters explain the ideas at length.
    "ES01",
    # EX01, no Examples section: the chapters are the examples, and they run
    # at every build of the book.
    "EX01",
    # RT02, the first line of Returns holds only the type: we name every
    # returned value, as scikit-learn does, so that a reader can refer to it.
    "RT02",
    # SA01, no See Also section: the API page (book/api.md) lists the
    # functions module by module, next to each other.
    "SA01",
}


def _module_names():
    """The package and every module below it, the private ones included."""
    found = pkgutil.walk_packages(gmm_teach.__path__, prefix="gmm_teach.")
    return sorted(["gmm_teach", *(info.name for info in found)])


def _is_method(member):
    functions = (staticmethod, classmethod, property)
    return inspect.isfunction(member) or isinstance(member, functions)


def _inherits_its_docstring(cls, name, member):
    """True for an override without a docstring of a documented method.

    ``help()``, ``inspect.getdoc`` and the API page show the docstring of the
    method it overrides, which is validated where that method is defined.
    """
    if getattr(member, "__doc__", None) is not None:
        return False
    overridden = (getattr(base, name, None) for base in cls.__mro__[1:])
    return any(getattr(method, "__doc__", None) for method in overridden)


def _public_members(cls):
    """The public methods and properties that ``cls`` itself defines."""
    return sorted(
        name
        for name, member in vars(cls).items()
        if not name.startswith("_")
        and _is_method(member)
        and not _inherits_its_docstring(cls, name, member)
    )


def _defined_here(obj, module_name):
    is_kind = inspect.isfunction(obj) or inspect.isclass(obj)
    return is_kind and obj.__module__ == module_name


def public_objects():
    """The qualified name of every object whose docstring is validated."""
    names = []
    for module_name in _module_names():
        module = importlib.import_module(module_name)
        for name, obj in sorted(vars(module).items()):
            if name.startswith("_") or not _defined_here(obj, module_name):
                continue
            names.append(f"{module_name}.{name}")
            if inspect.isclass(obj):
                members = _public_members(obj)
                names += [f"{module_name}.{name}.{m}" for m in members]
    return names


PUBLIC_OBJECTS = public_objects()


def test_the_walk_reads_every_module_of_the_package():
    root = Path(gmm_teach.__file__).parent
    on_disk = {
        ".".join(["gmm_teach", *path.relative_to(root).with_suffix("").parts])
        for path in root.rglob("*.py")
    }
    on_disk = {name.removesuffix(".__init__") for name in on_disk}
    assert set(_module_names()) == on_disk


def test_the_walk_finds_every_module_and_each_object_once():
    assert "gmm_teach.model.GaussianMixture.bic" in PUBLIC_OBJECTS
    assert "gmm_teach.em.EMResult" in PUBLIC_OBJECTS
    assert "gmm_teach.em._e_step" not in PUBLIC_OBJECTS
    # the teaching layer is validated, each object where it is defined: a
    # name that a package's __init__.py re-exports is not listed again there
    assert "gmm_teach.teaching.datasets.iris" in PUBLIC_OBJECTS
    assert "gmm_teach.teaching.plotting.figures_2d.plot_ellipses" in (
        PUBLIC_OBJECTS
    )
    assert "gmm_teach.teaching.plotting.plot_ellipses" not in PUBLIC_OBJECTS
    assert "gmm_teach.teaching.widgets.step_by_step.StepByStepEM" in (
        PUBLIC_OBJECTS
    )
    assert "gmm_teach.teaching.exercises._feedback.CheckResult" in (
        PUBLIC_OBJECTS
    )
    assert len(PUBLIC_OBJECTS) == len(set(PUBLIC_OBJECTS))


@pytest.mark.parametrize("name", PUBLIC_OBJECTS)
def test_docstring_follows_numpydoc(name):
    errors = [
        f"{code}: {message}"
        for code, message in validate(name)["errors"]
        if code not in IGNORED
    ]
    assert not errors, f"{name}:\n" + "\n".join(errors)
