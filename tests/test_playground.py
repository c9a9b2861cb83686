"""The EM playground (``book/playground.md``) in Chromium, as its reader uses it, with no network.

- The page runs the tested code: its ``gmm-em.js`` is ``book/_static/playground/gmm-em.js``, the
  file tests/test_playground_node.py compares with gmm_teach under Node (make check), and
  ``window.gmmExplorer.fit`` is that file's ``fit``; its data sets are the points the package
  draws. In Chromium, the same parity cases (shared with that file: every data set the page
  exports, the four covariance types) give the same number of iterations, and weights, means,
  covariances and log-likelihoods equal to a relative 1e-12 (worst measured: 9.4e-14; Node's is
  8.7e-15).
- The reader: a click adds a point, dragging a mean changes the start, an E-step then an M-step
  change the log-likelihood, "Run" stops where Python stops (checked by running the page's own
  "This run in Python" code), the keyboard moves a mean, presses the buttons and, with the
  plot's cursor, adds points; at 390 x 844
  with touch every control works; the chapter-6 embed (two explorables on one page); the page
  opened from ``file://``. No console error, no failed request, no request to another host.
- Measured (written to ``_build/screenshots/playground/measurements.txt``): the bytes the page
  loads and the time of one EM iteration for 1,000 points and K = 6; screenshots of the
  explorable at 1366 x 768 and 390 x 844 in the same folder.

Needs a built book (``make book``) and Debian's Chromium; without them these tests skip and say so.
"""

import os
import warnings
from contextlib import contextmanager

import numpy as np
import pytest
import test_book_html
from test_book_html import (
    HTML_DIR,
    MISSING_BROWSER,
    SCREENSHOTS,
    TIMEOUT_MS,
    _open_offline,
)
from test_playground_node import (
    EM_OPTIONS,
    GMM_EM_JS,
    JS_OPTIONS,
    assert_same_fit,
    parity_cases,
    playground_data,
    python_em,
)

from gmm_teach import em
from gmm_teach.covariance import COVARIANCE_TYPES
from gmm_teach.exceptions import ConvergenceWarning

# a fixture: the built book served on 127.0.0.1 (assigned rather than
# imported, so that the tests taking it as an argument redefine no import)
base_url = test_book_html.base_url

pytestmark = pytest.mark.skipif(
    MISSING_BROWSER is not None, reason=str(MISSING_BROWSER)
)

PAGE = "book/playground.html"
SHOTS = SCREENSHOTS / "playground"
MEASUREMENTS = SHOTS / "measurements.txt"
DESKTOP = {"viewport": {"width": 1366, "height": 768}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
    "device_scale_factor": 2,
}
# what the reader's runs on the page are compared with Python to
RTOL = 1e-9
# The parity cases of tests/test_playground_node.py in Chromium: worst relative
# difference measured 9.4e-14 (a mean of -0.0025, off by 2.3e-16). Chromium's
# V8 rounds a few operations differently from Node's (8.7e-15 there, 1e-13).
PARITY_RTOL = 1e-12

# The embed for chapter 6 (its two data sets; the poor start of its three blobs, tol=1e-4), as the
# report gives it to the integrator.
CHAPTER_6_EMBED = """<div class="gmm-explorer" data-datasets="three_blobs_2d,correlated_pair_2d" \
data-k="3" data-means="[[6, 6], [6, 5], [7, 6]]" data-spread="1" data-tol="1e-4">
<p>In the HTML book, this is the EM playground: run EM on this chapter's data in the page.</p>
</div>"""


# ---------------------------------------------------------------------------- browser and pages


@contextmanager
def _playground(chromium, base_url, device=DESKTOP, path=PAGE):
    """The playground page in a new browser context; yields (page, problems) as _open_offline."""
    context = chromium.new_context(**device)
    try:
        with _open_offline(context, base_url, path) as (page, problems):
            page.wait_for_function(
                "() => window.gmmExplorer && gmmExplorer.instances "
                "&& gmmExplorer.instances.length > 0"
            )
            yield page, problems
            page.wait_for_timeout(100)  # late errors of the last action
    finally:
        context.close()


def _real(problems):
    """The problems, without the browser's own request for /favicon.ico (the book has none)."""
    return [p for p in problems if "favicon.ico" not in p]


