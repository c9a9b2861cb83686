"""The learner's copies speak the HTML book's language: the numbers they write for equations and
theorems are the ones the built book shows, and no reference or included code is left raw."""

import inspect
import re
import textwrap
from pathlib import Path

import pytest
from conftest import book_not_current, editions

from gmm_teach import covariance, em

REPO = Path(__file__).resolve().parent.parent

HTML = REPO / "_build" / "html" / "book"
NUMBERS = editions.book_numbers()


def shown_in_html(label, number):
    """What the built page of the label's chapter prints for it, or None."""
    chapter = int(re.search(r"\d+", number).group())
    page = next(HTML.glob(f"{chapter:02d}_*.html")).read_text()
    if number.startswith("("):
        pattern = rf'id="equation-{re.escape(label)}".{{0,400}}?<span class="eqno">(\([\d.]+\))'
        found = re.search(pattern, page, re.S)
        return found and found.group(1)
    found = re.search(
        rf'id="{re.escape(label)}".{{0,800}}?([A-Z][a-z]+ [\d.]+)', page, re.S
    )
    return found and found.group(1)


def test_every_label_of_the_chapters_is_numbered():
    assert len(NUMBERS) >= 30
    assert NUMBERS["4-mstep-cov"] == "(4.8)"
    assert NUMBERS["thm-4-monotone"] == "Theorem 4.1"


@pytest.mark.skipif(
    book_not_current() is not None, reason=str(book_not_current())
)
@pytest.mark.parametrize("label", sorted(NUMBERS))
def test_the_numbers_are_those_of_the_built_book(label):
    assert shown_in_html(label, NUMBERS[label]) == NUMBERS[label]


@pytest.mark.parametrize(
    "path", editions.chapters(), ids=lambda path: path.stem
)
def test_the_lab_copy_has_no_reference_or_include_left_raw(path):
    lab = editions.lab_copy(editions.read(path), NUMBERS)
    text = "\n".join(editions.source(cell) for cell in lab["cells"])
    assert "{literalinclude}" not in text
    assert not re.findall(
        r"\{(eq|prf:ref|py:\w+|ref|doc|cite(:\w+)?|numref)\}`", text
    )


def test_included_code_is_the_package_source_under_its_caption():
    text = editions.for_jupyterlab(
        "```{literalinclude} ../gmm_teach/em.py\n:pyobject: _m_step\n:language: python\n```",
        NUMBERS,
    )
    assert text == (
        "`gmm_teach.em._m_step` in `gmm_teach/em.py`:\n\n"
        f"```python\n{inspect.getsource(em._m_step).rstrip()}\n```"
    )


def test_an_included_method_is_dedented():
    text = editions.for_jupyterlab(
        "```{literalinclude} ../gmm_teach/covariance.py\n"
        ":pyobject: Full.log_det_cholesky\n```",
        NUMBERS,
    )
    method = inspect.getsource(covariance.Full.log_det_cholesky)
    assert text.endswith(f"```python\n{textwrap.dedent(method).rstrip()}\n```")


def test_python_roles_become_inline_code():
    text = editions.for_jupyterlab(
        "{py:func}`em.em <gmm_teach.em.em>`, {py:func}`~gmm_teach.em.e_step`"
        " and {py:meth}`gmm_teach.covariance.Full.n_parameters`",
        NUMBERS,
    )
    assert text == (
        "`em.em`, `e_step` and `gmm_teach.covariance.Full.n_parameters`"
    )


def test_the_lab_copy_numbers_as_the_book():
    path = editions.BOOK / "05_em_1d.md"
    lab = editions.lab_copy(editions.read(path), NUMBERS, chapter=5)
    first = next(c for c in lab["cells"] if c["cell_type"] == "markdown")
    assert editions.source(first).startswith(
        "---\nnumbering:\n  enumerator: 5.%s\n"
    )


