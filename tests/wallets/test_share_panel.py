"""Issue 15.3: on the holder's credential page the share panel comes first, with recognisable buttons, native
sharing where the browser has it and a visible "Copied"; the verification page shows its holder (only) the share
buttons and everyone a download block."""

import pytest

from .conftest import client_for, make_learner

pytestmark = pytest.mark.django_db


def test_share_panel_comes_before_the_forms_on_the_holders_page(learner_client, award):
    body = learner_client.get(f"/wallet/c/{award.public_id}/").content.decode()
    share = body.index('id="share-heading"')
    assert share < body.index('id="evidence-heading"') < body.index('id="endorsements-heading"')
    assert share < body.index('id="actions-heading"')
    assert share < body.index('id="add-evidence-heading"')
    panel = body[share : body.index("</section>", share)]
    # native sharing: the button is there but hidden until wallet.js finds navigator.share
    assert 'class="share-native"' in panel and "hidden>" in panel
    assert f'/c/{award.public_id}/" data-share-title="Negotiation Skills"' in panel
    assert f'href="/share/{award.public_id}/linkedin_profile/"' in panel  # LinkedIn add-to-profile, a real button
    assert 'class="button linkedin"' in panel
    assert f'data-share-base="/share/{award.public_id}/link/"' in panel
    # the copy button has a visible, spoken confirmation next to it
    assert 'data-copied="Copied"' in panel and 'class="copy-feedback" role="status" aria-live="polite"' in panel
    assert "Share on WhatsApp" in panel and "Share by email" in panel


def test_a_pending_credential_asks_for_the_answer_before_sharing(learner_client, award):
    body = learner_client.get(f"/wallet/c/{award.public_id}/").content.decode()
    assert award.state == "issued"
    assert body.index("Accept this credential") < body.index('id="share-heading"')


def test_the_holder_sees_share_buttons_on_the_verification_page(learner_client, award):
    body = learner_client.get(f"/c/{award.public_id}/").content.decode()
    assert "Share your credential" in body and "Only you see this box" in body
    assert f'href="/share/{award.public_id}/linkedin_profile/"' in body
    assert f'href="/wallet/c/{award.public_id}/"' in body
    assert "js/wallet.js" in body  # copy and native share work there too


@pytest.mark.parametrize("who", ["anonymous", "someone else"])
def test_nobody_else_sees_the_holders_share_buttons(client, award, who):
    if who == "someone else":
        client = client_for(make_learner("someone.else@example.org"))
    body = client.get(f"/c/{award.public_id}/").content.decode()
    assert "Share your credential" not in body
    assert "linkedin_profile" not in body and "share-native" not in body and "/wallet/c/" not in body


def _download_block(client, award) -> str:
    body = client.get(f"/c/{award.public_id}/").content.decode()
    block = body[body.index('id="downloads-heading"') :]
    # the block comes before the criteria and checks: a visitor finds it without scrolling through everything
    assert body.index('id="downloads-heading"') < body.index('id="checks-heading"')
    return block[: block.index("</section>")]


def test_everyone_gets_a_clear_download_block(client, award):
    assert award.achievement.mode == "badge"  # a badge: no certificate to download (publishing modes)
    block = _download_block(client, award)
    for href in (
        f"/c/{award.public_id}/badge.png?download=1",
        f"/c/{award.public_id}/credential.json?download=1",
        f"/ob2/assertions/{award.public_id}.json",
    ):
        assert href in block, href
    for label in ("Badge image (PNG)", "Open Badges 3.0 (JSON)", "Open Badges 2.0 (JSON)"):
        assert label in block, label
    assert "certificate.pdf" not in block and "Certificate (PDF)" not in block

    award.achievement.mode = "certificate"  # published as a certificate: the PDF comes first
    award.achievement.save()
    block = _download_block(client, award)
    assert f"/c/{award.public_id}/certificate.pdf?download=1" in block and "Certificate (PDF)" in block
    assert block.index("Certificate (PDF)") < block.index("Badge image (PNG)")


def test_download_links_answer_as_attachments(client, award):
    for path in (f"/c/{award.public_id}/credential.json?download=1", f"/c/{award.public_id}/badge.png?download=1"):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;"), path
