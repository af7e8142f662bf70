"""Signed, expiring, single-use links, after django.contrib.auth.tokens.

A claim token is bound to the award's public id and its current state: once the credential is accepted or
declined the token no longer matches (single use). It expires after CLAIM_TOKEN_DAYS. Tokens are made with
SECRET_KEY and checked against it and each of SECRET_KEY_FALLBACKS (as Django's own tokens are), so
rotating the secret key with the old one as a fallback keeps the links already sent working.
"""

from datetime import datetime

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36

EPOCH = datetime(2001, 1, 1)


class TokenError(Exception):
    """Why a token was refused: 'malformed', 'forged', 'expired' or 'used'."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class StateBoundTokenGenerator:
    key_salt = "laurel.credentials.tokens.StateBoundTokenGenerator"
    days_setting = "CLAIM_TOKEN_DAYS"

    def _now_seconds(self) -> int:
        return int((datetime.now() - EPOCH).total_seconds())

    def _state(self, obj) -> str:
        raise NotImplementedError

    def _identity(self, obj) -> str:
        raise NotImplementedError

    def _hash(self, obj, state: str, timestamp: int, secret: str) -> str:
        value = f"{self._identity(obj)}{state}{timestamp}"
        return salted_hmac(self.key_salt, value, secret=secret, algorithm="sha256").hexdigest()[::2]

    def _matches(self, obj, state: str, timestamp: int, digest: str) -> bool:
        secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())]
        return any(constant_time_compare(self._hash(obj, state, timestamp, secret), digest) for secret in secrets)

    def make_token(self, obj) -> str:
        timestamp = self._now_seconds()
        return f"{int_to_base36(timestamp)}-{self._hash(obj, self._state(obj), timestamp, settings.SECRET_KEY)}"

    def check_token(self, obj, token: str) -> None:
        """Return None for a good token; raise TokenError saying why it is not."""
        try:
            ts_b36, digest = (token or "").split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError as exc:
            raise TokenError("malformed") from exc
        if not self._matches(obj, self._state(obj), timestamp, digest):
            # A genuine token for an earlier state means it was used; anything else is forged.
            if any(self._matches(obj, state, timestamp, digest) for state in self._earlier_states(obj)):
                raise TokenError("used")
            raise TokenError("forged")
        max_age = getattr(settings, self.days_setting) * 24 * 3600
        if self._now_seconds() - timestamp > max_age:
            raise TokenError("expired")

    def _earlier_states(self, obj) -> list[str]:
        return []


class ClaimTokenGenerator(StateBoundTokenGenerator):
    key_salt = "laurel.credentials.tokens.ClaimTokenGenerator"

    def _identity(self, award) -> str:
        return f"{award.public_id}{award.recipient_email}"

    def _state(self, award) -> str:
        return "issued" if award.state == "issued" else "answered"

    def _earlier_states(self, award) -> list[str]:
        return ["issued"] if award.state != "issued" else []


claim_tokens = ClaimTokenGenerator()
