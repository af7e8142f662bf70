"""Verification-page views, claim-email opens and claim-link clicks: counted in the cache, no query on the page,
bots and the holder's own views left out, nothing personal stored."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from analytics import buffer
from analytics.models import AwardDayCount, Kind
from analytics.tracking import open_token
from credentials.signals import verification_page_viewed

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"


@pytest.fixture
def award(achievement):
    from credentials.services import Recipient, award_issue

    return award_issue(achievement=achievement, recipient=Recipient(email="amina@example.org", name="Amina Okonkwo"))


def counts(kind=Kind.VIEW) -> int:
    buffer.flush()
    return sum(AwardDayCount.objects.filter(kind=kind).values_list("count", flat=True))


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, HTTP_USER_AGENT=BROWSER).status_code == 200
    return len(captured)


def test_counting_adds_no_query_to_the_verification_page(award):
    from analytics.receivers import count_verification_view

    url = award.get_absolute_url()
    client = Client()
    client.get(url, HTTP_USER_AGENT=BROWSER)  # warm up (status list signed once, etc.)
    with_counting = queries_of(client, url)
    verification_page_viewed.disconnect(count_verification_view)
    try:
        without = queries_of(client, url)
    finally:
        verification_page_viewed.connect(count_verification_view)
    assert with_counting == without
    assert counts() == 2  # the warm-up and the counted view; not the one without the receiver


def test_bots_are_not_counted(award):
    client = Client()
    for agent in ("", "LinkedInBot/1.0 (compatible; Mozilla/5.0)", "curl/8.0", "Mozilla/5.0 HeadlessChrome/120"):
        client.get(award.get_absolute_url(), HTTP_USER_AGENT=agent)
    assert counts() == 0
    client.get(award.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    assert counts() == 1


def test_the_holder_viewing_their_own_credential_is_not_counted(award, django_user_model):
    from allauth.account.models import EmailAddress

    holder = django_user_model.objects.create_user("amina", "amina@example.org", "pw")
    EmailAddress.objects.create(user=holder, email="amina@example.org", verified=True, primary=True)
    other = django_user_model.objects.create_user("ben", "ben@example.org", "pw")
    for user in (holder, other):
        client = Client()
        client.force_login(user)
        client.get(award.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    assert counts() == 1  # the other person's view only
    row = AwardDayCount.objects.get()
    assert {f.name for f in AwardDayCount._meta.fields} == {"id", "award", "day", "kind", "count"}
    assert row.award_id == award.pk and row.count == 1


def test_flush_counts_each_event_once_and_empties_the_buffer(award):
    for _ in range(5):
        buffer.record(Kind.VIEW, award.pk)
    assert buffer.pending() == 5
    assert buffer.flush() == 5
    assert buffer.flush() == 0
    buffer.record(Kind.VIEW, award.pk)
    buffer.flush()
    assert AwardDayCount.objects.get(kind=Kind.VIEW).count == 6
    assert buffer.pending() == 0


def test_flush_starts_again_when_the_cache_was_emptied(award):
    from django.core.cache import caches

    for _ in range(3):
        buffer.record(Kind.VIEW, award.pk)
    buffer.flush()
    caches["analytics"].clear()  # Redis restarted: numbering starts again under a new epoch
    buffer.record(Kind.VIEW, award.pk)
    buffer.flush()
    assert AwardDayCount.objects.get(kind=Kind.VIEW).count == 4


def test_unknown_awards_and_garbage_are_dropped(award):
    from django.core.cache import caches

    buffer.record(Kind.VIEW, 999999)
    buffer.record("nonsense", award.pk)
    epoch = caches["analytics"].get("analytics:epoch")
    number = caches["analytics"].incr(f"analytics:{epoch}:seq")
    caches["analytics"].set(f"analytics:{epoch}:e:{number}", "not|an|event")
    assert buffer.flush() == 0


def test_claim_email_carries_an_open_pixel_that_counts(award):
    from credentials.claim_emails import claim_email_queue

    html = claim_email_queue(award=award).body_html
    token = open_token(award.pk)
    assert f"/a/o/{token}.gif" in html
    client = Client()
    response = client.get(f"/a/o/{token}.gif", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"
    assert client.get("/a/o/forged:abc.gif", HTTP_USER_AGENT=BROWSER).status_code == 200  # same image, not counted
    assert counts(Kind.EMAIL_OPEN) == 1


def test_following_the_claim_link_counts_a_click(award):
    from credentials.links import claim_url

    url = claim_url(award).removeprefix("http://127.0.0.1:8000")
    assert Client().get(url, HTTP_USER_AGENT=BROWSER).status_code == 200
    assert Client().get(url[:-3] + "xyz/", HTTP_USER_AGENT=BROWSER).status_code == 400  # a broken link: not counted
    assert counts(Kind.LINK_CLICK) == 1
