"""Lint and format the code cells of the book's MyST Markdown notebooks with
ruff, under the package's rules (pyproject.toml).

ruff reads ``.ipynb`` notebooks but not code cells inside Markdown, so:

    python tools/chapter_code.py check
        writes each notebook of book/ as an .ipynb into _build/chapter_code/
        and runs ``ruff check`` and ``ruff format --check`` on them; a finding
        names the notebook and the cell (``05_em_1d.ipynb:cell 12``)
    python tools/chapter_code.py format
        sorts the imports and formats the code cells of every notebook of book/
        in place, through jupytext (``--pipe``), leaving the text untouched

``make lint`` (and so ``make check``) runs the first.
"""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import editions

COPIES = editions.REPO / "_build" / "chapter_code"
BIN = Path(sys.executable).parent  # ruff and jupytext live beside Python


def check():
    """ruff check and ruff format --check on notebook copies; the exit code
    is non-zero when either finds something."""
    shutil.rmtree(COPIES, ignore_errors=True)
    for path in editions.notebooks():
        editions.write(
            editions.read(path), COPIES / editions.notebook_name(path)
        )
    ruff = str(BIN / "ruff")
    status = 0
    for command in ([ruff, "check"], [ruff, "format", "--check"]):
        status |= subprocess.run([*command, str(COPIES)]).returncode
    if status:
        print(
            "The chapters' code is in book/*.md; the copies named above are "
            "numbered cell by cell. `make format-chapters` formats it."
        )
    return status


def format_in_place():
    """Imports sorted, then ruff format, on every code cell of every notebook,
    written back."""
    ruff = BIN / "ruff"
    sort_imports = f"{ruff} check --select I --fix-only --quiet -"
    paths = [str(path) for path in editions.notebooks()]
    command = [str(BIN / "jupytext"), "--quiet"]
    command += ["--pipe", sort_imports, "--pipe", f"{ruff} format -", *paths]
    return subprocess.run(command).returncode


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["check", "format"])
    args = parser.parse_args(argv)
    return {"check": check, "format": format_in_place}[args.command]()


if __name__ == "__main__":
    sys.exit(main())
