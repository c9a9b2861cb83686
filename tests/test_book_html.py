"""The built HTML book as a reader gets it: every page in headless Chromium, with no network.

The book (``_build/html``, or the folder named by ``$GMM_TEACH_BOOK_HTML``) is served on
127.0.0.1 and every request to another host is blocked and counted as a failure. Each page must
show no failed request, no console error and no script error; every equation typeset by MathJax
(no raw ``$$`` or ``\\(`` left in the text); every image loaded; every EM player (a Matplotlib
``to_jshtml`` animation) showing a new frame when its "Next frame" button is clicked; every solution
collapsed until its "Click to show" toggle is clicked. The search page must find "responsibility", and every internal
link of the HTML must resolve. A full-page screenshot of each page and a summary of the counts are
written under ``_build/screenshots/``.

Needs Debian's Chromium (``apt-get install chromium chromium-driver``; ``.ci/run`` installs it)
and a built book (``make book``); without them these tests skip and say so. Under pytest-xdist use
``--dist loadscope`` so that one browser checks every page.
"""

import functools
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
HTML_DIR = Path(os.environ.get("GMM_TEACH_BOOK_HTML", ROOT / "_build" / "html")).resolve()
SCREENSHOTS = HTML_DIR.parent / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
# no background traffic from the browser itself (updates, sync, safe browsing ...)
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
TIMEOUT_MS = 30_000
# elements whose attribute makes the browser fetch something when the page loads
LOADING_ATTRS = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"),
                 ("source", "src"), ("video", "src"), ("audio", "src"), ("embed", "src")}
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\$[^$\n]{0,200}\\[A-Za-z]+[^$\n]{0,200}\$")


# ---------------------------------------------------------------------------- the built book

def _html_pages():
    """Paths (relative, with '/') of the book's HTML pages; theme templates excluded."""
    if not HTML_DIR.is_dir():
        return []
    return sorted(path.relative_to(HTML_DIR).as_posix() for path in HTML_DIR.rglob("*.html")
                  if not path.relative_to(HTML_DIR).parts[0].startswith("_"))


def _missing_book():
    if not (HTML_DIR / "index.html").is_file():
        return f"no built book in {HTML_DIR}: run `make book` first"
    return None


