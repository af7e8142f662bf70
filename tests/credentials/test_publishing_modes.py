"""Publishing modes (issue 14.1), EQF level and ESCO alignments (issue 14.6)."""

import pytest
from django.core.exceptions import ValidationError

from credentials.artifacts import build
from credentials.models import Achievement, Award
from credentials.services import Recipient, achievement_save, award_issue, award_reissue, award_revoke

from .conftest import make_achievement

ESCO = "http://data.europa.eu/esco/skill/0e6a4f6e-3c1b-4b9f-9f3d-2a4c5d6e7f80"
ESCO_2 = "http://data.europa.eu/esco/skill/S1.1.1"


@pytest.fixture
def tiers(default_framework):
    return {tier.code: tier for tier in default_framework.certificatetier_set.all()}


@pytest.fixture
def event_badge(issuer, default_framework):
    event = default_framework.badgecategory_set.get(code="event")
    return make_achievement(issuer, event, slug="forum-2025", name="Future of Work Forum 2025", alignments=[])


def _certificate(issuer, tier, **fields):
    fields = {"slug": "policy-design", "name": "Policy Design", "alignments": [], "hours": 300, "ects_credits": 12,
              **fields}  # fmt: skip
    return make_achievement(issuer, None, tier=tier, **fields)


def test_modes_default_to_the_kind(achievement, issuer, tiers):
    assert achievement.mode == Achievement.Mode.BADGE and not achievement.has_certificate
    certificate = _certificate(issuer, tiers["achievement"])
    assert certificate.mode == Achievement.Mode.CERTIFICATE and certificate.has_certificate


def test_an_event_badge_yields_no_certificate_pdf(client, event_badge):
    award = award_issue(achievement=event_badge, recipient=Recipient(email="a@example.org", name="Ana Diaz"))
    assert client.get(f"/c/{award.public_id}/certificate.pdf").status_code == 404
    assert build.awards_render_pdfs(award_ids=[award.pk]) == {"awards": 0}  # nothing rendered or stored
    page = client.get(f"/c/{award.public_id}/").content.decode()
    assert "certificate.pdf" not in page and "This is to certify" not in page
    assert client.get(f"/c/{award.public_id}/badge.png").status_code == 200  # the badge image stays


