"""The book on every screen and for every reader: a local Sphinx extension of
the book.

- Figures cannot silently disappear: the chapters always run with
  Matplotlib's inline backend (whatever ``MPLBACKEND`` the environment sets,
  for example ``Agg``, which would draw every figure nowhere), and the build
  warns (an error under ``-W``) when a cell that has alt text shows no figure,
  or a figure or player has no alt text.
- Alt text: a cell's ``"mystnb": {"image": {"alt": "..."}}`` metadata is the
  alt text of the image it shows (myst-nb does that) and the description of
  the player it shows (done here: ``alt`` of the frame and ``role="group"``
  with ``aria-label`` on the player).
- No id twice on a page (sphinx-exercise and sphinx-proof give every block's
  body the same id).
- Lighter pages: the state of the chapters' widgets, which myst-nb embeds in
  every chapter's head (with their images), is dropped: widgets never run in
  the HTML and their outputs are removed from it (tag remove-output); the
  players show the same runs.
- Figures are double-density PNGs (sharp on high-density screens); at the end
  of the build each is reduced to a palette of 256 colours, about four times
  lighter and alike to the eye.
- MathJax (bundled by sphinx-mathjax-offline) starts from its small
  ``startup.js`` and loads only the TeX input, the HTML output and the MathML
  that screen readers read (``assistive-mml``): not its 0.4 MB context menu,
  which ``tex-chtml.js`` bundles.
- Loads ``book/_static/book-screens.css`` and ``book-screens.js`` on every
  page, and puts ``book/_templates`` first in ``templates_path`` (it drops the
  theme's 1.5 MB icon script).
"""

import html
import os
import re
from collections import Counter
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

HERE = Path(__file__).resolve().parent
BOOK = HERE.parent
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# under _static, copied there by sphinx-mathjax-offline
MATHJAX_START = "mathjax/startup.js"
MATHJAX_COMPONENTS = ["input/tex", "output/chtml", "a11y/assistive-mml"]
_PLAYER = re.compile(r'<div class="animation"([^>]*)>')
_FRAME = re.compile(r'<img id="(_anim_img\w+)"([^>]*)>')

logger = logging.getLogger(__name__)


def _alt_of(cell):
    """The alt text in a code cell's metadata, or None."""
    image = cell.get("cell_metadata", {}).get("mystnb", {}).get("image", {})
    alt = image.get("alt")
    return alt.strip() if isinstance(alt, str) and alt.strip() else None


def _describe_players(raw, alt):
    """The raw HTML of a to_jshtml player with ``alt`` on its frame and as its
    label."""
    text = raw.astext()
    label = f' role="group" aria-label="{html.escape(alt)}"'
    text = _PLAYER.sub(
        lambda m: (
            m.group(0)
            if "aria-label" in m.group(1)
            else f'<div class="animation"{m.group(1)}{label}>'
        ),
        text,
    )
    text = _FRAME.sub(
        lambda m: (
            m.group(0)
            if "alt=" in m.group(2)
            else (
                f'<img id="{m.group(1)}" alt="{html.escape(alt)}"{m.group(2)}>'
            )
        ),
        text,
    )
    return nodes.raw("", text, format="html")


def check_figures(app, doctree, docname):
    """Give players their alt text; warn where a figure has none or a
    described cell none."""
    for cell in doctree.findall(
        lambda node: (
            isinstance(node, nodes.container)
            and node.get("nb_element") == "cell_code"
        )
    ):
        alt = _alt_of(cell)
        images = list(cell.findall(nodes.image))
        players = [
            raw
            for raw in cell.findall(nodes.raw)
            if _PLAYER.search(raw.astext())
        ]
        where = f"{docname}, cell {cell.get('cell_index')}"
        if alt is None:
            if images or players:
                logger.warning(
                    f"{where}: a figure or player without alt text: add "
                    '"mystnb": {"image": {"alt": "..."}} to the cell metadata',
                    location=cell,
                )
            continue
        if not images and not players:
            logger.warning(
                f"{where}: the cell has alt text but shows no figure and no "
                "player (did Matplotlib draw with a non-inline backend?)",
                location=cell,
            )
        for raw in players:
            raw.replace_self(_describe_players(raw, alt))


def unique_ids(app, doctree, docname):
    """Rename the second, third ... element with an id already used on the
    page."""
    counts = Counter()
    for node in doctree.findall(nodes.Element):
        ids = node.get("ids", [])
        for index, name in enumerate(ids):
            counts[name] += 1
            if counts[name] > 1:
                ids[index] = f"{name}-{counts[name]}"


def drop_widget_state(app, pagename, templatename, context, doctree):
    """No ipywidgets state in the page (runs after myst-nb adds it: priority
    900)."""
    scripts = context.get("script_files")
    if scripts is not None:
        scripts[:] = [
            script
            for script in scripts
            if getattr(script, "attributes", {}).get("type") != WIDGET_STATE
        ]


def configure(app, config):
    """Our static folder and templates, found before the theme's; a lighter
    MathJax."""
    config.html_static_path.append(str(BOOK / "_static"))
    config.templates_path.insert(0, str(BOOK / "_templates"))
    config.mathjax_path = MATHJAX_START
    mathjax = dict(config.mathjax3_config or {})
    mathjax["loader"] = {
        **mathjax.get("loader", {}),
        "load": MATHJAX_COMPONENTS,
    }
    config.mathjax3_config = mathjax


def lighter_images(app, exception):
    """Every figure of the build as a PNG with a palette of 256 colours (once
    per file)."""
    from PIL import Image  # a dependency of Matplotlib

    if exception is not None or app.builder.format != "html":
        return
    for path in sorted(Path(app.outdir, "_images").glob("*.png")):
        with Image.open(path) as image:
            if image.mode == "P":
                # already reduced (images are written once, named by their
                # hash)
                continue
            image.load()
        image.convert("RGBA").quantize(
            256, method=Image.Quantize.FASTOCTREE
        ).save(path, format="png", optimize=True)


def setup(app):
    # Kernels inherit this process's environment. ipykernel picks the inline
    # backend only when MPLBACKEND is unset; with MPLBACKEND=Agg every figure
    # would be drawn and thrown away.
    os.environ["MPLBACKEND"] = INLINE_BACKEND
    app.connect("config-inited", configure)
    app.connect("doctree-resolved", check_figures)
    app.connect("doctree-resolved", unique_ids)
    app.connect("html-page-context", drop_widget_state, priority=900)
    app.connect("build-finished", lighter_images)
    app.add_css_file("book-screens.css")
    app.add_js_file("book-screens.js", loading_method="defer")
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
