"""One badge image for every verifier (issue 9.11): /c/<id>/badge.png (`baked_png_url`) carries the 2.0
assertion and the signed 3.0 credential; the SVG carries the assertion in the form 1EdTech's validator reads;
our verifier reads a PNG with both chunks. Endorsements are linked from the hosted 2.0 assertion (9.12)."""

import json
from urllib.parse import urlsplit

import pytest

from credentials.links import award_links
from credentials.openbadges import bake_png, extract_png, extract_svg

pytestmark = pytest.mark.django_db


def _report(client, payload: bytes):
    return client.post("/api/verify", payload, content_type="application/octet-stream").json()


def test_baked_png_url_has_both_chunks(client, award):
    url = award_links(award)["baked_png_url"]
    assert url.endswith(f"/c/{award.public_id}/badge.png")
    response = client.get(f"/c/{award.public_id}/badge.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    png = response.content
    assert extract_png(png, version="3.0").json() == award.credential
    assertion = extract_png(png, version="2.0").json()
    assert assertion["type"] == "Assertion" and assertion["id"].endswith(f"/ob2/assertions/{award.public_id}.json")
    # the single-version images stay, and nothing else is served
    assert extract_png(client.get(f"/c/{award.public_id}/badge-ob3.png").content, version="2.0") is None
    assert extract_png(client.get(f"/c/{award.public_id}/badge-ob2.png").content, version="3.0") is None
    assert client.get(f"/c/{award.public_id}/badge-ob4.png").status_code == 404
    download = client.get(f"/c/{award.public_id}/badge.png?download=1")
    assert download["Content-Disposition"] == f'attachment; filename="{award.achievement.slug}.png"'


def test_verification_page_and_wallet_offer_the_combined_image_first(client, award):
    body = client.get(f"/c/{award.public_id}/").content.decode()
    assert body.index(f"/c/{award.public_id}/badge.png") < body.index(f"/c/{award.public_id}/badge-ob3.png")


def test_baked_svg_has_the_assertion_json_and_no_verify_attribute(client, award):
    svg = client.get(f"/c/{award.public_id}/badge.svg").content.decode()
    assert "<openbadges:assertion><![CDATA[" in svg and "verify=" not in svg
    found = extract_svg(svg)
    assert found.version == "2.0" and found.json()["id"].endswith(f"/ob2/assertions/{award.public_id}.json")


def test_our_verifier_reads_the_3_0_credential_and_checks_the_2_0_assertion_too(client, award):
    report = _report(client, client.get(f"/c/{award.public_id}/badge.png").content)
    assert report["kind"] == "ob3" and report["valid"] is True, report
    baked = next(c for c in report["checks"] if c["name"] == "baked 2.0 assertion")
    assert baked["ok"] is True and "verifies too" in baked["message"]


def test_a_png_whose_2_0_assertion_is_another_credential_s_is_not_valid(client, award, achievement):
    from credentials.services import Recipient, award_issue

    other = award_issue(achievement=achievement, recipient=Recipient(email="other@example.org", name="Other"))
    mixed = bake_png(
        client.get(f"/c/{award.public_id}/badge-ob3.png").content,
        extract_png(client.get(f"/c/{other.public_id}/badge-ob2.png").content).text,
        version="2.0",
    )
    report = _report(client, mixed)
    baked = next(c for c in report["checks"] if c["name"] == "baked 2.0 assertion")
    assert report["valid"] is False and baked["ok"] is False and "another credential" in baked["message"]
    broken = bake_png(client.get(f"/c/{award.public_id}/badge-ob3.png").content, "{not json", version="2.0")
    report = _report(client, broken)
    assert report["valid"] is False
    assert not next(c for c in report["checks"] if c["name"] == "baked 2.0 assertion")["ok"]


def test_hosted_assertion_links_visible_endorsements_only(client, award, issuer):
    from wallets.documents import endorsement_url
    from wallets.services import endorsement_issue

    url = f"/ob2/assertions/{award.public_id}.json"
    assert "endorsement" not in client.get(url).json()
    shown = endorsement_issue(award=award, issuer=issuer, comment="Excellent work.")
    hidden = endorsement_issue(award=award, issuer=issuer, comment="Hidden one.")
    hidden.is_hidden = True
    hidden.save(update_fields=["is_hidden"])
    hosted = client.get(url).json()
    assert hosted["endorsement"] == [endorsement_url(shown, "ob2")]
    negotiated = client.get(f"/c/{award.public_id}/", HTTP_ACCEPT="application/ld+json").json()
    assert negotiated["endorsement"] == hosted["endorsement"]
    endorsement = client.get(urlsplit(hosted["endorsement"][0]).path).json()
    assert endorsement["type"] == "Endorsement" and endorsement["claim"]["id"].endswith(url)
    assert json.dumps(hosted).count("Hidden one") == 0
