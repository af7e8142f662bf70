"""Translated content (issue 15.2): a French recipient's credential, email, PDF, images and 2.0 badge class in
French; the verification page in the visitor's language, naming the signed credential's; fallbacks."""

import io
import json
import re

import pytest
from django.core import mail as django_mail
from django.core.exceptions import ValidationError
from django.utils.html import escape
from pypdf import PdfReader

from credentials import documents
from credentials.artifacts import images, pdf
from credentials.services import Recipient, achievement_save, award_issue
from credentials.verification import verify_award
from tests.credentials.conftest import make_achievement

FR = {
    "name": "Techniques de négociation",
    "description": "Négocie des accords entre des parties aux intérêts divergents.",
    "criteria_narrative": "Mener une négociation simulée jusqu'à un accord, sous le regard de deux évaluateurs.",
    "assessment_method": "Simulation observée",
    "evidence_required": "Rapport des évaluateurs",
}


@pytest.fixture
def achievement(issuer, competency):
    return make_achievement(issuer, competency, translations={"fr": FR})


@pytest.fixture
def issue(achievement, django_capture_on_commit_callbacks):
    def _issue(language, email="lea.martin@example.org", name="Léa Martin"):
        with django_capture_on_commit_callbacks(execute=True):
            return award_issue(achievement=achievement, recipient=Recipient(email=email, name=name, language=language))

    return _issue


def test_a_french_recipient_s_credential_is_signed_in_french_and_says_so(issue):
    award = issue("fr")
    subject = award.credential["credentialSubject"]["achievement"]
    assert (award.credential["name"], subject["name"], subject["description"]) == (
        FR["name"], FR["name"], FR["description"]
    )  # fmt: skip
    assert subject["criteria"]["narrative"] == FR["criteria_narrative"]
    assert subject["inLanguage"] == "fr"
    assert subject["image"]["id"].endswith("/achievements/negotiation/image.png?lang=fr")
    assert verify_award(award).valid


def test_the_claim_email_is_french(issue):
    issue("fr")
    [message] = django_mail.outbox
    assert message.subject == "Test Centre vous a décerné « Techniques de négociation »"
    assert "Bonjour Léa Martin," in message.body
    html = message.alternatives[0][0]
    assert "Techniques de négociation" in html and "Negotiation Skills" not in html
    assert "/achievements/negotiation/image.png?lang=fr" in html


def test_the_certificate_pdf_is_french(issue):
    award = issue("fr")
    values = pdf.certificate_values(award)
    assert (values["lang"], values["achievement_name"], values["achievement_description"]) == (
        "fr", FR["name"], FR["description"]
    )  # fmt: skip
    text = PdfReader(io.BytesIO(pdf.render_certificate_pdf(award))).pages[0].extract_text()
    assert "négociation" in text and "Negotiation Skills" not in text


def test_the_baked_image_draws_the_french_name(issue, achievement):
    award = issue("fr")
    assert "Techniques de" in images.award_svg(award)
    assert "Techniques de" not in images.achievement_svg(achievement)  # the plain image stays English


def test_the_2_0_assertion_links_the_french_badge_class(issue, client):
    award = issue("fr")
    assertion = documents.ob2_assertion(award)
    assert assertion["badge"].endswith("/ob2/badges/negotiation.json?lang=fr")
    badge = client.get("/ob2/badges/negotiation.json?lang=fr").json()
    assert (badge["id"], badge["@language"], badge["name"]) == (assertion["badge"], "fr", FR["name"])
    english = client.get("/ob2/badges/negotiation.json").json()
    assert (english["@language"], english["name"]) == ("en", "Negotiation Skills")
    unknown = client.get("/ob2/badges/negotiation.json?lang=xx").json()
    assert unknown == english
    assert client.get("/achievements/negotiation/image.png?lang=fr")["Content-Type"] == "image/png"


def test_the_verification_page_follows_the_visitor_s_language(issue, client, settings):
    award = issue("fr")
    url = award.get_absolute_url()
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert FR["name"] in french and FR["description"] in french and escape(FR["criteria_narrative"]) in french
    assert "Negotiation Skills" not in french

    # the badge drawn in French, at its content address (the French drawing has its own)
    french_src = re.search(r'src="(/achievements/negotiation/image-[0-9a-f]+\.png)\?lang=fr"', french)
    assert french_src

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Negotiation Skills" in english and FR["name"] not in english
    english_src = re.search(r'src="(/achievements/negotiation/image-[0-9a-f]+\.png)"', english)
    assert english_src and english_src.group(1) != french_src.group(1)
    assert client.get(f"{french_src.group(1)}?lang=fr").status_code == 200  # served, not redirected
    assert "The signed credential is in French." in english

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    by_cookie = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert FR["name"] in by_cookie


def test_an_english_recipient_gets_english_and_the_page_says_so(issue, client):
    award = issue("en")
    assert award.credential["credentialSubject"]["achievement"]["inLanguage"] == "en"
    assert award.credential["name"] == "Negotiation Skills"
    page = client.get(award.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert FR["name"] in page  # a French visitor reads the French texts of an English credential
    assert documents.ob2_assertion(award)["badge"].endswith("/ob2/badges/negotiation.json")


def test_without_a_translation_the_credential_falls_back_to_the_original(issue, client):
    award = issue("es")
    subject = award.credential["credentialSubject"]["achievement"]
    assert (subject["name"], subject["inLanguage"]) == ("Negotiation Skills", "en")
    assert verify_award(award).valid
    [message] = django_mail.outbox
    assert "Negotiation Skills" in message.subject and "Hola" in message.body  # Spanish labels, English name
    page = client.get(award.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Negotiation Skills" in page


def test_a_partial_translation_is_not_signed_but_shown_field_by_field(issuer, competency, client):
    achievement = make_achievement(issuer, competency, slug="partial", translations={"fr": {"name": "Négociation"}})
    award = award_issue(achievement=achievement, recipient=Recipient(email="a@example.org", name="A", language="fr"))
    assert award.credential["credentialSubject"]["achievement"]["inLanguage"] == "en"  # no half-French credential
    page = client.get(award.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Négociation" in page and "Negotiates agreements" in page  # translated name, original description


def test_a_later_translation_does_not_change_what_was_signed(issue, achievement):
    award = issue("fr")
    achievement.translations = {"fr": {**FR, "name": "Négociation avancée"}}
    achievement_save(achievement=achievement)
    award.refresh_from_db()
    assert award.credential["credentialSubject"]["achievement"]["name"] == FR["name"]
    assert documents.ob2_assertion(award)["badge"].endswith("?lang=fr")


@pytest.mark.parametrize(
    ("translations", "message"),
    [
        ({"de": {"name": "Verhandeln"}}, "is not one of the site's languages"),
        ({"en": {"name": "Negotiating"}}, "is the original language"),
        ({"fr": {"slug": "x"}}, "cannot be translated: slug"),
        ({"fr": {"name": 3}}, "must hold text only"),
        (["fr"], "must be an object keyed by language code"),
    ],
)
def test_bad_translations_are_refused_with_a_clear_message(issuer, competency, translations, message):
    with pytest.raises(ValidationError) as exc:
        make_achievement(issuer, competency, slug="bad", translations=translations)
    assert message in json.dumps(exc.value.message_dict, ensure_ascii=False)
