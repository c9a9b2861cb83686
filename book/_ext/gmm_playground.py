"""The build step of the EM playground, a Sphinx extension (listed in
``_config.yml``).

The playground (``book/_static/playground/``) is plain JavaScript that runs in
the HTML book with no kernel and no network. This extension

- serves ``book/_static`` as static files of the HTML build;
- writes the book's two-dimensional data sets, drawn by
  :mod:`gmm_teach.teaching.datasets` at build time, into
  ``_static/playground/datasets.js``: a script that the page loads with a
  ``<script>`` tag (a ``fetch`` of a JSON file would fail when the book is
  opened from ``file://``);
- adds the playground's scripts and style sheet to the pages that hold an
  explorable, a ``<div class="gmm-explorer">`` (see ``book/playground.md``),
  and to no other page.
"""

import json
from pathlib import Path

from gmm_teach.teaching import datasets

STATIC = Path(__file__).resolve().parents[1] / "_static"
EXPLORER_CLASS = 'class="gmm-explorer'
SCRIPTS = (
    "playground/datasets.js",
    "playground/gmm-em.js",
    "playground/explorer.js",
)
STYLE = "playground/explorer.css"

# (key, label shown to the reader, the call that draws the data, the call as
# the chapters write it)
DATASETS = (
    (
        "three_blobs_2d",
        "three blobs (chapters 1, 3, 4, 6, 8, 11)",
        datasets.three_blobs_2d,
        "datasets.three_blobs_2d().X",
    ),
    (
        "correlated_pair_2d",
        "correlated pair (chapters 2, 6)",
        datasets.correlated_pair_2d,
        "datasets.correlated_pair_2d().X",
    ),
    (
        "anisotropic_blobs",
        "anisotropic blobs (chapter 1)",
        datasets.anisotropic_blobs,
        "datasets.anisotropic_blobs().X",
    ),
    (
        "unequal_blobs",
        "unequal blobs (chapter 1)",
        datasets.unequal_blobs,
        "datasets.unequal_blobs().X",
    ),
    (
        "five_blobs",
        "five blobs (chapter 7)",
        lambda: datasets.blobs(
            n_samples=300, centers=5, cluster_std=1.0, random_state=0
        ),
        (
            "datasets.blobs(n_samples=300, centers=5, cluster_std=1.0, "
            "random_state=0).X"
        ),
    ),
    (
        "old_faithful",
        "Old Faithful (chapters 2, 9)",
        datasets.old_faithful,
        "datasets.old_faithful()",
    ),
)

OLD_FAITHFUL_AXES = ("eruption (minutes)", "waiting (minutes)")


def datasets_script():
    """The JavaScript that registers every data set in
    ``window.gmmExplorer.datasets``.

    Coordinates are written with Python's ``repr`` (what :func:`json.dumps`
    uses), which JavaScript reads back as the same double: the page computes on
    exactly the book's points.
    """
    exported = {}
    for key, label, draw, call in DATASETS:
        data = draw()
        # old_faithful returns the array itself
        X = data if hasattr(data, "shape") else data.X
        axes = OLD_FAITHFUL_AXES if key == "old_faithful" else ("x1", "x2")
        exported[key] = {
            "label": label,
            "python": call,
            "axes": axes,
            "X": X.tolist(),
        }
    return (
        "// Written by book/_ext/gmm_playground.py from"
        " gmm_teach.teaching.datasets when the book is built.\n"
        "window.gmmExplorer = Object.assign(window.gmmExplorer || {}, "
        "{datasets: " + json.dumps(exported, separators=(",", ":")) + "});\n"
    )


def _serve_static(app, config):
    config.html_static_path.append(str(STATIC))


def _add_assets(app, pagename, templatename, context, doctree):
    """Load the playground on the pages that hold an explorable (Sphinx's
    per-page assets)."""
    if EXPLORER_CLASS in context.get("body", ""):
        for script in SCRIPTS:
            app.add_js_file(script)
        app.add_css_file(STYLE)


def _write_datasets(app, exception):
    if exception is None and app.builder.format == "html":
        target = Path(app.outdir) / "_static" / SCRIPTS[0]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(datasets_script(), encoding="utf-8")


def setup(app):
    app.connect("config-inited", _serve_static)
    app.connect("html-page-context", _add_assets)
    app.connect("build-finished", _write_datasets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
