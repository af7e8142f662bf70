"""Services refuse the wrong people: programme staff of the wrong role or programme, members who are not
admins, people sharing someone else's credential; invitations check their token and the invited address."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from access.tokens import TokenError
from organisations import services
from organisations.models import OrganisationAdmin, OrganisationInvite, OrganisationMember, SharedCredential
from organisations.tokens import invite_tokens
from outbox.models import OutboxEmail


@pytest.mark.parametrize("who", ["viewer", "other_manager", "admin", "m1", "outsider"])
def test_only_the_programmes_managers_create_organisations(world, who):
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            programme=world.programme, slug="acme", name="Acme", country="FR", email="acme@example.org",
            actor=world.users[who],
        )  # fmt: skip


@pytest.mark.parametrize("who", ["viewer", "other_manager", "m1", "outsider"])
def test_only_admins_and_the_programmes_managers_manage_an_organisation(world, who):
    actor = world.users[who]
    with pytest.raises(PermissionDenied):
        services.organisation_update(organisation=world.organisation, actor=actor, name="Hijacked")
    with pytest.raises(PermissionDenied):
        services.invitation_send(organisation=world.organisation, email="x@example.org", role="admin", actor=actor)
    with pytest.raises(PermissionDenied):
        services.member_remove(member=world.members["m2"], actor=actor)
    for allowed in ("admin", "manager"):
        services.organisation_update(organisation=world.organisation, actor=world.users[allowed], sector="Labour")


def test_organisation_validation(world):
    manager = world.users["manager"]
    with pytest.raises(ValidationError) as caught:
        services.organisation_create(
            programme=world.programme, slug="bad slug", name="", country="XX", email="not-an-address",
            website="javascript:alert(1)", actor=manager,
        )  # fmt: skip
    assert {"website"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        services.organisation_create(
            programme=world.programme, slug="bad slug", name="", country="XX", email="not-an-address", actor=manager
        )
    assert {"slug", "name", "country", "email"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError):  # its credential address is its own
        services.organisation_create(
            programme=world.programme, slug="copy", name="Copy", country="FR", email=world.organisation.email,
            actor=manager,
        )  # fmt: skip


def test_invitation_accepted_once_by_the_invited_address(world, django_user_model):
    invite = services.invitation_send(
        organisation=world.organisation, email="m5@example.org", role="member", actor=world.users["admin"]
    )
    email = OutboxEmail.objects.get(kind="organisation_invite")
    assert email.to_email == "m5@example.org" and "/organisations/invite/" in email.body_text
    token = invite_tokens.make_token(invite)
    with pytest.raises(ValidationError):  # a forwarded link: another account
        services.invitation_accept(invite=invite, token=token, user=world.users["outsider"])
    with pytest.raises(TokenError):
        forged = token[:-1] + ("1" if token[-1] == "0" else "0")  # always another token (never the real one)
        services.invitation_accept(invite=invite, token=forged, user=world.users["m5"])
    member = services.invitation_accept(invite=invite, token=token, user=world.users["m5"])
    assert isinstance(member, OrganisationMember) and member.organisation == world.organisation
    with pytest.raises(TokenError) as caught:
        services.invitation_accept(invite=invite, token=token, user=world.users["m5"])
    assert caught.value.reason == "used"


def test_expired_and_admin_invitations(world, settings, monkeypatch):
    invite = services.invitation_send(
        organisation=world.organisation, email="outsider@example.org", role="admin", actor=world.users["manager"]
    )
    token = invite_tokens.make_token(invite)
    later = invite_tokens._now_seconds() + (settings.ORGANISATION_INVITE_DAYS + 1) * 86400
    monkeypatch.setattr(type(invite_tokens), "_now_seconds", lambda self: later)
    with pytest.raises(TokenError) as caught:
        services.invitation_accept(invite=invite, token=token, user=world.users["outsider"])
    assert caught.value.reason == "expired"
    monkeypatch.undo()
    row = services.invitation_accept(invite=invite, token=token, user=world.users["outsider"])
    assert isinstance(row, OrganisationAdmin) and services.is_admin(world.users["outsider"], world.organisation)


def test_sharing_someone_elses_credential_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.credential_share(member=world.members["m1"], award=world.held["m2"], user=world.users["m1"])
    with pytest.raises(PermissionDenied):  # as another member
        services.credential_share(member=world.members["m1"], award=world.held["m1"], user=world.users["m2"])
    assert not SharedCredential.objects.exists()


def test_last_admin_stays_unless_programme_staff_remove_it(world):
    [row] = OrganisationAdmin.objects.filter(organisation=world.organisation)
    with pytest.raises(ValidationError):
        services.admin_remove(admin=row, actor=world.users["admin"])
    services.admin_remove(admin=row, actor=world.users["manager"])
    assert not OrganisationAdmin.objects.exists()


def test_account_deletion_takes_memberships_and_shares(world):
    from wallets.services.account import account_delete

    services.credential_share(member=world.members["m1"], award=world.held["m1"], user=world.users["m1"])
    account_delete(user=world.users["m1"])
    assert not SharedCredential.objects.exists() and not OrganisationMember.objects.filter(name="Member m1").exists()


def test_data_export_lists_memberships_and_shares(world):
    import io
    import json
    import zipfile

    services.credential_share(member=world.members["m1"], award=world.held["m1"], user=world.users["m1"])
    client = Client()
    client.force_login(world.users["m1"])
    from wallets.services.account import account_export

    archive = zipfile.ZipFile(io.BytesIO(account_export(user=world.users["m1"]).read()))
    data = json.loads(archive.read("organisations.json"))
    assert data["memberships"][0]["organisation"] == "Ministry of Labour"
    assert data["memberships"][0]["shared"][0]["credential"] == world.held["m1"].public_id


def test_cancelled_invitation_link_is_used(world):
    invite = services.invitation_send(
        organisation=world.organisation, email="m5@example.org", role="member", actor=world.users["admin"]
    )
    token = invite_tokens.make_token(invite)
    services.invitation_cancel(invite=invite, actor=world.users["admin"])
    invite.refresh_from_db()
    assert invite.state == OrganisationInvite.State.CANCELLED
    with pytest.raises(TokenError):
        services.invitation_accept(invite=invite, token=token, user=world.users["m5"])
    assert timezone.now() - invite.created_at < timedelta(minutes=5)
