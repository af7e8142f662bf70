import pytest
from django.db.backends.utils import CursorWrapper


@pytest.mark.django_db
def test_healthz_ok_embedded(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["ok"] is True
    assert data["broker"] == {"ok": True, "kind": "in-process"}


@pytest.mark.django_db
def test_healthz_503_when_database_fails(client, monkeypatch):
    def broken(self, *args, **kwargs):
        raise RuntimeError("database is gone")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "vendor": "sqlite", "error": "database is gone"}


@pytest.mark.django_db
def test_healthz_503_when_broker_unreachable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "unavailable" and data["broker"]["ok"] is False and data["broker"]["kind"] == "redis"
