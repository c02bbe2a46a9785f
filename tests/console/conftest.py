"""Console tests run on SQLite only.

They test the browser side (pages, security headers, rendering); every API they call is
covered on both databases by the API tests, and a browser run per database would double
the slowest part of the suite for no new coverage. This ``database_url`` overrides the
parametrised one of tests/conftest.py for this package.
"""

from __future__ import annotations

import pytest

from tests.console.browser import browser
from tests.support.db import migrated_sqlite

__all__ = ["browser", "database_url"]  # browser: one chromium per session, for all modules


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return migrated_sqlite(tmp_path_factory.mktemp("console-sqlite"))
