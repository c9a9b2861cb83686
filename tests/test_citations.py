"""The package cites equations as the page shows them, and they still hold.

A citation reads ``eq. (4.8)`` (or ``eqs. (4.6), (4.7) and (4.8)``), the
number the reader sees. ``CITED`` in book/_ext/equation_links.py says which
labelled equation each cited number means. Without the book: every cited
number is registered, no citation uses a label, and each registered label
carries that number in the chapters' sources (book/*.md, numbered as the
build numbers them), so an equation that moved (a display equation added
above it) fails in ``make check``. With the built book (``make book``): the
HTML numbers each label the same way, and the API page links every citation
to its equation.
"""

import importlib.util
import re
from pathlib import Path

import pytest
from conftest import book_not_current, editions

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html" / "book"
# every module, the teaching layer's (gmm_teach/teaching/...) included
PACKAGE = sorted((ROOT / "gmm_teach").rglob("*.py"))

_spec = importlib.util.spec_from_file_location(
    "equation_links", ROOT / "book" / "_ext" / "equation_links.py"
)
equation_links = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(equation_links)
CITED = equation_links.CITED

# the old way: a label in parentheses, "(4-mstep-cov)"
LABEL_CITATION = re.compile(r"\((\d+-[a-z][a-z-]*)\)")


def shown(path):
    """A module's path inside the package: "em.py", "teaching/datasets.py"."""
    return path.relative_to(ROOT / "gmm_teach").as_posix()


def citations(path):
    """(line number, cited number) for every citation in a source file."""
    lines = path.read_text().splitlines()
    return [
        (i, number)
        for i, line in enumerate(lines, start=1)
        for number in equation_links.cited_numbers(line)
    ]


def all_citations():
    return {
        f"{shown(path)}:{i}": number
        for path in PACKAGE
        for i, number in citations(path)
    }


def test_the_package_cites_equations():
    assert len(set(all_citations().values())) >= 10


def test_every_cited_number_is_registered():
    unknown = {
        where: f"eq. ({number})"
        for where, number in all_citations().items()
        if number not in CITED
    }
    assert not unknown, (
        "add these numbers, with the label of the equation they mean, to "
        f"CITED in book/_ext/equation_links.py: {unknown}"
    )


def test_every_registered_number_is_cited():
    unused = set(CITED) - set(all_citations().values())
    assert not unused, f"remove from CITED, nothing cites them: {unused}"


@pytest.mark.parametrize("path", PACKAGE, ids=shown)
def test_no_citation_by_label(path):
    text = path.read_text()
    found = LABEL_CITATION.findall(text)
    by_label = {label: number for number, label in CITED.items()}
    assert not found, "cite as the page shows: " + ", ".join(
        f"({label}) -> eq. ({by_label.get(label, '?')})" for label in found
    )


def test_citations_stay_on_one_line():
    """The API page's link hook reads docstrings line by line."""
    split = [
        f"{shown(path)}:{i}"
        for path in PACKAGE
        for i, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\b[Ee]qs?\.$", line.rstrip())
    ]
    assert not split, f"keep 'eq. (N.M)' on one line: {split}"


# ---------------------------------------------- against the chapters' sources


def test_every_cited_equation_has_its_number_in_the_chapters():
    numbers = editions.book_numbers()
    wrong = [
        f"eq. ({number}) means {label}, which the chapters number "
        f"{numbers.get(label, 'nowhere')}: change the citations and CITED"
        for number, label in CITED.items()
        if numbers.get(label) != f"({number})"
    ]
    assert not wrong, "\n".join(wrong)


# ------------------------------------------------------- against the HTML


def equation_numbers():
    """label -> (number, page) of every numbered equation of the built book."""
    if book_not_current():
        pytest.skip(book_not_current())
    pattern = re.compile(
        r'id="equation-([^"]+)">\s*<span class="eqno">\((\d+\.\d+)\)'
    )
    numbers = {}
    for page in sorted(HTML.glob("*.html")):
        for label, number in pattern.findall(page.read_text()):
            numbers[label] = (number, page.name)
    return numbers


def test_every_cited_equation_still_has_its_number():
    numbers = equation_numbers()
    wrong = []
    for number, label in CITED.items():
        if label not in numbers:
            wrong.append(f"eq. ({number}): no equation labelled {label}")
        elif numbers[label][0] != number:
            now, page = numbers[label]
            wrong.append(
                f"eq. ({number}) means {label}, which {page} now numbers "
                f"({now}): change the citations and CITED"
            )
    assert not wrong, "\n".join(wrong)


def test_the_api_page_links_each_citation_to_its_equation():
    numbers = equation_numbers()
    api = (HTML / "api.html").read_text()
    links = re.findall(
        r'<a class="reference internal" href="([\w.]+)#equation-([\w-]+)">'
        r"\((\d+\.\d+)\)</a>",
        api,
    )
    assert {label for _, label, _ in links} == set(CITED.values())
    for page, label, shown in links:
        assert (shown, page) == numbers[label]
    assert ":eq:" not in api
