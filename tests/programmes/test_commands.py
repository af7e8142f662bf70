"""The command-line contracts: staff_add and list_programmes."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

import access
from programmes.models import Programme, StaffRole

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def programmes(db):
    Programme.objects.create(slug="social-protection", name="Social Protection, Governance and Tripartism")
    return Programme.objects.create(slug="green-jobs", name="Green Jobs and Just Transition")


def test_list_programmes_json_is_exactly_slug_and_name(programmes):
    assert json.loads(run("list_programmes", "--json")) == [
        {"slug": "green-jobs", "name": "Green Jobs and Just Transition"},
        {"slug": "social-protection", "name": "Social Protection, Governance and Tripartism"},
    ]
    table = run("list_programmes")
    assert table.splitlines()[0].split() == ["slug", "name"]
    assert table.splitlines()[2].split(maxsplit=1) == ["green-jobs", "Green Jobs and Just Transition"]


def test_list_programmes_empty(db):
    assert json.loads(run("list_programmes", "--json")) == []
    assert "No programmes" in run("list_programmes")


def test_staff_add_creates_then_updates_one_member(programmes, django_user_model):
    out = run("staff_add", "--email", "Zoe@Example.org", "--programme", "green-jobs", "--role", "issuer",
              "--password", "a long pass phrase")  # fmt: skip
    assert "Created the account zoe@example.org (password set): now issuer of green-jobs." in out
    user = django_user_model.objects.get(email="zoe@example.org")
    assert user.is_staff and not user.is_superuser and not user.get_all_permissions()
    assert user.check_password("a long pass phrase") and user.emailaddress_set.get().verified
    assert access.allows(user, "credentials.add_award", obj=programmes)
    out = run("staff_add", "--email", "zoe@example.org", "--programme", "green-jobs", "--role", "manager")
    assert "Updated the account zoe@example.org: issuer → manager of green-jobs." in out
    assert StaffRole.objects.get(user=user).role == "manager" and django_user_model.objects.count() == 1
    assert "already manager" in run("staff_add", "--email", "zoe@example.org", "--programme", "green-jobs",
                                    "--role", "MANAGER")  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--programme", "nope", "--role", "issuer"], "No programme with the slug 'nope'"),
        (["--programme", "green-jobs", "--role", "owner"], "Unknown role 'owner'"),
    ],
)
def test_staff_add_refuses_bad_input_with_a_clear_error(programmes, args, message, django_user_model):
    with pytest.raises(CommandError, match=message) as refused:
        call_command("staff_add", "--email", "zoe@example.org", *args)
    assert refused.value.returncode == 2
    assert not django_user_model.objects.exists()


def test_staff_add_bad_email(programmes, django_user_model):
    with pytest.raises(CommandError, match="email: Enter a valid email address."):
        call_command("staff_add", "--email", "not-an-email", "--programme", "green-jobs", "--role", "viewer")
    assert not django_user_model.objects.exists()
