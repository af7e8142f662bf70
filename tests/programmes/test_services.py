"""Programmes, staff roles and invitations: what the services do, and refuse, with good and bad input."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail as sent_mail
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

import access
from audit.models import AuditEntry
from programmes import services
from programmes.models import Programme, StaffInvite, StaffRole
from programmes.selectors import invites_of, programmes_for, staff_of

pytestmark = pytest.mark.django_db


def test_programme_create_is_a_platform_administrators(two):
    with pytest.raises(PermissionDenied):
        services.programme_create(slug="enterprises", name="Enterprises", actor=two.people["manager of A"])
    created = services.programme_create(slug="enterprises", name="Enterprises", actor=two.people["platform admin"])
    assert AuditEntry.objects.get(action="programme.create").programme_id == created.pk
    with pytest.raises(ValidationError):
        services.programme_create(slug="enterprises", name="Again")  # the slug is taken


def test_a_manager_changes_the_description_of_their_programme_only(two):
    manager = two.people["manager of A"]
    services.programme_update(programme=two.a.programme, description="Floors.", actor=manager)
    assert Programme.objects.get(pk=two.a.programme.pk).description == "Floors."
    with pytest.raises(PermissionDenied):
        services.programme_update(programme=two.b.programme, description="Mine now.", actor=manager)
    with pytest.raises(PermissionDenied):
        services.programme_update(programme=two.a.programme, is_active=False, actor=manager)  # an admin's
    with pytest.raises(PermissionDenied):
        services.programme_update(programme=two.a.programme, description="x", actor=two.people["issuer of A"])
    with pytest.raises(TypeError):
        services.programme_update(programme=two.a.programme, created_at=None)


def test_staff_role_set_creates_changes_and_audits(two, django_user_model):
    manager, newcomer = two.people["manager of A"], django_user_model.objects.create_user("zoe", "zoe@example.org")
    role = services.staff_role_set(programme=two.a.programme, user=newcomer, role="viewer", actor=manager)
    newcomer.refresh_from_db()
    assert role.role == "viewer" and newcomer.is_staff and not newcomer.get_all_permissions()
    assert access.allows(newcomer, "credentials.view_award", obj=two.a.award)
    services.staff_role_set(programme=two.a.programme, user=newcomer, role="issuer", actor=manager)
    assert access.allows(newcomer, "credentials.add_award", obj=two.a.achievement)  # the cache was dropped
    entry = AuditEntry.objects.filter(action="staff_role.set").latest("pk")
    assert entry.programme_id == two.a.programme.pk and entry.data["previous"] == "viewer"
    with pytest.raises(ValidationError):
        services.staff_role_set(programme=two.a.programme, user=newcomer, role="owner", actor=manager)


def test_nobody_grants_more_than_they_hold(two, django_user_model):
    issuer, newcomer = two.people["issuer of A"], django_user_model.objects.create_user("zoe", "zoe@example.org")
    for role in ("viewer", "issuer", "manager"):
        with pytest.raises(PermissionDenied):
            services.staff_role_set(programme=two.a.programme, user=newcomer, role=role, actor=issuer)
    with pytest.raises(PermissionDenied):  # a manager of B, in A
        services.staff_role_set(programme=two.a.programme, user=newcomer, role="viewer",
                                actor=two.people["manager of B"])  # fmt: skip
    assert not StaffRole.objects.filter(user=newcomer).exists()


def test_a_manager_cannot_demote_or_remove_themselves(two):
    manager = two.people["manager of A"]
    with pytest.raises(ValidationError):
        services.staff_role_set(programme=two.a.programme, user=manager, role="viewer", actor=manager)
    with pytest.raises(ValidationError):
        services.staff_role_remove(staff_role=StaffRole.objects.get(user=manager), actor=manager)
    assert StaffRole.objects.get(user=manager).role == "manager"


def test_staff_role_remove(two):
    viewer = two.people["viewer of A"]
    services.staff_role_remove(staff_role=StaffRole.objects.get(user=viewer), actor=two.people["manager of A"])
    assert not access.allows(viewer, "credentials.view_award", obj=two.a.award)
    assert AuditEntry.objects.get(action="staff_role.remove").programme_id == two.a.programme.pk


def test_an_invitation_is_mailed_in_its_language_and_accepted_once(
    two, django_user_model, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite = services.staff_invite_create(programme=two.a.programme, email=" Zoe@Example.org ", role="issuer",
                                              language="fr", actor=two.people["manager of A"])  # fmt: skip
    assert invite.email == "zoe@example.org" and list(invites_of(two.a.programme)) == [invite]
    [message] = sent_mail.outbox
    assert message.to == ["zoe@example.org"] and "Social Protection" in message.subject
    [token] = re.findall(re.escape(settings.BASE_URL) + r"/staff/invite/([^/\s]+)/", message.body)
    assert services.invite_from_token(token) == invite
    zoe = django_user_model.objects.create_user("zoe", "zoe@example.org", "pw")
    role = services.staff_invite_accept(token=token, user=zoe)
    assert role.role == "issuer" and role.programme == two.a.programme and role.created_by == two.people["manager of A"]
    with pytest.raises(services.InviteInvalid) as used:
        services.staff_invite_accept(token=token, user=zoe)
    assert used.value.reason == "used" and "already been accepted" in used.value.message
    assert not invites_of(two.a.programme).exists()


@pytest.mark.parametrize("case", ["forged", "tampered", "expired", "expired by date", "withdrawn", "other salt"])
def test_links_that_cannot_be_used_say_why(two, django_user_model, case):
    invite = services.staff_invite_create(programme=two.a.programme, email="zoe@example.org", role="viewer",
                                          actor=two.people["manager of A"])  # fmt: skip
    token, now = services.invite_token(invite), None
    if case == "forged":
        token = "not-a-token"
    elif case == "tampered":
        token = signing.dumps({"i": invite.pk + 1, "e": invite.email}, salt="x")
    elif case == "other salt":
        token = signing.dumps({"i": invite.pk, "e": invite.email})
    elif case == "expired":  # the signature is older than the invitation's days (the row alone would still pass)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(
                int((timezone.now() - timedelta(days=30)).timestamp())))  # fmt: skip
            token = services.invite_token(invite)
    elif case == "expired by date":
        now = invite.expires_at + timedelta(seconds=1)
    elif case == "withdrawn":
        services.staff_invite_withdraw(invite=invite, actor=two.people["manager of A"])
    expected = {"forged": "forged", "tampered": "forged", "other salt": "forged", "expired": "expired",
                "expired by date": "expired", "withdrawn": "withdrawn"}[case]  # fmt: skip
    zoe = django_user_model.objects.create_user("zoe", "zoe@example.org", "pw")
    with pytest.raises(services.InviteInvalid) as refused:
        services.staff_invite_accept(token=token, user=zoe, now=now)
    assert refused.value.reason == expected
    assert not StaffRole.objects.filter(user=zoe).exists()


def test_invitations_check_their_input_and_who_sends_them(two):
    manager = two.people["manager of A"]
    with pytest.raises(ValidationError) as bad:
        services.staff_invite_create(programme=two.a.programme, email="not an email", role="boss", language="xx",
                                     actor=manager)  # fmt: skip
    assert set(bad.value.message_dict) == {"email", "role", "language"}
    with pytest.raises(ValidationError, match="already has a role"):
        services.staff_invite_create(programme=two.a.programme, email="viewer.a@example.org", role="issuer",
                                     actor=manager)  # fmt: skip
    for actor in (two.people["issuer of A"], two.people["manager of B"], two.people["none"]):
        with pytest.raises(PermissionDenied):
            services.staff_invite_create(programme=two.a.programme, email="zoe@example.org", role="viewer",
                                         actor=actor)  # fmt: skip
    assert not StaffInvite.objects.exists() and not sent_mail.outbox


def test_a_new_invitation_replaces_the_open_one(two):
    manager = two.people["manager of A"]
    first = services.staff_invite_create(programme=two.a.programme, email="zoe@example.org", role="viewer",
                                         actor=manager)  # fmt: skip
    second = services.staff_invite_create(programme=two.a.programme, email="zoe@example.org", role="issuer",
                                          actor=manager)  # fmt: skip
    first.refresh_from_db()
    assert first.revoked_at is not None and list(invites_of(two.a.programme)) == [second]
    with pytest.raises(services.InviteInvalid):
        services.invite_from_token(services.invite_token(first))


def test_selectors(two):
    assert list(programmes_for(two.people["issuer of A"])) == [two.a.programme]
    assert set(programmes_for(two.people["platform admin"])) == {two.a.programme, two.b.programme}
    assert not programmes_for(two.people["none"]).exists()
    assert [r.user.username for r in staff_of(two.a.programme)] == ["issuer-a", "manager-a", "viewer-a"]


def test_an_invitation_never_lowers_a_role(two):
    manager = two.people["manager of A"]
    invite = services.staff_invite_create(programme=two.a.programme, email="someone@example.org", role="viewer")
    kept = services.staff_invite_accept(token=services.invite_token(invite), user=manager)
    assert kept.role == "manager" and StaffRole.objects.get(user=manager).role == "manager"
    invite.refresh_from_db()
    assert invite.accepted_by == manager  # used up all the same
    viewer = two.people["viewer of A"]
    upgrade = services.staff_invite_create(programme=two.a.programme, email="other@example.org", role="issuer")
    assert services.staff_invite_accept(token=services.invite_token(upgrade), user=viewer).role == "issuer"
