"""The key learner flow in a real browser: claim from the email link creating an account, add an evidence
file, request and give an endorsement, make the credential public, open the public profile, copy a share
link. Screenshots of the wallet and the verification page are saved in tests/artifacts/screenshots/."""

import io
import re

import pytest
from django.core import mail

from credentials.services import Recipient, award_issue, issuer_create
from tests.browser.conftest import screenshot, wait_until
from tests.credentials.conftest import make_achievement
from wallets.models import RecipientEvidence, ShareEvent

pytestmark = [pytest.mark.browser, pytest.mark.tools, pytest.mark.django_db(transaction=True)]


def _link(pattern: str, body: str, base: str) -> str:
    match = re.search(re.escape(base) + pattern, body)
    assert match, body
    return match.group(0)


def _pdf_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (200, 120), "white").save(buffer, "PDF")
    return buffer.getvalue()


def test_learner_claims_enriches_endorses_and_shares(browser, page, live_server, default_framework, tmp_path):
    issuer = issuer_create(
        slug="centre", name="Turin Centre", url="https://centre.example.org", email="badges@centre.example.org"
    )
    achievement = make_achievement(issuer, default_framework.badgecategory_set.get(code="competency"))
    mail.outbox.clear()
    award = award_issue(achievement=achievement, recipient=Recipient(email="amina@example.org", name="Amina Okonkwo"))

    # 1. The claim email's link creates the account in the same flow.
    claim_email = next(m for m in mail.outbox if m.to == ["amina@example.org"])
    page.goto(_link(r"/wallet/claim/[^\s]+/", claim_email.body, live_server.url))
    page.get_by_label("Your name").fill("Amina Okonkwo")
    page.get_by_label("Choose a password").fill("a-long-learner-passphrase-7")
    page.get_by_label("Repeat the password").fill("a-long-learner-passphrase-7")
    page.get_by_role("button", name="Accept and create my wallet").click()
    page.wait_for_url(re.compile(rf"/wallet/c/{award.public_id}/"))
    award.refresh_from_db()
    assert award.state == "accepted"

    # 2. Add an evidence file.
    pdf = tmp_path / "project-report.pdf"
    pdf.write_bytes(_pdf_bytes())
    page.get_by_label("File", exact=True).check()
    page.get_by_label("Title").fill("Project report")
    page.get_by_label("File (PDF, PNG or JPEG, at most 10 MB)").set_input_files(str(pdf))
    page.get_by_role("button", name="Add evidence").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Project report").first.is_visible()
    assert RecipientEvidence.objects.filter(award=award, kind="file").count() == 1

    # 3. Ask a supervisor for an endorsement; the supervisor (no account) writes it.
    mail.outbox.clear()
    page.get_by_label("Their name").fill("Maria Rossi")
    page.get_by_label("Their email address").fill("maria@example.org")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_load_state()
    request_email = next(m for m in mail.outbox if m.to == ["maria@example.org"])
    endorser = browser.new_context()
    endorser_page = endorser.new_page()
    endorser_page.goto(_link(r"/endorse/[^\s]+/", request_email.body, live_server.url))
    endorser_page.get_by_label("Your name").fill("Maria Rossi")
    endorser_page.get_by_label("Your endorsement").fill("Amina led our tripartite negotiation with great skill.")
    endorser_page.get_by_role("button", name="Publish my endorsement").click()
    endorser_page.wait_for_load_state()
    endorser.close()

    # 4. Make the credential public and the profile public; open the profile.
    page.goto(f"{live_server.url}/wallet/c/{award.public_id}/")
    page.get_by_role("button", name="Make public").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/wallet/profile/")
    page.get_by_label("Profile address").fill("amina-okonkwo")
    page.get_by_label("Name shown on your profile").fill("Amina Okonkwo")
    page.get_by_label("Public profile: anyone can see my public credentials and collections").check()
    page.get_by_role("button", name="Save the profile").click()
    page.wait_for_load_state()
    visitor = browser.new_context()
    profile = visitor.new_page()
    profile.goto(f"{live_server.url}/u/amina-okonkwo/")
    assert profile.get_by_text(achievement.name).first.is_visible()
    verification = visitor.new_page()
    verification.goto(f"{live_server.url}/c/{award.public_id}/")
    assert verification.get_by_text("Amina led our tripartite negotiation with great skill.").is_visible()
    assert verification.get_by_text("Project report").first.is_visible()
    screenshot(verification, "verification-page-public")
    visitor.close()

    # 5. Copy the share link; the share is recorded.
    page.goto(f"{live_server.url}/wallet/c/{award.public_id}/")
    page.get_by_role("button", name="Copy the link").click()
    wait_until(page, "navigator.clipboard.readText().then(t => t.length > 0)")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/c/{award.public_id}/"
    for _ in range(50):  # the copy button records the share with a beacon
        if ShareEvent.objects.filter(award=award, channel="link").exists():
            break
        page.wait_for_timeout(100)
    assert ShareEvent.objects.filter(award=award, channel="link").exists()

    page.goto(f"{live_server.url}/wallet/")
    assert page.get_by_text(achievement.name).first.is_visible()
    screenshot(page, "wallet")
