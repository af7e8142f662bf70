"""Signed, expiring, single-use links, after django.contrib.auth.tokens: the one base of every token link.

A token is `<timestamp in base 36>-<digest>`: an HMAC-SHA256 (`salted_hmac`, every other hex digit kept) of
the object's identity, its state and the timestamp, under a salt naming the purpose. So a token

- made for another purpose (another salt) or another object is "forged";
- made for an earlier state of the object (the link was followed, the claim confirmed) is "used";
- older than the purpose's lifetime (`days_setting`, a number of days in settings) is "expired".

Tokens are made with SECRET_KEY and checked against it and each of SECRET_KEY_FALLBACKS (as Django's own
tokens are), so rotating the secret key with the old one as a fallback keeps the links already sent working.

A purpose is a subclass naming its salt, its lifetime setting, what identifies an object, and the state in
which a link is still open (`open_state`; any other state is `closed_state`). Nothing here reads a model:
the lowest layer, it imports Django only.
"""

from datetime import datetime

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36

__all__ = ["TokenError", "StateBoundTokenGenerator"]

EPOCH = datetime(2001, 1, 1)


class TokenError(Exception):
    """Why a token was refused: 'malformed', 'forged', 'expired' or 'used'."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class StateBoundTokenGenerator:
    """A token bound to an object and its state: open while the object is in `open_state`, used after."""

    key_salt: str = ""  # names the purpose: a token of one purpose is forged for another
    days_setting: str = ""  # the name of the setting holding the lifetime in days
    state_field = "state"
    open_state: str = ""
    closed_state = "answered"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.key_salt:
            raise TypeError(f"{cls.__name__} needs a key_salt naming its purpose")

    def _now_seconds(self) -> int:
        return int((datetime.now() - EPOCH).total_seconds())

    def _identity(self, obj) -> str:
        """What names the object in the digest (its id and the address the link was sent to)."""
        raise NotImplementedError

    def _state(self, obj) -> str:
        return self.open_state if getattr(obj, self.state_field) == self.open_state else self.closed_state

    def _earlier_states(self, obj) -> list[str]:
        """States a genuine token may have been made in before the current one (then it is "used")."""
        return [self.open_state] if getattr(obj, self.state_field) != self.open_state else []

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
