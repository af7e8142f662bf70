"""Claiming from the email link: accept into the wallet, decline, or create the account in the same step.

The wallet never changes the issuer's Award except through credentials.services (accept, decline).
"""

from allauth.account.models import EmailAddress
from allauth.utils import generate_unique_username
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from credentials import services as credential_services
from credentials.models import Award
from credentials.openbadges.ob3 import normalize_email
from credentials.tokens import claim_tokens

from .. import selectors
from ..models import WalletEntry
from .account import profile_ensure


def _lock_claimable(award: Award, token: str | None) -> Award:
    """Re-read the award under a row lock and, with a token, check the claim link against it (TokenError). Of
    concurrent answers with one link the first wins; the others then see a used link, as they would one after
    the other (the view checked the token before the lock, on what it had read)."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if token is not None:
        claim_tokens.check_token(award, token)
    return award


def _take_address(*, user, email: str, award: Award, action: str) -> None:
    """Make `email` a verified address of `user` (the claim token proved the mailbox). Refused when another
    account has verified it; another account's unverified claim on it is dropped."""
    email = normalize_email(email)
    owner = selectors.address_owner(email)
    if owner is not None and owner.pk != user.pk:
        raise ValidationError(
            _(
                "This credential was sent to an address that belongs to another account. Sign in with that "
                "account to accept it."
            )
        )
    if owner is not None:
        return
    dropped = EmailAddress.objects.filter(email=email, verified=False).exclude(user=user).delete()[0]
    address = EmailAddress.objects.filter(user=user, email=email).first()
    if address is None:
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        address = EmailAddress.objects.create(user=user, email=email, verified=True, primary=not has_primary)
    else:
        address.verified = True
        address.save(update_fields=["verified"])
    audit_record(
        action=action,
        subject=address,
        actor=user,
        data={"email": email, "award": award.public_id, "dropped_unverified": dropped},
    )


@transaction.atomic
def claim_accept(*, award: Award, user, token: str | None = None, add_address: bool = False) -> Award:
    """Accept a credential into the user's wallet from a claim link. With `token` the link is checked again
    under the award's lock (concurrent accepts: one wins). A credential sent to an address that is not one of
    the user's verified addresses joins their wallet only with `add_address=True`, the user's explicit answer
    to "Add … to your account?": the address then becomes theirs (the link proved the mailbox), audited as
    account.email_add_from_claim. Without it nothing is merged (ValidationError, code "confirm_address")."""
    award = _lock_claimable(award, token)
    if not selectors.holds(user, award):
        if not add_address:
            raise ValidationError(
                _("This credential was sent to %(email)s, which is not an address of your account. Confirm that "
                  "you want to add it first.") % {"email": award.recipient_email},
                code="confirm_address",
            )  # fmt: skip
        _take_address(user=user, email=award.recipient_email, award=award, action="account.email_add_from_claim")
    award = credential_services.award_accept(award=award, actor=user)
    entry, _created = WalletEntry.objects.get_or_create(user=user, award=award)
    audit_record(action="wallet.claim", subject=entry, actor=user, data={"award": award.public_id})
    for companion in Award.objects.filter(companion_of=award, state=Award.State.ACCEPTED):  # accepted with it
        entry, created = WalletEntry.objects.get_or_create(user=user, award=companion)
        if created:
            audit_record(action="wallet.claim", subject=entry, actor=user, data={"award": companion.public_id})
    return award


@transaction.atomic
def claim_accept_without_account(*, award: Award, token: str) -> Award:
    """Accept from the claim link without a wallet (the link proves the recipient)."""
    award = _lock_claimable(award, token)
    return credential_services.award_accept(award=award, actor=None)


@transaction.atomic
def claim_decline(*, award: Award, user=None, token: str | None = None) -> Award:
    award = _lock_claimable(award, token)
    award = credential_services.award_decline(award=award, actor=user)
    audit_record(action="wallet.claim_decline", subject=award, actor=user)
    return award


def _address_taken() -> ValidationError:
    return ValidationError(_("An account already uses this address. Sign in to accept the credential."))


@transaction.atomic
def claim_account_create(*, award: Award, password: str, display_name: str = "", token: str | None = None):
    """Create a learner account from a claim link (its token proves the address): the address is verified,
    the password set, the credential accepted. The caller logs the user in. With `token` the link is checked
    again under the award's lock: of concurrent sign-ups with one link, one creates the account."""
    award = _lock_claimable(award, token)
    email = normalize_email(award.recipient_email)
    if EmailAddress.objects.filter(email=email, verified=True).exists():
        raise _address_taken()
    user_model = get_user_model()
    name = (display_name or award.recipient_name).strip()
    for _attempt in range(3):  # a username drawn at the same moment by another sign-up: draw again
        user = user_model(email=email, username=generate_unique_username([name, email, "learner"]))
        user.first_name = name[:150]
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            if EmailAddress.objects.filter(email=email, verified=True).exists():
                raise _address_taken() from None
            continue
        break
    else:  # pragma: no cover
        raise _address_taken()
    audit_record(action="account.create", subject=user, actor=user, data={"via": "claim", "award": award.public_id})
    profile_ensure(user=user, display_name=name)
    try:
        with transaction.atomic():
            _take_address(user=user, email=email, award=award, action="wallet.address.verify_by_claim")
    except IntegrityError:  # another account verified the address at the same moment (another link to it)
        raise _address_taken() from None
    claim_accept(award=award, user=user)
    return user
