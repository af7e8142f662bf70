"""THE permission matrix of the services: every staff service × every role (none; viewer, issuer, manager of
programme A; the same of programme B; platform administrator) × an object of programme A and one of programme B.

Each cell is allowed exactly when the actor is a platform administrator or holds, in the programme of the object,
at least the role the service needs; a refused call raises PermissionDenied and leaves every table as it was
(rows of every model, the last audit entry, states: tests/permissions/matrix.py `snapshot`), an allowed one
changes something. Whatever calls the service (a view, the admin, a task, a command), this is what holds.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from credentials import services as credentials
from credentials.bulk import services as bulk
from credentials.models import Achievement
from events import services as events
from programmes import services as programmes
from tests.permissions.matrix import snapshot

pytestmark = pytest.mark.django_db

ACTORS = ["none", "viewer of A", "issuer of A", "manager of A", "viewer of B", "issuer of B", "manager of B",
          "platform admin"]  # fmt: skip
RANK = {"viewer": 1, "issuer": 2, "manager": 3}


def _changed_achievement(side):
    achievement = Achievement.objects.get(pk=side.achievement.pk)
    achievement.description = "A clearer description of what the holder did."
    return achievement


def _new_achievement(side):
    achievement = Achievement.objects.get(pk=side.achievement.pk)
    achievement.pk, achievement.slug, achievement.name = None, f"{achievement.slug}-2", "Mediation"
    return achievement


def _newcomer():
    """Made before the matrix runs (a user made inside a cell would count as a change)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="newcomer")


# service → (the least role that may call it, call(side of the world, actor))
SERVICES = {
    "award_issue": ("issuer", lambda s, actor: credentials.award_issue(
        achievement=s.achievement, recipient=credentials.Recipient(email="lea@example.org", name="Lea Martin"),
        actor=actor)),
    "award_issue_many": ("issuer", lambda s, actor: credentials.award_issue_many(
        achievement=s.achievement, recipients=[credentials.Recipient(email="lea@example.org", name="Lea")],
        actor=actor)),
    "bulk_job_create": ("issuer", lambda s, actor: bulk.bulk_job_create(
        achievement=s.achievement, data=b"email,name\nzoe@example.org,Zoe\n", filename="z.csv", actor=actor)),
    "bulk_job_start": ("issuer", lambda s, actor: bulk.bulk_job_start(job=s.job, actor=actor)),
    "award_revoke": ("issuer", lambda s, actor: credentials.award_revoke(award=s.award, reason="Wrong person.",
                                                                         actor=actor)),
    "award_reissue": ("issuer", lambda s, actor: credentials.award_reissue(
        award=s.award, reason="Typo in the name.", name="Amina O.", actor=actor)),
    "event_create": ("issuer", lambda s, actor: events.event_create(
        achievement=s.achievement, name="Workshop", opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=1), actor=actor)),
    "event_update": ("issuer", lambda s, actor: events.event_update(event=s.event, name="Renamed", actor=actor)),
    "achievement_save (change)": ("manager", lambda s, actor: credentials.achievement_save(
        achievement=_changed_achievement(s), actor=actor)),
    "achievement_save (new)": ("manager", lambda s, actor: credentials.achievement_save(
        achievement=_new_achievement(s), actor=actor)),
    "programme_update": ("manager", lambda s, actor: programmes.programme_update(
        programme=s.programme, description="Our programme.", actor=actor)),
    "staff_role_set": ("manager", lambda s, actor: programmes.staff_role_set(
        programme=s.programme, user=_newcomer(), role="viewer", actor=actor)),
    "staff_invite_create": ("manager", lambda s, actor: programmes.staff_invite_create(
        programme=s.programme, email="zoe@example.org", role="issuer", actor=actor)),
}  # fmt: skip


def expected(actor: str, service: str, side: str) -> bool:
    if actor == "platform admin":
        return True
    if actor == "none":
        return False
    role, _of, programme = actor.split()
    return programme == side and RANK[role] >= RANK[SERVICES[service][0]]


def attempt(call, side, actor):
    """Call inside a savepoint rolled back afterwards: (refused?, did anything change?)."""
    with transaction.atomic():
        before = snapshot()
        try:
            call(side, actor)
        except PermissionDenied:
            refused = True
        else:
            refused = False
        changed = snapshot() != before
        transaction.set_rollback(True)
    return refused, changed


