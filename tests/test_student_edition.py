"""The student edition (make student) and the nbgrader source: no solution left, every chapter runs,
every self-check answers "Not yet" on its stub and "Correct" once the stub holds the reference answer."""

import copy
import json
import re
from pathlib import Path

import nbformat
import pytest
from conftest import editions
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent

CHAPTERS = editions.chapters()


def solution_cells(notebook):
    cells = notebook["cells"]
    return [
        c
        for start, end in editions.solution_spans(cells)
        for c in cells[start : end + 1]
    ]


def lines_of(cells):
    return {
        line.strip()
        for cell in cells
        for line in editions.source(cell).splitlines()
        if line.strip()
    }


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_student_edition_holds_no_solution(path):
    original = editions.read(path)
    student = editions.student_edition(original)
    solutions = solution_cells(original)
    assert solutions, f"{path.name} has no solutions"
    # a line of a solution that the rest of the chapter does not also have (not a bare plt.show())
    own_lines = lines_of(solutions) - lines_of(
        c for c in original["cells"] if c not in solutions
    )
    assert own_lines
    left = own_lines & lines_of(student["cells"])
    assert not left, (
        f"solution lines left in the student edition of {path.name}: {sorted(left)[:3]}"
    )
    text = "\n".join(editions.source(c) for c in student["cells"])
    for marker in (
        "{solution-start}",
        "{solution-end}",
        "def solution_",
        "### BEGIN SOLUTION",
    ):
        assert marker not in text
    stubs = [
        c for c in student["cells"] if editions.has_tag(c, "exercise-stub")
    ]
    checks = [c for c in student["cells"] if editions.has_tag(c, "self-check")]
    assert stubs and len(checks) == len(stubs)
    assert all(
        "raise NotImplementedError" in editions.source(c) for c in stubs
    )


def run(notebook, path):
    """Execute the notebook in a fresh kernel from the chapter's folder; errors fail the test."""
    # sources joined, as nbclient needs
    notebook = nbformat.reads(json.dumps(notebook), as_version=4)
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return notebook


def unwrapped(text):
    """The self-check messages one per line (the checks fold long lines with a four-space indent)."""
    return text.replace("\n    ", " ").strip()