def _state(page, index=0):
    """What explorable `index` holds: data, start, parameters theta^(t), t, log-likelihoods."""
    return page.evaluate(
        """i => { const e = gmmExplorer.instances[i];
        return {X: e.X, K: e.K, t: e.t, lls: e.lls, start: e.start, params: e.params,
                convergedAt: e.convergedAt, shownOf: e.shown ? e.shown.of : null,
                spread: e.spread, covarianceType: e.covarianceType, dataset: e.datasetKey}; }""",
        index,
    )


def _root(page, index=0):
    return page.locator("div.gmm-explorer").nth(index)


def _number(page, term, index=0):
    """The text of the numbers panel entry whose term starts with `term`."""
    return (
        _root(page, index)
        .locator(f"dl.gx-numbers dt:text-matches('^{term}') + dd")
        .inner_text()
    )


@pytest.fixture(scope="module", autouse=True)
def _fresh_measurements():
    MEASUREMENTS.unlink(missing_ok=True)


def _measure(line):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with MEASUREMENTS.open("a", encoding="utf-8") as file:
        file.write(line + "\n")


# ---------------------------------------------------------------------------- parity


def test_the_page_runs_the_tested_em(chromium, base_url):
    """The page's EM is gmm-em.js, the file that tests/test_playground_node.py
    compares with gmm_teach under Node; in Chromium too, it agrees with em.em
    on every parity case, on the data sets the package draws."""
    data = playground_data()
    with _playground(chromium, base_url) as (page, problems):
        served = page.evaluate("""async () => {
            const script = [...document.scripts].find(s => s.src.includes('playground/gmm-em.js'));
            return (await fetch(script.src)).text(); }""")
        assert served == GMM_EM_JS.read_text(encoding="utf-8"), (
            "the built book's gmm-em.js is not book/_static/playground/"
            "gmm-em.js: rebuild the book (make book)"
        )
        # nothing loaded later replaced the file's fit
        assert page.evaluate("() => gmmExplorer.fit.toString()") in served
        exported = page.evaluate("""() => Object.fromEntries(
            Object.entries(gmmExplorer.datasets).map(([key, d]) => [key, d.X]))""")
        assert list(exported) == list(data)
        for key, X in data.items():
            np.testing.assert_array_equal(exported[key], X, err_msg=key)
        worst, lines = 0.0, []
        for case in parity_cases(data):
            X = data[case.key]
            py = python_em(X, case.start, case.covariance_type, **EM_OPTIONS)
            js = page.evaluate(
                """([key, start, type, options]) => gmmExplorer.fit(
                gmmExplorer.datasets[key].X, start.weights, start.means, start.covariances,
                type, options)""",
                [case.key, case.start, case.covariance_type, JS_OPTIONS],
            )
            ratio = assert_same_fit(js, py, case.label, rtol=PARITY_RTOL)
            worst = max(worst, ratio)
            lines.append(
                f"  {case.key:20s} {case.covariance_type:9s} n_iter {py.n_iter:3d}  "
                f"max relative difference {ratio:.1e}"
            )
    assert not _real(problems), "\n".join(problems)
    _measure(
        f"parity with gmm_teach.em.em in Chromium (tol 1e-4, max_iter 300): worst relative "
        f"difference {worst:.1e} over weights, means, covariances, log-likelihoods\n"
        + "\n".join(lines)
    )


def test_fit_checks_its_input(chromium, base_url):
    """Bad input is a clear error naming the argument, as in the package."""
    with _playground(chromium, base_url) as (page, problems):
        message = page.evaluate("""() => { try {
            gmmExplorer.fit([[0, 0], [1, 1]], [0.5, 0.5], [[0, 0], [1, 1]], [[1, 1]], "diag");
            } catch (error) { return error.message; } }""")
        assert message == "covariances must be an array of shape (2, 2)"
        message = page.evaluate("""() => { try {
            gmmExplorer.fit([[0, 0], [1, 1]], [0.5, 0.5], [[0, 0], [1, 1]], [1, 1], "round");
            } catch (error) { return error.message; } }""")
        assert "covarianceType must be one of" in message
    assert not _real(problems), "\n".join(problems)


