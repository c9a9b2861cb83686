"""The chapters' other editions: the learner's JupyterLab copy, the student
edition, nbgrader's source.

The chapters in book/ are the one source: MyST Markdown notebooks (jupytext),
read here as notebooks. Each exercise in them is a run of cells:

    {exercise-start} ... the task, a stub that raises NotImplementedError
    (tag ``exercise-stub``), the cell that calls the self-check on it
    (tag ``self-check``) ... {exercise-end}
    {solution-start} ... the solution's text and code, with their own names
    (``solution_*``) ... {solution-end}

Usage (the Makefile's ``make lab`` and ``make student`` run the first two):

    python tools/editions.py lab [--reset CHAPTER]
        copy the chapters into lab/ for JupyterLab, never overwriting a
        learner's copy
    python tools/editions.py student
        _build/student/: no solution cells, no solution text
    python tools/editions.py nbgrader
        _build/nbgrader/source/<chapter>/: stubs filled with the solution
        between ### BEGIN/END SOLUTION

Besides the standard library, only jupytext and PyYAML (requirements.txt)
are needed.
"""

import argparse
import ast
import copy
import functools
import json
import re
import sys
import textwrap
import time
from pathlib import Path

import jupytext
import yaml

REPO = Path(__file__).resolve().parent.parent
BOOK = REPO / "book"
LAB = REPO / "lab"
STUDENT = REPO / "_build" / "student"
NBGRADER = REPO / "_build" / "nbgrader" / "source"
KERNELSPEC = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": "python3",
}


# -------------------------------------------------------- reading the chapters


def source(cell):
    return "".join(cell["source"])


def set_source(cell, text):
    cell["source"] = text.splitlines(keepends=True)


@functools.cache
def _numbered_pages():
    """The pages of the numbered parts of _toc.yml, in reading order: the
    HTML numbers them 1, 2, ... (a chapter's file name only sorts it)."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    return tuple(
        (REPO / f"{entry['file']}.md").resolve()
        for part in toc["parts"]
        if part.get("numbered")
        for entry in part["chapters"]
    )


def chapters(folder=BOOK):
    """The chapters (MyST Markdown notebooks ``NN_*.md``), in reading
    order: the order of _toc.yml."""
    found = {p.resolve() for p in folder.glob("[0-9][0-9]_*.md")}
    in_toc = [p for p in _numbered_pages() if p in found]
    return in_toc + sorted(found - set(in_toc))


def notebooks(folder=BOOK):
    """Every page of the book stored as a MyST Markdown notebook: the
    chapters and the appendices (a jupytext front matter marks them)."""
    return sorted(
        path
        for path in folder.glob("*.md")
        if path.read_text().startswith("---\njupytext:")
    )


def read(path):
    """A chapter as a notebook (a dict in nbformat 4), cells with stable ids.

    A text notebook stores no cell ids, so they are given here: ``cNNN`` by
    position, and ``<exercise label>-xK`` for the K-th stub or self-check
    cell of an exercise (``ex-05-2-x1``), which nbgrader uses as grade ids.
    An ``.ipynb`` (an edition written here) is read as it is stored.
    """
    if Path(path).suffix == ".ipynb":
        return json.loads(Path(path).read_text())
    notebook = json.loads(jupytext.writes(jupytext.read(path), "ipynb"))
    label, k = None, 0
    for i, cell in enumerate(notebook["cells"]):
        cell["id"] = f"c{i:03d}"
        found = EXERCISE_LABEL.search(source(cell))
        if is_marker(cell, "exercise-start") and found:
            label, k = found.group(1), 0
        elif has_tag(cell, "exercise-stub") or has_tag(cell, "self-check"):
            k += 1
            cell["id"] = f"{label}-x{k}"
    return notebook


def write(notebook, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")


EXERCISE_LABEL = re.compile(r":label: (ex-\S+)")


def is_marker(cell, directive):
    marker = f"{{{directive}}}"
    return cell["cell_type"] == "markdown" and marker in source(cell)


def has_tag(cell, tag):
    return tag in cell["metadata"].get("tags", [])


def solution_spans(cells):
    """(start, end) index pairs: each solution from its {solution-start} to its
    {solution-end} cell."""
    spans, start = [], None
    for i, cell in enumerate(cells):
        if is_marker(cell, "solution-start"):
            start = i
        elif is_marker(cell, "solution-end"):
            spans.append((start, i))
    return spans


def exercises(cells):
    """For each exercise: its stub cells and the cells of its solution (lists
    of cells)."""
    found, stubs = [], []
    spans = iter(solution_spans(cells))
    for cell in cells:
        if has_tag(cell, "exercise-stub"):
            stubs.append(cell)
        elif is_marker(cell, "solution-start"):
            start, end = next(spans)
            found.append((stubs, cells[start + 1 : end]))
            stubs = []
    return found


def cleared(notebook):
    """A copy without outputs and execution counts."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return notebook


