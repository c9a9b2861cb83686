"""The chapters as a learner uses them: in a real JupyterLab, driven by Playwright and Chromium.

One JupyterLab server (this environment's, with jupyterlab-myst and the widgets) starts headless on
a free local port, on the learner's copies of every chapter as `make lab` writes them
(tools/editions.py), with the configuration `make lab` links into the environment
(.jupyter/jupyter_server_config.py, which ships the defaults of .jupyter/app-settings/).
For each chapter, Run All fills in every number the text computes ({eval}), and the equations carry
the book's numbers, unlabelled ones none. 05_em_1d (exercises) and 06_em_2d (widgets) are also
used as a learner would: no error output, no raw MyST markup, every solution collapsed, the
self-check's feedback under an exercise, a slider that redraws the figure. Screenshots go to
_build/screenshots/jupyterlab/. A second server, started at the repository's root as a learner
might, shows a chapter of book/ read only, without its solutions.
"""

import json
import re
import time
from pathlib import Path

import pytest
from conftest import CHROMIUM, editions
from test_book_source_in_lab import (
    Server,
    install_config,
    lines_of,
    solution_lines,
)

REPO = Path(__file__).resolve().parent.parent
BOOK = REPO / "book"

SHOTS = REPO / "_build" / "screenshots" / "jupyterlab"
CHAPTERS = tuple(editions.notebook_name(p) for p in editions.chapters())
TIMEOUT_MS = 120_000

if not CHROMIUM.exists():
    pytest.skip(
        f"Chromium is not installed at {CHROMIUM} (set CHROMIUM=/path/to/chromium): "
        "the JupyterLab test needs it",
        allow_module_level=True,
    )
pytest.importorskip("playwright.sync_api")

# MyST that a learner should never see as text: a role (`{eq}` + backtick), a directive fence, an
# option, a target (`(sec-4-any-q)=`)
RAW_MYST = re.compile(
    r"\{[a-z][\w:-]*\}`|```|^:(label|class):|^\([\w-]+\)=", re.MULTILINE
)

# the test's own user settings: no news toast (the rest is what `make lab` ships)
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def write_settings(folder):
    """The test's own user settings in ``folder`` (JUPYTERLAB_SETTINGS_DIR)."""
    for name, values in SETTINGS.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    """The Jupyter configuration folder of an environment where `make lab` has linked the
    repository's (tests/test_book_source_in_lab.py)."""
    return install_config(tmp_path_factory.mktemp("venv"))


@pytest.fixture(scope="module")
def lab(config, tmp_path_factory):
    """The base URL of a token-less JupyterLab on the learner's copies, as `make lab` starts it
    (lab/ as its root, the configuration it links); stopped afterwards."""
    root = tmp_path_factory.mktemp("gmm-lab")
    for name in CHAPTERS:
        editions.write(learners_copy(name), root / "lab" / name)
    write_settings(root / "settings")
    server = Server(
        root / "lab", config, root, ["--LabApp.expose_app_in_browser=True"]
    )
    yield server.base
    server.stop()


@pytest.fixture(scope="module")
def repository_lab(config, tmp_path_factory):
    """The base URL of a JupyterLab that a learner started at the repository's root, not through
    `make lab`, in the same environment."""
    home = tmp_path_factory.mktemp("home")
    write_settings(home / "settings")
    server = Server(
        REPO, config, home, ["--LabApp.expose_app_in_browser=True"]
    )
    yield server.base
    server.stop()


@pytest.fixture(scope="module")
def browser(chromium):
    """The session's Chromium (tests/conftest.py), with the screenshot folder."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    return chromium


def open_chapter(browser, lab, name):
    """A page with the chapter open in its own workspace, every markdown cell rendered."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{lab}/lab/workspaces/{name[:2]}/tree/{name}?reset")
    page.wait_for_function("""() => {
        const cells = document.querySelectorAll('.jp-Notebook .jp-MarkdownCell');
        return window.jupyterapp && cells.length > 0 && [...cells].every(
            c => c.querySelector('.myst') || c.querySelector('.jp-InputPlaceholder'));
    }""")
    return page


