"""Page and code one click apart, both ways, in the built book.

- Every listing a chapter includes from the package (``literalinclude`` with
  ``:pyobject:``) has a caption that names the object, links to its entry on
  the API page, names its file and links to its highlighted source
  (``sphinx.ext.viewcode``, ``_modules/``): book/_ext/listings.py.
- Every entry of the API page links to its highlighted source.
- A notebook page's download button gives the learner's copy as ``.ipynb``
  (book/_ext/learner_copies.py), not the stored MyST Markdown.

Needs the built book (``make book``); without it these tests skip.
"""

import json
import re
from pathlib import Path

import pytest
from conftest import editions

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
CAPTION = re.compile(
    r'<div class="code-block-caption">.*?'
    r'href="api\.html#([\w.]+)".*?'
    r"<code[^>]*><span[^>]*>([\w/.]+\.py)</span></code> "
    r'<a class="viewcode-link[^"]*" href="\.\./_modules/([\w/]+)\.html#([\w.]+)"'
    r">\[source\]</a>",
    re.S,
)

pytestmark = pytest.mark.skipif(
    not (HTML / "index.html").is_file(),
    reason="no built book: run `make book` first",
)


def page(path):
    return (HTML / "book" / f"{Path(path).stem}.html").read_text()


def html_ids(html):
    return set(re.findall(r'id="([^"]+)"', html))


@pytest.mark.parametrize("path", editions.notebooks(), ids=lambda p: p.stem)
def test_every_listing_is_captioned_and_linked_both_ways(path):
    included = editions.LITERALINCLUDE.findall(path.read_text())
    captions = CAPTION.findall(page(path))
    assert len(captions) == len(included)
    api_ids = html_ids((HTML / "book" / "api.html").read_text())
    for (file, name), caption in zip(included, captions, strict=True):
        entry, shown_file, module_page, anchor = caption
        module = file.removesuffix(".py").replace("/", ".")
        assert (entry, shown_file) == (f"{module}.{name}", file)
        assert entry in api_ids, f"no API entry for {entry}"
        source = HTML / "_modules" / f"{module_page}.html"
        assert anchor == name and anchor in html_ids(source.read_text())


def test_listings_show_code_not_docstring_sections():
    """A listing keeps a docstring's summary; its numpydoc sections are on
    the API page (book/_ext/listings.py)."""
    for path in editions.notebooks():
        blocks = re.findall(
            r'<div class="literal-block-wrapper.*?</pre>', page(path), re.S
        )
        for block in blocks:
            assert "----------" not in block, path.name


def test_the_chapters_show_listings():
    counts = [
        len(editions.LITERALINCLUDE.findall(path.read_text()))
        for path in editions.notebooks()
    ]
    assert sum(counts) >= 25


def test_every_api_entry_links_to_its_source():
    api = (HTML / "book" / "api.html").read_text()
    entries = re.findall(
        r'<dl class="py (\w+)">\s*<dt class="sig sig-object py" '
        r'id="([\w.]+)">(.*?)</dt>',
        api,
        re.S,
    )
    callables = {"function", "class", "method", "exception"}  # not data
    code = [(name, body) for kind, name, body in entries if kind in callables]
    assert len(code) >= 40
    missing = [name for name, body in code if "viewcode-link" not in body]
    assert not missing, f"API entries without [source]: {missing}"


@pytest.mark.parametrize("path", editions.notebooks(), ids=lambda p: p.stem)
def test_the_download_button_gives_the_learners_copy(path):
    link = re.search(
        r'<a href="([^"]+)"[^>]*\n?\s*class="[^"]*download-source-button',
        page(path),
    )
    assert link and link.group(1) == f"../_sources/book/{path.stem}.ipynb"
    download = json.loads(
        (HTML / "_sources" / "book" / f"{path.stem}.ipynb").read_text()
    )
    chapter = (
        editions.chapter_number(path) if path in editions.chapters() else None
    )
    expected = editions.lab_copy(
        editions.read(path), editions.book_numbers(), chapter
    )
    assert download == json.loads(json.dumps(expected))
