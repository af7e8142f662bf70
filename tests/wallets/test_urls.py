"""Only http(s) addresses become links (issue 9.7): every service that stores a URL someone typed refuses
javascript:, data:, vbscript: and the like, and pages never render a stored one as a live link."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from credentials.models import Achievement, Award, Issuer
from credentials.services import Recipient, award_issue, issuer_create
from frameworks.models import GlossaryTerm
from frameworks.validators import is_http_url
from wallets.models import ExternalCredential, RecipientEvidence
from wallets.services import evidence_add, external_credential_import

pytestmark = pytest.mark.django_db

HOSTILE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    " javascript:alert(1)",
    "\x01\tjavascript:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "ftp://files.example.org/report.pdf",
    "//evil.example/x",
]
LIVE_HREF = re.compile(r'href="(?!https?://|/|#|\?)', re.IGNORECASE)  # any href that is not http(s) or local


@pytest.mark.parametrize("url", HOSTILE)
def test_the_rule_refuses_every_other_scheme(url):
    assert not is_http_url(url)


def test_the_rule_accepts_web_addresses():
    assert is_http_url("https://example.org/criteria?x=1#part") and is_http_url("http://localhost:8000/a")


def test_award_issue_refuses_evidence_links_that_are_not_http(achievement):
    for url in HOSTILE:
        with pytest.raises(ValidationError) as caught:
            award_issue(
                achievement=achievement, recipient=Recipient(email="a@example.org", name="A", evidence=[{"url": url}])
            )
        assert "evidence" in caught.value.message_dict, url
    assert not Award.objects.exists()


def test_issue_credential_command_refuses_them(achievement):
    for url in ("javascript:alert(1)", "data:text/html,x", " JaVaScRiPt:alert(1)"):
        with pytest.raises(CommandError, match="evidence"):
            call_command(
                "issue_credential", "--achievement", achievement.slug, "--email", "a@example.org", "--name", "A",
                "--evidence-url", url,
            )  # fmt: skip
    assert not Award.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example.org/x", "vbscript:x"])
def test_issuers_achievements_and_glossary_terms_refuse_them(issuer, competency, default_framework, url):
    with pytest.raises(ValidationError) as caught:
        issuer_create(slug="bad", name="Bad", url=url, email="b@example.org")
    assert "url" in caught.value.message_dict
    from tests.credentials.conftest import make_achievement

    with pytest.raises(ValidationError) as caught:
        make_achievement(issuer, competency, slug="c1", criteria_url=url)
    assert "criteria_url" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        make_achievement(issuer, competency, slug="c2", alignments=[{"targetName": "x", "targetUrl": url}])
    assert "alignments" in caught.value.message_dict
    from frameworks.services import framework_new_version

    term = framework_new_version(source=default_framework).glossaryterm_set.first()  # a draft's term
    term.source_url = url
    with pytest.raises(ValidationError) as caught:
        term.full_clean()
    assert "source_url" in caught.value.message_dict


def test_wallet_services_refuse_them(learner, award):
    for url in ("javascript:alert(1)", " javascript:alert(1)", "data:text/html,x"):
        with pytest.raises(ValidationError):
            evidence_add(user=learner, award=award, kind="link", url=url, title="x")
        with pytest.raises(ValidationError, match="https://"):
            external_credential_import(user=learner, data=b"{}", source="url", source_url=url)
    assert not RecipientEvidence.objects.exists() and not ExternalCredential.objects.exists()


def test_stored_hostile_urls_are_never_live_links(client, learner_client, learner, award, achievement, issuer):
    """Data stored before the rule (or behind the services' back) is shown as text, not as a link."""
    bad = "javascript:alert(1)"
    Issuer.objects.filter(pk=issuer.pk).update(url=bad)
    Achievement.objects.filter(pk=achievement.pk).update(
        criteria_url=bad, alignments=[{"targetName": "Negotiate", "targetUrl": bad}]
    )
    Award.objects.filter(pk=award.pk).update(evidence=[{"url": bad, "name": "Report"}])
    learner_client.post(f"/wallet/c/{award.public_id}/answer/", {"answer": "accept"})
    learner_client.post(f"/wallet/c/{award.public_id}/visibility/", {"public": "1"})
    evidence_add(user=learner, award=award, kind="link", url="https://example.org/p", title="Portfolio")
    RecipientEvidence.objects.update(url=bad)
    GlossaryTerm.objects.update(source_url=bad)
    external = ExternalCredential.objects.create(
        user=learner, kind="ob2", source="url", source_url=bad, name="Imported", document={}
    )
    pages = {
        "verification page": client.get(f"/c/{award.public_id}/"),
        "achievement page": client.get(f"/achievements/{achievement.slug}/"),
        "issuer page": client.get(f"/issuers/{issuer.slug}/"),
        "glossary": client.get("/framework/glossary/"),
        "wallet detail": learner_client.get(f"/wallet/c/{award.public_id}/"),
        "imported credential": learner_client.get(external.get_absolute_url()),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        body = response.content.decode()
        assert not re.search(r'href="\s*javascript:', body, re.IGNORECASE), name
        live = LIVE_HREF.search(body)
        assert not live, (name, live and body[live.start() : live.start() + 80])
    assert "Report" in pages["verification page"].content.decode()  # the evidence is still shown, as text
    assert "Negotiate" in pages["achievement page"].content.decode()
