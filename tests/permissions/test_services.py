"""Every service staff reach refuses an actor without the permission of what it does, and writes nothing; with
exactly that permission it works; the system (actor=None) may always act."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from credentials import services as credentials
from credentials.bulk import services as bulk
from credentials.models import Achievement
from events import services as events
from frameworks import services as frameworks
from frameworks.models import GlossaryTerm
from outbox import services as outbox_services
from tests.conftest import make_staff
from wallets import services as wallets

from .matrix import ISSUE, REISSUE, REVOKE, snapshot


def _new_achievement(w):
    return Achievement(**{**_fields(w.achievement), "slug": "mediation", "name": "Mediation"})


def _fields(achievement):
    names = ["issuer", "category", "tier", "description", "criteria_narrative", "assessment_method", "hours",
             "evidence_required", "ects_credits", "level", "alignments", "validity_days", "language"]  # fmt: skip
    return {name: getattr(achievement, name) for name in names}


def _part(w):
    return w.draft.badgecategory_set.first()


def _term(w):
    return GlossaryTerm(framework=w.draft, slug="cohort", term="Cohort", definition="A group.", international_term="x",
                        source="open_badges")  # fmt: skip


# name → (permission(s), call(world, actor))
SERVICES = {
    "issuer_create": ("credentials.add_issuer", lambda w, actor: credentials.issuer_create(
        slug="new-centre", name="New Centre", url="https://new.example.org", email="b@new.example.org", actor=actor)),
    "issuer_update": ("credentials.change_issuer", lambda w, actor: credentials.issuer_update(issuer=w.issuer,
                                                                                               actor=actor)),
    "issuer_rotate_key": ("credentials.change_issuer", lambda w, actor: credentials.issuer_rotate_key(
        issuer=w.issuer, actor=actor)),
    "achievement_save (new)": ("credentials.add_achievement", lambda w, actor: credentials.achievement_save(
        achievement=_new_achievement(w), actor=actor)),
    "achievement_save (change)": ("credentials.change_achievement", lambda w, actor: credentials.achievement_save(
        achievement=w.achievement, actor=actor)),
    "award_issue": (ISSUE, lambda w, actor: credentials.award_issue(
        achievement=w.achievement, recipient=credentials.Recipient(email="lea@example.org", name="Lea Martin"),
        actor=actor)),
    "award_issue_many": (ISSUE, lambda w, actor: credentials.award_issue_many(
        achievement=w.achievement, recipients=[credentials.Recipient(email="lea@example.org", name="Lea")],
        actor=actor)),
    "award_revoke": (REVOKE, lambda w, actor: credentials.award_revoke(award=w.award, reason="Wrong.", actor=actor)),
    "award_reissue": (REISSUE, lambda w, actor: credentials.award_reissue(award=w.award, reason="Typo.",
                                                                          name="Amina O.", actor=actor)),
    "outbox_retry": ("outbox.change_outboxemail", lambda w, actor: outbox_services.outbox_retry(email=w.outbox,
                                                                                          actor=actor)),
    "bulk_job_create": ("credentials.add_bulkjob", lambda w, actor: bulk.bulk_job_create(
        achievement=w.achievement, data=b"email,name\nzoe@example.org,Zoe\n", filename="b.csv", actor=actor)),
    "bulk_job_start": (ISSUE, lambda w, actor: bulk.bulk_job_start(job=w.job, actor=actor)),
    "event_create": ("events.add_event", lambda w, actor: events.event_create(
        achievement=w.achievement, name="Workshop", opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=1), actor=actor)),
    "event_update": ("events.change_event", lambda w, actor: events.event_update(event=w.event, name="Renamed",
                                                                                 actor=actor)),
    "framework_create": ("frameworks.add_framework", lambda w, actor: frameworks.framework_create(title="Next",
                                                                                                  actor=actor)),
    "framework_update": ("frameworks.change_framework", lambda w, actor: frameworks.framework_update(
        framework=w.draft, actor=actor)),
    "framework_publish": ("frameworks.change_framework", lambda w, actor: frameworks.framework_publish(
        framework=w.draft, actor=actor)),
    "framework_new_version": ("frameworks.add_framework", lambda w, actor: frameworks.framework_new_version(
        source=w.framework, actor=actor)),
    "framework_part_save (new)": ("frameworks.add_glossaryterm", lambda w, actor: frameworks.framework_part_save(
        part=_term(w), actor=actor)),
    "framework_part_save (change)": ("frameworks.change_badgecategory", lambda w, actor:
                                     frameworks.framework_part_save(part=_part(w), actor=actor)),
    "framework_part_delete": ("frameworks.delete_glossaryterm", lambda w, actor: frameworks.framework_part_delete(
        part=w.draft.glossaryterm_set.first(), actor=actor)),
    "stacking_rule_save": ("frameworks.change_stackingrule", lambda w, actor: frameworks.stacking_rule_save(
        rule=w.draft.stackingrule_set.first(), categories=w.draft.stackingrule_set.first().allowed_categories.all(),
        tiers=w.draft.stackingrule_set.first().allowed_tiers.all(), actor=actor)),
    "endorsement_issue": ("wallets.add_endorsement", lambda w, actor: wallets.endorsement_issue(
        award=w.award, issuer=w.issuer, comment="Excellent work in the simulation.", actor=actor)),
}  # fmt: skip


def _try(call, world, actor):
    """Call the service inside a savepoint rolled back afterwards. Returns (PermissionDenied or None, changed)."""
    with transaction.atomic():
        before = snapshot()
        try:
            call(world, actor)
        except PermissionDenied as exc:
            refused = exc
        else:
            refused = None
        changed = snapshot() != before
        transaction.set_rollback(True)
    return refused, changed


@pytest.mark.django_db
def test_staff_services_check_the_permission_of_what_they_do(world, django_user_model):
    no_rights = make_staff(django_user_model, "no-rights")
    made = []

    def staff(*perms):
        made.append(None)
        return make_staff(django_user_model, f"staff-{len(made)}", *perms)

    problems = []
    for name, (perm, call) in SERVICES.items():
        perms = (perm,) if isinstance(perm, str) else perm
        refused, changed = _try(call, world, no_rights)
        if refused is None or changed:
            problems.append(f"{name}: a staff account without permission was not refused (changed={changed})")
        elif perms[0] not in str(refused):
            problems.append(f"{name}: the refusal does not name the permission: {refused}")
        for missing in perms[1:] if len(perms) > 1 else ():
            refused, changed = _try(call, world, staff(*(p for p in perms if p != missing)))
            if refused is None or changed:
                problems.append(f"{name}: allowed without {missing}")
        refused, changed = _try(call, world, world.learner)
        if refused is None or changed:
            problems.append(f"{name}: a learner was not refused")
        refused, changed = _try(call, world, staff(*perms))
        if refused is not None or not changed:
            problems.append(f"{name}: refused or did nothing with {perms}: {refused}")
        refused, changed = _try(call, world, None)
        if refused is not None or not changed:
            problems.append(f"{name}: the system (actor=None) was refused or did nothing: {refused}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_learners_own_steps_need_no_staff_permission(world):
    """Accepting, declining, endorsement requests: the learner acts on what is theirs, holding no permission."""
    award = credentials.award_accept(award=world.award, actor=world.learner)
    assert award.state == "accepted"
    assert credentials.award_decline(award=award, actor=world.learner).state == "declined"


@pytest.mark.django_db
def test_a_bulk_job_issues_in_the_name_of_whoever_started_it(world, django_user_model):
    """Uploading (a dry run) and issuing are two permissions; workers issue as the system on behalf of the
    staff member who started the job, whose permission was checked then."""
    from audit.models import AuditEntry
    from credentials.models import Award

    uploader = make_staff(django_user_model, "uploader", "credentials.add_bulkjob")
    job = bulk.bulk_job_create(
        achievement=world.achievement, data=b"email,name\nzoe@example.org,Zoe\n", filename="c.csv", actor=uploader
    )
    with pytest.raises(PermissionDenied, match="credentials.add_award"):
        bulk.bulk_job_start(job=job, actor=uploader)
    job.refresh_from_db()
    assert job.state == "ready" and job.started_by is None
    starter = make_staff(django_user_model, "starter", ISSUE)
    bulk.bulk_job_start(job=job, actor=starter)
    [(first, last)] = bulk.bulk_job_plan(job_id=job.pk)
    assert bulk.bulk_rows_issue(job_id=job.pk, first_row_id=first, last_row_id=last)["issued"] == 1
    award = Award.objects.get(recipient_email="zoe@example.org")
    assert award.created_by == starter
    assert AuditEntry.objects.get(action="award.issue", subject_id=str(award.pk)).actor == starter
    with pytest.raises(TypeError):
        credentials.award_issue_many(achievement=world.achievement, recipients=[], actor=starter, on_behalf_of=starter)