def run_all(page):
    """Run every cell, as Run > Run All Cells does, and wait until the last one has run."""
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel"
    )
    page.evaluate(
        "() => window.jupyterapp.commands.execute('notebook:run-all-cells')"
    )
    page.wait_for_function("""() => {
        const panel = window.jupyterapp.shell.currentWidget;
        const code = panel.content.widgets.filter(c => c.model.type === 'code');
        return code.every(c => c.model.executionCount !== null)
            && panel.sessionContext.session.kernel.status === 'idle';
    }""")


def outputs(page):
    """Every output of every code cell, as nbformat dicts."""
    return page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
        .filter(c => c.model.type === 'code').map(c => c.model.outputs.toJSON())""")


def visible_markdown(page):
    """The text of every rendered markdown cell, without the TeX source that KaTeX keeps."""
    return page.evaluate("""() => [...document.querySelectorAll('.jp-MarkdownCell .myst')].map(e => {
        const copy = e.cloneNode(true);
        copy.querySelectorAll('.katex, .katex-display').forEach(k => k.remove());
        document.body.appendChild(copy);
        const text = copy.innerText;
        copy.remove();
        return text;
    })""")


def learners_copy(name):
    """The chapter as `make lab` copies it for the learner."""
    return editions.lab_copy(
        editions.read((BOOK / name).with_suffix(".md")),
        NUMBERS,
        chapter=editions.chapter_number(name),
    )


NUMBERS = editions.book_numbers()


def collapsed_cells(name):
    """The code cells of the learner's copy that JupyterLab shows collapsed: the solutions' code."""
    return [
        c
        for c in learners_copy(name)["cells"]
        if c["metadata"].get("jupyter", {}).get("source_hidden")
    ]


def assert_no_errors(page):
    for cell_outputs in outputs(page):
        for output in cell_outputs:
            assert output["output_type"] != "error", (
                f"{output['ename']}: {output['evalue']}"
            )
            assert output.get("name") != "stderr", "".join(output["text"])


def assert_no_raw_myst(page):
    for text in visible_markdown(page):
        match = RAW_MYST.search(text)
        assert match is None, f"raw MyST {match.group(0)!r} in: {text[:200]!r}"
    for preview in page.eval_on_selector_all(
        ".jp-InputPlaceholder", "els => els.map(e => e.innerText)"
    ):
        assert RAW_MYST.search(preview) is None, (
            f"raw MyST in a collapsed cell's preview: {preview!r}"
        )


def assert_solutions_collapsed(page, name):
    """Every solution's code is a collapsed cell, and its text a closed dropdown: none of it shows."""
    collapsed = collapsed_cells(name)
    assert collapsed, f"{name} has no collapsed solution cells"
    assert page.locator(".jp-InputPlaceholder").count() == len(collapsed)
    notebook_text = page.inner_text(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
    )
    cells = learners_copy(name)["cells"]
    elsewhere = "\n".join(
        editions.source(c) for c in cells if c not in collapsed
    )
    for cell in collapsed:
        # only the first line of a collapsed cell shows: not its last own line
        own = [
            line.strip()
            for line in editions.source(cell).splitlines()[1:]
            if line.strip() and line.strip() not in elsewhere
        ]
        assert own[-1] not in notebook_text, (
            f"a solution's line is visible: {own[-1]!r}"
        )
    texts = [
        c
        for start, end in editions.solution_spans(cells)
        for c in cells[start + 1 : end]
        if c["cell_type"] == "markdown" and "{dropdown}" in editions.source(c)
    ]
    assert texts and page.locator(".myst details").count() >= len(texts)
    assert page.locator(".myst details[open]").count() == 0, (
        "a solution's text is open"
    )
    solution_outputs = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
        .filter(c => c.model.sharedModel.getSource().startsWith('%%capture solution_output'))
        .map(c => c.model.outputs.length)""")
    assert len(solution_outputs) == len(collapsed) and not any(
        solution_outputs
    ), "a solution's output shows"


def cell_index(page, marker):
    """The index of the first cell whose source contains ``marker``."""
    return page.evaluate(
        """marker => window.jupyterapp.shell.currentWidget.content.widgets
        .findIndex(c => c.model.sharedModel.getSource().includes(marker))""",
        marker,
    )


def run_cells(page, first, last):
    """Select cells first..last and run them, as Shift+Enter on each would."""
    page.evaluate(
        """([first, last]) => {
        const notebook = window.jupyterapp.shell.currentWidget.content;
        notebook.activeCellIndex = first;
        notebook.deselectAll();
        notebook.extendContiguousSelectionTo(last);
        return window.jupyterapp.commands.execute('notebook:run-cell');
    }""",
        [first, last],
    )


def output_text(page, index):
    return page.evaluate(
        """i => window.jupyterapp.shell.currentWidget.content.widgets[i].model.outputs
        .toJSON().map(o => [].concat(o.text || []).join('')).join('')""",
        index,
    )


def test_exercise_chapter(browser, lab):
    """05_em_1d: run all; the learner's stub gets "Not yet"; a wrong answer is named; solutions stay
    collapsed and never overwrite the learner's function; {eval} fills in numbers."""
    name = "05_em_1d.ipynb"
    page = open_chapter(browser, lab, name)
    assert_no_raw_myst(page)
    assert_solutions_collapsed(page, name)
    assert_equations_numbered_as_in_the_book(page, name)
    run_all(page)
    assert_no_errors(page)
    assert_solutions_collapsed(page, name)
    assert_every_eval_filled(page)

    stub = cell_index(page, 'raise NotImplementedError("fill in my_m_step")')
    check = stub + 1
    assert "check_m_step_1d(my_m_step)" in page.evaluate(
        "i => window.jupyterapp.shell.currentWidget.content.widgets[i].model.sharedModel.getSource()",
        check,
    )
    assert output_text(page, check).startswith(
        "Not yet: my_m_step is not written yet: fill in the function above"
    )
    page.locator(".jp-Cell").nth(check).scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "05_em_1d_stub_not_yet.png")

    # the learner types an M-step whose weights are not divided by n, and runs it and its check
    page.evaluate(
        """i => window.jupyterapp.shell.currentWidget.content.widgets[i].model.sharedModel
        .setSource(`def my_m_step(x, resp):
    nk = resp.sum(axis=0)
    means = resp.T @ x / nk
    variances = np.sum(resp * (x[:, None] - means) ** 2, axis=0) / nk
    return nk, means, variances`)""",
        stub,
    )
    run_cells(page, stub, check)
    page.wait_for_function(
        "i => window.jupyterapp.shell.currentWidget.content.widgets[i].model.outputs"
        ".toJSON().some(o => [].concat(o.text || []).join('').includes('divided by n'))",
        arg=check,
    )
    assert output_text(page, check).startswith(
        "Not yet: the weights are not divided by n"
    )
    # the solutions below use their own names: running them leaves the learner's answer judged wrong
    last_code = """() => window.jupyterapp.shell.currentWidget.content.widgets
        .filter(c => c.model.type === 'code').at(-1).model.executionCount"""
    counted = page.evaluate(last_code)
    page.evaluate(
        """i => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = i;
                            return window.jupyterapp.commands.execute('notebook:run-all-below'); }""",
        check,
    )
    page.wait_for_function(
        f"() => ({last_code})() > {counted} && "
        "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'"
    )
    assert output_text(page, check).startswith(
        "Not yet: the weights are not divided by n"
    )
    page.locator(".jp-Cell").nth(check).scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "05_em_1d_wrong_answer_named.png")

    # opening a solution's text shows it, with the {eval} numbers computed in the kernel
    evaluated = page.locator(".jp-Cell").nth(
        cell_index(page, "below the good fit's: another local maximum")
    )
    evaluated.scroll_into_view_if_needed()
    evaluated.locator("details summary").click()
    opened = evaluated.locator("details[open]")
    opened.wait_for()
    assert re.search(
        r"Its final log-likelihood is \d+\.\d below the good fit",
        opened.inner_text(),
    ), opened.inner_text()
    page.screenshot(path=SHOTS / "05_em_1d_solution_opened.png")
    page.close()


