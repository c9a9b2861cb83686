"""The chapters as tests: each MyST Markdown notebook of book/ under nbval.

nbval collects ``.ipynb`` files only, and the chapters are stored as text. So
when pytest is run with ``--nbval-lax`` on book/ (as ``make test`` and
``make chapters`` do), each chapter is written as a notebook into
``_build/nbval/`` (by ``tools/editions.py``, which gives its cells stable
ids) and nbval runs that notebook, cell by cell (its kernel starts in that
folder; no chapter reads a file by a relative path).
The check cells of a chapter (``np.testing``) are what make it a test.
"""

import os
import sys
from pathlib import Path

from nbval.plugin import IPyNbFile

BOOK = Path(__file__).resolve().parent
GENERATED = BOOK.parent / "_build" / "nbval"
sys.path.insert(0, str(BOOK.parent / "tools"))
import editions  # noqa: E402  (tools/ is not a package)


def pytest_collect_file(file_path, parent):
    options = parent.config.option
    if not (options.nbval or options.nbval_lax):
        return None
    if file_path.suffix != ".md" or file_path not in editions.notebooks():
        return None
    notebook = GENERATED / file_path.with_suffix(".ipynb").name
    # written whole, then renamed: two pytest-xdist workers write the same
    # bytes (the ids are stable), and neither reads a half-written file
    partial = notebook.with_suffix(f".{os.getpid()}.partial")
    editions.write(editions.read(file_path), partial)
    partial.replace(notebook)
    return IPyNbFile.from_parent(parent, path=notebook)
