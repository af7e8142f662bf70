"""Claiming from the email link: accept or decline, create the wallet in the same step, refusals."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from audit.models import AuditEntry
from credentials.links import claim_url
from credentials.models import Award
from credentials.services import award_revoke
from wallets.models import WalletEntry

from .conftest import PASSWORD, client_for, issue, make_learner

pytestmark = pytest.mark.django_db


def _path(award, settings):
    return claim_url(award).removeprefix(settings.BASE_URL)


def test_claim_links_go_to_the_wallet_flow(award, settings):
    assert _path(award, settings).startswith(f"/wallet/claim/{award.public_id}/")


def test_new_recipient_creates_wallet_in_the_same_step(client, award, settings):
    url = _path(award, settings)
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "Accept and create my wallet" in body and "amina.okonkwo@example.org" in body
    assert 'for="id_password1"' in body  # labelled fields

    response = client.post(
        url, {"answer": "create", "display_name": "Amina O.", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == f"/wallet/c/{award.public_id}/"
    user = get_user_model().objects.get(email="amina.okonkwo@example.org")
    address = EmailAddress.objects.get(user=user)
    assert address.verified and address.primary and address.email == "amina.okonkwo@example.org"
    assert user.check_password(PASSWORD)
    award.refresh_from_db()
    assert award.state == Award.State.ACCEPTED
    assert WalletEntry.objects.filter(user=user, award=award, is_public=False).exists()  # private by default
    detail = client.get(response["Location"])  # logged in
    assert detail.status_code == 200 and "Negotiation Skills" in detail.content.decode()


def test_weak_or_mismatched_password_keeps_the_link_usable(client, award, settings):
    url = _path(award, settings)
    response = client.post(url, {"answer": "create", "display_name": "Amina", "password1": "123", "password2": "123"})
    body = response.content.decode()
    assert response.status_code == 400 and "too short" in body and 'value="Amina"' in body
    response = client.post(url, {"answer": "create", "display_name": "Amina", "password1": PASSWORD, "password2": "x"})
    assert response.status_code == 400 and "The two passwords differ." in response.content.decode()
    award.refresh_from_db()
    assert award.state == Award.State.ISSUED and not get_user_model().objects.exists()
    assert client.get(url).status_code == 200  # nothing lost: the token still works


def test_accept_without_an_account(client, award, settings):
    response = client.post(_path(award, settings), {"answer": "accept"})
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.state == Award.State.ACCEPTED and not get_user_model().objects.exists()


def test_decline(client, award, settings):
    response = client.post(_path(award, settings), {"answer": "decline"})
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.state == Award.State.DECLINED


def test_signed_in_holder_accepts_into_wallet(learner_client, award, settings):
    page = learner_client.get(_path(award, settings))
    assert "It goes into your wallet" in page.content.decode()
    response = learner_client.post(_path(award, settings), {"answer": "accept"})
    assert response["Location"] == f"/wallet/c/{award.public_id}/"
    assert WalletEntry.objects.filter(user=learner_client.user, award=award).exists()


def test_existing_account_is_offered_sign_in(client, learner, award, settings):
    body = client.get(_path(award, settings)).content.decode()
    assert "Sign in to accept it into your wallet" in body and "/accounts/login/?next=/wallet/claim/" in body


def test_someone_else_cannot_claim_a_credential_of_another_account(other_client, learner, award, settings):
    url = _path(award, settings)
    for response in (other_client.get(url), other_client.post(url, {"answer": "accept"})):
        assert response.status_code == 403
        assert "belongs to another account" in response.content.decode()
    award.refresh_from_db()
    assert award.state == Award.State.ISSUED
    assert not EmailAddress.objects.filter(user=other_client.user, email=award.recipient_email).exists()
    # nor from the wallet (no token)
    response = other_client.post(f"/wallet/c/{award.public_id}/answer/", {"answer": "accept"})
    assert response.status_code == 403 and "not in your wallet" in response.content.decode()


def test_a_signed_in_learner_is_asked_before_another_address_joins_their_account(other_client, award, settings):
    """Someone else's claim link opened while signed in: nothing merges silently (issue 9.5)."""
    url = _path(award, settings)
    page = other_client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Add amina.okonkwo@example.org to your account?" in body
    assert "Credentials sent to it will appear here" in body
    assert 'value="add_address"' in body and "Sign out and claim it as someone else" in body
    assert 'action="/accounts/logout/"' in body and f'name="next" value="{url}"' in body

    # The old one-click accept no longer adds the address.
    response = other_client.post(url, {"answer": "accept"})
    assert response.status_code == 400 and "Nothing was added to your account" in response.content.decode()
    assert not EmailAddress.objects.filter(email=award.recipient_email).exists()
    award.refresh_from_db()
    assert award.state == Award.State.ISSUED
    assert not AuditEntry.objects.filter(action="account.email_add_from_claim").exists()
    assert other_client.get(url).status_code == 200  # the link still works


