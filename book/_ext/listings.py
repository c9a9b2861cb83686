"""Sphinx extension: every listing of the package's code is one click from
its API entry and its highlighted source.

A chapter shows the package's own code with ``literalinclude`` and
``:pyobject:``::

    ```{literalinclude} ../gmm_teach/em.py
    :pyobject: _m_step
    ```

Such a listing gets a caption, unless it has one: the function's full name
(``gmm_teach.em._m_step``), linked to its entry on the API page, the file it
is in, and a ``[source]`` link to that file's highlighted source written by
``sphinx.ext.viewcode`` (``_modules/gmm_teach/em.html``, in the book itself:
no network). The API page documents every object a chapter shows, so both
links resolve; an unknown name is a warning, an error in the strict build.

The listing keeps the docstring's summary and description and replaces its
numpydoc sections (Parameters, Returns, ...) by one line that points to the
API page (``editions.shortened_docstring``, which the learner's copies use
too): the listing shows the computation.
"""

import sys
from pathlib import Path, PurePosixPath

from docutils import nodes
from sphinx.directives.code import LiteralInclude

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import editions  # noqa: E402  (tools/ is not a package)


def module_of(path):
    """``../gmm_teach/em.py`` -> ``gmm_teach.em``; None outside the package."""
    parts = PurePosixPath(path).with_suffix("").parts
    if "gmm_teach" not in parts or PurePosixPath(path).suffix != ".py":
        return None
    return ".".join(parts[parts.index("gmm_teach") :])


class Listing(LiteralInclude):
    """``literalinclude`` that captions the package's functions and classes."""

    def run(self):
        name = self.options.get("pyobject")
        module = module_of(self.arguments[0])
        if not name or not module or "caption" in self.options:
            return super().run()
        full = f"{module}.{name}"
        path = module.replace(".", "/") + ".py"
        self.options["caption"] = f"{{py:obj}}`{full}` in `{path}`"
        found = super().run()
        captions = list(found[0].findall(nodes.caption))
        if captions:  # a failed include returns a warning, and no caption
            captions[0] += [nodes.Text(" "), self.source_link(module, name)]
            for code in found[0].findall(nodes.literal_block):
                shortened = editions.shortened_docstring(code.rawsource)
                code.rawsource = shortened
                code.children = [nodes.Text(shortened)]
        return found

    def source_link(self, module, name):
        """[source], to the object in viewcode's page of its module."""
        up = "../" * self.env.docname.count("/")
        page = f"{up}_modules/{module.replace('.', '/')}.html#{name}"
        return nodes.reference(
            "", "[source]", refuri=page, classes=["viewcode-link"]
        )


def inherited_sources(app, modname):
    """viewcode's source of a module of the package, with the methods a
    public estimator inherits (``GaussianMixture.fit`` from ``BaseMixture``)
    tagged under the estimator's name too, so that their API entries get a
    ``[source]`` link like every other entry."""
    if modname.split(".")[0] != "gmm_teach":
        return None
    from sphinx.pycode import ModuleAnalyzer

    import gmm_teach

    analyzer = ModuleAnalyzer.for_module(modname)
    tags = dict(analyzer.find_tags())
    for public in map(gmm_teach.__dict__.get, gmm_teach.__all__):
        for owner in public.__mro__[1:]:
            for name in vars(owner):
                where = f"{owner.__qualname__}.{name}"
                if owner.__module__ == modname and where in tags:
                    tags.setdefault(f"{public.__name__}.{name}", tags[where])
    return analyzer.code, tags


def setup(app):
    app.setup_extension("sphinx.ext.viewcode")
    app.connect("viewcode-find-source", inherited_sources)
    app.add_directive("literalinclude", Listing, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