# ---------------------------------------------------------------------------- the reader, desktop


def _plot_point(page, fraction_x, fraction_y, index=0):
    """Viewport coordinates of a spot of the plotting area, by fractions of its frame."""
    frame = _root(page, index).locator("svg.gx-plot rect.gx-frame")
    frame.scroll_into_view_if_needed()
    box = frame.bounding_box()
    return box["x"] + fraction_x * box["width"], box["y"] + fraction_y * box[
        "height"
    ]


def test_click_adds_a_point(chromium, base_url):
    with _playground(chromium, base_url) as (page, problems):
        before = _state(page)
        page.mouse.click(*_plot_point(page, 0.9, 0.1))
        after = _state(page)
        assert len(after["X"]) == len(before["X"]) + 1
        assert _root(page).locator("path.gx-point").count() == len(after["X"])
        assert _root(page).locator("path.gx-own").count() == 1
        assert "Point added" in _root(page).locator(".gx-status").inner_text()
        assert "np.vstack" in _root(page).locator(".gx-python").text_content()
        _root(page).locator("button[data-action=clear]").click()
        assert _state(page)["X"] == []
        for fx, fy in [(0.1, 0.1), (0.9, 0.9), (0.9, 0.1), (0.1, 0.9)]:
            # away from the means
            page.mouse.click(*_plot_point(page, fx, fy))
        assert len(_state(page)["X"]) == 4
    assert not _real(problems), "\n".join(problems)


def test_dragging_a_mean_changes_the_start(chromium, base_url):
    with _playground(chromium, base_url) as (page, problems):
        _root(page).locator("button[data-action=iterate]").click()
        state = _state(page)
        assert state["t"] == 1
        # theta^(0), theta^(1)
        before, shown = state["start"]["means"], state["params"]["means"]
        handle = _root(page).locator("g.gx-mean").nth(1)
        _root(page).locator("svg.gx-plot").scroll_into_view_if_needed()
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 40, y + 30, steps=5)
        page.mouse.up()
        state = _state(page)
        assert state["t"] == 0, "a new start goes back to t = 0"
        means = state["start"]["means"]
        assert means[0] == before[0] and means[2] == before[2]
        # the dragged mean starts where the handle was drawn, at theta^(1), and moves right and down
        assert means[1][0] > shown[1][0] and means[1][1] < shown[1][1]
        assert state["params"]["means"] == means
        assert (
            str(means[1][0])
            in _root(page).locator(".gx-python").text_content()
        )
        assert (
            "Starting mean of component 2 moved"
            in _root(page).locator(".gx-status").inner_text()
        )
    assert not _real(problems), "\n".join(problems)


def test_e_then_m_changes_the_log_likelihood(chromium, base_url):
    with _playground(chromium, base_url) as (page, problems):
        root = _root(page)
        grey = root.locator("path.gx-point").first.get_attribute("fill")
        start = _number(page, "log-likelihood")
        root.locator("button[data-action=eStep]").click()
        assert _number(page, "log-likelihood") == start, (
            "the E-step keeps theta^(0)"
        )
        assert _number(page, "colours").startswith("responsibilities of θ⁽⁰⁾")
        assert (
            root.locator("path.gx-point").first.get_attribute("fill") != grey
        )
        state = _state(page)
        root.locator("button[data-action=mStep]").click()
        after = _state(page)
        assert after["t"] == 1 and _number(page, "t, M-steps") == "1"
        assert _number(page, "log-likelihood") != start
        assert after["lls"][1] > after["lls"][0], (
            "EM never lowers the log-likelihood"
        )
        py = python_em(state["X"], state["start"], "full", max_iter=1)
        np.testing.assert_allclose(
            after["params"]["means"], py.means, rtol=RTOL
        )
        np.testing.assert_allclose(
            after["lls"][1], py.final_log_likelihood, rtol=RTOL
        )
        bic = float(_number(page, "BIC"))
        # (K - 1) weights, K d means, K d(d + 1)/2 covariances
        nu = 3 * 2 + 2 + 3 * 3
        n = len(after["X"])
        assert bic == pytest.approx(
            -2 * after["lls"][1] + nu * np.log(n), abs=0.006
        )
    assert not _real(problems), "\n".join(problems)