def test_the_service_matrix(two, django_user_model):
    django_user_model.objects.create_user("newcomer", "new@example.org")
    problems, cells = [], 0
    for service, (_least, call) in SERVICES.items():
        for side in ("A", "B"):
            objects = two.a if side == "A" else two.b
            for actor in ACTORS:
                user = two.people[actor]
                for attr in ("_programme_roles", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
                    user.__dict__.pop(attr, None)
                allowed = expected(actor, service, side)
                refused, changed = attempt(call, objects, user)
                cells += 1
                if allowed and (refused or not changed):
                    problems.append(f"{service} on {side} as {actor}: refused={refused} changed={changed}, "
                                    f"expected allowed")  # fmt: skip
                if not allowed and (not refused or changed):
                    problems.append(f"{service} on {side} as {actor}: refused={refused} changed={changed}, "
                                    f"expected refused with nothing changed")  # fmt: skip
    assert cells == len(SERVICES) * 2 * len(ACTORS)
    assert not problems, "\n".join(problems)


def test_an_issuer_of_programme_a_cannot_revoke_an_award_of_programme_b(two):
    issuer_a, award_b = two.people["issuer of A"], two.b.award
    before = snapshot()
    with pytest.raises(PermissionDenied, match="credentials.revoke_award"):
        credentials.award_revoke(award=award_b, reason="Not mine to revoke.", actor=issuer_a)
    award_b.refresh_from_db()
    assert award_b.state == "issued" and snapshot() == before
    credentials.award_revoke(award=two.a.award, reason="Issued to the wrong person.", actor=issuer_a)  # their own
    two.a.award.refresh_from_db()
    assert two.a.award.state == "revoked"


def test_nothing_moves_to_another_programme_by_the_back_door(two):
    """An event or an achievement cannot be moved into, or out of, a programme where the actor holds no role."""
    issuer_a, manager_b = two.people["issuer of A"], two.people["manager of B"]
    with pytest.raises(PermissionDenied):
        events.event_update(event=two.a.event, achievement=two.b.achievement, actor=issuer_a)
    two.a.event.refresh_from_db()
    assert two.a.event.achievement == two.a.achievement
    stolen = Achievement.objects.get(pk=two.a.achievement.pk)
    stolen.programme = two.b.programme
    with pytest.raises(PermissionDenied):
        credentials.achievement_save(achievement=stolen, actor=manager_b)
    assert Achievement.objects.get(pk=two.a.achievement.pk).programme == two.a.programme
    # the same moves by someone who holds the role on both sides work
    both = two.people["platform admin"]
    events.event_update(event=two.a.event, achievement=two.b.achievement, actor=both)


def test_an_achievement_without_programme_is_the_platform_administrators(two):
    orphan = Achievement.objects.get(pk=two.a.achievement.pk)
    Achievement.objects.filter(pk=orphan.pk).update(programme=None)
    orphan.refresh_from_db()
    for actor in ("manager of A", "manager of B", "issuer of A"):
        with pytest.raises(PermissionDenied):
            credentials.award_issue(
                achievement=orphan,
                recipient=credentials.Recipient(email="lea@example.org", name="Lea"),
                actor=two.people[actor],
            )
    orphan.programme = two.a.programme  # nor can a manager claim it for their programme
    with pytest.raises(PermissionDenied):
        credentials.achievement_save(achievement=orphan, actor=two.people["manager of A"])


def test_every_object_of_a_programme_resolves_to_it(two):
    """Achievements, awards, events, their claims and bulk jobs (and its rows) lead to their programme; what
    belongs to no programme (an issuer, a learner's record) leads nowhere, so only platform administrators act
    on it."""
    from events.models import EventClaim
    from programmes.roles import programme_id_of

    side = two.a
    claim = EventClaim(event=side.event, email="x@example.org")
    for obj in (side.programme, side.achievement, side.award, side.event, side.job, claim, side.job.rows.first()):
        assert programme_id_of(obj) == side.programme.pk, type(obj).__name__
    assert programme_id_of(side.achievement.issuer) is None
