"""The page cache across processes (credentials/verification/page_cache.py; PostgreSQL, Redis): two gunicorn
servers share one database and one Redis; a third process revokes the credential with the management command;
the very next request to either server says revoked (the first renders the page again, the second serves that
rendering from the shared cache)."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from credentials.services import Recipient, award_issue
from tests.support.processes import free_port

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
HEADERS = {"User-Agent": "Mozilla/5.0 Firefox/120.0", "Accept": "text/html", "Accept-Language": "en"}


def get(port: int, path: str) -> tuple[str, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=HEADERS)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our own local server)
        return response.read().decode(), response.headers.get("X-Page-Cache", "")


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stdout.read()
        try:
            get(port, "/healthz")
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the server did not start")


@pytest.mark.django_db(transaction=True)
def test_revocation_shows_at_once_on_both_processes(postgres, redis_url, achievement, settings):
    award = award_issue(achievement=achievement, recipient=Recipient(email="amina@example.org", name="Amina Okonkwo"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{postgres.settings_dict['NAME']}",
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": settings.MEDIA_ROOT,
    }
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-w", "1", "-b", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )  # fmt: skip
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_until_up(port, server)
        url = award.get_absolute_url()
        for port in ports:
            get(port, url)
            page, state = get(port, url)
            assert state == "hit" and "Verified" in page
        subprocess.run(
            [sys.executable, "manage.py", "revoke_credential", award.public_id, "--reason", "Issued in error"],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
        states = []
        for port in ports:
            page, state = get(port, url)
            assert "Revoked" in page and "Issued in error" in page and "Verified" not in page
            states.append(state)
        # The first server rendered the page again; the second serves that one from the shared cache.
        assert states == ["miss", "hit"]
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.communicate(timeout=30)
