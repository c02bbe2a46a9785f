"""Boot tests of the oros USB image (``make image-test``): one database, a server URL
the guest can reach.

They run only when ``OROS_IMAGE`` names a built image (``make image-test`` builds it
and sets it); plain ``make test`` reports them as skipped. They run once, on SQLite:
what they test is the image, not the database.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from openrig.settings import Settings, load_settings
from tests.image.qemu import SERVER_URL
from tests.support.db import migrated_sqlite


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return migrated_sqlite(tmp_path_factory.mktemp("sqlite"))


@pytest.fixture
def settings(database_url: str, data_dir: Path) -> Settings:
    # rig.conf and enroll.conf downloaded from the API name the address the guest sees
    return load_settings(
        {},
        data_dir=str(data_dir),
        database_url=database_url,
        public_url=SERVER_URL,
        worker_in_serve="false",
    )