def _run_to_the_end(page, index=0):
    _root(page, index).locator("button[data-action=run]").click()
    page.wait_for_function(
        "i => { const e = gmmExplorer.instances[i]; "
        "return e.timer === null && (e.convergedAt !== null || e.t >= e.maxIter); }",
        arg=index,
        timeout=TIMEOUT_MS,
    )


def _run_the_python_box(page, index=0):
    """Execute the page's "This run in Python" code; return its `result`."""
    code = _root(page, index).locator(".gx-python").text_content()
    namespace = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        exec(code, namespace)  # noqa: S102  (the page's own code, the test's subject)
    return namespace["result"]


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_run_stops_where_python_stops(chromium, base_url, covariance_type):
    with _playground(chromium, base_url) as (page, problems):
        root = _root(page)
        root.locator("select[id$=-data]").select_option("anisotropic_blobs")
        root.locator("select[id$=-type]").select_option(covariance_type)
        root.locator("button[data-action=kmeanspp]").click()
        _run_to_the_end(page)
        state = _state(page)
        result = _run_the_python_box(page)
        assert (
            state["t"] == result.n_iter
            and state["convergedAt"] == result.n_iter
        )
        for name in ("weights", "means", "covariances"):
            np.testing.assert_allclose(
                state["params"][name], getattr(result, name), rtol=RTOL
            )
        np.testing.assert_allclose(
            state["lls"][:-1], result.log_likelihoods, rtol=RTOL
        )
        np.testing.assert_allclose(
            state["lls"][-1], result.final_log_likelihood, rtol=RTOL
        )
        status = root.locator(".gx-status").inner_text()
        assert f"Converged after T = {result.n_iter} iterations" in status
        assert root.locator("svg.gx-curve .gx-stop-line").count() == 1
        assert (
            root.locator("svg.gx-curve circle.gx-dot").count() >= result.n_iter
        )
    assert not _real(problems), "\n".join(problems)


def test_the_keyboard_moves_a_mean_and_presses_the_buttons(chromium, base_url):
    with _playground(chromium, base_url) as (page, problems):
        root = _root(page)
        before = _state(page)["start"]["means"][0]
        root.locator("g.gx-mean").first.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Shift+ArrowUp")
        after = _state(page)["start"]["means"][0]
        assert after[0] > before[0] and after[1] > before[1]
        label = root.locator("g.gx-mean").first.get_attribute("aria-label")
        assert label.startswith("Component 1 (blue circles): mean at")
        page.keyboard.press("Enter")
        assert (
            root.locator("[role=status]").inner_text()
            == f"{label}. The arrow keys move it."
        )
        root.locator("button[data-action=eStep]").focus()
        page.keyboard.press("Enter")
        assert _state(page)["shownOf"] == 0
        page.keyboard.press("Tab")  # to M-step
        page.keyboard.press("Space")
        assert _state(page)["t"] == 1
        assert "M-step: t = 1" in root.locator("[role=status]").inner_text()
        root.locator("select[id$=-k]").focus()
        page.keyboard.press("ArrowDown")  # K = 4
        assert (
            _state(page)["K"] == 4 and root.locator("g.gx-mean").count() == 4
        )
    assert not _real(problems), "\n".join(problems)