def test_a_listing_keeps_the_docstrings_summary_not_its_sections():
    text = editions.for_jupyterlab(
        "```{literalinclude} ../gmm_teach/em.py\n:pyobject: log_likelihood\n```",
        NUMBERS,
    )
    source = inspect.getsource(em.log_likelihood)
    assert "Parameters\n" in source and "Parameters\n" not in text
    assert editions.SHORTENED in text
    summary, body = source.splitlines()[1], source.splitlines()[-1]
    assert summary in text and text.endswith(f"{body}\n```")
    compile(text.split("```python\n")[1].removesuffix("\n```"), "x", "exec")


def test_the_lab_copy_numbers_only_the_labelled_equations():
    """jupyterlab-myst numbers every display equation unless told; the book only the labelled
    ones. The copy turns numbering off and back on for exactly those (tests/test_jupyterlab.py
    checks what JupyterLab then shows)."""
    path = editions.BOOK / "04_likelihood_em_mstep.md"
    lab = editions.lab_copy(editions.read(path), NUMBERS, chapter=4)
    text = "\n".join(
        editions.source(c)
        for c in lab["cells"]
        if c["cell_type"] == "markdown"
    )
    assert text.startswith(
        "---\nnumbering:\n  enumerator: 4.%s\n  equation:\n    enabled: false\n---\n"
    )
    labelled = re.findall(
        r"\{math\}\n( *):label: (\S+)\n( *):enumerated: true\n", text
    )
    assert [label for _, label, _ in labelled] == [
        label for label in NUMBERS if label.startswith("4-")
    ]
    # the option keeps the indent of the label (equations inside a numbered list)
    assert all(before == after for before, _, after in labelled)
    assert "   :label: 4-mstep-cov\n   :enumerated: true\n" in text


def test_jupyterlab_opens_the_stored_chapters_as_text_only():
    """book/jupytext.toml: jupytext's contents manager (what JupyterLab uses) gives the chapters
    in book/ as Markdown files, never as notebooks, so that no notebook view shows their raw
    markup and no autosave writes a notebook over them."""
    from jupytext import TextFileContentsManager
    from tornado.web import HTTPError

    manager = TextFileContentsManager(root_dir=str(REPO))
    model = manager.get("book/05_em_1d.md", content=False)
    assert model["type"] == "file"
    with pytest.raises(HTTPError):
        manager.get("book/05_em_1d.md", type="notebook")
    assert "make lab" in (REPO / "book" / "README.md").read_text()


def test_make_lab_serves_lab_with_every_cell_rendered():
    """`make lab` roots JupyterLab at lab/ and first links the repository's Jupyter configuration
    into the environment, which gives JupyterLab the shipped defaults: every cell rendered, without
    which Run All left {eval} numbers as code (tests/test_book_source_in_lab.py starts a server
    with that link and checks both)."""
    import json5

    recipe = (
        (REPO / "Makefile").read_text().split("\nlab:")[1].split("\n\n")[0]
    )
    assert recipe.startswith(" $(INSTALLED) $(JUPYTER_CONFIG)\n")
    assert '--ServerApp.root_dir="$(CURDIR)/lab"' in recipe
    config = (REPO / ".jupyter" / "jupyter_server_config.py").read_text()
    assert (
        'c.LabApp.app_settings_dir = str(REPO / ".jupyter" / "app-settings")'
        in config
    )
    overrides = json5.loads(
        (REPO / ".jupyter" / "app-settings" / "overrides.json5").read_text()
    )
    assert overrides["@jupyterlab/notebook-extension:tracker"] == {
        "windowingMode": "none"
    }


def test_references_and_citations_read_as_in_the_book():
    text = editions.for_jupyterlab(
        "{doc}`03_responsibilities`, {ref}`ex-03-2`, {ref}`the bound <app-kl>`,"
        " {cite:p}`bishop2006`, {cite:t}`dempster1977`",
        NUMBERS,
    )
    assert text == (
        "Responsibilities by Bayes' rule, Exercise 3.2, the bound,"
        " (Bishop, 2006), Dempster et al. (1977)"
    )