# --------------------------------------------------------- stubs and solutions


def stub_function(cell):
    """The name of the function in a stub cell that raises
    NotImplementedError."""
    for node in ast.parse(source(cell)).body:
        if isinstance(node, ast.FunctionDef) and any(
            isinstance(s, ast.Raise) for s in node.body
        ):
            return node.name
    raise ValueError(
        f"stub cell {cell.get('id')} has no function that raises "
        "NotImplementedError"
    )


def solution_name(stub_name):
    """The reference solution's own name: my_m_step -> solution_m_step,
    lloyd -> solution_lloyd."""
    return "solution_" + stub_name.removeprefix("my_")


def solution_body(solution_cells, name):
    """The lines of the body of ``def name`` in the solution's code cells."""
    for cell in solution_cells:
        if cell["cell_type"] != "code":
            continue
        text = source(cell)
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return text.splitlines()[
                    node.body[0].lineno - 1 : node.end_lineno
                ]
    raise ValueError(f"no solution defines {name}")


def filled_stub(stub, solution_cells):
    """The stub's source with its ``raise NotImplementedError`` replaced by the
    reference body, between nbgrader's ``### BEGIN SOLUTION`` and
    ``### END SOLUTION`` lines."""
    name = stub_function(stub)
    lines = source(stub).splitlines()
    at = next(
        i
        for i, line in enumerate(lines)
        if line.strip().startswith("raise NotImplementedError")
    )
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    body = [
        indent + "### BEGIN SOLUTION",
        *solution_body(solution_cells, solution_name(name)),
        indent + "### END SOLUTION",
    ]
    return "\n".join(lines[:at] + body + lines[at + 1 :])


# ------------------------------------------------------- what JupyterLab shows
# jupyterlab-myst renders MyST, but it numbers equations and theorems per
# notebook ("(8)", not "(4.8)"), cannot follow a reference into another
# notebook, and shows nothing for {literalinclude}. The learner's copies
# therefore carry the book's numbers as text and the package's source as a
# code block.

MATH_LABEL = re.compile(r"[`:]{3,}\{math\}\n *:label: (\S+)")
# the same in three parts: the fence, the options' indent, the label line
MATH_LABEL_LINE = re.compile(r"([`:]{3,}\{math\}\n)( *)(:label: \S+\n)")
PROOF_DIRECTIVE = re.compile(
    r"[`:]{3,}\{prf:(\w+)\}[^\n]*\n(?: *:label: (\S+))?"
)
EQ_ROLE = re.compile(r"\{eq\}`([^`]+)`")
PRF_ROLE = re.compile(r"\{prf:ref\}`([^`]+)`")
LITERALINCLUDE = re.compile(
    r"```\{literalinclude\} \.\./(\S+)\n"
    r":pyobject: ([\w.]+)\n(?::language: python\n)?```"
)
# {py:func}`em.em <gmm_teach.em.em>`, {py:meth}`~gmm_teach.model.X.fit`, ...
PY_ROLE = re.compile(r"\{py:\w+\}`(?:([^`<]*?) <[^`>]+>|([^`]+))`")


def book_numbers(paths=None):
    """What the HTML book calls each label: {"4-mstep-cov": "(4.8)",
    "thm-4-monotone": "Theorem 4.1"}.

    A chapter's number is :func:`chapter_number`; its labelled equations
    are numbered in order, and each kind of theorem-like block (theorem,
    proposition, ...) has its own counter, as in the HTML.
    """
    numbers = {}
    for path in paths or chapters():
        chapter = chapter_number(path)
        text = "\n".join(
            source(c)
            for c in read(path)["cells"]
            if c["cell_type"] == "markdown"
        )
        for i, match in enumerate(MATH_LABEL.finditer(text), start=1):
            numbers[match.group(1)] = f"({chapter}.{i})"
        counters = {}
        for match in PROOF_DIRECTIVE.finditer(text):
            kind, label = match.groups()
            if kind == "proof":
                continue
            counters[kind] = counters.get(kind, 0) + 1
            if label:
                numbers[label] = (
                    f"{kind.capitalize()} {chapter}.{counters[kind]}"
                )
    return numbers