def test_the_keyboard_alone_adds_points(chromium, base_url):
    """Tab from the last step button to the plot shows its cursor; the arrow keys move it, Enter
    and Space add a point under it, and the status line says each of these in words."""
    with _playground(chromium, base_url) as (page, problems):
        root = _root(page)
        status = root.locator("[role=status]")
        n = len(_state(page)["X"])
        cursor = root.locator("svg.gx-plot .gx-cursor")
        assert not cursor.is_visible(), (
            "no cursor before the plot has the focus"
        )
        root.locator("button[data-action=reset]").focus()
        page.keyboard.press("Tab")
        assert page.evaluate(
            "() => document.activeElement.matches('svg.gx-plot')"
        )
        assert cursor.is_visible(), "the focused plot shows its cursor"
        start = page.evaluate("() => gmmExplorer.instances[0].cursor")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Shift+ArrowUp")
        moved = page.evaluate("() => gmmExplorer.instances[0].cursor")
        assert moved[0] > start[0] and moved[1] > start[1]
        assert status.inner_text().startswith("Cursor at (")
        assert "Enter or Space adds a point" in status.inner_text()
        # the cursor is drawn where the point will go
        box = cursor.locator("circle").first.bounding_box()
        frame = root.locator("svg.gx-plot rect.gx-frame").bounding_box()
        state = page.evaluate("""() => { const e = gmmExplorer.instances[0];
            return {screen: e.toScreen(e.cursor), view: e.view}; }""")
        scale = frame["width"] / state["view"]["plotWidth"]
        left = float(
            root.locator("svg.gx-plot rect.gx-frame").get_attribute("x")
        )
        centre_x = box["x"] + box["width"] / 2
        assert centre_x == pytest.approx(
            frame["x"] + (state["screen"][0] - left) * scale, abs=2
        )
        page.keyboard.press("Enter")
        after = _state(page)
        assert len(after["X"]) == n + 1 and after["X"][-1] == moved
        assert status.inner_text().startswith(
            f"Point added at ({moved[0]:.2f}, {moved[1]:.2f}); {n + 1} points."
        )
        page.keyboard.press("ArrowLeft")
        scrolled = page.evaluate("() => window.scrollY")
        page.keyboard.press("Space")
        assert len(_state(page)["X"]) == n + 2
        # a scroll by Space moves most of a viewport; a line of status text
        # that wraps anew may shift the layout by a pixel or two
        moved_by = abs(page.evaluate("() => window.scrollY") - scrolled)
        assert moved_by < 20, (
            "Space on the plot adds a point and does not scroll the page"
        )
        assert root.locator("path.gx-own").count() == 2
        assert "np.vstack" in root.locator(".gx-python").text_content()
        page.keyboard.press("Tab")  # on to the first mean: the cursor goes
        assert page.evaluate(
            "() => document.activeElement.matches('g.gx-mean')"
        )
        assert not cursor.is_visible()
        # the page says how, next to the plot
        hint = root.locator(".gx-hint").inner_text()
        assert "arrow keys" in hint and "Enter or Space" in hint
    assert not _real(problems), "\n".join(problems)


def test_desktop_screenshot(chromium, base_url):
    with _playground(chromium, base_url) as (page, problems):
        root = _root(page)
        for action in ("eStep", "mStep", "iterate", "iterate"):
            root.locator(f"button[data-action={action}]").click()
        SHOTS.mkdir(parents=True, exist_ok=True)
        root.screenshot(path=SHOTS / "desktop_1366x768.png")
        page.screenshot(path=SHOTS / "desktop_1366x768_page.png")
    assert not _real(problems), "\n".join(problems)


# ---------------------------------------------------------------------------- the reader, phone


def _touch_drag(page, start, end, steps=6):
    """A one-finger drag from `start` to `end` (page coordinates) with touch events."""
    cdp = page.context.new_cdp_session(page)

    def touch(kind, x, y):
        return cdp.send(
            "Input.dispatchTouchEvent",
            {
                "type": kind,
                "touchPoints": []
                if kind == "touchEnd"
                else [{"x": x, "y": y}],
            },
        )

    touch("touchStart", *start)
    for j in range(1, steps + 1):
        touch(
            "touchMove",
            start[0] + (end[0] - start[0]) * j / steps,
            start[1] + (end[1] - start[1]) * j / steps,
        )
    touch("touchEnd", *end)
    cdp.detach()


