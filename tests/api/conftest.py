"""Two programmes, A and B, each with a published achievement, and an API client per kind of caller:
a viewer, issuer and manager key of A, a manager key of B, a revoked key, no key and a bad key."""

from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from tests.credentials.conftest import make_achievement


def client_with(token: str | None) -> APIClient:
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def world(issuer, competency, settings):
    from api.services import api_key_create, api_key_revoke
    from programmes.models import Programme

    settings.API_RATE = "10000/min"
    a = Programme.objects.create(slug="prog-a", name="Programme A")
    b = Programme.objects.create(slug="prog-b", name="Programme B")
    achievement_a = make_achievement(issuer, competency, programme=a)
    achievement_b = make_achievement(issuer, competency, programme=b, slug="mediation", name="Mediation")
    tokens = {}
    keys = {}
    for name, programme, role in [
        ("viewer", a, "viewer"),
        ("issuer", a, "issuer"),
        ("manager", a, "manager"),
        ("other", b, "manager"),
        ("revoked", a, "manager"),
    ]:
        keys[name], tokens[name] = api_key_create(programme=programme, role=role, name=f"{name} key")
    api_key_revoke(api_key=keys["revoked"])
    tokens["none"] = None
    tokens["bad"] = "laurel_deadbeef_not-a-real-key"
    return SimpleNamespace(
        a=a,
        b=b,
        achievement_a=achievement_a,
        achievement_b=achievement_b,
        keys=keys,
        tokens=tokens,
        clients={name: client_with(token) for name, token in tokens.items()},
    )


def issue_body(slug="negotiation", email="amina@example.org", **extra):
    return {"achievement": slug, "recipient": {"email": email, "name": "Amina Okonkwo"}, **extra}


def issue(achievement, email: str, name: str, **fields):
    """An award issued by the system (actor=None), as the services take it."""
    from credentials.services import Recipient, award_issue

    return award_issue(achievement=achievement, recipient=Recipient(email=email, name=name, **fields))
