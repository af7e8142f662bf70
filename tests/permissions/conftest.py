"""One of everything the staff console shows, for the permission tests: each admin URL gets a real object."""

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone


@pytest.fixture
def world(default_framework, issuer, achievement, django_user_model):
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    from audit.models import AuditEntry
    from credentials.bulk.services import bulk_job_create
    from credentials.services import Recipient, award_issue
    from events.services import event_create
    from frameworks.services import framework_new_version
    from outbox.models import OutboxEmail
    from programmes.models import Programme, StaffRole
    from programmes.services import staff_invite_create
    from wallets.models import Collection, ExternalCredential, Profile, ShareEvent
    from wallets.services import endorsement_issue

    draft = framework_new_version(source=default_framework)  # parts staff may still change
    award = award_issue(achievement=achievement, recipient=Recipient(email="amina@example.org", name="Amina Okonkwo"))
    learner = django_user_model.objects.create_user("learner", "amina@example.org", "pw")
    now = timezone.now()
    w = SimpleNamespace(
        framework=default_framework,
        draft=draft,
        issuer=issuer,
        achievement=achievement,
        award=award,
        learner=learner,
        email_address=EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True),
        group=Group.objects.create(name="Issuers"),
        outbox=OutboxEmail.objects.create(
            kind="claim",
            dedupe_key="t:1",
            award=award,
            to_email=award.recipient_email,
            subject="s",
            body_text="b",
            state=OutboxEmail.State.FAILED,
            attempts=1,
            last_error="550 no such user",
        ),  # fmt: skip
        job=bulk_job_create(
            achievement=achievement, data=b"email,name\nlea@example.org,Lea Martin\n", filename="a.csv"
        ),
        event=event_create(
            achievement=achievement, name="Forum", opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1)
        ),
        endorsement=endorsement_issue(award=award, issuer=issuer, comment="Led the final simulation well."),
        profile=Profile.objects.create(user=learner, handle="amina", display_name="Amina"),
        collection=Collection.objects.create(user=learner, name="Negotiation"),
        external=ExternalCredential.objects.create(
            user=learner, kind="ob2", source="text", name="Imported", document={"id": "urn:x"}
        ),
        share=ShareEvent.objects.create(award=award, channel="link", user=learner),
    )
    w.programme = Programme.objects.create(slug="social-protection", name="Social Protection")
    member = django_user_model.objects.create_user("member", "member@example.org", "pw", is_staff=True)
    w.staff_role = StaffRole.objects.create(user=member, programme=w.programme, role="issuer")
    w.invite = staff_invite_create(programme=w.programme, email="zoe@example.org", role="viewer")
    w.audit_entry = AuditEntry.objects.first()
    bare = django_user_model.objects.create_user("bare", "bare@example.org", "pw")  # nothing of theirs anywhere
    other = django_user_model.objects.create_user("other", "other@example.org", "pw")
    w.unverified = EmailAddress.objects.create(user=other, email=other.email, verified=False, primary=True)
    # the object admin actions are tried on, where it differs from the URLs' one (an action must have work to do)
    w.action_pks = {"auth/user": bare.pk, "account/emailaddress": w.unverified.pk}
    assert w.job.state == "ready", w.job.errors
    # the object each model's admin URLs are tried on: "app_label/model_name" → pk
    w.pks = {
        "account/emailaddress": w.email_address.pk,
        "audit/auditentry": w.audit_entry.pk,
        "auth/group": w.group.pk,
        "auth/user": learner.pk,
        "credentials/achievement": achievement.pk,
        "credentials/award": award.pk,
        "credentials/bulkjob": w.job.pk,
        "credentials/issuer": issuer.pk,
        "outbox/outboxemail": w.outbox.pk,
        "stacking/stackingoutcome": _stacking_outcome(w).pk,
        "credentials/statuslist": award.status_list_id,
        "events/event": w.event.pk,
        "frameworks/framework": draft.pk,
        "frameworks/badgecategory": draft.badgecategory_set.first().pk,
        "frameworks/certificatetier": draft.certificatetier_set.first().pk,
        "frameworks/glossaryterm": draft.glossaryterm_set.first().pk,
        "frameworks/stackingrule": draft.stackingrule_set.first().pk,
        "programmes/programme": w.programme.pk,
        "programmes/staffrole": w.staff_role.pk,
        "programmes/staffinvite": w.invite.pk,
        "wallets/collection": w.collection.pk,
        "wallets/endorsement": w.endorsement.pk,
        "wallets/externalcredential": w.external.pk,
        "wallets/profile": w.profile.pk,
        "wallets/shareevent": w.share.pk,
    }
    return w


@pytest.fixture
def award(achievement):
    from credentials.services import Recipient, award_issue

    return award_issue(achievement=achievement, recipient=Recipient(email="amina@example.org", name="Amina Okonkwo"))


@pytest.fixture(autouse=True)
def _quiet_refusals():
    """Hundreds of expected 403s and 404s: not logged (5xx still are), which keeps the matrices fast."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def _stacking_outcome(w):
    from stacking.models import StackingOutcome

    return StackingOutcome.objects.create(
        identity="email:amina@example.org", rule_slug="pathway", result=w.achievement, award=w.award,
        recipient_email="amina@example.org", recipient_name="Amina Okonkwo", state="issued",
    )  # fmt: skip