def test_refusing_to_add_the_address_leaves_the_account_unchanged(other_client, award, settings):
    url = _path(award, settings)
    addresses = list(EmailAddress.objects.filter(user=other_client.user).values_list("email", flat=True))
    assert other_client.get("/wallet/").status_code == 200  # "Not now" leads back to the wallet
    response = other_client.post("/accounts/logout/", {"next": url})  # "Sign out and claim it as someone else"
    assert response.status_code == 302 and response["Location"] == url
    assert list(EmailAddress.objects.filter(user=other_client.user).values_list("email", flat=True)) == addresses
    assert not WalletEntry.objects.exists() and not AuditEntry.objects.filter(action__contains="email_add").exists()
    page = other_client.get(url)  # signed out now: the page offers a wallet of its own for the address
    assert page.status_code == 200 and "Accept and create my wallet" in page.content.decode()


def test_adding_the_address_on_explicit_confirmation_is_audited(other_client, award, settings):
    """The link proves the mailbox: on "Add the address and accept" it joins the signed-in account, verified."""
    response = other_client.post(_path(award, settings), {"answer": "add_address"})
    assert response.status_code == 302 and response["Location"] == f"/wallet/c/{award.public_id}/"
    address = EmailAddress.objects.get(user=other_client.user, email=award.recipient_email)
    assert address.verified and not address.primary
    entry = AuditEntry.objects.get(action="account.email_add_from_claim")
    assert entry.actor == other_client.user
    assert entry.data["email"] == "amina.okonkwo@example.org" and entry.data["award"] == award.public_id
    assert other_client.get(f"/wallet/c/{award.public_id}/").status_code == 200


def test_the_service_refuses_to_merge_without_the_explicit_answer(other_client, award):
    from django.core.exceptions import ValidationError

    from wallets.services import claim_accept

    with pytest.raises(ValidationError) as refused:
        claim_accept(award=award, user=other_client.user)
    assert refused.value.code == "confirm_address"
    assert not EmailAddress.objects.filter(email=award.recipient_email).exists()


def test_used_link_gets_a_clear_page(client, award, settings):
    url = _path(award, settings)
    client.post(url, {"answer": "accept"})
    response = client.get(url)
    assert response.status_code == 400 and "already been used" in response.content.decode()
    assert client.post(url, {"answer": "decline"}).status_code == 400


def test_used_link_of_the_holder_goes_to_the_wallet(learner_client, award, settings):
    url = _path(award, settings)
    learner_client.post(url, {"answer": "accept"})
    response = learner_client.get(url)
    assert response.status_code == 302 and response["Location"] == f"/wallet/c/{award.public_id}/"


def test_expired_forged_unknown_and_revoked_links(client, award, settings):
    url = _path(award, settings)
    settings.CLAIM_TOKEN_DAYS = -1
    response = client.get(url)
    assert response.status_code == 400 and "expired" in response.content.decode()
    settings.CLAIM_TOKEN_DAYS = 90
    forged = client.get(f"/wallet/claim/{award.public_id}/abc-0123456789abcdef/")
    assert forged.status_code == 400 and "not valid" in forged.content.decode()
    unknown = client.get("/wallet/claim/nope/abc-0123456789abcdef/")
    assert unknown.status_code == 400 and "not valid" in unknown.content.decode()
    award_revoke(award=award, reason="Issued in error")
    revoked = client.get(url)
    assert revoked.status_code == 400 and "revoked" in revoked.content.decode()


def test_old_claim_links_continue_in_the_wallet(client, award):
    from credentials.tokens import claim_tokens

    token = claim_tokens.make_token(award)
    response = client.get(f"/c/{award.public_id}/claim/{token}/")
    assert response.status_code == 302 and response["Location"] == f"/wallet/claim/{award.public_id}/{token}/"