SECTION_LABEL = re.compile(r"^\(([\w-]+)\)=\n#+ (.+)$", re.M)
EXERCISE_START = re.compile(
    r"[`:]{3,}\{exercise(?:-start)?\}[^\n]*\n(?: *:label: (\S+))?"
)
TITLE = re.compile(r"^# (.+)$", re.M)
MYST_COMMENT = re.compile(r"^%.*\n(?:\n(?=\S))?", re.M)
REF_ROLE = re.compile(r"\{(ref|doc)\}`(?:([^`<]*?) <([^`>]+)>|([^`]+))`")
CITE_ROLE = re.compile(r"\{cite(?::(\w+))?\}`([^`]+)`")
BIB_ENTRY = re.compile(
    r"@\w+\{([\w-]+),.*?author\s*=\s*\{(.+?)\},.*?year\s*=\s*\{(\d+)\}", re.S
)


@functools.cache
def book_titles():
    """What the HTML book shows for a {ref} or {doc} without a title: a
    section's heading, "Exercise 5.2", or a page's title ("doc:05_em_1d")."""
    titles, numbered = {}, set(chapters())
    for path in sorted(BOOK.glob("*.md")):
        text = path.read_text()
        found = TITLE.search(text)
        if found:
            titles[f"doc:{path.stem}"] = found.group(1).strip()
        titles.update(
            (label, heading.strip())
            for label, heading in SECTION_LABEL.findall(text)
        )
        if path in numbered:
            labels = [m.group(1) for m in EXERCISE_START.finditer(text)]
            titles.update(
                (label, f"Exercise {chapter_number(path)}.{i}")
                for i, label in enumerate(labels, start=1)
                if label
            )
    return titles


@functools.cache
def bibliography():
    """{key: (authors as cited, year)} from book/references.bib: "Bishop",
    "Dempster et al."."""
    entries = {}
    for key, authors, year in BIB_ENTRY.findall(
        (BOOK / "references.bib").read_text()
    ):
        names = [
            name.split(",")[0].strip(" {}") for name in authors.split(" and ")
        ]
        cited = names[0] + (" et al." if len(names) > 2 else "")
        if len(names) == 2:
            cited = f"{names[0]} and {names[1]}"
        entries[key] = (cited, year)
    return entries


def reference_as_text(match):
    """A {ref} or {doc} as the book shows it: its own title, else the
    section's heading, the exercise's number or the page's title."""
    role, title, target, bare = match.groups()
    if title:
        return title
    key = f"doc:{bare}" if role == "doc" else bare
    return book_titles().get(key, bare)


def citation_as_text(match):
    """A {cite} as the book's author-year style shows it: "(Bishop, 2006)",
    or "Bishop (2006)" for {cite:t}."""
    style, keys = match.groups()
    works = [
        bibliography().get(key.strip(), (key.strip(), ""))
        for key in keys.split(",")
    ]
    if style == "t":
        return "; ".join(f"{who} ({year})" for who, year in works)
    return "(" + "; ".join(f"{who}, {year}" for who, year in works) + ")"


def pyobject_source(relative_path, name):
    """The source of the function or class ``name`` in a file of the
    repository, as ``literalinclude``'s ``:pyobject:`` selects it: a
    top-level name, or ``Class.method``."""
    text = (REPO / relative_path).read_text()
    nodes = ast.parse(text).body
    for part in name.split("."):
        node = next(
            (
                node
                for node in nodes
                if isinstance(node, (ast.FunctionDef, ast.ClassDef))
                and node.name == part
            ),
            None,
        )
        if node is None:
            raise ValueError(f"{relative_path} defines no {name}")
        nodes = node.body
    first = (
        node.decorator_list[0].lineno if node.decorator_list else node.lineno
    )
    return textwrap.dedent(
        "\n".join(text.splitlines()[first - 1 : node.end_lineno])
    )


SECTION_RULE = re.compile(r"\s*-{3,}\s*$")
SHORTENED = "(Parameters and returns: on the API page.)"


