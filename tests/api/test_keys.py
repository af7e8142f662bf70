"""API keys: created with the secret shown once and stored hashed, revoked, refused; last use recorded."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from api.models import ApiKey
from api.services import api_key_create, api_key_revoke, api_key_touch
from audit.models import AuditEntry
from programmes.models import Programme, StaffRole

from .conftest import client_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(db):
    return Programme.objects.create(slug="prog-a", name="Programme A")


def test_the_command_prints_the_key_once_and_stores_only_its_digest(programme):
    out, err = StringIO(), StringIO()
    call_command(
        "api_key_create", "--programme", "prog-a", "--role", "issuer", "--name", "Moodle", stdout=out, stderr=err
    )
    token = out.getvalue().strip()
    key = ApiKey.objects.get()
    assert token.startswith(key.prefix + "_") and key.prefix.startswith("laurel_")
    assert key.secret_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ApiKey.objects.values().get())
    assert (key.role, key.name, key.programme) == ("issuer", "Moodle", programme)
    assert "not shown again" in err.getvalue()
    entry = AuditEntry.objects.get(action="api_key.create")
    assert entry.programme_id == programme.pk and entry.data["prefix"] == key.prefix


def test_the_command_names_an_unknown_programme(programme):
    with pytest.raises(CommandError, match="prog-a"):
        call_command("api_key_create", "--programme", "nope", "--role", "issuer", "--name", "x", stdout=StringIO())


def test_a_name_is_required(programme):
    with pytest.raises(ValidationError) as exc:
        api_key_create(programme=programme, role="issuer", name="  ")
    assert "name" in exc.value.message_dict


def test_only_managers_of_the_programme_or_admins_create_and_revoke_keys(programme, django_user_model):
    other = Programme.objects.create(slug="prog-b", name="B")
    manager = django_user_model.objects.create_user("m", "m@example.org", "pw")
    issuer = django_user_model.objects.create_user("i", "i@example.org", "pw")
    StaffRole.objects.create(user=manager, programme=programme, role="manager")
    StaffRole.objects.create(user=issuer, programme=programme, role="issuer")
    key, _token = api_key_create(programme=programme, role="viewer", name="ok", actor=manager)
    assert key.created_by == manager
    for actor, target in [(issuer, programme), (manager, other)]:
        with pytest.raises(PermissionDenied):
            api_key_create(programme=target, role="viewer", name="no", actor=actor)
    with pytest.raises(PermissionDenied):
        api_key_revoke(api_key=key, actor=issuer)
    api_key_revoke(api_key=key, actor=manager)
    key.refresh_from_db()
    assert key.revoked_at is not None and not key.account.is_active
    assert AuditEntry.objects.filter(action="api_key.revoke", actor=manager).count() == 1


def test_the_key_account_holds_no_global_permission_even_if_given_one(programme):
    from django.contrib.auth.models import Permission

    key, _token = api_key_create(programme=programme, role="viewer", name="k")
    key.account.user_permissions.add(Permission.objects.get(codename="add_award"))
    key.account.is_superuser = True
    key.account.save()
    assert not key.account.has_perm("credentials.add_award")
    assert not key.account.has_perms(["credentials.add_award"])


def test_last_use_is_written_at_most_once_a_minute(programme):
    key, token = api_key_create(programme=programme, role="viewer", name="k")
    client = client_with(token)
    assert client.get("/api/v1/programmes").status_code == 200
    key.refresh_from_db()
    first = key.last_used_at
    assert first is not None
    assert client.get("/api/v1/programmes").status_code == 200
    key.refresh_from_db()
    assert key.last_used_at == first
    api_key_touch(api_key=key, now=first + timedelta(seconds=61))
    key.refresh_from_db()
    assert key.last_used_at == first + timedelta(seconds=61)


@pytest.mark.parametrize(
    "header",
    [
        "Bearer laurel_00000000_wrong",
        "Bearer nonsense",
        "Bearer ",
        "Bearer laurel_x y",
        "Bearer " + "laurel_" + "a" * 300,
    ],
)
def test_bad_keys_are_refused_with_a_problem(programme, header, client):
    response = client.get("/api/v1/programmes", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


def test_a_key_of_a_closed_programme_is_refused(programme):
    _key, token = api_key_create(programme=programme, role="viewer", name="k")
    Programme.objects.filter(pk=programme.pk).update(is_active=False)
    assert client_with(token).get("/api/v1/programmes").status_code == 401


def test_a_revoked_key_is_refused(programme):
    key, token = api_key_create(programme=programme, role="manager", name="k")
    client = client_with(token)
    assert client.get("/api/v1/programmes").status_code == 200
    api_key_revoke(api_key=key)
    response = client.get("/api/v1/programmes")
    assert response.status_code == 401 and "revoked" in response.json()["detail"]