def test_widget_chapter(browser, lab):
    """06_em_2d: run all; moving a slider of InitExplorer2D redraws its figure; the lesson plan's
    "Run to convergence" reaches the chapter's answer."""
    name = "06_em_2d.ipynb"
    page = open_chapter(browser, lab, name)
    assert_no_raw_myst(page)
    assert_solutions_collapsed(page, name)
    assert_equations_numbered_as_in_the_book(page, name)
    run_all(page)
    assert_no_errors(page)
    assert_every_eval_filled(page)
    assert_no_raw_myst(page)
    page.screenshot(path=SHOTS / "06_em_2d_after_run_all.png")

    explorer = page.locator(".jp-Cell").nth(
        cell_index(page, "InitExplorer2D(blobs.X)")
    )
    explorer.scroll_into_view_if_needed()
    figure = explorer.locator(".jp-OutputArea img").first
    figure.wait_for()
    before = figure.get_attribute("src")
    explorer.locator(".widget-slider", has_text="mean x").first.locator(
        ".noUi-handle"
    ).focus()
    started = time.perf_counter()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([img, before]) => img.getAttribute('src') !== before",
        arg=[figure.element_handle(), before],
    )
    redraw = time.perf_counter() - started
    page.screenshot(path=SHOTS / "06_em_2d_slider_moved.png")
    assert redraw < 10, f"the figure took {redraw:.1f} s to redraw"

    stepper = page.locator(".jp-Cell").nth(
        cell_index(page, "StepByStepEM(pair.X")
    )
    stepper.scroll_into_view_if_needed()
    picture = stepper.locator(".jp-OutputArea img").first
    before = picture.get_attribute("src")
    stepper.get_by_role("button", name="Run to convergence").click()
    status = stepper.locator(".widget-html", has_text="Run to convergence")
    status.wait_for()
    page.wait_for_function(
        "([img, before]) => img.getAttribute('src') !== before",
        arg=[picture.element_handle(), before],
    )
    assert (
        "converged: the mean log-likelihood changed by less than tol = 0.0001"
        in status.inner_text()
    )
    page.screenshot(path=SHOTS / "06_em_2d_run_to_convergence.png")
    page.close()