def _missing_browser():
    if not CHROMIUM.exists():
        return ("no /usr/bin/chromium: install it with "
                "`apt-get install chromium chromium-driver` (.ci/run does this)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is missing: `make test` installs requirements.txt"
    return _missing_book()


MISSING_BOOK, MISSING_BROWSER = _missing_book(), _missing_browser()
needs_book = pytest.mark.skipif(MISSING_BOOK is not None, reason=str(MISSING_BOOK))
needs_browser = pytest.mark.skipif(MISSING_BROWSER is not None, reason=str(MISSING_BROWSER))
PAGES = _html_pages()
CONTENT_PAGES = [page for page in PAGES if page != "index.html"] or ["book/intro.html"]


class _Links(HTMLParser):
    """Collects the ids of one HTML file and every href/src it holds."""

    def __init__(self):
        super().__init__()
        self.ids, self.refs = set(), []  # refs: (tag, attribute, value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.ids.update(attrs[key] for key in ("id", "name") if attrs.get(key))
        self.refs.extend((tag, key, attrs[key]) for key in ("href", "src") if attrs.get(key))


@functools.lru_cache(maxsize=None)
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
    target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file() or HTML_DIR not in target.parents:
        return "no such file in the build"
    anchor = unquote(parts.fragment)
    if anchor and target.suffix == ".html" and anchor not in _parse(target).ids:
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
def test_nothing_is_loaded_from_another_host():
    """No script, style sheet, font, image or frame comes from the network (links are fine)."""
    external = [f"{name}: <{tag} {attr}={value!r}>" for name in PAGES
                for tag, attr, value in _parse(HTML_DIR / name).refs
                if (tag, attr) in LOADING_ATTRS and _is_external(value)]
    assert not external, "the HTML loads from another host (it must work offline):\n" + "\n".join(
        external)


# ---------------------------------------------------------------------------- the browser

class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def base_url():
    """The built book served over HTTP on a free port of 127.0.0.1, for the whole session."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(HTML_DIR)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser_context():
    """Debian's Chromium, headless, and the one browser context that opens every page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        yield context
        context.close()
        chromium.close()


@pytest.fixture(scope="session")
def book_report(pytestconfig):
    """Counts of what the browser checked; written to _build/screenshots/summary.txt at the end."""
    report = {"pages": 0, "equations": 0, "images": 0, "players": 0, "dropdowns": 0,
              "problems": 0, "start": time.perf_counter()}
    yield report
    seconds = time.perf_counter() - report.pop("start")
    lines = [f"{key}: {value}" for key, value in report.items()]
    lines += [f"browser time: {seconds:.1f} s", f"screenshots: {SCREENSHOTS}"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "summary.txt").write_text("\n".join(lines) + "\n")
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:  # None in a pytest-xdist worker
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_sep("-", "book HTML checked in Chromium")
            reporter.write_line("; ".join(lines))


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
        if message.type == "error" and "ERR_BLOCKED_BY_CLIENT" not in message.text:
            problems.append(f"console error: {message.text} ({message.location.get('url')})")

    page.route("**/*", block_other_hosts)
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("requestfailed", lambda request: request.url.startswith(base_url) and problems.append(
        f"request failed: {request.url} ({request.failure})"))
    page.on("response", lambda response: response.status >= 400 and problems.append(
        f"HTTP {response.status}: {response.url}"))
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
            snippets.append(text[max(0, match.start() - 40):end])
    return snippets


def _check_math(page, problems):
    """Wait for MathJax; every math element typeset, no raw TeX left. Returns the count."""
    n_math = page.locator(".math").count()
    if n_math:
        page.wait_for_function("() => window.MathJax && MathJax.version && MathJax.startup")
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
    problems += [f"raw TeX in the text: ...{snippet}..." for snippet in _raw_tex(text)]
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
    problems += [f"image not loaded: {image['src']}" for image in images if not image["ok"]]
    return len(images)


def _reveal(element):
    """Open every collapsed <details> around `element` (e.g. a hide-output cell)."""
    element.evaluate("el => { for (let d = el.closest('details'); d; "
                     "d = d.parentElement.closest('details')) d.open = true; }")


def _check_players(page, problems):
    """Every to_jshtml player shows icons and a new frame after "Next frame". Returns the count."""
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
            problems.append(f"player {index + 1}: buttons without an icon: {blank}")
        player.locator('button[title="Pause"]').click()
        frame = player.locator("img").first
        slider = player.locator("input[type=range]")
        before = (frame.get_attribute("src"), slider.input_value())
        if slider.get_attribute("max") in ("0", None):
            problems.append(f"player {index + 1} has a single frame")
            continue
        player.locator('button[title="Next frame"]').click()
        after = (frame.get_attribute("src"), slider.input_value())
        if after[1] == before[1]:
            problems.append(f"player {index + 1}: 'Next frame' did not move the slider")
        elif after[0] == before[0]:
            problems.append(f"player {index + 1}: frames {before[1]} and {after[1]} are the same image")
    return players.count()


def _check_dropdowns(page, problems):
    """Solutions start hidden and open on click; so do collapsed <details>. Returns the count."""
    open_solutions = page.locator(".solution:not(.dropdown)").count()
    if open_solutions:
        problems.append(f"{open_solutions} solution(s) shown open: give them `:class: dropdown`")
    toggles = page.locator(".admonition.dropdown, .admonition.toggle")
    for index in range(toggles.count()):
        toggle = toggles.nth(index)
        body = toggle.locator(":scope > :not(.admonition-title)").first
        title = toggle.locator(":scope > .admonition-title").inner_text().strip()
        if body.is_visible():
            problems.append(f"dropdown {title!r} is open before any click")
        toggle.locator(":scope > .admonition-title .toggle-button").click()  # "Click to show"
        if not body.is_visible():
            problems.append(f"dropdown {title!r} did not open on click")
    details = [item for item in page.locator("details").all() if not item.evaluate("el => el.open")]
    for index, item in enumerate(details):
        if not item.is_visible():
            continue  # inside another collapsed block, opened (or not) with it
        item.locator(":scope > summary").click()
        if not item.evaluate("el => el.open"):
            problems.append(f"collapsed block {index + 1} did not open on click")
    return toggles.count() + len(details)


@needs_browser
@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_page_works_offline(browser_context, base_url, book_report, path):
    """One page: no network, no error, math typeset, images, players and dropdowns work."""
    with _open_offline(browser_context, base_url, path) as (page, problems):
        equations = _check_math(page, problems)
        images = _check_images(page, problems)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / (path.replace("/", "__")[:-5] + ".png"), full_page=True)
        players = _check_players(page, problems)
        dropdowns = _check_dropdowns(page, problems)
        page.wait_for_timeout(200)  # late console errors of the clicks
    counts = dict(pages=1, equations=equations, images=images, players=players,
                  dropdowns=dropdowns, problems=len(problems))
    for key, value in counts.items():
        book_report[key] += value
    assert not problems, f"{path}:\n" + "\n".join(problems)


@needs_browser
def test_index_opens_the_first_page(browser_context, base_url):
    with _open_offline(browser_context, base_url, "index.html") as (page, problems):
        page.wait_for_url(re.compile(r".*/book/intro\.html$"))
        page.wait_for_load_state("load")
        assert page.locator("h1").first.inner_text().strip()
    assert not problems, "\n".join(problems)


@needs_browser
def test_search_finds_responsibility(browser_context, base_url):
    with _open_offline(browser_context, base_url, "search.html?q=responsibility") as (page, problems):
        results = page.locator("#search-results ul.search li")
        results.first.wait_for()
        links = results.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert not problems, "\n".join(problems)
    assert any("/book/" in link for link in links), f"no chapter found: {links}"
