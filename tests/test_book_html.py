"""The built HTML book as a reader gets it: every page in headless Chromium, with no network,
on a laptop (1366 x 768) and on a phone (390 x 844, touch).

The book (``_build/html``, or the folder named by ``$GMM_TEACH_BOOK_HTML``) is served on
127.0.0.1 and every request to another host is blocked and counted as a failure. At both sizes
each page must show no failed request, no console error and no script error; every equation
typeset by MathJax (no raw ``$$`` or ``\\(`` left in the text) and none clipped (a formula wider
than its box must scroll, an equation number must not cover its equation); a formula, table,
code or output that scrolls sideways shows it (a fade at the edge with more, a scrollbar in
sight) and nothing else does; every image loaded,
with a real alt text (a sentence, not a file name); every EM player (a Matplotlib ``to_jshtml``
animation) described, as wide as its column at most, showing a new frame when its "Next frame"
button is clicked (tapped on the phone). On the laptop every solution stays collapsed until its
toggle is clicked, and its "Exercise N" link leaves it open; on the phone both menus (chapters,
"on this page") open when tapped. No page sends more than ``MAX_PAGE_BYTES`` (with its images and
players) and the assets every page shares stay under ``MAX_SHARED_BYTES``. Without a browser:
every internal link resolves, no id is used twice on a page, and each chapter shows every figure
and player its notebook describes (its cell metadata's alt text), so that none can disappear.
The search page must find "responsibility". Full-page screenshots at both sizes, the weight of
every page and a summary of the counts are written under ``_build/screenshots/``.

Needs Debian's Chromium (``apt-get install chromium chromium-driver``; ``.ci/run`` installs it)
and a built book (``make book``); without them these tests skip and say so. Under pytest-xdist use
``--dist loadscope`` so that one browser checks every page.
"""

import functools
import html
import os
import re
import threading
import time
from contextlib import contextmanager
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML_DIR = Path(
    os.environ.get("GMM_TEACH_BOOK_HTML", ROOT / "_build" / "html")
).resolve()
SCREENSHOTS = HTML_DIR.parent / "screenshots"
from conftest import CHROMIUM, editions  # noqa: E402

TIMEOUT_MS = 30_000
# elements whose attribute makes the browser fetch something when the page loads
LOADING_ATTRS = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
}
VIEWPORTS = {  # name: Playwright context options
    "laptop": {"viewport": {"width": 1366, "height": 768}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    },
}
MAX_PAGE_BYTES = (
    4_000_000  # a chapter with its images, players and every shared asset
)
MAX_SHARED_BYTES = (
    2_000_000  # what the first page of a visit loads besides its own content
)
# an alt text that is a file name or a path, not a sentence (a sentence has spaces)
FILE_NAME_ALT = re.compile(
    r"^\S+$|\.(png|jpe?g|svg|gif)$|_images/", re.IGNORECASE
)
RAW_TEX = re.compile(
    r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\$[^$\n]{0,200}\\[A-Za-z]+[^$\n]{0,200}\$"
)


# ---------------------------------------------------------------------------- the built book


def _html_pages():
    """Paths (relative, with '/') of the book's HTML pages; theme templates excluded."""
    if not HTML_DIR.is_dir():
        return []
    return sorted(
        path.relative_to(HTML_DIR).as_posix()
        for path in HTML_DIR.rglob("*.html")
        if not path.relative_to(HTML_DIR).parts[0].startswith("_")
    )


def _missing_book():
    if not (HTML_DIR / "index.html").is_file():
        return f"no built book in {HTML_DIR}: run `make book` first"
    return None


