"""Not a package to import: this file makes pytest import book/conftest.py as
``book.conftest``, apart from tests/conftest.py, which the tests import as
``conftest``."""
