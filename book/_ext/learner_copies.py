"""The download button of a notebook page gives the learner's copy.

A chapter is stored as MyST Markdown; its page's download menu would hand a
reader that raw text (solutions open, references as labels). Instead, the
build writes each notebook page's learner's copy, the one ``make lab`` writes
(tools/editions.py: solutions collapsed, references as the book numbers them,
included code written out), as ``_sources/book/<page>.ipynb``, and the menu's
source entry links to it: a reader downloads a notebook that opens in
JupyterLab as the book shows it.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import editions  # noqa: E402  (tools/ is not a package)

NOTEBOOK_PAGES = {f"book/{path.stem}" for path in editions.notebooks()}


def link_the_learners_copy(app, pagename, templatename, context, doctree):
    """The download menu's source entry, on a notebook page, points to the
    learner's copy (.ipynb) instead of the stored MyST Markdown."""
    if pagename not in NOTEBOOK_PAGES:
        return
    sources = context["pathto"]("_sources", 1)
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []):
            if button.get("label") == "download-source-button":
                button.update(
                    url=f"{sources}/{pagename}.ipynb",
                    text=".ipynb",
                    icon="fas fa-code",
                    tooltip="Download this page as a notebook for JupyterLab",
                )


def write_the_learners_copies(app, exception):
    """Each notebook page's learner's copy, beside its source in _sources."""
    if exception or app.builder.format != "html":
        return
    numbers = editions.book_numbers()
    chapters = set(editions.chapters())
    for path in editions.notebooks():
        chapter = editions.chapter_number(path) if path in chapters else None
        copy = editions.lab_copy(editions.read(path), numbers, chapter)
        target = Path(app.outdir) / "_sources" / "book"
        editions.write(copy, target / editions.notebook_name(path))


def setup(app):
    # after sphinx-book-theme (501), which fills the header buttons
    app.connect("html-page-context", link_the_learners_copy, priority=600)
    app.connect("build-finished", write_the_learners_copies)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
