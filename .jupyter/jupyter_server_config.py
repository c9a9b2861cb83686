"""JupyterLab and Jupyter Server on this repository, however they are started.

Jupyter reads its configuration from the environment, never from the current
directory: `make lab` links this file into .venv/etc/jupyter/, so that
`.venv/bin/jupyter lab`, started anywhere, reads it.

1. The chapters' source in book/ (MyST text with every solution in the open)
   is never shown or saved as it is stored. Opened as a notebook (Open With >
   Jupytext Notebook), a chapter is the student edition, read only, under a
   banner that points to `make lab` (editions.read_only_copy); opened as text,
   it is a note that says so (editions.source_note). A save into a chapter,
   JupyterLab's autosave included, is refused with the same advice.
2. JupyterLab's defaults are those of .jupyter/app-settings/overrides.json5
   (every cell rendered, so that Run All fills in every {eval} number).
"""

import functools
import importlib.util
from pathlib import Path

from jupyter_server.services.contents.largefilemanager import (
    AsyncLargeFileManager,
)
from jupytext.async_contentsmanager import (
    build_async_jupytext_contents_manager_class,
)
from tornado.web import HTTPError

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "gmm_teach_editions", REPO / "tools" / "editions.py"
)
editions = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(editions)


class BookSourceContentsManager(
    build_async_jupytext_contents_manager_class(AsyncLargeFileManager)
):
    """Jupytext's contents manager, except for the chapters in book/: served
    as the student edition (a notebook) or a note (text), read only."""

    def chapter(self, path):
        """The chapter book/NN_*.md at this API path, or None."""
        found = Path(self._get_os_path(path.strip("/"))).resolve()
        return found if found in editions.chapters() else None

    async def get(self, path, content=True, type=None, format=None, **kw):
        chapter = self.chapter(path)
        if chapter is None:
            return await super().get(path, content, type, format, **kw)
        # the stored file's time stamps and hash (if asked), never its text
        model = await super().get(path, content=False, type="file", **kw)
        model["writable"] = False
        if type == "notebook":
            model.update(type="notebook", format="json", mimetype=None)
            if content:
                model["content"] = editions.read_only_copy(
                    chapter, book_numbers()
                )
        else:
            model.update(format="text", mimetype="text/markdown")
            if content:
                model["content"] = editions.source_note(chapter)
        if not content:
            model["format"] = None
        return model

    async def save(self, model, path=""):
        chapter = self.chapter(path)
        if chapter is not None:
            raise HTTPError(
                403,
                f"book/{chapter.name} is the book's source: JupyterLab saves "
                "nothing into it. To work through the chapter and keep your "
                "answers, run `make lab` at the repository's root (your own "
                "copy, in lab/), or use File > Save As.",
            )
        return await super().save(model, path)


def book_numbers():
    """editions.book_numbers(), read again only when a chapter changed."""
    stamps = tuple((p, p.stat().st_mtime_ns) for p in editions.chapters())
    return _book_numbers(stamps)


@functools.lru_cache(maxsize=1)
def _book_numbers(stamps):
    return editions.book_numbers([path for path, _ in stamps])


c = get_config()  # noqa: F821 (Jupyter's configuration loader defines it)
c.ServerApp.contents_manager_class = BookSourceContentsManager
c.LabApp.app_settings_dir = str(REPO / ".jupyter" / "app-settings")