def test_every_control_works_by_touch_at_390px(chromium, base_url):
    with _playground(chromium, base_url, PHONE) as (page, problems):
        root = _root(page)
        assert (
            page.evaluate("() => document.documentElement.scrollWidth") <= 390
        )
        overflowing = root.evaluate("""el => [...el.querySelectorAll('button, select, input, summary, svg')]
            .filter(c => { const b = c.getBoundingClientRect();
                           return b.left < 0 || b.right > window.innerWidth; })
            .map(c => c.outerHTML.slice(0, 60))""")
        assert not overflowing, overflowing
        small = root.evaluate("""el => [...el.querySelectorAll('button, select, input, summary')]
            .filter(c => c.getBoundingClientRect().height < 44).map(c => c.outerHTML.slice(0, 60))""")
        assert not small, f"touch targets under 44 px: {small}"

        def tap(action):
            root.locator(f"button[data-action={action}]").tap()

        tap("eStep")
        assert _state(page)["shownOf"] == 0
        tap("mStep")
        assert _state(page)["t"] == 1
        tap("iterate")
        assert _state(page)["t"] == 2
        tap("reset")
        assert _state(page)["t"] == 0 and _state(page)["shownOf"] is None
        before = _state(page)["start"]["means"]
        tap("kmeanspp")
        assert _state(page)["start"]["means"] != before
        before = _state(page)["start"]["means"]
        tap("randomPoints")
        assert _state(page)["start"]["means"] != before

        handle = root.locator("g.gx-mean").first
        handle.scroll_into_view_if_needed()
        box = handle.bounding_box()
        centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        before = _state(page)["start"]["means"][0]
        _touch_drag(page, centre, (centre[0] - 30, centre[1] + 25))
        after = _state(page)["start"]["means"][0]
        assert after[0] < before[0] and after[1] < before[1], (before, after)

        n = len(_state(page)["X"])
        root.locator("svg.gx-plot").tap(
            position=_frame_position(page, 0.95, 0.05)
        )
        assert len(_state(page)["X"]) == n + 1, "a tap adds a point"

        spread = _state(page)["spread"]
        slider = root.locator("input[type=range]")
        slider_box = slider.bounding_box()
        slider.tap(
            position={
                "x": slider_box["width"] * 0.85,
                "y": slider_box["height"] / 2,
            }
        )
        assert _state(page)["spread"] > spread

        root.locator("select[id$=-k]").select_option("5")
        assert root.locator("g.gx-mean").count() == 5
        root.locator("select[id$=-type]").select_option("spherical")
        assert _state(page)["covarianceType"] == "spherical"
        root.locator("select[id$=-data]").select_option("old_faithful")
        assert _state(page)["dataset"] == "old_faithful"
        tap("run")
        page.wait_for_function(
            "() => gmmExplorer.instances[0].timer === null "
            "&& gmmExplorer.instances[0].t > 0",
            timeout=TIMEOUT_MS,
        )
        assert _run_the_python_box(page).n_iter == _state(page)["t"]
        root.locator("summary").tap()
        assert root.locator("details").evaluate("el => el.open")
        tap("clear")
        assert _state(page)["X"] == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        root.locator("select[id$=-data]").select_option("three_blobs_2d")
        for action in ("eStep", "mStep", "iterate", "iterate"):
            tap(action)
        root.screenshot(path=SHOTS / "phone_390x844.png")
        page.screenshot(path=SHOTS / "phone_390x844_page.png")
    assert not _real(problems), "\n".join(problems)


def _frame_position(page, fraction_x, fraction_y):
    """A position relative to the plot's <svg>, by fractions of its plotting frame."""
    svg = _root(page).locator("svg.gx-plot").bounding_box()
    x, y = _plot_point(page, fraction_x, fraction_y)
    return {"x": x - svg["x"], "y": y - svg["y"]}


# ---------------------------------------------------------------------------- embeds, file://


def test_the_chapter_6_embed_beside_another_explorable(chromium, base_url):
    """Two explorables on one page are independent; the embed starts from chapter 6's start."""
    from gmm_teach.teaching import datasets

    with _playground(chromium, base_url) as (page, problems):
        page.evaluate(
            """html => { document.querySelector('main').insertAdjacentHTML('beforeend', html);
                                   gmmExplorer.startAll(); }""",
            CHAPTER_6_EMBED,
        )
        assert page.evaluate("() => gmmExplorer.instances.length") == 2
        ids = page.locator("div.gmm-explorer select[id$=-data]").evaluate_all(
            "s => s.map(x => x.id)"
        )
        assert len(set(ids)) == 2, ids
        embed = _root(page, 1)
        assert embed.locator("select[id$=-data] option").all_text_contents()[
            :2
        ] == [
            "three blobs (chapters 1, 3, 4, 6, 8, 11)",
            "correlated pair (chapters 2, 6)",
        ]
        _run_to_the_end(page, index=1)
        blob_start = (
            np.full(3, 1 / 3),
            np.array([[6.0, 6.0], [6.0, 5.0], [7.0, 6.0]]),
            np.stack([np.eye(2)] * 3),
        )
        # as chapter 6 does
        fit = em.em(datasets.three_blobs_2d().X, *blob_start, tol=1e-4)
        state = _state(page, 1)
        assert state["t"] == fit.n_iter
        np.testing.assert_allclose(
            state["params"]["means"], fit.means, rtol=RTOL
        )
        assert _state(page, 0)["t"] == 0, "the other explorable did not move"
    assert not _real(problems), "\n".join(problems)


