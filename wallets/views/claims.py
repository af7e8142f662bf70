"""Claiming from the email link: accept or decline, into the wallet or with a new account in the same step."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from credentials.models import Award
from credentials.tokens import TokenError, claim_tokens
from multilingual.text import in_language

from .. import selectors, services
from ..forms import ClaimAccountForm

ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _claim_refused(request, reason: str, award=None, status: int = 400):
    return render(request, "credentials/claim_refused.html", {"award": award, "reason": reason}, status=status)


def _claim_token_refused(request, exc: TokenError, award: Award, user):
    if exc.reason == "used" and user and selectors.holds(user, award):
        messages.info(request, _("This credential is already in your wallet."))
        return redirect("wallets:detail", public_id=award.public_id)
    return _claim_refused(request, exc.reason, award)


def _accepted_without_account(award: Award, owner):
    """The message after accepting without a wallet: links to sign in (an account has the address) or to create
    the wallet with the address filled in; either comes back to the credential in the wallet."""
    wallet_path = reverse("wallets:detail", kwargs={"public_id": award.public_id})
    if owner:
        return format_html(
            '{} <a href="{}">{}</a>',
            _("You accepted this credential."),
            reverse("account_login") + "?" + urlencode({"next": wallet_path}),
            _("Sign in to see it in your wallet"),
        )
    return format_html(
        '{} <a href="{}">{}</a> · <a href="{}">{}</a>',
        _("You accepted this credential. To keep it in a wallet with %(email)s:") % {"email": award.recipient_email},
        reverse("account_signup") + "?" + urlencode({"email": award.recipient_email, "next": wallet_path}),
        _("create your wallet"),
        reverse("account_login") + "?" + urlencode({"next": wallet_path}),
        _("sign in"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def claim(request, public_id: str, token: str):
    """Accept or decline from the claim email. Signed in: into the wallet, and a credential sent to an address
    that is not one of the account's verified addresses only after the learner explicitly adds that address
    (mode "add_address"). Not signed in, no account yet: create one in the same step (the link proves the
    address). A used, expired or forged link gets a page saying so; the services check the link again under
    the award's lock, so of concurrent answers one wins and the others get what they would get afterwards."""
    award = selectors.award_or_none(public_id)
    if award is None:
        return _claim_refused(request, "forged")
    if award.is_revoked:
        return _claim_refused(request, "revoked", award)
    user = request.user if request.user.is_authenticated else None
    try:
        claim_tokens.check_token(award, token)
    except TokenError as exc:
        return _claim_token_refused(request, exc, award, user)
    owner = selectors.address_owner(award.recipient_email)
    if user and owner and owner.pk != user.pk:
        return _claim_refused(request, "other_account", award, status=403)
    mode = "sign_in" if owner else "new"
    if user:
        mode = "mine" if selectors.holds(user, award) else "add_address"
    form = ClaimAccountForm(initial={"display_name": award.recipient_name}, email=award.recipient_email)
    if request.method == "POST":
        choice = request.POST.get("answer")
        try:
            if choice == "decline":
                services.claim_decline(award=award, user=user, token=token)
                messages.info(request, _("You declined this credential. The issuer has been told."))
                return redirect(award.get_absolute_url())
            if (choice == "accept" and mode == "mine") or (choice == "add_address" and mode == "add_address"):
                services.claim_accept(award=award, user=user, token=token, add_address=choice == "add_address")
                messages.success(request, _("You accepted this credential. It is in your wallet."))
                return redirect("wallets:detail", public_id=public_id)
            if choice == "accept" and not user:
                services.claim_accept_without_account(award=award, token=token)
                messages.success(request, _accepted_without_account(award, owner))
                return redirect(award.get_absolute_url())
            if choice == "create" and mode == "new":
                form = ClaimAccountForm(request.POST, email=award.recipient_email)
                if form.is_valid():
                    new_user = services.claim_account_create(
                        award=award,
                        password=form.cleaned_data["password1"],
                        display_name=form.cleaned_data["display_name"],
                        token=token,
                    )
                    login(request, new_user, backend=ALLAUTH_BACKEND)
                    messages.success(request, _("Welcome! Your wallet is ready and this credential is in it."))
                    return redirect("wallets:detail", public_id=public_id)
            elif choice == "create" and mode == "sign_in":
                # An account took the address after the award was read: perhaps a sign-up with this very link
                # a moment ago. The link is checked again on the award as it is now ("already been used").
                award.refresh_from_db()
                claim_tokens.check_token(award, token)
                messages.error(request, _("You already have a wallet for this address: sign in to accept it."))
            elif mode == "add_address":
                messages.error(
                    request,
                    _("Nothing was added to your account. Choose “Add the address and accept” to keep this "
                      "credential in your wallet."),
                )  # fmt: skip
            else:
                messages.error(request, _("Choose accept or decline."))
        except TokenError as exc:
            return _claim_token_refused(request, exc, award, user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        status = 400
    else:
        status = 200
    return render(
        request,
        "credentials/claim.html",
        {
            "award": award,
            "achievement": in_language(award.achievement),
            "mode": mode,
            "form": form,
            "login_url": reverse("account_login") + "?next=" + request.path,
            "not_now_url": reverse("wallets:home"),
        },
        status=status,
    )