def printed(cell):
    return "".join(
        output.get("text", "")
        for output in cell["outputs"]
        if output["output_type"] == "stream"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_student_edition_runs_and_every_check_answers(path):
    """One run of the student edition, each self-check followed by the same check on the stub
    filled in with the reference solution: "Not yet ... fill in" before, "Correct" after."""
    original = editions.read(path)
    student = editions.student_edition(original)
    filled = {
        c["id"]: c
        for c in editions.with_filled_stubs(student, original)["cells"]
    }
    # pairs: (the check on the stub, the check on the filled stub)
    cells, pairs = [], []
    stub = None
    for cell in student["cells"]:
        cells.append(cell)
        if editions.has_tag(cell, "exercise-stub"):
            stub = cell
        elif editions.has_tag(cell, "self-check"):
            again = dict(copy.deepcopy(cell), id=cell["id"] + "-again")
            cells += [
                dict(
                    copy.deepcopy(filled[stub["id"]]),
                    id=stub["id"] + "-filled",
                ),
                again,
            ]
            pairs.append((cell["id"], again["id"]))
    executed = run(dict(student, cells=cells), path)
    by_id = {c["id"]: c for c in executed["cells"]}
    for before, after in pairs:
        messages = unwrapped(printed(by_id[before])).splitlines()
        assert messages and all(
            m.startswith("Not yet: ") and "fill in the function above" in m
            for m in messages
        ), messages
        messages = unwrapped(printed(by_id[after])).splitlines()
        assert messages and all(m.startswith("Correct: ") for m in messages), (
            messages
        )


def test_make_lab_never_overwrites_a_learners_copy(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(editions, "LAB", tmp_path / "lab")
    editions.make_lab()
    copies = sorted((tmp_path / "lab").glob("*.ipynb"))
    assert [p.name for p in copies] == [
        editions.notebook_name(p) for p in CHAPTERS
    ]
    mine = tmp_path / "lab" / "05_em_1d.ipynb"
    notebook = editions.read(mine)
    assert (
        notebook["metadata"]["kernelspec"]["display_name"]
        == "Python 3 (ipykernel)"
    )
    notebook["cells"][0]["source"] = ["my notes\n"]
    editions.write(notebook, mine)

    editions.make_lab()  # again, as after a git pull: the learner's work stays
    assert editions.read(mine)["cells"][0]["source"] == ["my notes\n"]

    # renewed from book/, the learner's version kept beside it
    editions.make_lab(reset="05_em_1d")
    renewed = editions.lab_copy(
        editions.read(REPO / "book" / "05_em_1d.md"), chapter=5
    )
    first = editions.read(mine)["cells"][0]["source"]
    assert first == renewed["cells"][0]["source"]
    kept = [p for p in (tmp_path / "lab").glob("05_em_1d.*.ipynb")]
    assert len(kept) == 1 and editions.read(kept[0])["cells"][0]["source"] == [
        "my notes\n"
    ]


def test_the_learners_copy_keeps_solutions_closed():
    lab = editions.lab_copy(editions.read(REPO / "book" / "05_em_1d.md"))
    cells = lab["cells"]
    for start, end in editions.solution_spans(cells):
        for cell in cells[start + 1 : end]:
            text = editions.source(cell)
            if cell["cell_type"] == "code":
                assert (
                    text.startswith("%%capture solution_output\n")
                    and cell["metadata"]["jupyter"]["source_hidden"]
                )
            elif not editions.has_tag(cell, "remove-cell"):
                assert text.startswith("::::{dropdown}") and text.endswith(
                    "::::"
                )
    assert all(c["outputs"] == [] for c in cells if c["cell_type"] == "code")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_nbgrader_source_reads_as_the_learners_copy(path):
    """References and included code are written out, as in the student edition; every test cell
    asserts its check with the check's message."""
    source = editions.nbgrader_source(
        editions.read(path), chapter=editions.chapter_number(path)
    )
    text = "\n".join(editions.source(c) for c in source["cells"])
    assert "{literalinclude}" not in text
    assert not re.findall(r"\{eq\}`|\{prf:ref\}`|\{py:\w+\}`", text)
    # exercises as plain headings, numbered as in the book: nbconvert shows no fences
    assert "{exercise-" not in text
    assert f"### Exercise {editions.chapter_number(path)}.1" in text
    tests = [
        c
        for c in source["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade")
    ]
    assert tests and all(
        editions.source(c).endswith(
            "assert answer_check, answer_check.message"
        )
        or "+ answer_check.message" in editions.source(c)
        for c in tests
    )
    ids = [
        c["metadata"]["nbgrader"]["grade_id"]
        for c in source["cells"]
        if "nbgrader" in c["metadata"]
    ]
    assert len(ids) == len(set(ids))


def test_chapter_8_grades_each_covariance_type():
    source = editions.nbgrader_source(
        editions.read(editions.BOOK / "08_covariance_types.md"), chapter=8
    )
    tests = [
        c
        for c in source["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade")
    ]
    assert [c["metadata"]["nbgrader"]["grade_id"] for c in tests] == [
        f"ex-08-2-check-{k}" for k in range(1, 5)
    ]
    titles = "\n".join(editions.source(c) for c in source["cells"])
    assert "### Exercise 8.2\n" in titles + "\n"
    for cell, kind in zip(
        tests, ("full", "tied", "diag", "spherical"), strict=True
    ):
        text = editions.source(cell)
        assert f'covariance_type = "{kind}"\n' in text
        assert f'"{kind}: " + answer_check.message' in text


def test_a_failing_test_cell_says_why():
    """What `nbgrader validate` and autograde show is the check's message, not a bare
    AssertionError; with a loop, the failing round names its value and the next still runs."""
    namespace = {}
    exec("from gmm_teach.teaching.exercises import check_m_step_1d", namespace)
    exec("def my_m_step(x, resp):\n    raise NotImplementedError", namespace)
    (test,) = editions.graded("check_m_step_1d(my_m_step)", {})
    with pytest.raises(
        AssertionError, match="Not yet: my_m_step is not written yet"
    ):
        exec(test, namespace)
    loop = "for kind in KINDS:\n    check_m_step_1d(my_m_step)\n"
    tests = editions.graded(loop, {"KINDS": ("a", "b")})
    assert len(tests) == 2
    with pytest.raises(AssertionError, match="^b: Not yet: "):
        exec(tests[1], namespace)
