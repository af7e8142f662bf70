"""Two programmes, an achievement, an award, a bulk job and an event in A; one account per role."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone


def make_user(django_user_model, username, *, programme=None, role=None, **fields):
    from programmes.models import StaffRole

    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw", **fields)
    if programme is not None:
        StaffRole.objects.create(user=user, programme=programme, role=role)
    return user


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def console(db, issuer, competency, django_user_model):
    from credentials.bulk.services import bulk_job_create
    from credentials.services import Recipient, award_issue
    from events.services import event_create
    from programmes.models import Programme
    from tests.credentials.conftest import make_achievement

    a = Programme.objects.create(slug="nursing", name="Nursing")
    b = Programme.objects.create(slug="logistics", name="Logistics")
    achievement = make_achievement(issuer, competency, programme=a)
    other = make_achievement(issuer, competency, slug="forklift", name="Forklift Safety", programme=b)
    award = award_issue(achievement=achievement, recipient=Recipient(email="amina@example.org", name="Amina Okonkwo"))
    other_award = award_issue(achievement=other, recipient=Recipient(email="bo@example.org", name="Bo Lindqvist"))
    now = timezone.now()
    users = {
        "none": make_user(django_user_model, "nobody"),
        "viewer": make_user(django_user_model, "viewer", programme=a, role="viewer"),
        "issuer": make_user(django_user_model, "issuer", programme=a, role="issuer"),
        "manager": make_user(django_user_model, "manager", programme=a, role="manager"),
        "other": make_user(django_user_model, "other", programme=b, role="manager"),
        "admin": make_user(django_user_model, "admin", is_staff=True, is_superuser=True),
    }
    return SimpleNamespace(
        a=a,
        b=b,
        issuer=issuer,
        competency=competency,
        achievement=achievement,
        other=other,
        award=award,
        other_award=other_award,
        # a certificate (its publishing mode has a PDF; a badge's has none)
        certificate=make_achievement(
            issuer, None, tier=competency.framework.certificatetier_set.get(code="achievement"),
            slug="infection-control", name="Infection Control", programme=a, alignments=[],
        ),  # fmt: skip
        job=bulk_job_create(
            achievement=achievement, data=b"email,name\nlea@example.org,Lea Martin\n", filename="a.csv"
        ),
        event=event_create(
            achievement=achievement, name="Forum", opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1)
        ),
        users=users,
    )


@pytest.fixture(autouse=True)
def _analytics_caught_up(db):
    """The embedded default's pages catch the analytics up at most once a minute (no beat there): done before the
    test, so that query budgets measure the page itself."""
    from analytics.services import analytics_catch_up_if_due

    analytics_catch_up_if_due()
