"""Renewal (re-confirmation or review), renewal reminders (once per period), lapsing, contribution badges and
the directory opt-in."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communities import renewals, services
from communities.models import ContributionAward, Membership
from credentials.models import Award
from outbox.models import OutboxEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(world):
    community = world.make(join_mode="open")
    return services.membership_join(community=community, user=world.users["learner"], statement="Hi")


def test_renew_by_reconfirmation_continues_the_period(world, member):
    learner = world.users["learner"]
    old_expiry = member.expires_at
    with pytest.raises(ValidationError) as exc:  # a year ahead: not due yet
        renewals.membership_renew(membership=member, user=learner)
    assert exc.value.code == "not_due"
    soon = old_expiry - timedelta(days=10)
    renewed = renewals.membership_renew(membership=member, user=learner, now=soon)
    assert renewed.state == Membership.State.ACTIVE and renewed.period == 2
    assert renewed.award.pk != member.award.pk
    assert renewed.expires_at == old_expiry + timedelta(days=365)  # no day lost by renewing early
    assert Award.objects.filter(achievement=world.membership_badge).count() == 2


def test_only_the_member_renews(world, member):
    with pytest.raises(PermissionDenied):
        renewals.membership_renew(membership=member, user=world.users["manager"], now=member.expires_at)


def test_renew_by_review_goes_to_the_managers(world):
    community = world.make(join_mode="open", renewal_mode="review")
    learner = world.users["learner"]
    member = services.membership_join(community=community, user=learner, statement="Hi")
    soon = member.expires_at - timedelta(days=3)
    requested = renewals.membership_renew(membership=member, user=learner, statement="Led 4 sessions", now=soon)
    assert requested.state == Membership.State.RENEWAL and requested.period == 1
    with pytest.raises(ValidationError) as exc:
        renewals.membership_renew(membership=requested, user=learner, now=soon)
    assert exc.value.code == "already_requested"
    approved = services.application_approve(membership=requested, actor=world.users["manager"], now=soon)
    assert approved.state == Membership.State.ACTIVE and approved.period == 2
    assert approved.expires_at == member.expires_at + timedelta(days=365)


def test_reminder_sent_once_per_period(world, member):
    early = member.expires_at - timedelta(days=60)
    assert renewals.renewal_reminders_send(now=early) == 0  # outside the 30-day window
    due = member.expires_at - timedelta(days=20)
    assert renewals.renewal_reminders_send(now=due) == 1
    assert renewals.renewal_reminders_send(now=due) == 0
    assert renewals.renewal_reminders_send(now=due + timedelta(days=5)) == 0
    emails = OutboxEmail.objects.filter(kind=renewals.KIND_RENEWAL_REMINDER)
    assert emails.count() == 1
    assert emails.get().to_email == "learner@example.org" and "/communities/mine/" in emails.get().body_text
    # renewed: the next period gets its own reminder, once
    renewed = renewals.membership_renew(membership=member, user=world.users["learner"], now=due)
    next_due = renewed.expires_at - timedelta(days=10)
    assert renewals.renewal_reminders_send(now=next_due) == 1
    assert renewals.renewal_reminders_send(now=next_due) == 0
    assert emails.count() == 2


def test_lapsed_memberships_expire_and_can_renew(world, member):
    assert renewals.memberships_lapse(now=member.expires_at - timedelta(seconds=1)) == 0
    after = member.expires_at + timedelta(days=1)
    assert renewals.memberships_lapse(now=after) == 1
    assert renewals.memberships_lapse(now=after) == 0
    member.refresh_from_db()
    assert member.state == Membership.State.LAPSED and not member.is_current(after)
    assert renewals.renewal_reminders_send(now=after) == 0  # lapsed: no reminder
    renewed = renewals.membership_renew(membership=member, user=world.users["learner"], now=after)
    assert renewed.state == Membership.State.ACTIVE and renewed.is_current(after)


def test_contribution_badge_awarded_once_by_a_manager(world, member):
    contribution = services.contribution_award(
        membership=member, achievement=world.mentor_badge, role="mentor", actor=world.users["named"]
    )
    assert contribution.award.achievement == world.mentor_badge
    assert contribution.award.recipient_email == member.email
    assert "Mentor" in contribution.award.narrative
    with pytest.raises(ValidationError) as exc:
        services.contribution_award(
            membership=member, achievement=world.mentor_badge, role="mentor", actor=world.users["manager"]
        )
    assert exc.value.code == "already_awarded"
    facilitator = services.contribution_award(
        membership=member, achievement=world.mentor_badge, role="facilitator", actor=world.users["manager"]
    )
    assert facilitator.award.pk != contribution.award.pk


def test_contribution_badge_refusals(world, member):
    with pytest.raises(PermissionDenied):
        services.contribution_award(
            membership=member, achievement=world.mentor_badge, role="mentor", actor=world.users["viewer"]
        )
    with pytest.raises(ValidationError) as exc:  # not one of the community's contribution badges
        services.contribution_award(
            membership=member, achievement=world.competency_badge, role="mentor", actor=world.users["manager"]
        )
    assert "achievement" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.contribution_award(
            membership=member, achievement=world.mentor_badge, role="boss", actor=world.users["manager"]
        )
    renewals.memberships_lapse(now=member.expires_at + timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.contribution_award(
            membership=member, achievement=world.mentor_badge, role="mentor", actor=world.users["manager"]
        )
    assert exc.value.code == "not_member"
    assert not ContributionAward.objects.exists()


def test_directory_opt_in_is_the_members_alone(world, member):
    from communities.selectors import directory

    assert directory(member.community) == []
    with pytest.raises(PermissionDenied):
        services.membership_directory_set(membership=member, user=world.users["manager"], listed=True)
    services.membership_directory_set(membership=member, user=world.users["learner"], listed=True)
    [entry] = directory(member.community)
    assert entry["membership"].pk == member.pk and entry["profile"] is None
    renewals.memberships_lapse(now=member.expires_at + timedelta(days=1))
    assert directory(member.community, now=member.expires_at + timedelta(days=1)) == []


def test_the_daily_tasks_are_scheduled_and_call_the_services(settings, world, member):
    from communities import tasks

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for task in (tasks.renewal_reminders_send, tasks.memberships_lapse):
        assert task.name in scheduled
    assert tasks.renewal_reminders_send() == 0  # a year ahead: nothing due today
    Membership.objects.filter(pk=member.pk).update(expires_at=member.award.issued_at)
    assert tasks.memberships_lapse() == 1
    member.refresh_from_db()
    assert member.state == Membership.State.LAPSED
