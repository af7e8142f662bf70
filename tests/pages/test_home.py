"""The home page (issue 15.3): what Laurel is, the public catalogue of published achievements with search and
filters (programme, tier or category, kind), and the events open for claims now (never their claim codes)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from credentials.models import Achievement
from programmes.models import Programme
from tests.credentials.conftest import make_achievement

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(issuer, default_framework):
    from credentials.services import achievement_save

    competency = default_framework.badgecategory_set.get(code="competency")
    leadership = default_framework.badgecategory_set.exclude(code="competency").first()
    ilo = Programme.objects.create(slug="ilo-academy", name="ILO Academy")
    closed = Programme.objects.create(slug="old-school", name="Old School", is_active=False)
    make_achievement(issuer, competency, slug="negotiation", name="Negotiation Skills", programme=ilo)
    make_achievement(issuer, leadership, slug="team-lead", name="Team Leadership", description="Leads a team.")
    make_achievement(issuer, competency, slug="draft-one", name="Secret Draft", status=Achievement.Status.DRAFT)
    make_achievement(issuer, competency, slug="archived", name="Archived One", status=Achievement.Status.ARCHIVED)
    make_achievement(issuer, competency, slug="closed-prog", name="Closed Programme Badge", programme=closed)
    tier = default_framework.certificatetier_set.get(code="participation")
    achievement_save(
        achievement=Achievement(
            issuer=issuer, tier=tier, slug="labour-standards", name="International Labour Standards",
            description="A course on labour standards.", criteria_narrative="Attend 80% of sessions.", hours=30,
            programme=ilo,
        )
    )  # fmt: skip
    return {"leadership": leadership}


def _names(client, **params) -> set[str]:
    body = client.get("/", params).content.decode()
    return set(re.findall(r'<h3 id="achievement-\d+"><a href="/achievements/[^"]+/">([^<]+)</a>', body))


ALL_PUBLISHED = {"Negotiation Skills", "Team Leadership", "International Labour Standards"}


def test_home_says_what_laurel_is_and_lists_only_published_achievements(client, catalogue):
    body = client.get("/").content.decode()
    assert "Certificates and badges that anyone can verify" in body
    assert "Employers and schools" in body and 'href="/verify/"' in body
    assert _names(client) == ALL_PUBLISHED  # no draft, archived, or inactive programme's achievement
    assert "Secret Draft" not in body and "Closed Programme Badge" not in body
    assert 'role="search"' in body and '<label for="catalogue-q">' in body
    assert "3 achievements found." in body
    # certificates first, then badges by category
    assert body.index(">International Labour Standards</a>") < body.index(">Negotiation Skills</a>")


def test_catalogue_search_and_filters(client, catalogue):
    assert _names(client, q="labour") == {"International Labour Standards"}
    assert _names(client, q="team leads") == {"Team Leadership"}  # every word, in name or description
    assert _names(client, q="Test Centre") == ALL_PUBLISHED  # the issuer's name
    assert _names(client, programme="ilo-academy") == {"Negotiation Skills", "International Labour Standards"}
    assert _names(client, kind="certificate") == {"International Labour Standards"}
    assert _names(client, kind="badge") == {"Negotiation Skills", "Team Leadership"}
    assert _names(client, group="category:competency") == {"Negotiation Skills"}
    assert _names(client, group="tier:participation") == {"International Labour Standards"}
    assert _names(client, group=f"category:{catalogue['leadership'].code}", kind="badge") == {"Team Leadership"}
    body = client.get("/", {"q": "nothing-like-this"}).content.decode()
    assert "No achievement matches this search." in body and "0 achievements found." in body


def test_catalogue_filter_choices_name_only_what_is_published(client, catalogue):
    body = client.get("/").content.decode()
    assert '<option value="ilo-academy">ILO Academy</option>' in body
    assert "old-school" not in body  # an inactive programme is not offered
    assert '<option value="tier:participation">' in body and '<option value="category:competency">' in body


@pytest.mark.parametrize(
    "params",
    [
        {"programme": "old-school"},
        {"programme": "<script>"},
        {"group": "tier:nope"},
        {"group": "issuer:x"},
        {"kind": "bogus"},
        {"page": "999"},
        {"page": "-1"},
        {"q": "x" * 500},
    ],
)
def test_bad_filter_values_are_ignored_not_errors(client, catalogue, params):
    response = client.get("/", params)
    assert response.status_code == 200
    if "q" not in params:
        assert _names(client, **params) == ALL_PUBLISHED


def test_catalogue_pages(client, issuer, competency, settings):
    for n in range(26):
        make_achievement(issuer, competency, slug=f"badge-{n:02d}", name=f"Badge {n:02d}")
    first = client.get("/").content.decode()
    assert "26 achievements found." in first and "Page 1 of 2" in first and 'rel="next"' in first
    assert len(_names(client)) == 24 and len(_names(client, page="2")) == 2


def test_home_query_count_does_not_grow_with_the_catalogue(client, issuer, competency, django_assert_max_num_queries):
    for n in range(10):
        make_achievement(issuer, competency, slug=f"badge-{n:02d}", name=f"Badge {n:02d}")
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200


def test_current_events_are_listed_without_their_claim_codes(client, achievement):
    from events.services import event_create

    now = timezone.now()
    open_event = event_create(
        achievement=achievement, name="Future of Work Forum", opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=2),
    )  # fmt: skip
    event_create(
        achievement=achievement, name="Last Year's Forum", opens_at=now - timedelta(days=9),
        closes_at=now - timedelta(days=8),
    )  # fmt: skip
    event_create(
        achievement=achievement, name="Next Year's Forum", opens_at=now + timedelta(days=300),
        closes_at=now + timedelta(days=302),
    )  # fmt: skip
    body = client.get("/").content.decode()
    assert "Events open for claims now" in body and "Future of Work Forum" in body
    assert "Last Year" not in body and "Next Year" not in body
    assert open_event.code not in body and open_event.display_code not in body  # the code is the attendees' secret
    assert 'href="/events/"' in body  # where attendees type the code


def test_no_events_section_without_open_events(client, db):
    assert "Events open for claims now" not in client.get("/").content.decode()
