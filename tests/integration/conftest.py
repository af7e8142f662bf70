"""The `cluster` fixture: S3 (moto), two gunicorn processes and two workers on the test's PostgreSQL and Redis
(tests/integration/cluster.py); `issuing`: an achievement of a programme and an issuer's API key for it."""

from types import SimpleNamespace

import pytest

from tests.integration import cluster as cluster_module


@pytest.fixture
def cluster(postgres, redis_url, tmp_path):
    running = cluster_module.start(database_name=postgres.settings_dict["NAME"], redis_url=redis_url, tmp=tmp_path)
    try:
        yield running
    finally:
        cluster_module.shutdown(running, redis_url)


@pytest.fixture
def issuing(issuer, competency):
    from api.services import api_key_create
    from programmes.models import Programme
    from tests.credentials.conftest import make_achievement

    programme = Programme.objects.create(slug="prog-a", name="Programme A")
    # a certificate (a tier's achievement): issuing it stores baked images and a PDF (a badge has no PDF)
    tier = competency.framework.certificatetier_set.order_by("order").first()
    achievement = make_achievement(issuer, None, tier=tier, programme=programme)
    _key, token = api_key_create(programme=programme, role="manager", name="integration key")
    return SimpleNamespace(achievement=achievement, headers={"Authorization": f"Bearer {token}"})