def shortened_docstring(code):
    """The source of a function or class with its docstring's numpydoc
    sections (Parameters, Returns, ...) replaced by one line pointing to the
    API page, so that a listing shows the computation, not the reference."""
    lines = code.splitlines()
    body = ast.parse(textwrap.dedent(code)).body[0].body
    docstring = body[0] if body else None
    if not (
        isinstance(docstring, ast.Expr)
        and isinstance(docstring.value, ast.Constant)
        and isinstance(docstring.value.value, str)
    ):
        return code
    first, last = docstring.lineno - 1, docstring.end_lineno - 1
    start = next(
        (
            i
            for i in range(first + 1, last)
            if SECTION_RULE.fullmatch(lines[i + 1])
        ),
        None,
    )
    if start is None:
        return code
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
    kept = lines[:start] + [indent + SHORTENED] + lines[last:]
    return "\n".join(kept)


def listing(relative_path, name):
    """An included listing as a Markdown code block under the caption the
    HTML book gives it (book/_ext/listings.py)."""
    module = relative_path.removesuffix(".py").replace("/", ".")
    return (
        f"`{module}.{name}` in `{relative_path}`:\n\n"
        "```python\n"
        f"{shortened_docstring(pyobject_source(relative_path, name))}\n```"
    )


def role_as_code(match):
    """A Python role as the inline code the HTML shows: its title, or its
    target without a leading ``~`` (then the last name) or ``.``."""
    title, target = match.groups()
    if title is None:
        title = target.split(".")[-1] if target.startswith("~") else target
    return f"`{title.lstrip('.')}`"


def for_jupyterlab(text, numbers):
    """A markdown cell's text as jupyterlab-myst should show it: references as
    the book numbers or titles them, citations in author-year form, Python
    roles as inline code, only the labelled equations numbered, and every
    {literalinclude} replaced by the code it includes, under its caption."""
    text = MYST_COMMENT.sub("", text)  # notes for the stored source's reader
    text = EQ_ROLE.sub(lambda m: numbers.get(m.group(1), m.group(0)), text)
    text = PRF_ROLE.sub(lambda m: numbers.get(m.group(1), m.group(0)), text)
    text = PY_ROLE.sub(role_as_code, text)
    text = REF_ROLE.sub(reference_as_text, text)
    text = CITE_ROLE.sub(citation_as_text, text)
    text = numbered_as_in_the_book(text)
    return LITERALINCLUDE.sub(lambda m: listing(*m.groups()), text)