def _missing_browser():
    if not CHROMIUM.exists():
        return (
            "no /usr/bin/chromium: install it with "
            "`apt-get install chromium chromium-driver` (.ci/run does this)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is missing: `make test` installs requirements.txt"
    return _missing_book()


MISSING_BOOK, MISSING_BROWSER = _missing_book(), _missing_browser()
needs_book = pytest.mark.skipif(
    MISSING_BOOK is not None, reason=str(MISSING_BOOK)
)
needs_browser = pytest.mark.skipif(
    MISSING_BROWSER is not None, reason=str(MISSING_BROWSER)
)
PAGES = _html_pages()
CONTENT_PAGES = [page for page in PAGES if page != "index.html"] or [
    "book/intro.html"
]


class _Links(HTMLParser):
    """Collects the ids of one HTML file, every href/src it holds and the alt texts of images
    and players (the raw HTML of a player is read like the rest of the page)."""

    def __init__(self):
        super().__init__()
        self.ids, self.refs = set(), []  # refs: (tag, attribute, value)
        self.id_counts = {}
        self.alts = []  # the alt of every <img> and the aria-label of every player

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.ids.update(attrs[key] for key in ("id", "name") if attrs.get(key))
        if attrs.get("id"):
            self.id_counts[attrs["id"]] = (
                self.id_counts.get(attrs["id"], 0) + 1
            )
        self.refs.extend(
            (tag, key, attrs[key]) for key in ("href", "src") if attrs.get(key)
        )
        if tag == "img" and not (attrs.get("id") or "").startswith(
            "_anim_img"
        ):
            self.alts.append(attrs.get("alt") or "")
        if tag == "div" and "animation" in (attrs.get("class") or "").split():
            self.alts.append(attrs.get("aria-label") or "")


@functools.cache
def _parse(path):
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def _is_external(value):
    parts = urlsplit(value)
    return bool(parts.netloc) or parts.scheme in {"http", "https", "ftp"}


def _broken_link(page, value):
    """Why the internal link `value` found in `page` does not resolve, or None if it does."""
    parts = urlsplit(value)
    if parts.scheme or value.startswith("//"):
        return None  # external links are only links; mailto:, data:, javascript: need no file
    target = (
        (page.parent / unquote(parts.path)).resolve() if parts.path else page
    )
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file() or HTML_DIR not in target.parents:
        return "no such file in the build"
    anchor = unquote(parts.fragment)
    if (
        anchor
        and target.suffix == ".html"
        and anchor not in _parse(target).ids
    ):
        return f"no id #{anchor} in {target.relative_to(HTML_DIR)}"
    return None


@needs_book
def test_internal_links_resolve():
    """Every href/src inside the book points at a file of the build (and an id in it)."""
    broken = []
    for name in PAGES:
        page = HTML_DIR / name
        for tag, attr, value in _parse(page).refs:
            why = _broken_link(page, value)
            if why:
                broken.append(f"{name}: <{tag} {attr}={value!r}>: {why}")
    assert PAGES, f"no HTML page in {HTML_DIR}"
    assert not broken, "broken internal links:\n" + "\n".join(broken)


@needs_book
def test_no_id_is_used_twice_on_a_page():
    twice = [
        f"{name}: id {key!r} x {count}"
        for name in PAGES
        for key, count in _parse(HTML_DIR / name).id_counts.items()
        if count > 1
    ]
    assert not twice, "ids used more than once:\n" + "\n".join(twice)


def _described_figures(notebook):
    """The alt texts a chapter's notebook gives its figures and players (cell metadata)."""
    cells = editions.read(notebook)["cells"]
    return [
        cell["metadata"]["mystnb"]["image"]["alt"].strip()
        for cell in cells
        if cell["metadata"].get("mystnb", {}).get("image", {}).get("alt")
    ]


NOTEBOOKS = editions.notebooks()


@needs_book
@pytest.mark.parametrize(
    "notebook", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS]
)
def test_every_described_figure_is_on_its_page(notebook):
    """Each figure and player the notebook describes is on the page, with its alt text: a build
    whose figures vanish (for example drawn by a non-inline backend) fails here."""
    page = HTML_DIR / "book" / f"{notebook.stem}.html"
    expected = _described_figures(notebook)
    shown = [html.unescape(alt).strip() for alt in _parse(page).alts]
    if not expected:  # a page without figures (the appendices) must show none
        assert not shown, (
            f"{page.name} shows figures its notebook does not describe"
        )
    missing = [alt for alt in expected if alt not in shown]
    assert not missing, (
        f"{page.name} lacks {len(missing)} of its {len(expected)} figures: {missing}"
    )
    assert len(shown) >= len(expected)


