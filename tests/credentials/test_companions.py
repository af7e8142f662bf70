"""A certificate with companion badges: one claim email for all, one answer for all, each page links the other."""

from datetime import timedelta

import pytest

from credentials.claim_emails import claim_reminders_queue
from credentials.links import claim_url
from credentials.models import Achievement, Award
from credentials.services import Recipient, achievement_save, award_accept, award_decline, award_issue
from outbox.models import OutboxEmail
from tests.wallets.conftest import client_for, make_learner
from wallets.models import WalletEntry

from .conftest import make_achievement

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(issuer, default_framework, achievement):
    tier = default_framework.certificatetier_set.get(code="achievement")
    event = default_framework.badgecategory_set.get(code="event")
    forum = make_achievement(issuer, event, slug="forum-2025", name="Future of Work Forum 2025", alignments=[])
    certificate = Achievement(issuer=issuer, tier=tier, slug="policy-design", name="Policy Design", description="d",
                              criteria_narrative="c", assessment_method="exam", hours=300,
                              mode=Achievement.Mode.CERTIFICATE_WITH_BADGES)  # fmt: skip
    achievement_save(achievement=certificate, companions=[achievement, forum])
    return certificate


def _issue(certificate, django_capture_on_commit_callbacks, email="lea@example.org") -> Award:
    with django_capture_on_commit_callbacks(execute=True):
        return award_issue(achievement=certificate, recipient=Recipient(email=email, name="Léa Martin"))


def test_one_claim_email_names_the_companions_and_none_of_their_own(certificate, django_capture_on_commit_callbacks):
    award = _issue(certificate, django_capture_on_commit_callbacks)
    assert award.companions.count() == 2
    emails = list(OutboxEmail.objects.filter(kind="claim"))
    assert [email.award_id for email in emails] == [award.pk]
    body = emails[0].body_text
    assert "It comes with 2 badges for the competencies it covers" in body
    assert "Negotiation" in body or "negotiation" in body.lower()
    assert "Future of Work Forum 2025" in body


def test_reminders_skip_the_companions(certificate, django_capture_on_commit_callbacks, settings):
    award = _issue(certificate, django_capture_on_commit_callbacks)
    settings.CLAIM_REMINDER_DAYS = [1]
    Award.objects.update(issued_at=award.issued_at - timedelta(days=2))
    OutboxEmail.objects.update(created_at=award.issued_at - timedelta(days=2))
    assert claim_reminders_queue() == 1
    assert OutboxEmail.objects.filter(dedupe_key__startswith="reminder:").get().award_id == award.pk


def test_accepting_the_certificate_accepts_its_waiting_companions(certificate, django_capture_on_commit_callbacks):
    award = _issue(certificate, django_capture_on_commit_callbacks)
    first, second = award.companions.order_by("pk")
    award_decline(award=first)  # answered on its own before: keeps its answer
    award_accept(award=award)
    assert Award.objects.get(pk=second.pk).state == Award.State.ACCEPTED
    assert Award.objects.get(pk=first.pk).state == Award.State.DECLINED


def test_declining_the_certificate_declines_its_waiting_companions(certificate, django_capture_on_commit_callbacks):
    award = _issue(certificate, django_capture_on_commit_callbacks)
    award_decline(award=award)
    assert set(award.companions.values_list("state", flat=True)) == {Award.State.DECLINED}


def test_the_claim_link_puts_the_companions_in_the_wallet(certificate, django_capture_on_commit_callbacks, settings):
    learner = make_learner("lea@example.org")
    award = _issue(certificate, django_capture_on_commit_callbacks)
    client = client_for(learner)
    response = client.post(claim_url(award).removeprefix(settings.BASE_URL), {"answer": "accept"})
    assert response.status_code == 302
    held = set(WalletEntry.objects.filter(user=learner).values_list("award_id", flat=True))
    assert held == {award.pk, *award.companions.values_list("pk", flat=True)}


def test_each_page_links_the_other(client, certificate, django_capture_on_commit_callbacks):
    award = _issue(certificate, django_capture_on_commit_callbacks)
    companion = award.companions.order_by("pk").first()
    page = client.get(award.get_absolute_url(), HTTP_ACCEPT="text/html").content.decode()
    assert "Issued with" in page and companion.get_absolute_url() in page
    page = client.get(companion.get_absolute_url(), HTTP_ACCEPT="text/html").content.decode()
    assert "Part of" in page and award.get_absolute_url() in page and "Policy Design" in page


def test_a_certificate_without_companions_lists_none(client, issuer, default_framework,
                                                     django_capture_on_commit_callbacks):  # fmt: skip
    tier = default_framework.certificatetier_set.get(code="participation")
    plain = make_achievement(
        issuer, None, tier=tier, slug="plain", name="Plain", alignments=[], hours=300, ects_credits=12
    )
    award = _issue(plain, django_capture_on_commit_callbacks)
    assert "Issued with" not in client.get(award.get_absolute_url(), HTTP_ACCEPT="text/html").content.decode()
