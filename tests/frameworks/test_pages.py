import re
from io import BytesIO

import pytest
from PIL import Image

from frameworks.models import BadgeCategory

pytestmark = pytest.mark.django_db

NINE = {
    "course_completion",
    "competency",
    "event",
    "membership",
    "learning_application",
    "mentoring_coaching",
    "community_of_practice",
    "organisational_development",
    "interests_goals",
}


def test_framework_page_shows_the_dual_framework(client, default_framework):
    response = client.get("/framework/")
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("Certificate of Participation", "Certificate of Achievement", "Diploma"):
        assert name in body
    categories = BadgeCategory.objects.filter(framework=default_framework)
    assert {c.code for c in categories} >= NINE
    for category in categories:
        assert f'id="cat-{category.code}"' in body
        assert f'src="/framework/badges/{category.pk}.png"' in body
    assert "How badges stack into certificates" in body
    assert body.count('class="card tier tier-') == 3


def test_every_sample_badge_is_a_png_rendered_from_its_template(client, default_framework):
    for category in BadgeCategory.objects.filter(framework=default_framework):
        response = client.get(f"/framework/badges/{category.pk}.png")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        image = Image.open(BytesIO(response.content)).convert("RGBA")
        assert image.size == (400, 400)
        colours = image.getcolors(maxcolors=400 * 400)
        assert len(colours) > 20, f"{category.code}: the image is (nearly) blank"


def test_sample_badge_is_cached_and_rerendered_when_the_template_changes(client, default_framework, settings):
    from django.core.files.storage import default_storage

    from frameworks.samples import sample_badge_path

    category = BadgeCategory.objects.filter(framework=default_framework).first()
    path = sample_badge_path(category)
    first = client.get(f"/framework/badges/{category.pk}.png").content
    assert default_storage.exists(path)
    category.primary = "#000000"
    assert sample_badge_path(category) != path  # a change of input is a new file, never a stale one
    assert client.get(f"/framework/badges/{category.pk}.png").content == first  # db unchanged: same file


def test_framework_page_query_budget(client, default_framework, django_assert_max_num_queries):
    client.get("/framework/")  # warm-up: session and translations
    with django_assert_max_num_queries(7):
        response = client.get("/framework/")
    assert response.status_code == 200


def test_framework_json(client, default_framework):
    response = client.get("/framework.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["version"] == default_framework.version and data["current"] is True
    assert [t["code"] for t in data["certificateTiers"]] == ["participation", "achievement", "diploma"]
    assert {c["code"] for c in data["badgeCategories"]} >= NINE
    competency = next(c for c in data["badgeCategories"] if c["code"] == "competency")
    assert competency["achievementType"] == "Competency"
    assert {r["name"] for r in competency["contentRequirements"]} >= {"criteria", "skill_alignment"}
    assert competency["sampleImage"].startswith("http://") and competency["sampleImage"].endswith(".png")
    assert len(data["glossary"]) >= 25
    assert data["stackingRules"], "the default framework shows how badges stack"
    diploma = next(t for t in data["certificateTiers"] if t["code"] == "diploma")
    assert diploma["achievementType"] == "Diploma" and diploma["requirements"]["courses"]


def test_glossary_page(client, default_framework):
    response = client.get("/framework/glossary/")
    assert response.status_code == 200
    body = response.content.decode()
    assert len(re.findall(r'<div class="entry" id="', body)) >= 25
    assert "International term" in body


def test_glossary_in_french(client, default_framework):
    from frameworks.models import GlossaryTerm

    term = GlossaryTerm.objects.filter(framework=default_framework, translations__has_key="fr").first()
    assert term is not None, "the default glossary has French translations"
    response = client.get("/framework/glossary/", HTTP_ACCEPT_LANGUAGE="fr")
    assert term.translations["fr"]["term"] in response.content.decode()


def test_sample_certificate_page(client, default_framework):
    tier = default_framework.certificatetier_set.get(code="diploma")
    response = client.get(f"/framework/certificates/{tier.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Amina Okonkwo-Díaz" in body and "<svg" in body  # the QR code


def test_no_framework_yet(client, db):
    assert client.get("/framework/").status_code == 404
    assert client.get("/framework.json").status_code == 404
    assert client.get("/").status_code == 200


def test_draft_previews_are_for_staff_only(client, staff_client, default_framework):
    from frameworks.services import framework_new_version

    draft = framework_new_version(source=default_framework)
    category = draft.badgecategory_set.first()
    tier = draft.certificatetier_set.first()
    assert client.get(f"/framework/badges/{category.pk}.png").status_code == 404
    assert client.get(f"/framework/certificates/{tier.pk}/").status_code == 404
    assert staff_client.get(f"/framework/badges/{category.pk}.png").status_code == 200
    assert staff_client.get(f"/framework/certificates/{tier.pk}/").status_code == 200


def test_pages_have_accessible_structure(client, default_framework):
    body = client.get("/framework/").content.decode()
    assert '<html lang="en"' in body
    assert 'href="#main"' in body and 'id="main"' in body
    assert body.count("<h1") == 1
    for img in re.findall(r"<img [^>]*>", body):
        assert 'alt="' in img and 'alt=""' not in img


def test_the_framework_page_is_in_the_visitor_s_language(client, default_framework):
    """Issue 15.2: tiers, categories and rules shipped with French and Spanish texts; English stays the original."""
    french = client.get("/framework/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Cadre double des certificats et badges numériques" in french
    assert "Certificat de réussite" in french and "Mentorat et coaching" in french
    assert "Trois badges Compétence donnent un certificat de réussite" in french
    assert "Mentoring &amp; Coaching" not in french
    spanish = client.get("/framework/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Certificado de aprovechamiento" in spanish and "Intereses y objetivos" in spanish
    english = client.get("/framework/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Certificate of Achievement" in english and "Certificat de réussite" not in english
    data = client.get("/framework.json").json()
    assert data["certificateTiers"][0]["translations"]["fr"]["name"] == "Certificat de participation"


def test_a_new_version_keeps_the_translations(default_framework):
    from frameworks.models import BadgeCategory
    from frameworks.services import framework_new_version

    draft = framework_new_version(source=default_framework)
    assert draft.translations == default_framework.translations and draft.translations["fr"]["title"]
    copied = BadgeCategory.objects.get(framework=draft, code="competency")
    assert copied.translations["es"]["name"] == "Competencia"