# every markdown cell with {eval}: [its first words, how many it has, how many results came, the
# results that are errors]
EVALUATED = """() => window.jupyterapp.shell.currentWidget.content.widgets
    .filter(c => c.model.type === 'markdown' && c.model.sharedModel.getSource().includes('{eval}`'))
    .map(c => {
        const results = c.model.getMetadata('user_expressions') || [];
        return [c.model.sharedModel.getSource().slice(0, 60),
                c.model.sharedModel.getSource().split('{eval}`').length - 1, results.length,
                results.filter(r => r.result.status !== 'ok')
                       .map(r => `${r.expression}: ${r.result.ename || r.result.status}`)];
    })"""


def assert_every_eval_filled(page, seconds=60):
    """After Run All, every {eval} of the chapter gets its value (jupyterlab-myst stores them in
    the cell's user_expressions), and none is an error."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            f"() => ({EVALUATED})().every(([, want, got]) => got === want)",
            timeout=seconds * 1000,
        )
    except PlaywrightTimeout:
        pass
    cells = page.evaluate(EVALUATED)
    missing = [
        (text, got, want) for text, want, got, _ in cells if got != want
    ]
    assert not missing, (
        f"{{eval}} values missing after Run All (cell, got, wanted): {missing}"
    )
    failed = [error for *_, errors in cells for error in errors]
    assert not failed, f"{{eval}} values that failed: {failed}"
    return sum(want for _, want, _, _ in cells)


# every display equation: [the id of its box, the number shown beside it ('' for none)]
EQUATIONS = """() => [...document.querySelectorAll('.jp-MarkdownCell .myst .katex-display')].map(e => {
    const box = e.closest('[id]');
    const copy = box.cloneNode(true);
    copy.querySelectorAll('.katex').forEach(k => k.remove());
    return [box.id, copy.textContent.trim()];
})"""


def assert_equations_numbered_as_in_the_book(page, name):
    """The labelled equations show the book's numbers, in the book's order; the others none."""
    shown = page.evaluate(EQUATIONS)
    numbered = [(box, number) for box, number in shown if number]
    chapter = editions.BOOK / name.replace(".ipynb", ".md")
    expected = [
        (f"id-{label}", number)
        for label, number in editions.book_numbers([chapter]).items()
        if number.startswith("(")
    ]
    assert numbered == expected, (
        f"equation numbers shown {numbered}, the book's {expected}"
    )


@pytest.mark.parametrize(
    "name", [n for n in CHAPTERS if n[:2] not in ("05", "06")]
)
def test_run_all_fills_every_number_and_numbers_equations(browser, lab, name):
    """Each other chapter: Run All with no error, every {eval} filled in, equations numbered as in
    the book (05 and 06 are checked by the tests above)."""
    page = open_chapter(browser, lab, name)
    assert_equations_numbered_as_in_the_book(page, name)
    run_all(page)
    assert_no_errors(page)
    assert_every_eval_filled(page)
    assert_no_raw_myst(page)
    page.close()


def test_a_chapter_of_book_opened_directly_is_read_only_without_solutions(
    browser, repository_lab
):
    """A learner starts JupyterLab at the repository's root and opens book/05_em_1d.md: a
    double-click shows a note that sends them to `make lab`; Open With > Jupytext Notebook shows
    the chapter read only, without a line of its solutions or raw MyST, and Run All fills in every
    number; File > Save and autosave leave the stored chapter as it is."""
    path = BOOK / "05_em_1d.md"
    stored = path.read_bytes()
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(
        f"{repository_lab}/lab/workspaces/book/tree/book/{path.name}?reset"
    )
    # the editor fills in once the file has come: then it holds the note, never the source
    page.locator(".jp-FileEditor .cm-content", has_text="make lab").wait_for()
    shown = page.inner_text(".jp-FileEditor .cm-content")
    assert not solution_lines(path) & lines_of(shown)
    page.screenshot(path=SHOTS / "book_05_em_1d_as_text.png")

    page.evaluate(
        """path => window.jupyterapp.commands.execute('docmanager:open',
        {path, factory: 'Jupytext Notebook'})""",
        f"book/{path.name}",
    )
    page.wait_for_function("""() => {
        const panel = window.jupyterapp.shell.currentWidget;
        const cells = panel?.content?.widgets?.filter(c => c.model.type === 'markdown');
        return cells && cells.length > 0 && cells.every(
            c => c.node.querySelector('.myst') || c.node.querySelector('.jp-InputPlaceholder'));
    }""")
    assert page.evaluate("""() => {
        const panel = window.jupyterapp.shell.currentWidget;
        return panel.context.contentsModel.writable === false
            && [...panel.toolbar.names()].includes('read-only-indicator');
    }""")

    assert_no_raw_myst(page)
    assert_equations_numbered_as_in_the_book(page, "05_em_1d.ipynb")
    run_all(page)
    assert_no_errors(page)
    assert_every_eval_filled(page)
    shown = page.inner_text(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
    )
    left = solution_lines(path) & lines_of(shown)
    assert not left, f"solution lines shown: {sorted(left)[:3]}"
    assert page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.context.model.dirty"
    ), "Run All should have changed the notebook"
    # File > Save: JupyterLab says why it does not save (autosave skips a read-only file)
    page.evaluate(
        "() => { window.jupyterapp.commands.execute('docmanager:save'); }"
    )
    page.locator(".jp-Dialog", has_text="Document is read-only").wait_for()
    page.screenshot(path=SHOTS / "book_05_em_1d_read_only.png")
    page.close()
    assert path.read_bytes() == stored
