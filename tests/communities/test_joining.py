"""Joining: open self-declaration, application (approve, ask for more, decline with a reason, apply again),
invitation (accept, expired, forged, used), and who may decide."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from audit.models import AuditEntry
from communities import services
from communities.models import CommunityInvite, Membership
from communities.tokens import TokenError, invite_tokens
from credentials.models import Award
from outbox.models import OutboxEmail

pytestmark = pytest.mark.django_db


def test_open_join_issues_the_membership_credential_at_once(world):
    community = world.make(join_mode="open")
    learner = world.users["learner"]
    membership = services.membership_join(community=community, user=learner, statement="I run a village clinic.")
    assert membership.state == Membership.State.ACTIVE
    award = membership.award
    assert award.achievement == world.membership_badge
    assert award.recipient_email == "learner@example.org"
    assert award.recipient_name == "Amina Okonkwo"
    assert award.credential["proof"]  # a real signed credential
    assert membership.expires_at == award.expires_at
    assert (award.expires_at - award.issued_at).days == 365
    assert AuditEntry.objects.filter(action="community.join", subject_id=str(membership.pk)).exists()


def test_open_join_needs_a_statement_and_a_verified_address(world):
    community = world.make(join_mode="open")
    with pytest.raises(ValidationError) as exc:
        services.membership_join(community=community, user=world.users["learner"], statement="   ")
    assert "statement" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.membership_join(community=community, user=world.users["unverified"], statement="Hello")
    assert exc.value.code == "unverified"
    assert not Membership.objects.exists() and not Award.objects.filter(achievement=world.membership_badge).exists()


def test_already_member_is_refused_and_nothing_is_issued_twice(world):
    community = world.make(join_mode="open")
    learner = world.users["learner"]
    services.membership_join(community=community, user=learner, statement="Me")
    with pytest.raises(ValidationError) as exc:
        services.membership_join(community=community, user=learner, statement="Me again")
    assert exc.value.code == "already_member"
    assert Award.objects.filter(achievement=world.membership_badge).count() == 1


def test_open_community_refuses_applications_and_application_community_refuses_joining(world):
    open_one = world.make("open-one", join_mode="open")
    reviewed = world.make("reviewed", join_mode="application")
    with pytest.raises(ValidationError):
        services.membership_apply(community=open_one, user=world.users["learner"], statement="x")
    with pytest.raises(ValidationError):
        services.membership_join(community=reviewed, user=world.users["learner"], statement="x")
    invitation_only = world.make("invited", join_mode="invitation")
    with pytest.raises(ValidationError):
        services.membership_apply(community=invitation_only, user=world.users["learner"], statement="x")


def test_application_approved_by_a_programme_manager(world):
    community = world.make()
    learner = world.users["learner"]
    applied = services.membership_apply(community=community, user=learner, statement="Five years in the field.")
    assert applied.state == Membership.State.APPLIED and applied.award is None
    again = services.membership_apply(community=community, user=learner, statement="Again")
    assert again.pk == applied.pk and again.statement == "Again"  # re-sending an application only updates it
    assert Membership.objects.count() == 1
    approved = services.application_approve(membership=applied, actor=world.users["manager"])
    assert approved.state == Membership.State.ACTIVE
    assert approved.award.recipient_email == "learner@example.org"
    assert approved.decided_by == world.users["manager"]
    assert approved.award.created_by == world.users["manager"]  # issued on the manager's behalf


def test_application_approved_by_a_named_community_manager(world):
    community = world.make()
    applied = services.membership_apply(community=community, user=world.users["learner"], statement="Hi")
    approved = services.application_approve(membership=applied, actor=world.users["named"])
    assert approved.state == Membership.State.ACTIVE


@pytest.mark.parametrize("who", ["viewer", "outsider", "other_manager", "learner"])
def test_wrong_role_cannot_decide(world, who):
    community = world.make()
    applied = services.membership_apply(community=community, user=world.users["learner"], statement="Hi")
    for call in (
        lambda: services.application_approve(membership=applied, actor=world.users[who]),
        lambda: services.application_decline(membership=applied, reason="No", actor=world.users[who]),
        lambda: services.application_ask_more(membership=applied, question="Why?", actor=world.users[who]),
    ):
        with pytest.raises(PermissionDenied):
            call()
    applied.refresh_from_db()
    assert applied.state == Membership.State.APPLIED and applied.award is None


def test_ask_for_more_then_the_applicant_answers_and_is_approved(world):
    community = world.make()
    learner = world.users["learner"]
    applied = services.membership_apply(community=community, user=learner, statement="Hi")
    with pytest.raises(ValidationError):
        services.application_ask_more(membership=applied, question=" ", actor=world.users["manager"])
    asked = services.application_ask_more(membership=applied, question="Which district?", actor=world.users["manager"])
    assert asked.state == Membership.State.MORE_INFO and asked.manager_note == "Which district?"
    email = OutboxEmail.objects.get(kind=services.KIND_MORE_INFO)
    assert email.to_email == "learner@example.org" and "Which district?" in email.body_text
    answered = services.membership_apply(community=community, user=learner, statement="Kisumu East.")
    assert answered.state == Membership.State.APPLIED and answered.statement == "Kisumu East."
    assert services.application_approve(membership=answered, actor=world.users["manager"]).award is not None


def test_declined_with_a_reason_then_apply_again(world):
    community = world.make()
    learner = world.users["learner"]
    applied = services.membership_apply(community=community, user=learner, statement="Hi")
    with pytest.raises(ValidationError) as exc:
        services.application_decline(membership=applied, reason="", actor=world.users["manager"])
    assert "reason" in exc.value.message_dict
    declined = services.application_decline(
        membership=applied, reason="Only practising health workers.", actor=world.users["manager"]
    )
    assert declined.state == Membership.State.DECLINED
    assert "Only practising health workers." in OutboxEmail.objects.get(kind=services.KIND_DECLINED).body_text
    with pytest.raises(ValidationError) as exc:  # already answered
        services.application_approve(membership=declined, actor=world.users["manager"])
    assert exc.value.code == "not_waiting"
    again = services.membership_apply(community=community, user=learner, statement="I now work at a clinic.")
    assert again.pk == declined.pk and again.state == Membership.State.APPLIED
    assert services.application_approve(membership=again, actor=world.users["manager"]).state == "active"


def test_closed_community_takes_nobody(world):
    community = world.make(join_mode="open")
    services.community_update(community=community, is_active=False, actor=world.users["manager"])
    with pytest.raises(ValidationError) as exc:
        services.membership_join(community=community, user=world.users["learner"], statement="Hi")
    assert exc.value.code == "inactive"


def _invite(world, community, email="new.member@example.org"):
    return services.invitation_send(
        community=community, email=email, name="New Member", language="fr", actor=world.users["manager"]
    )


def test_invitation_emailed_with_a_signed_link_and_accepted(world, django_user_model):
    from tests.communities.conftest import verified_user

    community = world.make(join_mode="invitation")
    invite = _invite(world, community)
    email = OutboxEmail.objects.get(kind=services.KIND_INVITE)
    assert email.to_email == "new.member@example.org" and email.language == "fr"
    assert f"/communities/{community.slug}/invite/{invite.pk}/" in email.body_text
    token = invite_tokens.make_token(invite)
    person = verified_user(django_user_model, "newbie", "someone.else@example.org")
    membership = services.invitation_accept(invite=invite, token=token, user=person)
    assert membership.state == Membership.State.ACTIVE
    assert membership.award.recipient_email == "new.member@example.org"  # the address the link proved
    invite.refresh_from_db()
    assert invite.state == CommunityInvite.State.ACCEPTED
    with pytest.raises(TokenError) as exc:  # single use
        services.invitation_accept(invite=invite, token=token, user=person)
    assert exc.value.reason == "used"


def test_invitation_forged_and_expired_links_are_refused(world):
    community = world.make(join_mode="invitation")
    invite = _invite(world, community)
    learner = world.users["learner"]
    with pytest.raises(TokenError) as exc:
        services.invitation_accept(invite=invite, token="abc-0123456789abcdef", user=learner)
    assert exc.value.reason == "forged"
    with pytest.raises(TokenError) as exc:
        services.invitation_accept(invite=invite, token="nonsense", user=learner)
    assert exc.value.reason == "malformed"
    token = invite_tokens.make_token(invite)
    with override_settings(COMMUNITY_INVITE_DAYS=0):
        import time

        time.sleep(1.1)
        with pytest.raises(TokenError) as exc:
            services.invitation_accept(invite=invite, token=token, user=learner)
    assert exc.value.reason == "expired"
    assert not Membership.objects.exists()


def test_invitation_needs_a_manager_and_valid_details(world):
    community = world.make(join_mode="invitation")
    with pytest.raises(PermissionDenied):
        services.invitation_send(
            community=community, email="a@example.org", name="A", language="en", actor=world.users["viewer"]
        )
    with pytest.raises(ValidationError) as exc:
        services.invitation_send(community=community, email="nope", name="", language="xx", actor=world.users["named"])
    assert set(exc.value.message_dict) == {"email", "name", "language"}
    assert not CommunityInvite.objects.exists()


def test_only_programme_managers_create_communities_and_name_managers(world):
    with pytest.raises(PermissionDenied):
        services.community_create(
            programme=world.programme, slug="x", name="X", description="X",
            membership_achievement=world.membership_badge, actor=world.users["viewer"],
        )  # fmt: skip
    community = world.make()
    with pytest.raises(PermissionDenied):  # a named manager does not name others
        services.community_managers_set(
            community=community, users=[world.users["outsider"]], actor=world.users["named"]
        )
    with pytest.raises(PermissionDenied):
        services.community_create(
            programme=world.programme, slug="y", name="Y", description="Y",
            membership_achievement=world.membership_badge, actor=world.users["other_manager"],
        )  # fmt: skip


def test_membership_credential_must_be_of_a_membership_category(world):
    with pytest.raises(ValidationError) as exc:
        services.community_create(
            programme=world.programme, slug="x", name="X", description="X",
            membership_achievement=world.competency_badge, actor=world.users["manager"],
        )  # fmt: skip
    assert "membership_achievement" in exc.value.message_dict


def test_renewal_declined_keeps_the_membership_until_it_expires(world):
    community = world.make(renewal_mode="review")
    learner = world.users["learner"]
    applied = services.membership_apply(community=community, user=learner, statement="Hi")
    member = services.application_approve(membership=applied, actor=world.users["manager"])
    from communities.renewals import membership_renew

    later = member.expires_at - timedelta(days=5)
    requested = membership_renew(membership=member, user=learner, statement="Still active", now=later)
    assert requested.state == Membership.State.RENEWAL
    kept = services.application_decline(membership=requested, reason="Not active this year", actor=world.users["named"])
    assert kept.state == Membership.State.ACTIVE and kept.is_current(timezone.now())


def test_joining_puts_the_credential_in_the_wallet_at_once(world):
    from wallets.models import WalletEntry

    community = world.make(join_mode="open")
    membership = services.membership_join(community=community, user=world.users["learner"], statement="Hi")
    assert membership.award.state == Award.State.ACCEPTED
    assert WalletEntry.objects.filter(user=world.users["learner"], award=membership.award).exists()


def test_an_accepted_invitation_adds_the_invited_address_to_the_account(world, django_user_model):
    from allauth.account.models import EmailAddress

    from tests.communities.conftest import verified_user

    community = world.make(join_mode="invitation")
    invite = _invite(world, community)
    person = verified_user(django_user_model, "newbie", "someone.else@example.org")
    membership = services.invitation_accept(invite=invite, token=invite_tokens.make_token(invite), user=person)
    assert membership.award.state == Award.State.ACCEPTED
    assert EmailAddress.objects.filter(user=person, email="new.member@example.org", verified=True).exists()
