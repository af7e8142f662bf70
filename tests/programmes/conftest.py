"""Two programmes, A and B, each with an achievement, an award, an event and a bulk job, and one person for each
role in each programme, for the programmes tests and the permission matrix."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone


def _achievement(issuer, competency, programme, slug):
    from tests.credentials.conftest import make_achievement

    achievement = make_achievement(issuer, competency, slug=slug)
    achievement.programme = programme
    achievement.save(update_fields=["programme"])
    return achievement


@pytest.fixture
def two(issuer, competency, django_user_model):
    from credentials.bulk.services import bulk_job_create
    from credentials.services import Recipient, award_issue
    from events.services import event_create
    from programmes.models import Programme, StaffRole

    now = timezone.now()
    w = SimpleNamespace(people={})
    for key, slug, name in (("a", "social-protection", "Social Protection"), ("b", "green-jobs", "Green Jobs")):
        programme = Programme.objects.create(slug=slug, name=name)
        achievement = _achievement(issuer, competency, programme, f"{slug}-badge")
        setattr(w, key, SimpleNamespace(
            programme=programme,
            achievement=achievement,
            award=award_issue(achievement=achievement,
                              recipient=Recipient(email=f"amina.{key}@example.org", name="Amina Okonkwo")),
            event=event_create(achievement=achievement, name=f"Forum {key}", opens_at=now - timedelta(hours=1),
                               closes_at=now + timedelta(days=1)),
            job=bulk_job_create(achievement=achievement, data=b"email,name\nlea@example.org,Lea Martin\n",
                                filename=f"{key}.csv"),
        ))  # fmt: skip
        for role in ("viewer", "issuer", "manager"):
            user = django_user_model.objects.create_user(f"{role}-{key}", f"{role}.{key}@example.org", "pw",
                                                         is_staff=True)  # fmt: skip
            StaffRole.objects.create(user=user, programme=programme, role=role)
            w.people[f"{role} of {key.upper()}"] = user
    w.people["none"] = django_user_model.objects.create_user("nobody", "nobody@example.org", "pw", is_staff=True)
    w.people["platform admin"] = django_user_model.objects.create_user(
        "root", "root@example.org", "pw", is_staff=True, is_superuser=True
    )
    return w
