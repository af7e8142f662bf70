"""Fixtures for the standards library tests (no database)."""

from __future__ import annotations

import pytest

from tests.openbadges.helpers import IssuerKey, StaticServer, new_issuer_key
from tests.support.dcc import dcc_or_skip


@pytest.fixture
def issuer_key() -> IssuerKey:
    return new_issuer_key()


@pytest.fixture(scope="session")
def dcc():
    """The DCC harness, installed; skips without node/npm unless CI=true."""
    dcc_or_skip()
    return True


@pytest.fixture
def status_server():
    """A local http server (127.0.0.1, random port) serving JSON documents put into it."""
    server = StaticServer()
    yield server
    server.close()
