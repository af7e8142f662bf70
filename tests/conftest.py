"""Fixtures and markers for every test. `make test` runs tests/run.sh, in three passes:

  1. fast      everything not marked `tools` or `integration`, on SQLite, in parallel (pytest-xdist, -n auto);
  2. tools     `tools`: tests that start the DCC verifier (node), the Open Badges 2.0 validator or chromium, or
               `make run`'s processes (tests/test_make_run.py);
  3. integration  `integration`: PostgreSQL, Redis and real Celery worker processes, one test at a time.

Markers
  @pytest.mark.tools        the test runs an external verifier or a browser: tests/support/dcc.py, ob2.py and the
                            `browser` fixture fail a test that does so without it (tests/support/passes.py).
                            Browser tests carry both `browser` and `tools`.
  @pytest.mark.integration  needs PostgreSQL/Redis/workers; use `transaction=True` so workers see the rows.

Fixtures (besides pytest-django's)
  default_framework   the default framework (frameworks/defaults), published: a Framework. Built once per test
                      session and copied into each test's database by bulk inserts (tests/support/snapshot.py),
                      ~10 ms instead of ~0.5 s; a test may change it freely (rolled back or flushed after it).
  issuer, competency, achievement   a test centre, the default framework's competency category, a badge of it.
  staff_client        a Client logged in as a superuser (`staff_client.user`).
  redis_url, postgres for integration tests.
  MEDIA_ROOT is a fresh tmp_path for every test (autouse `_media`).

Parallel-safe tests (pass 1 runs in several processes): write files under tmp_path or MEDIA_ROOT, never to a
fixed path; listen on port 0; name anything shared (a Redis queue, a screenshot) uniquely. Each xdist worker
has its own in-memory SQLite database and its own locmem cache.
"""

import os

import pytest
from django.db import connection

from tests.support.passes import record_tools_marked
from tests.support.snapshot import RowSnapshot

IN_CI = os.environ.get("CI") == "true"


def pytest_collection_modifyitems(config, items):
    """Integration tests need PostgreSQL and Redis (tests/run.sh pass 3). Elsewhere they skip with the
    reason; under CI=true they never skip: a missing service fails them."""
    record_tools_marked(items)
    for item in items:
        if "integration" not in item.keywords:
            continue
        if not os.environ.get("TEST_REDIS_URL") or not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            reason = "integration test: run by `make test` (pass 2) with PostgreSQL (DATABASE_URL) and TEST_REDIS_URL"
            if not IN_CI:  # under CI the test runs, and fails on the missing service
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """LocaleMiddleware activates the visitor's language for the thread and never deactivates it: without this,
    the next test in this worker would run in the language of the last page a test asked for in French."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits, locks and cached pages live in the cache: every test starts with an empty one."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["pages"].clear()
    yield
    caches["default"].clear()
    caches["pages"].clear()


@pytest.fixture(scope="session")
def _default_framework_snapshot(django_db_setup, django_db_blocker):
    """framework_load_defaults() once per session (and per xdist worker), in a transaction rolled back."""
    from frameworks.services import framework_load_defaults

    with django_db_blocker.unblock():
        return RowSnapshot.capture(framework_load_defaults)


@pytest.fixture
def default_framework(db, _default_framework_snapshot):
    """The published default framework, as framework_load_defaults() leaves it (audit entries included)."""
    from frameworks.models import Framework
    from frameworks.services import framework_load_defaults

    if Framework.objects.exists():  # framework_load_defaults() would keep the existing one: so do we
        return framework_load_defaults()[0]
    return _default_framework_snapshot.replay()


@pytest.fixture
def staff_client(django_user_model):
    from django.test import Client

    client = Client()
    user = django_user_model.objects.create_user(
        "staffer", "staffer@example.org", "pw", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    client.user = user
    return client


def make_staff(django_user_model, username: str, *permissions: str, **fields):
    """A staff account holding exactly these permissions ("app_label.codename"), none by default."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw", is_staff=True, **fields)
    for name in permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


def logged_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def staff_without_permission_client(django_user_model):
    """A member of staff (may open the console) holding no permission at all."""
    return logged_in(make_staff(django_user_model, "no-rights"))


@pytest.fixture
def staff_with(django_user_model):
    """staff_with("credentials.add_award", …): a client of a staff account holding exactly these permissions."""
    made = []

    def make(*permissions: str):
        made.append(None)
        return logged_in(make_staff(django_user_model, f"staff-{len(made)}", *permissions))

    return make


@pytest.fixture
def redis_url():
    return os.environ["TEST_REDIS_URL"]


@pytest.fixture
def postgres():
    assert connection.vendor == "postgresql", "integration tests run on PostgreSQL"
    return connection


@pytest.fixture
def issuer(db):
    from credentials.services import issuer_create

    return issuer_create(
        slug="test-centre",
        name="Test Centre",
        url="https://centre.example.org",
        email="badges@centre.example.org",
        description="A training centre.",
    )


@pytest.fixture
def competency(default_framework):
    return default_framework.badgecategory_set.get(code="competency")


@pytest.fixture
def achievement(issuer, competency):
    """A competency badge (tests/wallets overrides it with a level-2 one)."""
    from tests.credentials.conftest import make_achievement

    return make_achievement(issuer, competency)
