"""Sphinx extension: the equation citations of the package's docstrings link to
their equations on the API page (book/api.md).

The package cites an equation the way the page shows it, ``eq. (4.8)``, so that
one search on the page finds it. ``CITED`` says which labelled equation each
cited number means. When autodoc reads a docstring, every cited number becomes
the ``:eq:`` role of its label, which Sphinx renders as the equation's current
number, linked to it. A number missing from ``CITED`` is a warning (an error in
the strict build); tests/test_citations.py checks, in the built HTML, that each
label still carries the number cited for it: if an equation moves (a display
equation added above it), the test names the citations to renumber.
"""

import re

# cited number -> label of the equation in the chapter (book/NN_*.ipynb)
CITED = {
    "1.1": "1-inertia",
    "1.2": "1-assign",
    "1.3": "1-update",
    "2.3": "2-logpdf",
    "3.1": "3-resp",
    "3.2": "3-lse",
    "4.1": "4-loglik",
    "4.6": "4-mstep-weights",
    "4.7": "4-mstep-means",
    "4.8": "4-mstep-cov",
    "5.1": "5-normal",
    "5.2": "5-resp",
    "5.3": "5-weights",
    "5.4": "5-means",
    "5.5": "5-variances",
    "9.1": "9-params",
    "9.2": "9-bic",
    "9.3": "9-aic",
    "11.1": "11-obs-loglik",
    "11.2": "11-cond-mean",
    "11.3": "11-cond-cov",
    "11.4": "11-resp",
    "11.5": "11-moments",
    "11.6": "11-mstep-means",
    "11.7": "11-mstep-cov",
    "12.1": "12-stick",
    "12.2": "12-normal-wishart",
    "12.3": "12-elbo",
    "12.4": "12-resp",
    "12.5": "12-weights",
    "12.6": "12-elogpi",
    "12.7": "12-stick-posterior",
    "12.8": "12-means",
    "12.10": "12-wishart",
    "12.11": "12-elogn",
    "13.1": "13-sums",
    "13.2": "13-mstep-sums",
    "13.3": "13-merge",
    "13.4": "13-stepwise",
}

NUMBER = r"\((\d+\.\d+)\)"
# "eq. (4.8)", "eqs. (4.6), (4.7) and (4.8)", "eqs. (5.3) to (5.5)"
CITATION = re.compile(
    rf"\b[Ee]qs?\. {NUMBER}(?:(?:, | and |, and | to ){NUMBER})*"
)


def cited_numbers(text):
    """Every equation number cited in ``text``, in order."""
    return [
        number
        for match in CITATION.finditer(text)
        for number in re.findall(NUMBER, match.group(0))
    ]


def _link(match, warn):
    def role(number_match):
        number = number_match.group(1)
        if number not in CITED:
            warn(f"eq. ({number}) is cited but not in CITED ({__file__})")
            return number_match.group(0)
        return f":eq:`{CITED[number]}`"

    return re.sub(NUMBER, role, match.group(0))


def link_citations(app, what, name, obj, options, lines):
    """autodoc-process-docstring: each cited number becomes an :eq: link."""
    from sphinx.util import logging

    logger = logging.getLogger(__name__)

    def warn(message):
        logger.warning(f"{name}: {message}")

    literal = None  # the indentation of the line that opened a "::" block
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        if literal is not None and line.strip() and indent <= literal:
            literal = None
        if literal is None:
            lines[i] = CITATION.sub(lambda m: _link(m, warn), line)
            if line.rstrip().endswith("::"):
                literal = indent


def setup(app):
    app.connect("autodoc-process-docstring", link_citations)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