def shown_in_jupyterlab(notebook, numbers, chapter=None):
    """The notebook with every markdown cell rewritten by
    :func:`for_jupyterlab`; with ``chapter``, a MyST front matter in the first
    markdown cell makes jupyterlab-myst number the equations and exercises as
    the book does ("(5.2)", "Exercise 5.2"), not "(2)"."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            set_source(cell, for_jupyterlab(source(cell), numbers))
    if chapter is not None:
        first = next(
            c for c in notebook["cells"] if c["cell_type"] == "markdown"
        )
        set_source(first, numbered_as_chapter(chapter) + source(first))
    return notebook


def numbered_as_chapter(chapter):
    """MyST front matter: every number in the notebook prefixed "chapter.",
    and display equations unnumbered unless they say otherwise (the labelled
    ones do: :func:`numbered_as_in_the_book`)."""
    return (
        f"---\nnumbering:\n  enumerator: {chapter}.%s\n"
        "  equation:\n    enabled: false\n---\n"
    )


def numbered_as_in_the_book(text):
    """Each labelled {math} block marked ``:enumerated: true``.

    The HTML book numbers only labelled equations; jupyterlab-myst numbers
    every display equation, ``$$`` blocks included, which shifts the numbers
    after the first unlabelled one. With equation numbering off for the
    notebook (:func:`numbered_as_chapter`) and on for exactly these blocks,
    both count the same equations in the same order."""
    return MATH_LABEL_LINE.sub(r"\1\2\3\2:enumerated: true\n", text)


def notebook_name(path):
    """book/05_em_1d.md is given out as 05_em_1d.ipynb."""
    return Path(path).with_suffix(".ipynb").name


def chapter_number(path):
    """The number the HTML book gives the page: its place in the numbered
    parts of _toc.yml (NN in NN_*.md only sorts the files)."""
    stems = [page.stem for page in _numbered_pages()]
    stem = Path(path).stem  # book/05_em_1d.md, or its copy 05_em_1d.ipynb
    if stem not in stems:
        raise ValueError(f"{stem} is in no numbered part of _toc.yml")
    return stems.index(stem) + 1


# ---------------------------------------------------------------- the editions


def student_edition(notebook, numbers=None, chapter=None):
    """The chapter without its solutions (cells and text), outputs cleared:
    stubs and checks stay.

    With ``numbers`` (from :func:`book_numbers`), references and included code
    are written out for JupyterLab, as in the learner's copy (and numbered as
    ``chapter``).
    """
    notebook = cleared(notebook)
    drop = {
        i
        for start, end in solution_spans(notebook["cells"])
        for i in range(start, end + 1)
    }
    notebook["cells"] = [
        c for i, c in enumerate(notebook["cells"]) if i not in drop
    ]
    if not numbers:
        return notebook
    return shown_in_jupyterlab(notebook, numbers, chapter)


def with_filled_stubs(notebook, original):
    """The student edition with every stub filled in with the reference
    solution (for the tests)."""
    answers = {
        stub["id"]: filled_stub(stub, solution)
        for stubs, solution in exercises(original["cells"])
        for stub in stubs
    }
    notebook = copy.deepcopy(notebook)
    for cell in notebook["cells"]:
        if cell.get("id") in answers:
            set_source(cell, answers[cell["id"]])
    return notebook


def nbgrader_source(notebook, numbers=None, chapter=None):
    """nbgrader's source version: the student edition (references and
    included code written out as in the learner's copy), each stub an
    autograded answer holding the reference solution between ### BEGIN
    SOLUTION and ### END SOLUTION, each self-check a locked test cell worth
    one point (a loop of checks: one test cell per round, :func:`graded`);
    the solution cells removed (nbgrader strips the answers itself)."""
    original = notebook
    notebook = with_filled_stubs(
        student_edition(notebook, numbers or book_numbers(), chapter),
        original,
    )
    values = chapter_constants(original)
    cells = []
    for cell in plain_exercise_titles(notebook["cells"], chapter):
        # ex-05-2-x1 -> ex-05-2
        grade_id = cell.get("id", "").rsplit("-", 1)[0]
        if has_tag(cell, "exercise-stub"):
            cell["metadata"]["nbgrader"] = {
                "grade": False,
                "solution": True,
                "locked": False,
                "grade_id": f"{grade_id}-answer",
                "schema_version": 3,
            }
        elif has_tag(cell, "self-check"):
            tests = graded(source(cell), values)
            for k, text in enumerate(tests, start=1):
                test = copy.deepcopy(cell)
                suffix = f"-{k}" if len(tests) > 1 else ""
                test["id"] = cell["id"] + suffix
                set_source(test, text)
                test["metadata"]["nbgrader"] = {
                    "grade": True,
                    "solution": False,
                    "locked": True,
                    "points": 1,
                    "grade_id": f"{grade_id}-check{suffix}",
                    "schema_version": 3,
                }
                cells.append(test)
            continue
        cells.append(cell)
    notebook["cells"] = cells
    return notebook


def plain_exercise_titles(cells, chapter=None):
    """The cells with each {exercise-start} cell a plain Markdown heading,
    "Exercise 5.2 (Your own M-step)" as the book titles it (numbered in
    order; the title in brackets when it has one),
    and each {exercise-end} cell left out: nbgrader's feedback (nbconvert)
    and a JupyterLab without jupyterlab-myst would show their fences raw."""
    kept, k = [], 0
    for cell in cells:
        if is_marker(cell, "exercise-end"):
            continue
        found = EXERCISE_TITLE.search(source(cell))
        if is_marker(cell, "exercise-start") and found:
            k += 1
            number = f"{chapter}.{k}" if chapter else f"{k}"
            cell = dict(cell, source=[])
            title = found.group(1).strip()
            set_source(
                cell,
                f"### Exercise {number}" + (f" ({title})" if title else ""),
            )
        kept.append(cell)
    return kept


EXERCISE_TITLE = re.compile(r"\{exercise-start\}[ \t]*(.*)")


def chapter_constants(notebook):
    """The chapter's top-level constants that are literals, by name:
    {"TYPES": ("full", "tied", "diag", "spherical")}."""
    found = {}
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        try:
            body = ast.parse(source(cell)).body
        except SyntaxError:  # a cell magic
            continue
        for node in body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                try:
                    value = ast.literal_eval(node.value)
                except ValueError:
                    continue
                if isinstance(node.targets[0], ast.Name):
                    found[node.targets[0].id] = value
    return found


def asserted(call_source):
    """A self-check's call as an assertion that carries the check's message,
    so that ``nbgrader validate`` and the feedback say what is wrong, not a
    bare AssertionError."""
    return (
        f"answer_check = {call_source}\n"
        "assert answer_check, answer_check.message"
    )


def graded(text, values):
    """The sources of the test cells for one self-check cell.

    A cell ending in a check (``check_m_step_1d(my_m_step)``) gives one test,
    the check asserted. A loop of checks over a constant of the chapter
    (``for covariance_type in TYPES: check_m_step(...)``) gives one test per
    value, each with the loop's variable set, so that each round earns its
    own point and a failing round does not stop the next; the statements
    before the loop (imports) go into the first.
    """
    tree = ast.parse(text)
    lines = text.rstrip().splitlines()
    last = tree.body[-1]
    if isinstance(last, ast.For) and isinstance(last.target, ast.Name):
        rounds = values.get(ast.unparse(last.iter))
        call = last.body[-1]
        if rounds is None or not is_check(call):
            raise ValueError(f"cannot grade this loop of checks:\n{text}")
        setup = "\n".join(lines[: last.lineno - 1]).rstrip()
        segment = ast.get_source_segment(text, call, padded=True)
        body = textwrap.dedent(segment)
        tests = []
        for value in rounds:
            literal = json.dumps(value) if isinstance(value, str) else value
            test = f"{last.target.id} = {literal}\n" + asserted(body)
            test = test.replace(
                "answer_check.message", f'"{value}: " + answer_check.message'
            )
            tests.append(test if tests or not setup else f"{setup}\n\n{test}")
        return tests
    if not is_check(last):
        raise ValueError(f"a self-check cell must end in a check:\n{text}")
    before = "\n".join(lines[: last.lineno - 1])
    call = "\n".join(lines[last.lineno - 1 : last.end_lineno])
    return [(before + "\n" if before else "") + asserted(call)]


def is_check(node):
    """True for a statement that only calls a ``check_`` function."""
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func).startswith("check_")
    )


LAB_HINT = (
    "*The solution below is collapsed: try the exercise first. "
    'Click "Show this part of the solution" to read it, '
    "and a &#9679;&#9679;&#9679; bar to see its code; "
    "a code cell keeps its output to itself "
    "until you delete its `%%capture` line and run it again.*"
)
CAPTURE = (
    "%%capture solution_output\n"
    "# delete the line above and run this cell again "
    "to see the solution's output\n"
)


def lab_copy(notebook, numbers=None, chapter=None):
    """The learner's copy for JupyterLab, where Run All must not open a
    solution.

    JupyterLab shows a collapsed markdown cell again when it runs, and a
    collapsed cell's new output: so each solution's text goes inside a closed
    MyST dropdown, and each solution code cell (still collapsed) captures its
    output. The kernel is named as JupyterLab names it, so that opening a
    chapter does not mark it modified; outputs are cleared. References carry
    the book's numbers and included code is written out; with ``chapter``,
    equations and exercises are numbered as in the book
    (:func:`shown_in_jupyterlab`).
    """
    notebook = shown_in_jupyterlab(
        cleared(notebook), numbers or book_numbers(), chapter
    )
    notebook["metadata"]["kernelspec"] = dict(KERNELSPEC)
    cells = notebook["cells"]
    for start, end in solution_spans(cells):
        for cell in cells[start + 1 : end]:
            if has_tag(cell, "remove-cell"):
                set_source(cell, LAB_HINT)
            elif cell["cell_type"] == "markdown":
                set_source(
                    cell,
                    "::::{dropdown} Show this part of the solution\n"
                    f"{source(cell)}\n::::",
                )
                cell["metadata"].pop("jupyter", None)
            else:
                set_source(cell, CAPTURE + source(cell))
    return notebook


# ---------------------------------------- book/ opened directly in JupyterLab
# JupyterLab started from the repository (not through make lab) can reach the
# chapters' source in book/. .jupyter/jupyter_server_config.py then serves
# what follows instead of the stored text, and never saves over a chapter.

READ_ONLY_BANNER = (
    ":::{important} Read only, without the solutions\n"
    "This is a chapter of `book/`, the book's source, which holds every "
    "solution in the open. JupyterLab shows it here without its solutions "
    "and never saves over it. To work through the chapter, with the "
    "solutions collapsed and your answers kept, run `make lab` at the "
    "repository's root: it opens your own copy in `lab/`.\n:::"
)


def read_only_copy(path, numbers=None):
    """What JupyterLab shows for a chapter opened in book/ as a notebook: the
    student edition (no solution; references, numbers and listings as in the
    learner's copy) under a banner that sends the reader to ``make lab``."""
    chapter = chapter_number(path) if in_toc(path) else None
    notebook = student_edition(read(path), numbers or book_numbers(), chapter)
    notebook["metadata"]["kernelspec"] = dict(KERNELSPEC)
    first = next(c for c in notebook["cells"] if c["cell_type"] == "markdown")
    text = source(first)
    end = TITLE.search(text).end()  # the banner goes under the title
    set_source(first, f"{text[:end]}\n\n{READ_ONLY_BANNER}\n{text[end:]}")
    return notebook


def source_note(path):
    """What JupyterLab's text editor shows for a chapter in book/: not its
    source (solutions in the open) but how to open it."""
    name = Path(path).name
    return (
        f"# {name}: the book's source\n\n"
        f"`book/{name}` is the source of a chapter of the book, with every "
        "solution in the open, so JupyterLab does not show it as text.\n\n"
        "- To read it here, without the solutions: right-click it in the "
        "file browser, then Open With > Jupytext Notebook (read only).\n"
        "- To work through it, with the solutions collapsed and your answers "
        "kept: run `make lab` at the repository's root; it opens your own "
        "copy in `lab/`.\n"
    )


def in_toc(path):
    """True if the page is in a numbered part of _toc.yml."""
    return Path(path).stem in {page.stem for page in _numbered_pages()}


def make_lab(reset=None):
    """Copy the chapters missing from lab/ (never overwrite one); ``reset``
    renews one chapter, keeping the learner's version beside it as
    <chapter>.<time>.ipynb."""
    LAB.mkdir(exist_ok=True)
    numbers = book_numbers()
    for path in chapters():
        target = LAB / notebook_name(path)
        if reset and path.stem == Path(reset).stem and target.exists():
            kept = target.with_name(
                f"{path.stem}.{time.strftime('%Y%m%d-%H%M%S')}.ipynb"
            )
            target.rename(kept)
            print(f"lab/{target.name} kept as lab/{kept.name}")
        if not target.exists():
            learners = lab_copy(read(path), numbers, chapter_number(path))
            write(learners, target)
            print(f"lab/{target.name} created from book/{path.name}")


def make_student(folder=STUDENT):
    folder.mkdir(parents=True, exist_ok=True)
    numbers = book_numbers()
    for path in chapters():
        edition = student_edition(read(path), numbers, chapter_number(path))
        write(edition, folder / notebook_name(path))
    print(f"student edition: {len(chapters())} chapters in {folder}")


def make_nbgrader(folder=NBGRADER):
    numbers = book_numbers()
    for path in chapters():
        write(
            nbgrader_source(read(path), numbers, chapter_number(path)),
            folder / path.stem / notebook_name(path),
        )
    print(f"nbgrader source: one assignment per chapter in {folder}")


def main(argv=None):
    # the docstring's first sentence, on one line
    summary = " ".join(__doc__.split("\n\n")[0].split())
    parser = argparse.ArgumentParser(description=summary)
    commands = parser.add_subparsers(dest="command", required=True)
    lab = commands.add_parser(
        "lab", help="copy the chapters into lab/ (never overwriting)"
    )
    lab.add_argument(
        "--reset",
        metavar="CHAPTER",
        help="renew this chapter, keeping the old copy",
    )
    commands.add_parser(
        "student", help="write the student edition into _build/student/"
    )
    commands.add_parser(
        "nbgrader",
        help="write nbgrader source notebooks into _build/nbgrader/source/",
    )
    args = parser.parse_args(argv)
    {
        "lab": lambda: make_lab(args.reset),
        "student": make_student,
        "nbgrader": make_nbgrader,
    }[args.command]()


if __name__ == "__main__":
    sys.exit(main())
