"""Whose credentials stack together: a recipient identity.

An address that an account has verified stands for the account: every verified address of it counts
together (key "user:<id>"), and the result credential goes to its primary address. An address of no account
is an identity of its own ("email:<address>"): the issuer issued to it, and the claim link proves it before
the learner keeps anything.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress

from credentials.openbadges.ob3 import normalize_email


@dataclass(frozen=True)
class Identity:
    key: str
    emails: tuple[str, ...]
    email: str  # where a result credential goes

    @property
    def keys(self) -> list[str]:
        """This identity's key and the keys its addresses had alone (an outcome recorded before the account
        verified them still counts)."""
        return [self.key] + [f"email:{email}" for email in self.emails if f"email:{email}" != self.key]


def identity_of(email: str) -> Identity:
    email = normalize_email(email)
    address = EmailAddress.objects.filter(email__iexact=email, verified=True).only("user_id").first()
    if address is None:
        return Identity(key=f"email:{email}", emails=(email,), email=email)
    rows = list(EmailAddress.objects.filter(user_id=address.user_id, verified=True).values_list("email", "primary"))
    emails = sorted({normalize_email(value) for value, _primary in rows})
    primary = next((normalize_email(value) for value, is_primary in rows if is_primary), emails[0])
    return Identity(key=f"user:{address.user_id}", emails=tuple(emails), email=primary)
