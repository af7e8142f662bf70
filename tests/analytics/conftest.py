import pytest


@pytest.fixture(autouse=True)
def _fresh_analytics_cache():
    from django.core.cache import caches

    caches["analytics"].clear()
    yield
    caches["analytics"].clear()


@pytest.fixture
def programmes(db):
    from programmes.models import Programme

    return (
        Programme.objects.create(slug="social-protection", name="Social Protection"),
        Programme.objects.create(slug="green-jobs", name="Green Jobs"),
    )


@pytest.fixture
def history(programmes, issuer, competency):
    """Awards of three achievements in two programmes, in every state, with shares, views, opens and clicks."""
    from datetime import timedelta

    from django.utils import timezone

    from analytics import buffer
    from analytics.models import Kind
    from credentials.services import Recipient, award_accept, award_decline, award_issue_many, award_revoke
    from tests.credentials.conftest import make_achievement
    from wallets.models import ShareEvent

    now = timezone.now()
    first = make_achievement(issuer, competency, slug="sp-one", name="SP One", programme=programmes[0])
    second = make_achievement(issuer, competency, slug="sp-two", name="SP Two", programme=programmes[0])
    third = make_achievement(issuer, competency, slug="gj-one", name="GJ One", programme=programmes[1])
    awards = []
    for achievement, count, days_ago in ((first, 8, 10), (second, 5, 100), (third, 6, 400)):
        recipients = [
            Recipient(email=f"{achievement.slug}-{n}@example.org", name=f"Person {n}",
                      issued_at=now - timedelta(days=days_ago + n))
            for n in range(count)
        ]  # fmt: skip
        awards += award_issue_many(achievement=achievement, recipients=recipients)
    for index, award in enumerate(awards):
        if index % 5 == 0 and not award.is_expired:
            award_accept(award=award)
        elif index % 5 == 1 and not award.is_expired:
            award_decline(award=award)
        elif index % 7 == 2:
            award_revoke(award=award, reason="Wrong course")
        if index % 3 == 0:
            ShareEvent.objects.create(award=award, channel="linkedin_profile")
            ShareEvent.objects.create(award=award, channel="email")
        if index % 4 == 0:
            for _ in range(index % 3 + 1):
                buffer.record(Kind.VIEW, award.pk)
        if index % 2 == 0:
            buffer.record(Kind.EMAIL_OPEN, award.pk)
    return {"programmes": programmes, "achievements": (first, second, third), "awards": awards}
