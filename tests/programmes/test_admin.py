"""Django's admin for programmes, staff roles and invitations saves through the services (audited), and bad input
is a form error, never a 500."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from programmes.models import Programme, StaffInvite, StaffRole
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_admin_saves_go_through_the_services(two, django_user_model):
    admin = logged_in(two.people["platform admin"])
    response = admin.post(
        reverse("admin:programmes_programme_add"), {"name": "Enterprises", "slug": "enterprises", "is_active": "on"}
    )
    assert response.status_code == 302
    created = Programme.objects.get(slug="enterprises")
    assert AuditEntry.objects.get(action="programme.create").programme_id == created.pk
    response = admin.post(
        reverse("admin:programmes_programme_change", args=[created.pk]),
        {"name": "Enterprise Development", "slug": "enterprises"},
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.name == "Enterprise Development" and not created.is_active
    assert AuditEntry.objects.get(action="programme.change").data["fields"] == ["is_active", "name"]

    zoe = django_user_model.objects.create_user("zoe", "zoe@example.org")
    response = admin.post(
        reverse("admin:programmes_staffrole_add"), {"user": zoe.pk, "programme": created.pk, "role": "issuer"}
    )
    assert response.status_code == 302
    assert StaffRole.objects.get(user=zoe).role == "issuer"
    assert AuditEntry.objects.filter(action="staff_role.set", programme_id=created.pk).exists()
    zoe.refresh_from_db()
    assert zoe.is_staff

    response = admin.post(
        reverse("admin:programmes_staffinvite_add"),
        {"email": "ada@example.org", "programme": created.pk, "role": "viewer", "language": "en"},
    )
    assert response.status_code == 302
    assert StaffInvite.objects.get(email="ada@example.org").expires_at is not None
    assert AuditEntry.objects.filter(action="staff_invite.create").exists()


def test_admin_invitation_to_someone_already_on_the_staff_is_a_form_error(two):
    admin = logged_in(two.people["platform admin"])
    response = admin.post(
        reverse("admin:programmes_staffinvite_add"),
        {"email": "viewer.a@example.org", "programme": two.a.programme.pk, "role": "issuer", "language": "en"},
    )
    assert response.status_code == 200 and "already has a role" in response.content.decode()
    assert not StaffInvite.objects.exists()


def test_programme_staff_see_nothing_in_djangos_admin(two):
    manager = logged_in(two.people["manager of A"])
    assert manager.get(reverse("admin:programmes_staffrole_changelist")).status_code == 403
    assert manager.get(reverse("admin:credentials_award_changelist")).status_code == 403
