"""A learner who starts JupyterLab in the repository, not through `make lab`, and opens a chapter
of book/ sees no solution, no raw reference and no missing listing, and saves nothing into it.

Jupyter reads no configuration from the folder it starts in; `make lab` links
.jupyter/jupyter_server_config.py into the environment (.venv/etc/jupyter/). Here the Makefile's
own rule makes that link in a temporary environment folder, and `.venv/bin/jupyter lab` starts
with that folder on its configuration path, once at the repository's root and once in book/. The
chapters are then fetched and saved through JupyterLab's contents API, as JupyterLab itself does.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from conftest import editions

REPO = Path(__file__).resolve().parent.parent
JUPYTER = Path(sys.executable).parent / "jupyter"
CHAPTERS = editions.chapters()
NUMBERS = editions.book_numbers()
# MyST that only the book's build resolves: a reference role or an include
UNRESOLVED = re.compile(
    r"\{(eq|prf:ref|py:\w+|ref|doc|cite(:\w+)?|numref)\}`|\{literalinclude\}"
)

if shutil.which("make") is None:
    pytest.skip(
        "make is needed to install the configuration", allow_module_level=True
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def install_config(prefix):
    """The Makefile's rule for JUPYTER_CONFIG, run for an environment at ``prefix``; the folder
    Jupyter reads (prefix/etc/jupyter)."""
    subprocess.run(
        ["make", "-s", "-o", f"{prefix}/.installed", f"VENV={prefix}"]
        + [f"{prefix}/etc/jupyter/jupyter_server_config.py"],
        cwd=REPO,
        check=True,
    )
    return prefix / "etc" / "jupyter"


class Server:
    """A token-less `jupyter lab` started in ``cwd`` with ``config`` on its configuration path;
    requests as JupyterLab makes them (with the _xsrf cookie it sets)."""

    def __init__(self, cwd, config, home, arguments=()):
        port = free_port()
        command = [str(JUPYTER), "lab", "--no-browser", f"--port={port}"]
        command += ["--ServerApp.ip=127.0.0.1", "--IdentityProvider.token="]
        command += list(arguments)
        if os.geteuid() == 0:
            command.append("--allow-root")
        env = dict(
            os.environ,
            JUPYTER_CONFIG_PATH=str(config),
            JUPYTER_CONFIG_DIR=str(home / "config"),
            JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
            JUPYTER_RUNTIME_DIR=str(home / "runtime"),
            OPENBLAS_NUM_THREADS="1",
        )
        self.log_path = home / f"server-{port}.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )
        for _ in range(300):
            try:
                self.opener.open(self.base + "/lab", timeout=5)
                break
            except OSError:
                assert self.process.poll() is None, self.log_path.read_text()
                time.sleep(0.2)
        self.xsrf = next(c.value for c in self.cookies if c.name == "_xsrf")

    def request(self, method, path, body=None):
        """(HTTP status, the JSON reply) of a request to the server's API."""
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"X-XSRFToken": self.xsrf},
        )
        try:
            with self.opener.open(request, timeout=120) as reply:
                return reply.status, json.loads(reply.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    return install_config(tmp_path_factory.mktemp("venv"))


@pytest.fixture(scope="module", params=["root", "book"])
def server(request, config, tmp_path_factory):
    """(the server, the API path of book/ from its root): started at the repository's root, and in
    book/."""
    cwd = REPO if request.param == "root" else REPO / "book"
    started = Server(cwd, config, tmp_path_factory.mktemp("home"))
    yield started, ("book/" if request.param == "root" else "")
    started.stop()


def text_of(notebook):
    return "\n".join(editions.source(c) for c in notebook["cells"])


def lines_of(text):
    return {line.strip() for line in text.splitlines() if line.strip()}


def solution_lines(path):
    """The lines of the chapter's solutions that the rest of the chapter, listings written out,
    does not also have."""
    cells = editions.read(path)["cells"]
    inside = [
        c
        for start, end in editions.solution_spans(cells)
        for c in cells[start : end + 1]
    ]
    rest = {"cells": [c for c in cells if c not in inside]}
    written_out = editions.shown_in_jupyterlab(rest, NUMBERS)
    own = lines_of(text_of({"cells": inside})) - lines_of(text_of(written_out))
    assert own, f"{path.name} has no solution of its own"
    return own


def listings(path):
    """The listings that the chapter includes outside its solutions, written out."""
    kept = text_of(editions.student_edition(editions.read(path)))
    return [
        editions.listing(*match.groups())
        for match in editions.LITERALINCLUDE.finditer(kept)
    ]


def test_the_configuration_is_linked_into_the_environment(config):
    link = config / "jupyter_server_config.py"
    assert link.is_symlink()
    assert link.resolve() == REPO / ".jupyter" / "jupyter_server_config.py"


def test_a_chapter_opened_as_a_notebook_is_the_read_only_student_edition(
    server,
):
    """Open With > Jupytext Notebook: every chapter comes without a line of its solutions, with no
    reference left raw, with every listing written out, read only, under the banner."""
    server, book = server
    # from book/, one chapter is enough: the server is the same
    for path in CHAPTERS if book else CHAPTERS[4:5]:
        status, model = server.request(
            "GET", f"/api/contents/{book}{path.name}?type=notebook&hash=1"
        )
        assert status == 200, model
        assert model["type"] == "notebook" and model["writable"] is False
        assert model["hash"] and model["hash_algorithm"]
        text = text_of(model["content"])
        left = solution_lines(path) & lines_of(text)
        assert not left, (
            f"{path.name}: solution lines shown: {sorted(left)[:3]}"
        )
        found = UNRESOLVED.search(text)
        assert found is None, f"{path.name}: {found.group(0)} left raw"
        for listing in listings(path):
            assert listing in text
        assert editions.READ_ONLY_BANNER in text
        assert "numbering:\n  enumerator:" in editions.source(
            model["content"]["cells"][0]
        )


def test_the_chapters_include_listings():
    """The listing check above is not empty: chapters 3, 4, 5 and 8 include the package's code."""
    assert sum(len(listings(path)) for path in CHAPTERS) >= 4


def test_a_chapter_opened_as_text_is_a_note_on_how_to_open_it(server):
    server, book = server
    path = CHAPTERS[4]
    # what JupyterLab's editor asks for
    query = "?type=file&format=text&hash=1"
    status, model = server.request(
        "GET", f"/api/contents/{book}{path.name}{query}"
    )
    assert status == 200, model
    assert model["type"] == "file" and model["writable"] is False
    assert model["hash"] and model["hash_algorithm"]
    assert model["content"] == editions.source_note(path)
    assert "make lab" in model["content"]
    assert not [
        line for line in solution_lines(path) if line in model["content"]
    ]


def test_saving_a_chapter_is_refused_and_leaves_it_as_stored(server):
    """What autosave and File > Save send, as a notebook and as text: 403 with the advice, and the
    chapter's bytes and time stamp unchanged."""
    server, book = server
    path = CHAPTERS[4]
    stored, stamp = path.read_bytes(), path.stat().st_mtime_ns
    _, notebook = server.request(
        "GET", f"/api/contents/{book}{path.name}?type=notebook&hash=1"
    )
    for body in (
        {"type": "notebook", "format": "json", "content": notebook["content"]},
        {"type": "file", "format": "text", "content": "overwritten"},
    ):
        status, reply = server.request(
            "PUT", f"/api/contents/{book}{path.name}", body
        )
        assert status == 403, reply
        assert "make lab" in reply["message"]
    assert path.read_bytes() == stored
    assert path.stat().st_mtime_ns == stamp


def test_the_file_browser_marks_chapters_read_only_and_nothing_else(server):
    server, book = server
    status, listing = server.request("GET", f"/api/contents/{book}")
    assert status == 200, listing
    read_only = {i["name"] for i in listing["content"] if not i["writable"]}
    assert read_only == {path.name for path in CHAPTERS}
    status, readme = server.request("GET", f"/api/contents/{book}README.md")
    assert readme["content"] == (REPO / "book" / "README.md").read_text()


def test_jupyterlab_renders_every_cell_by_default(server):
    """The defaults of .jupyter/app-settings apply without --LabApp.app_settings_dir: windowing off
    (JupyterLab's own default leaves some {eval} numbers unfilled after Run All)."""
    server, _ = server
    plugin = "@jupyterlab/notebook-extension:tracker"
    status, settings = server.request("GET", f"/lab/api/settings/{plugin}")
    assert status == 200, settings
    default = settings["schema"]["properties"]["windowingMode"]["default"]
    assert default == "none"
    shipped = json.loads(
        (
            Path(sys.prefix)
            / "share/jupyter/lab/schemas/@jupyterlab/notebook-extension/tracker.json"
        ).read_text()
    )
    assert shipped["properties"]["windowingMode"]["default"] != "none"