def test_a_certificate_has_its_pdf(client, issuer, tiers):
    award = award_issue(achievement=_certificate(issuer, tiers["achievement"]),
                        recipient=Recipient(email="a@example.org", name="Ana Diaz"))  # fmt: skip
    response = client.get(f"/c/{award.public_id}/certificate.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_badge_cannot_be_published_as_a_certificate(achievement):
    achievement.mode = Achievement.Mode.CERTIFICATE
    with pytest.raises(ValidationError, match="Only a certificate tier"):
        achievement_save(achievement=achievement)


def test_issuing_a_certificate_with_companion_badges_issues_them_linked(issuer, tiers, achievement, event_badge):
    certificate = Achievement(issuer=issuer, tier=tiers["achievement"], slug="policy-design", name="Policy Design",
                              description="d", criteria_narrative="c", assessment_method="exam", hours=300,
                              mode=Achievement.Mode.CERTIFICATE_WITH_BADGES)  # fmt: skip
    with pytest.raises(ValidationError, match="Choose the badges"):
        achievement_save(achievement=certificate, companions=[])
    with pytest.raises(ValidationError, match="cannot be its own|not a badge"):
        other = _certificate(issuer, tiers["participation"], slug="other")
        achievement_save(achievement=certificate, companions=[other])
    achievement_save(achievement=certificate, companions=[achievement, event_badge])
    award = award_issue(achievement=certificate, recipient=Recipient(email="A@Example.org", name="Ana Diaz",
                                                                     language="es"))  # fmt: skip
    companions = list(award.companions.order_by("achievement__slug"))
    assert [c.achievement.slug for c in companions] == ["forum-2025", "negotiation"]
    for companion in companions:
        assert companion.recipient_email == "a@example.org" and companion.recipient_language == "es"
        assert companion.evidence[0]["url"].endswith(f"/c/{award.public_id}/")
        assert companion.credential["evidence"][0]["id"] == companion.evidence[0]["url"]
    # issuing again under the same key issues no second set
    again = award_issue(achievement=certificate, recipient=Recipient(email="a@example.org", name="Ana Diaz",
                                                                     idempotency_key="k1"))  # fmt: skip
    award_issue(achievement=certificate, recipient=Recipient(email="a@example.org", name="Ana Diaz",
                                                             idempotency_key="k1"))  # fmt: skip
    assert again.companions.count() == 2 and Award.objects.filter(companion_of__isnull=False).count() == 4
    # revoking the certificate leaves its companions (ADR): a reissue gets no second set
    award_revoke(award=award, reason="Wrong name")
    assert all(Award.objects.get(pk=c.pk).state == "issued" for c in companions)
    replacement = award_reissue(award=again, reason="Typo", name="Ana Díaz")
    assert replacement.companions.count() == 0 and Award.objects.filter(companion_of__isnull=False).count() == 4


def test_eqf_level_where_the_tier_calls_for_it(issuer, tiers, achievement):
    diploma = _certificate(issuer, tiers["diploma"], eqf_level=6)
    from credentials import documents

    ob3 = documents.ob3_achievement(diploma)
    assert ob3["alignment"][0]["targetUrl"] == "http://data.europa.eu/snb/eqf/6"
    assert documents.ob2_badge_class(diploma)["alignment"][0]["targetCode"] == "6"
    diploma.eqf_level = 9
    with pytest.raises(ValidationError, match="8"):
        achievement_save(achievement=diploma)
    participation = _certificate(issuer, tiers["participation"], slug="p")
    participation.eqf_level = 4
    with pytest.raises(ValidationError, match="states no EQF level"):
        achievement_save(achievement=participation)
    achievement.eqf_level = 4
    with pytest.raises(ValidationError, match="a badge states no EQF level"):
        achievement_save(achievement=achievement)
    tiers["diploma"].eqf_level_policy = "required"
    tiers["diploma"].save()
    diploma.refresh_from_db()
    diploma.eqf_level = None
    with pytest.raises(ValidationError, match="states its EQF level"):
        achievement_save(achievement=diploma)


@pytest.mark.parametrize(
    "uri, message",
    [
        ("https://data.europa.eu/esco/skill/0e6a4f6e-3c1b-4b9f-9f3d-2a4c5d6e7f80", "not an ESCO skill URI"),
        ("http://data.europa.eu/esco/skill/abc", "not an ESCO skill URI"),
        ("http://data.europa.eu/esco/occupation/0e6a4f6e-3c1b-4b9f-9f3d-2a4c5d6e7f80", "not an ESCO skill URI"),
    ],
)
def test_esco_alignments_are_validated(achievement, uri, message):
    achievement.alignments = [{"targetName": "negotiate", "targetUrl": uri, "targetFramework": "ESCO"}]
    with pytest.raises(ValidationError, match=message):
        achievement_save(achievement=achievement)


def test_esco_alignments_parse_uri_and_label_lines():
    from credentials.services import esco_alignments_parse, esco_alignments_text

    items = esco_alignments_parse(f"{ESCO} | negotiate\n\n{ESCO_2}|communication")
    assert items == [
        {"targetName": "negotiate", "targetUrl": ESCO, "targetFramework": "ESCO"},
        {"targetName": "communication", "targetUrl": ESCO_2, "targetFramework": "ESCO"},
    ]
    assert esco_alignments_parse(esco_alignments_text(items)) == items
    with pytest.raises(ValidationError, match="Line 2: Give the ESCO skill's label"):
        esco_alignments_parse(f"{ESCO} | negotiate\n{ESCO_2}")
    with pytest.raises(ValidationError, match="Line 1: .*not an ESCO skill URI"):
        esco_alignments_parse("negotiate | http://example.org/x")


def test_the_verification_page_shows_the_eqf_level_and_skills(client, issuer, tiers):
    diploma = _certificate(
        issuer, tiers["diploma"], eqf_level=6,
        alignments=[{"targetName": "resolve disputes", "targetUrl": ESCO, "targetFramework": "ESCO"}],
    )  # fmt: skip
    award = award_issue(achievement=diploma, recipient=Recipient(email="a@example.org", name="Ana Diaz"))
    page = client.get(f"/c/{award.public_id}/").content.decode()
    assert "EQF level" in page and 'href="http://data.europa.eu/snb/eqf/6"' in page
    assert f'<a href="{ESCO}" rel="external noopener">resolve disputes</a>' in page