def test_account_for_address_verified_elsewhere_is_not_created(client, award, settings):
    url = _path(award, settings)
    make_learner(award.recipient_email)
    response = client.post(url, {"answer": "create", "display_name": "X", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 400
    assert get_user_model().objects.count() == 1


def test_wallet_accept_and_decline_without_token(learner_client, achievement):
    award = issue(achievement, expires_at=None)
    url = f"/wallet/c/{award.public_id}/answer/"
    learner_client.post(url, {"answer": "decline"})
    award.refresh_from_db()
    assert award.state == Award.State.DECLINED
    learner_client.post(url, {"answer": "accept"})
    award.refresh_from_db()
    assert award.state == Award.State.ACCEPTED


def test_unverified_address_elsewhere_does_not_block_the_real_owner(client, award, settings):
    squatter = make_learner("squatter@example.org")
    EmailAddress.objects.create(user=squatter, email=award.recipient_email, verified=False)
    response = client.post(
        _path(award, settings), {"answer": "create", "display_name": "A", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert not EmailAddress.objects.filter(user=squatter, email=award.recipient_email).exists()
    assert client_for(squatter).get(f"/wallet/c/{award.public_id}/").status_code == 403


def test_legacy_claim_post_by_the_signed_in_holder_continues_in_the_wallet(learner_client, award):
    from credentials.tokens import claim_tokens

    token = claim_tokens.make_token(award)
    response = learner_client.post(f"/c/{award.public_id}/claim/{token}/", {"answer": "accept"})
    assert response.status_code == 302 and response["Location"] == f"/wallet/c/{award.public_id}/"
    assert WalletEntry.objects.filter(user=learner_client.user, award=award).exists()


def test_legacy_claim_post_records_the_wallet_entry_once_with_an_audit_entry(learner_client, award):
    from credentials.tokens import claim_tokens

    token = claim_tokens.make_token(award)
    learner_client.post(f"/c/{award.public_id}/claim/{token}/", {"answer": "accept"})
    entry = WalletEntry.objects.get(user=learner_client.user, award=award)
    created = AuditEntry.objects.filter(action="wallet.entry.create", subject_id=str(entry.pk))
    assert created.count() == 1 and created.get().actor == learner_client.user


def test_legacy_claim_post_by_someone_else_stays_on_the_verification_page(other_client, award):
    from credentials.tokens import claim_tokens

    token = claim_tokens.make_token(award)
    response = other_client.post(f"/c/{award.public_id}/claim/{token}/", {"answer": "accept"})
    assert response.status_code == 302 and response["Location"] == award.get_absolute_url()
    assert not WalletEntry.objects.exists()


def test_legacy_claim_post_without_an_answer_changes_nothing(learner_client, award):
    from credentials.tokens import claim_tokens

    token = claim_tokens.make_token(award)
    response = learner_client.post(f"/c/{award.public_id}/claim/{token}/", {"answer": "maybe"})
    assert response.status_code == 302 and response["Location"] == award.get_absolute_url()
    award.refresh_from_db()
    assert award.state == Award.State.ISSUED and not WalletEntry.objects.exists()


@pytest.fixture
def no_claim_flow():
    """The claim registry as it is when no app registered a claim flow (credentials alone)."""
    from credentials import claims

    saved = claims._claim_path, claims._holder_path
    claims._claim_path = claims._holder_path = None
    yield
    claims._claim_path, claims._holder_path = saved


def test_without_a_registered_flow_claim_links_lead_to_the_plain_page(client, award, settings, no_claim_flow):
    path = _path(award, settings)
    assert path.startswith(f"/c/{award.public_id}/claim/")
    page = client.get(path)
    assert page.status_code == 200 and "Accept this credential" in page.content.decode()
    response = client.post(path, {"answer": "decline"})
    assert response.status_code == 302 and response["Location"] == award.get_absolute_url()
    award.refresh_from_db()
    assert award.state == Award.State.DECLINED


def test_the_wallet_registers_its_claim_flow_in_the_registry(award, learner):
    from credentials import claims

    assert claims.claim_path(award.public_id, "t0ken") == f"/wallet/claim/{award.public_id}/t0ken/"
    assert claims.holder_path(award, learner) == f"/wallet/c/{award.public_id}/"
    assert claims.holder_path(award, make_learner("someone.else@example.org")) is None


def test_wallet_entry_ensure_is_audited_once_and_refuses_a_non_holder(learner, award):
    from django.core.exceptions import ValidationError

    from wallets.services import wallet_entry_ensure

    first = wallet_entry_ensure(user=learner, award=award)
    again = wallet_entry_ensure(user=learner, award=award)
    assert first.pk == again.pk and not first.is_public
    assert AuditEntry.objects.filter(action="wallet.entry.create", subject_id=str(first.pk)).count() == 1
    with pytest.raises(ValidationError):
        wallet_entry_ensure(user=make_learner("someone.else@example.org"), award=award)
    assert WalletEntry.objects.count() == 1
