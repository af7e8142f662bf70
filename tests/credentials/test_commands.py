import json

import pytest
from django.core.management import CommandError, call_command

from credentials.models import Award

pytestmark = pytest.mark.django_db


def test_list_achievements_json(achievement, capsys):
    call_command("list_achievements", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {
            "slug": "negotiation",
            "name": "Negotiation Skills",
            "tier": None,
            "category": "competency",
            "mode": "badge",
            "eqf_level": None,
            "companions": [],
            "issuer": "test-centre",
            "active": True,
        }
    ]


def test_issue_credential_json(achievement, capsys, settings, client):
    call_command(
        "issue_credential",
        "--achievement",
        "negotiation",
        "--email",
        "Lea@Example.org",
        "--name",
        "Léa Martin",
        "--json",
    )
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "id",
        "verify_url",
        "ob2_assertion_url",
        "ob3_credential_url",
        "baked_png_url",
        "pdf_url",
        "claim_url",
    }
    assert data["pdf_url"] is None  # a badge (publishing mode): no certificate
    for key, url in data.items():
        if key not in ("id", "pdf_url"):
            assert url.startswith(settings.BASE_URL + "/"), url
            assert client.get(url.removeprefix(settings.BASE_URL)).status_code == 200, key
    assert Award.objects.get(public_id=data["id"]).recipient_name == "Léa Martin"


def test_issue_credential_errors(achievement):
    with pytest.raises(CommandError, match="No achievement"):
        call_command("issue_credential", "--achievement", "nope", "--email", "a@b.org", "--name", "A")
    with pytest.raises(CommandError, match="recipient_email"):
        call_command("issue_credential", "--achievement", "negotiation", "--email", "bad", "--name", "A")


def test_revoke_credential(award, capsys):
    call_command("revoke_credential", award.public_id, "--reason", "Duplicate")
    award.refresh_from_db()
    assert award.state == "revoked" and award.revocation_reason == "Duplicate"
    with pytest.raises(CommandError, match="already revoked"):
        call_command("revoke_credential", award.public_id, "--reason", "Again")
    with pytest.raises(CommandError, match="No credential"):
        call_command("revoke_credential", "nope", "--reason", "x")