def _book_screens():
    """The book's local Sphinx extension, book/_ext/book_screens.py, as a module."""
    import importlib.util

    path = ROOT / "book" / "_ext" / "book_screens.py"
    spec = importlib.util.spec_from_file_location("book_screens", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cell(alt, *outputs):
    """A myst-nb code cell as the book's doctree holds it, with outputs and maybe alt text."""
    from docutils import nodes

    metadata = {"mystnb": {"image": {"alt": alt}}} if alt else {}
    cell = nodes.container(
        nb_element="cell_code", cell_index=3, cell_metadata=metadata
    )
    cell.extend(outputs)
    document = nodes.document(None, None)
    document.append(cell)
    return document


def test_the_build_warns_when_a_described_figure_is_missing_or_a_figure_undescribed(
    caplog,
):
    """book/_ext/book_screens.py: a warning is an error of the strict build (make book)."""
    from docutils import nodes

    book_screens = _book_screens()
    player = '<div class="animation">\n  <img id="_anim_img1f">'
    book_screens.check_figures(
        None, _cell("A sentence.", nodes.paragraph()), "ch"
    )
    book_screens.check_figures(
        None, _cell(None, nodes.image(uri="a.png")), "ch"
    )
    warnings = [record.getMessage() for record in caplog.records]
    assert any("shows no figure" in text for text in warnings), warnings
    assert any("without alt text" in text for text in warnings), warnings
    caplog.clear()
    described = _cell("Frames of EM.", nodes.raw("", player, format="html"))
    book_screens.check_figures(None, described, "ch")
    assert not caplog.records
    html_text = described.next_node(nodes.raw).astext()
    assert 'role="group" aria-label="Frames of EM."' in html_text
    assert '<img id="_anim_img1f" alt="Frames of EM.">' in html_text


def test_the_build_uses_the_inline_backend_whatever_mplbackend_says(
    monkeypatch,
):
    from types import SimpleNamespace

    book_screens = _book_screens()
    # would draw every figure of the book nowhere
    monkeypatch.setenv("MPLBACKEND", "Agg")
    app = SimpleNamespace(
        connect=lambda *args, **kwargs: None,
        add_css_file=lambda *args: None,
        add_js_file=lambda *args, **kw: None,
    )
    book_screens.setup(app)
    assert os.environ["MPLBACKEND"] == book_screens.INLINE_BACKEND


@needs_book
def test_every_image_has_a_real_alt_text():
    bad = [
        f"{name}: alt={alt!r}"
        for name in PAGES
        for alt in _parse(HTML_DIR / name).alts
        if not alt.strip() or FILE_NAME_ALT.search(alt.strip())
    ]
    assert not bad, (
        "images or players without a sentence as alt text:\n" + "\n".join(bad)
    )


@needs_book
def test_nothing_is_loaded_from_another_host():
    """No script, style sheet, font, image or frame comes from the network (links are fine)."""
    external = [
        f"{name}: <{tag} {attr}={value!r}>"
        for name in PAGES
        for tag, attr, value in _parse(HTML_DIR / name).refs
        if (tag, attr) in LOADING_ATTRS and _is_external(value)
    ]
    assert not external, (
        "the HTML loads from another host (it must work offline):\n"
        + "\n".join(external)
    )


# ---------------------------------------------------------------------------- the browser


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def base_url():
    """The built book served over HTTP on a free port of 127.0.0.1, for the whole session."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0),
        functools.partial(_QuietHandler, directory=str(HTML_DIR)),
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser_contexts(chromium):
    """One browser context per viewport (laptop, phone), made when first needed."""
    contexts = {}

    def context(name):
        if name not in contexts:
            contexts[name] = chromium.new_context(**VIEWPORTS[name])
        return contexts[name]

    yield context
    for made in contexts.values():
        made.close()


@pytest.fixture(scope="session")
def browser_context(browser_contexts):
    return browser_contexts("laptop")


@pytest.fixture(scope="session")
def book_report(pytestconfig):
    """Counts of what the browser checked; written to _build/screenshots/summary.txt at the end."""
    report = {
        size: {
            "pages": 0,
            "equations": 0,
            "images": 0,
            "players": 0,
            "dropdowns": 0,
            "menus": 0,
            "scrolling": 0,
            "problems": 0,
        }
        for size in VIEWPORTS
    }
    weights, start = {}, time.perf_counter()
    report["weights"], report["code columns"] = weights, {}
    yield report
    seconds = time.perf_counter() - start
    lines = [
        f"{size}: "
        + ", ".join(f"{key} {value}" for key, value in report[size].items())
        for size in VIEWPORTS
    ]
    columns = sorted(
        {value for value in report["code columns"].values() if value}
    )
    if columns:
        lines.append(
            f"laptop code column: {columns[0]} to {columns[-1]} characters wide"
        )
    lines += [f"browser time: {seconds:.1f} s", f"screenshots: {SCREENSHOTS}"]
    lines += [
        f"weight of {path}: {total / 1e6:.2f} MB (shared assets {shared / 1e6:.2f} MB)"
        for path, (total, shared) in sorted(weights.items())
    ]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "summary.txt").write_text("\n".join(lines) + "\n")
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    # None in a pytest-xdist worker
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_sep("-", "book HTML checked in Chromium")
            reporter.write_line("\n".join(lines[:5]))


@contextmanager
def _open_offline(browser_context, base_url, path):
    """Open `path` of the served book with other hosts blocked; yield (page, problems)."""
    page = browser_context.new_page()
    problems = []

    def block_other_hosts(route):
        url = route.request.url
        if url.startswith((base_url, "data:", "blob:")):
            route.continue_()
        else:
            problems.append(f"request to another host (blocked): {url}")
            route.abort("blockedbyclient")

    def console(message):
        if (
            message.type == "error"
            and "ERR_BLOCKED_BY_CLIENT" not in message.text
        ):
            problems.append(
                f"console error: {message.text} ({message.location.get('url')})"
            )

    page.route("**/*", block_other_hosts)
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", console)
    page.on(
        "pageerror", lambda error: problems.append(f"script error: {error}")
    )
    page.on(
        "requestfailed",
        lambda request: (
            request.url.startswith(base_url)
            and problems.append(
                f"request failed: {request.url} ({request.failure})"
            )
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and problems.append(f"HTTP {response.status}: {response.url}")
        ),
    )
    try:
        page.goto(base_url + path, wait_until="load")
        yield page, problems
    finally:
        page.close()


def _raw_tex(text):
    """Snippets of `text` around TeX that was left as it was written (overlapping ones merged)."""
    text, snippets, end = " ".join(text.split()), [], -1
    for match in RAW_TEX.finditer(text):
        if match.start() > end:
            end = match.end() + 40
            snippets.append(text[max(0, match.start() - 40) : end])
    return snippets


def _check_math(page, problems):
    """Wait for MathJax; every math element typeset, no raw TeX left. Returns the count."""
    n_math = page.locator(".math").count()
    if n_math:
        page.wait_for_function(
            "() => window.MathJax && MathJax.version && MathJax.startup"
        )
        page.evaluate("() => MathJax.startup.promise")
        untyped = page.evaluate("""() => [...document.querySelectorAll('.math')]
            .filter(el => !el.querySelector('mjx-container'))
            .map(el => el.textContent.trim().slice(0, 80))""")
        problems += [f"equation not typeset: {tex!r}" for tex in untyped]
        errors = page.locator("mjx-merror").all_text_contents()
        problems += [f"MathJax error: {text!r}" for text in errors]
    text = page.evaluate("""() => {
        const main = (document.querySelector('main') || document.body).cloneNode(true);
        main.querySelectorAll('pre, code, script, style, textarea, mjx-container, .highlight')
            .forEach(el => el.remove());
        return main.textContent; }""")
    problems += [
        f"raw TeX in the text: ...{snippet}..." for snippet in _raw_tex(text)
    ]
    return n_math


def _check_images(page, problems):
    """Every <img> has loaded with a non-zero natural width. Returns the count."""
    images = page.evaluate("""async () => {
        const images = [...document.images];
        images.forEach(img => { img.loading = 'eager'; });
        await Promise.all(images.map(img => img.complete ? null : new Promise(done => {
            img.addEventListener('load', done); img.addEventListener('error', done);
            setTimeout(done, 10000); })));
        return images.map(img => ({src: (img.getAttribute('src') || '(no src)').slice(0, 100),
                                   ok: img.complete && img.naturalWidth > 0})); }""")
    problems += [
        f"image not loaded: {image['src']}"
        for image in images
        if not image["ok"]
    ]
    return len(images)


def _reveal(element):
    """Open every collapsed <details> around `element` (e.g. a hide-output cell)."""
    element.evaluate(
        "el => { for (let d = el.closest('details'); d; "
        "d = d.parentElement.closest('details')) d.open = true; }"
    )


def _check_players(page, problems, tap=False):
    """Every to_jshtml player shows icons and a new frame after "Next frame" (clicked, or tapped
    on a touch screen). Returns the count."""
    players = page.locator("div.animation")
    for index in range(players.count()):
        player = players.nth(index)
        _reveal(player)
        player.scroll_into_view_if_needed()
        blank = player.evaluate("""el => [...el.querySelectorAll('.anim-buttons button')]
            .filter(b => { if (b.textContent.trim()) return false;  // a character as its icon
                           const icon = b.querySelector('svg, i');  // a Font Awesome icon
                           const box = icon ? icon.getBoundingClientRect() : {width: 0};
                           return box.width < 4 || box.height < 4; })
            .map(b => b.title)""")
        if blank:
            problems.append(
                f"player {index + 1}: buttons without an icon: {blank}"
            )
        player.locator('button[title="Pause"]').click()
        frame = player.locator("img").first
        slider = player.locator("input[type=range]")
        before = (frame.get_attribute("src"), slider.input_value())
        if slider.get_attribute("max") in ("0", None):
            problems.append(f"player {index + 1} has a single frame")
            continue
        next_frame = player.locator('button[title="Next frame"]')
        next_frame.tap() if tap else next_frame.click()
        after = (frame.get_attribute("src"), slider.input_value())
        if after[1] == before[1]:
            problems.append(
                f"player {index + 1}: 'Next frame' did not move the slider"
            )
        elif after[0] == before[0]:
            problems.append(
                f"player {index + 1}: frames {before[1]} and {after[1]} are the same image"
            )
    return players.count()


def _check_dropdowns(page, problems):
    """Solutions start hidden and open on click; so do collapsed <details>. Returns the count."""
    open_solutions = page.locator(".solution:not(.dropdown)").count()
    if open_solutions:
        problems.append(
            f"{open_solutions} solution(s) shown open: give them `:class: dropdown`"
        )
    toggles = page.locator(".admonition.dropdown, .admonition.toggle")
    for index in range(toggles.count()):
        toggle = toggles.nth(index)
        body = toggle.locator(":scope > :not(.admonition-title)").first
        title = (
            toggle.locator(":scope > .admonition-title").inner_text().strip()
        )
        if body.is_visible():
            problems.append(f"dropdown {title!r} is open before any click")
        toggle.locator(
            ":scope > .admonition-title .toggle-button"
        ).click()  # "Click to show"
        if not body.is_visible():
            problems.append(f"dropdown {title!r} did not open on click")
    # the collapsed code cells ("Show code cell source"): a click on each summary, in one call
    shut = page.evaluate("""() => [...document.querySelectorAll('details:not([open])')]
        .filter(item => item.offsetParent)
        .map(item => { item.querySelector(':scope > summary').click(); return item.open; })""")
    problems += [
        f"collapsed block {index + 1} did not open on click"
        for index, opened in enumerate(shut)
        if not opened
    ]
    return toggles.count() + len(shut)


def _check_clipped_math(page, problems):
    """No formula is cut: a box around it that hides what overflows must scroll (and fit the
    column), and no equation number covers its equation. Returns the number of formulas."""
    found = page.evaluate("""() => {
        const out = [];
        const main = document.querySelector('article') || document.body;  // the text column
        const column = main.getBoundingClientRect();
        const name = el => (el.closest('.math') || el).textContent.trim().slice(0, 60);
        const inside = el => { const box = el.getBoundingClientRect();
                               return box.left >= column.left - 2 && box.right <= column.right + 2; };
        for (const el of main.querySelectorAll('mjx-container')) {
            if (!el.offsetParent) continue;  // in a closed solution: checked when opened
            const formula = el.getBoundingClientRect();
            // the boxes from the formula outwards: the first that holds what sticks out scrolls
            let box = el;
            for (; box !== main; box = box.parentElement) {
                const overflow = getComputedStyle(box).overflowX;
                if (overflow === 'visible') continue;
                const edges = box.getBoundingClientRect();
                const wider = box === el ? el.scrollWidth > el.clientWidth + 1
                    : formula.left < edges.left - 1 || formula.right > edges.right + 1;
                if (!wider) continue;
                if (!['auto', 'scroll'].includes(overflow))
                    out.push(`clipped formula (no scroll): ${name(el)}`);
                else if (!inside(box))
                    out.push(`formula scrolls in a box wider than the column: ${name(el)}`);
                break;
            }
            if (box === main && !inside(el))
                out.push(`formula outside the column: ${name(el)}`);
        }
        for (const number of main.querySelectorAll('div.math span.eqno')) {
            const formula = number.parentElement.querySelector('mjx-container');
            if (!formula || !number.offsetParent) continue;
            const a = number.getBoundingClientRect(), b = formula.getBoundingClientRect();
            const visible = Math.min(b.right, b.left + formula.clientWidth);
            if (a.left < visible - 1 && a.right > b.left + 1 && a.top < b.bottom - 1 && a.bottom > b.top + 1)
                out.push(`equation number ${number.textContent.trim()} covers its equation`);
        }
        return out; }""")
    problems += found
    return page.locator("mjx-container").count()


# what scrolls sideways when it is wider than the column: formulas, tables, code, outputs
SCROLLING_BOXES = (
    "div.math mjx-container, span.math, pre, .pst-scrollable-table-container, "
    ".table-wrapper"
)


def _check_scroll_cues(page, problems):
    """A box that hides part of a formula, table, code or output shows that it scrolls, and only
    such a box: it fades out at the edge that has more to show and has a scrollbar in sight
    (the browser's, where it takes room, or the one book-screens.js draws: phones show theirs
    only while scrolling). Scrolled to its end, the fade moves to the other edge. Returns the
    number of boxes that scroll."""
    found = page.evaluate(
        """async selector => {
        const out = [];
        const main = document.querySelector('article') || document.body;
        const frame = () => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
        const name = el => `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 50)}"`;
        const fade = el => getComputedStyle(el).maskImage;
        const bar = el => { const style = getComputedStyle(el);
            const borders = parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
            return el.offsetHeight - el.clientHeight - borders > 0 ||  // the browser's
                   style.backgroundImage.includes('gradient'); };       // drawn by the book
        const boxes = [...main.querySelectorAll(selector)].filter(el => el.offsetParent);
        let scrolling = 0, turned = false;
        for (const el of boxes) {
            const overflow = getComputedStyle(el).overflowX;
            const hides = overflow !== 'visible' && el.scrollWidth > el.clientWidth + 1;
            const cue = fade(el) !== 'none' && bar(el);
            if (hides) scrolling += 1;
            if (hides && !['auto', 'scroll'].includes(overflow))
                out.push(`cut without a scrollbar: ${name(el)}`);
            else if (hides && !cue)
                out.push(`scrolls sideways with no sign of it (fade ${fade(el)}, bar ${bar(el)}): ${name(el)}`);
            else if (!hides && fade(el) !== 'none')
                out.push(`fades out but has nothing more to show: ${name(el)}`);
            else if (hides && !fade(el).includes('to right'))
                out.push(`at its start, does not fade out at the right: ${name(el)}`);
            if (hides && !turned && el.matches('mjx-container')) {  // the first wide formula
                turned = true;
                el.scrollLeft = el.scrollWidth;
                await frame();
                if (!fade(el).includes('to left'))
                    out.push(`scrolled to its end, does not fade out at the left: ${name(el)}`);
                el.scrollLeft = 0;
                await frame();
            }
        }
        return {out, scrolling}; }""",
        SCROLLING_BOXES,
    )
    problems += found["out"]
    return found["scrolling"]


def _check_alt_texts(page, problems):
    """Every image and player says what it shows: no empty alt, no file name."""
    alts = page.evaluate("""() => [...document.querySelectorAll('main img, main .animation')]
        .filter(el => !el.closest('.animation') || el.matches('.animation'))
        .map(el => el.matches('.animation') ? el.getAttribute('aria-label') || ''
                                            : el.getAttribute('alt') || '')""")
    problems += [
        f"figure or player with alt text {alt!r}"
        for alt in alts
        if not alt.strip() or FILE_NAME_ALT.search(alt.strip())
    ]


def _check_figures_open_full_size(page, problems):
    """Every figure is a link to its own image, so that a tap shows it full size."""
    unlinked = page.evaluate("""() => [...document.querySelectorAll('.cell_output img')]
        .filter(img => !img.closest('.animation'))
        .filter(img => { const link = img.closest('a.figure-zoom');
                         return !link || link.href !== img.src; })
        .map(img => img.getAttribute('src'))""")
    problems += [
        f"figure that does not open full size: {src}" for src in unlinked
    ]


def _check_players_fit(page, problems):
    """Every player is at most as wide as the text column, and so are its buttons."""
    too_wide = page.evaluate("""() => [...document.querySelectorAll('.animation')].flatMap(el => {
        const column = el.closest('.cell_output') || el.parentElement;
        const limit = column.getBoundingClientRect().right + 1;
        const parts = [el, el.querySelector('img'), ...el.querySelectorAll('button')];
        return parts.filter(part => part && part.getBoundingClientRect().right > limit)
                    .map(part => part.title || part.tagName); })""")
    problems += [
        f"player part wider than the column: {part}" for part in too_wide
    ]


def _tap_menus(page, problems):
    """On the phone, tapping the visible menu buttons opens the chapter list and the page's
    table of contents. Returns the number of menus that opened."""
    opened = 0
    for toggle, sidebar in (
        (".primary-toggle", "#pst-primary-sidebar"),
        (".secondary-toggle", "#pst-secondary-sidebar"),
    ):
        buttons = [
            button
            for button in page.locator(toggle).all()
            if button.is_visible()
        ]
        if not buttons:
            if toggle == ".primary-toggle":
                problems.append(f"no visible {toggle} button on the phone")
            continue  # a page without sections has no "on this page" menu
        page.evaluate("window.scrollTo(0, 0)")
        buttons[0].tap()
        menu = page.locator(
            f"dialog[open] {sidebar}, dialog[open]{sidebar}-modal, "
            f"{sidebar}.show, dialog[open] .bd-sidebar-"
            f"{'primary' if 'primary' in toggle else 'secondary'}"
        )
        try:
            menu.first.wait_for(state="visible", timeout=3000)
            links = menu.first.locator("a").count()
            if not links:
                problems.append(
                    f"the menu of {toggle} opened with no link in it"
                )
            opened += 1
        except Exception:  # Playwright's TimeoutError
            problems.append(f"tapping {toggle} did not open its menu")
        page.keyboard.press("Escape")
        page.wait_for_timeout(250)
    return opened


def _check_solution_links(page, problems):
    """The "Exercise N" link in a solution's title leaves the solution open (the first and the
    last solution of the page: one script handles them all)."""
    solutions = page.locator(".solution.dropdown")
    for index in sorted({0, solutions.count() - 1} - {-1}):
        solution = solutions.nth(index)
        link = solution.locator(":scope > .admonition-title a").first
        if not link.count():
            continue
        body = solution.locator(":scope > :not(.admonition-title)").first
        # opened by _check_dropdowns: close it with its toggle
        if body.is_visible():
            solution.locator(
                ":scope > .admonition-title .toggle-button"
            ).click()
        link.click()
        if not body.is_visible():
            problems.append(
                f"solution {index + 1}: its 'Exercise' link left it closed"
            )
        link.click()
        if not body.is_visible():
            problems.append(
                f"solution {index + 1}: its 'Exercise' link closed it"
            )


def _code_columns(page):
    """Width of the narrowest code cell on the page, in characters of its font (laptop)."""
    return page.evaluate("""() => {
        const pre = document.querySelector('div.cell div.highlight pre');
        if (!pre) return null;
        const probe = document.createElement('span');
        probe.textContent = '0'.repeat(100);
        pre.appendChild(probe);
        const width = probe.getBoundingClientRect().width / 100;
        probe.remove();
        const style = getComputedStyle(pre);
        const inner = pre.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return Math.floor(inner / width); }""")


def _weight(page, base_url):
    """(bytes of the page with everything it loaded, bytes of the assets every page shares)."""
    entries = page.evaluate("""() => [...performance.getEntriesByType('navigation'),
                                      ...performance.getEntriesByType('resource')]
        .map(e => [e.name, e.decodedBodySize || e.encodedBodySize || 0])""")
    total = shared = 0
    for url, size in dict(entries).items():
        total += size
        path = url.removeprefix(base_url).split("?")[0]
        if path.startswith("_static/") or path == "searchindex.js":
            shared += size
    return total, shared


@needs_browser
@pytest.mark.parametrize("size", list(VIEWPORTS))
@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_page_works_offline(
    browser_contexts, base_url, book_report, path, size
):
    """One page at one size: no network, no error, math typeset and never clipped, images with
    alt texts that open full size, players that fit and step, dropdowns (laptop) and menus
    (phone) that work."""
    context = browser_contexts(size)
    with _open_offline(context, base_url, path) as (page, problems):
        equations = _check_math(page, problems)
        images = _check_images(page, problems)
        # book-screens.js marks what scrolls after MathJax is done
        page.wait_for_timeout(100)
        _check_clipped_math(page, problems)
        scrolling = _check_scroll_cues(page, problems)
        _check_alt_texts(page, problems)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / size / (path.replace("/", "__")[:-5] + ".png")
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=shot, full_page=True)
        _check_players_fit(page, problems)
        _check_figures_open_full_size(page, problems)
        players = _check_players(page, problems, tap=size == "phone")
        dropdowns = menus = 0
        if size == "laptop":
            dropdowns = _check_dropdowns(page, problems)
            _check_clipped_math(page, problems)  # with every solution open
            page.wait_for_timeout(
                100
            )  # what opened is measured at the next frame
            _check_scroll_cues(page, problems)
            _check_solution_links(page, problems)
            book_report["code columns"][path] = _code_columns(page)
            total, shared = _weight(page, base_url)
            book_report["weights"][path] = (total, shared)
            if total > MAX_PAGE_BYTES:
                problems.append(
                    f"the page weighs {total / 1e6:.2f} MB > {MAX_PAGE_BYTES / 1e6} MB"
                )
            if shared > MAX_SHARED_BYTES:
                problems.append(
                    f"shared assets weigh {shared / 1e6:.2f} MB > "
                    f"{MAX_SHARED_BYTES / 1e6} MB"
                )
        else:
            width = page.evaluate("() => document.documentElement.scrollWidth")
            if width > VIEWPORTS["phone"]["viewport"]["width"]:
                problems.append(
                    f"the page is {width} px wide: it scrolls sideways on a phone"
                )
            menus = _tap_menus(page, problems)
        page.wait_for_timeout(200)  # late console errors of the clicks
    counts = dict(
        pages=1,
        equations=equations,
        images=images,
        players=players,
        dropdowns=dropdowns,
        menus=menus,
        scrolling=scrolling,
        problems=len(problems),
    )
    for key, value in counts.items():
        book_report[size][key] += value
    assert not problems, f"{path} ({size}):\n" + "\n".join(problems)


# pages with Matplotlib figures, EM players, listings, formulas and the playground
DARK_PAGES = [
    "book/05_em_1d.html",
    "book/06_em_2d.html",
    "book/playground.html",
]


@needs_browser
@pytest.mark.parametrize("size", list(VIEWPORTS))
@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_theme_follows_the_system(chromium, base_url, scheme, size):
    """The book takes the system's colour scheme (the theme's "auto" mode). In dark mode the text
    is light on dark, and every figure, EM player and the playground keep the white they were
    drawn on (no dimming filter). Screenshots under _build/screenshots/<scheme>/<size>/."""
    context = chromium.new_context(color_scheme=scheme, **VIEWPORTS[size])
    try:
        for path in DARK_PAGES:
            with _open_offline(context, base_url, path) as (page, problems):
                page.wait_for_function(
                    "scheme => document.documentElement.dataset.theme === scheme",
                    arg=scheme,
                )
                _check_math(page, problems)
                _check_images(page, problems)
                found = page.evaluate("""() => {
                    const rgb = el => getComputedStyle(el).backgroundColor.match(/[\\d.]+/g).map(Number);
                    const light = el => { const [r, g, b, a = 1] = rgb(el);
                                          return a === 1 && Math.min(r, g, b) >= 245; };
                    const shade = el => { const [r, g, b] = getComputedStyle(el).color
                                              .match(/[\\d.]+/g).map(Number);
                                          return (r + g + b) / 3; };
                    const main = document.querySelector('main');
                    const figures = [...main.querySelectorAll('.cell_output img')];
                    const panels = [...main.querySelectorAll('.animation')]
                        .map(el => el.closest('.text_html') || el);
                    const explorers = [...main.querySelectorAll('.gmm-explorer')];
                    const paragraph = main.querySelector('article p');
                    return {
                        mode: document.documentElement.dataset.mode,
                        page: getComputedStyle(document.body).backgroundColor,
                        text: shade(paragraph),
                        math: [...main.querySelectorAll('mjx-container')].slice(0, 20).map(shade),
                        figures: figures.length, players: panels.length,
                        explorers: explorers.length,
                        dark: [...figures, ...panels, ...explorers].filter(el => !light(el))
                            .map(el => `${el.className || el.tagName} ${getComputedStyle(el).backgroundColor}`),
                        dimmed: figures.filter(el => getComputedStyle(el).filter !== 'none')
                            .map(el => el.getAttribute('src')),
                    }; }""")
                shot = (
                    SCREENSHOTS
                    / scheme
                    / size
                    / Path(path).with_suffix(".png").name
                )
                shot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=shot, full_page=True)
            assert found["mode"] == "auto", "the theme's mode is not auto"
            assert found["figures"] + found["players"] + found["explorers"], (
                path
            )
            if scheme == "dark":
                assert found["text"] > 150, f"{path}: dark text in dark mode"
                assert min(found["math"], default=255) > 150, (
                    f"{path}: formulas drawn dark in dark mode"
                )
                assert not found["dark"], (
                    f"{path}: figures or players on a dark background: {found['dark']}"
                )
                assert not found["dimmed"], (
                    f"{path}: figures dimmed in dark mode: {found['dimmed']}"
                )
            else:
                assert found["text"] < 100, f"{path}: light text in light mode"
            assert not problems, f"{path} ({scheme}, {size}):\n" + "\n".join(
                problems
            )
    finally:
        context.close()


@needs_browser
@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_first_paint_has_the_system_theme(chromium, base_url, scheme):
    """No flash of the other theme: the page is dark (or light) before any
    deferred script runs. The theme's own script, which sets the theme once
    the page has loaded, is blocked here; book/_templates/layout.html's
    inline script in <head> must have set it already, on every page."""
    context = chromium.new_context(color_scheme=scheme)
    wrong = []
    try:
        page = context.new_page()
        page.route("**/pydata-sphinx-theme.js*", lambda route: route.abort())
        for path in CONTENT_PAGES:  # (index.html only redirects)
            page.goto(f"{base_url}/{path}", wait_until="load")
            theme, text = page.evaluate(
                """() => [document.documentElement.dataset.theme,
                          getComputedStyle(document.body).color]"""
            )
            shade = sum(map(float, re.findall(r"[\d.]+", text)[:3])) / 3
            if theme != scheme or (shade > 150) != (scheme == "dark"):
                wrong.append(f"{path}: data-theme={theme}, text {text}")
    finally:
        context.close()
    assert not wrong, "\n".join(wrong)


@needs_browser
def test_index_opens_the_first_page(browser_context, base_url):
    with _open_offline(browser_context, base_url, "index.html") as (
        page,
        problems,
    ):
        page.wait_for_url(re.compile(r".*/book/intro\.html$"))
        page.wait_for_load_state("load")
        assert page.locator("h1").first.inner_text().strip()
    assert not problems, "\n".join(problems)


@needs_browser
def test_search_finds_responsibility(browser_context, base_url):
    with _open_offline(
        browser_context, base_url, "search.html?q=responsibility"
    ) as (page, problems):
        results = page.locator("#search-results ul.search li")
        results.first.wait_for()
        links = results.locator("a").evaluate_all(
            "links => links.map(a => a.href)"
        )
    assert not problems, "\n".join(problems)
    assert any("/book/" in link for link in links), (
        f"no chapter found: {links}"
    )