def test_the_page_works_from_file(chromium):
    """Opened as a file (no server): the data set scripts load and EM runs."""
    context = chromium.new_context(**DESKTOP)
    page = context.new_page()
    problems = []
    page.on(
        "pageerror", lambda error: problems.append(f"script error: {error}")
    )
    page.on(
        "console",
        lambda m: (
            m.type == "error" and problems.append(f"console error: {m.text}")
        ),
    )
    page.on(
        "requestfailed",
        lambda request: problems.append(f"request failed: {request.url}"),
    )
    try:
        page.goto((HTML_DIR / PAGE).as_uri(), wait_until="load")
        page.wait_for_function(
            "() => window.gmmExplorer && gmmExplorer.instances.length === 1"
        )
        _root(page).locator("button[data-action=iterate]").click()
        assert _state(page)["t"] == 1
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------- measurements


def test_measure_page_weight_and_iteration_time(chromium, base_url):
    with _playground(chromium, base_url) as (page, problems):
        page.wait_for_timeout(500)  # MathJax's fonts
        sizes = page.evaluate("""() => [performance.getEntriesByType('navigation')[0],
                                         ...performance.getEntriesByType('resource')]
            .map(r => [r.name, r.decodedBodySize])""")
        ms = page.evaluate("""() => {
            const random = gmmExplorer.randomGenerator(7);
            const X = Array.from({length: 1000}, (_, i) => [random() * 10 + (i % 6) * 4, random() * 10]);
            const K = 6, means = X.slice(0, K).map(x => x.slice());
            const weights = new Array(K).fill(1 / K);
            const result = {};
            // the median over 9 runs of 10 iterations (tol = 0: no early stop), in ms per iteration
            const median = (run) => {
                run();  // warm-up
                const times = Array.from({length: 9}, () => {
                    const t0 = performance.now(); run(); return (performance.now() - t0) / 10; });
                return times.sort((a, b) => a - b)[4]; };
            for (const type of gmmExplorer.COVARIANCE_TYPES) {
                const covariances = {full: means.map(() => [[4, 0], [0, 4]]), tied: [[4, 0], [0, 4]],
                                     diag: means.map(() => [4, 4]), spherical: new Array(K).fill(4)}[type];
                result[type] = median(() => gmmExplorer.fit(X, weights, means, covariances, type,
                                                            {maxIter: 10, tol: 0}));
            }
            const e = gmmExplorer.instances[0];
            e.loadData('correlated_pair_2d'); e.setK(6); e.render();
            result.ui = median(() => { for (let j = 0; j < 10; j++) { e.iterate(); e.render(); } });
            return result; }""")
    assert not _real(problems), "\n".join(problems)

    def kib(part):
        return sum(size for name, size in sizes if part in name) / 1024

    _measure(
        f"page weight: {kib(''):.0f} KiB in {len(sizes)} files, of which the playground's "
        f"{kib('/_static/playground/'):.0f} KiB (its data sets {kib('datasets.js'):.0f} KiB), "
        f"MathJax {kib('/_static/mathjax/'):.0f} KiB, Font Awesome {kib('fontawesome'):.0f} KiB"
    )
    _measure(
        "one EM iteration (E-step + M-step), 1,000 points, K = 6, in Chromium: "
        + ", ".join(
            f"{key} {value:.2f} ms" for key, value in ms.items() if key != "ui"
        )
        + f"; one iteration drawn on the page (2,000 points, K = 6): {ms['ui']:.1f} ms "
        f"(medians; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    assert all(value < 200 for value in ms.values()), ms
