"""The one signed-token base (access.tokens) and its three purposes: what it refuses, and that the links
already sent still verify (the token format is pinned)."""

from dataclasses import dataclass

import pytest
from django.utils.crypto import salted_hmac
from django.utils.http import int_to_base36

from access.tokens import StateBoundTokenGenerator, TokenError
from credentials.tokens import claim_tokens
from events.tokens import confirm_tokens
from wallets.tokens import endorsement_tokens


@dataclass
class Thing:
    pk: int
    email: str
    state: str = "open"


class ThingTokens(StateBoundTokenGenerator):
    key_salt = "tests.access.ThingTokens"
    days_setting = "THING_TOKEN_DAYS"
    open_state = "open"

    def _identity(self, thing) -> str:
        return f"{thing.pk}{thing.email}"


class OtherPurposeTokens(ThingTokens):
    key_salt = "tests.access.OtherPurposeTokens"


@pytest.fixture(autouse=True)
def lifetime(settings):
    settings.THING_TOKEN_DAYS = 3


def reason(generator, thing, token) -> str | None:
    try:
        generator.check_token(thing, token)
    except TokenError as exc:
        return exc.reason
    return None


def test_a_fresh_token_is_good():
    thing = Thing(1, "a@example.org")
    assert reason(ThingTokens(), thing, ThingTokens().make_token(thing)) is None


@pytest.mark.parametrize("token", ["", "nodash", "zz-zz-zz", "!!-abc", None])
def test_malformed(token):
    assert reason(ThingTokens(), Thing(1, "a@example.org"), token) == "malformed"


def test_forged_digest_or_other_object():
    thing = Thing(1, "a@example.org")
    token = ThingTokens().make_token(thing)
    timestamp, digest = token.split("-")
    flipped = digest[:-1] + ("0" if digest[-1] != "0" else "1")
    assert reason(ThingTokens(), thing, f"{timestamp}-{flipped}") == "forged"
    assert reason(ThingTokens(), Thing(2, "a@example.org"), token) == "forged"
    assert reason(ThingTokens(), Thing(1, "b@example.org"), token) == "forged"


def test_a_token_of_another_purpose_is_forged():
    thing = Thing(1, "a@example.org")
    assert reason(ThingTokens(), thing, OtherPurposeTokens().make_token(thing)) == "forged"


def test_expired_after_the_lifetime(monkeypatch):
    generator = ThingTokens()
    thing = Thing(1, "a@example.org")
    now = generator._now_seconds()
    monkeypatch.setattr(generator, "_now_seconds", lambda: now - 3 * 24 * 3600 + 60)
    within = generator.make_token(thing)
    monkeypatch.setattr(generator, "_now_seconds", lambda: now - 3 * 24 * 3600 - 60)
    beyond = generator.make_token(thing)
    monkeypatch.setattr(generator, "_now_seconds", lambda: now)
    assert reason(generator, thing, within) is None
    assert reason(generator, thing, beyond) == "expired"


def test_used_once_the_state_moved_on():
    thing = Thing(1, "a@example.org")
    token = ThingTokens().make_token(thing)
    thing.state = "done"
    assert reason(ThingTokens(), thing, token) == "used"


def test_old_secret_keys_still_verify(settings):
    thing = Thing(1, "a@example.org")
    token = ThingTokens().make_token(thing)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-of-sufficient-length-0123456789"
    settings.SECRET_KEY_FALLBACKS = []
    assert reason(ThingTokens(), thing, token) == "forged"
    settings.SECRET_KEY_FALLBACKS = [old]
    assert reason(ThingTokens(), thing, token) is None


def test_a_purpose_without_a_salt_is_refused():
    with pytest.raises(TypeError, match="key_salt"):

        class Nameless(StateBoundTokenGenerator):
            pass


def _legacy(salt: str, identity: str, state: str, timestamp: int, secret: str) -> str:
    """The token as the three copies made it before they shared a base: links already sent carry it."""
    digest = salted_hmac(salt, f"{identity}{state}{timestamp}", secret=secret, algorithm="sha256").hexdigest()[::2]
    return f"{int_to_base36(timestamp)}-{digest}"


@dataclass
class Award:
    public_id: str
    recipient_email: str
    state: str


@dataclass
class Claim:
    pk: int
    event_id: int
    email: str
    state: str


@dataclass
class Endorsement:
    public_id: str
    endorser_email: str
    state: str


@pytest.mark.parametrize(
    ("generator", "obj", "salt", "identity", "open_state", "closed_state"),
    [
        (
            claim_tokens,
            Award("abc123", "amina@example.org", "issued"),
            "laurel.credentials.tokens.ClaimTokenGenerator",
            "abc123amina@example.org",
            "issued",
            "answered",
        ),
        (
            confirm_tokens,
            Claim(7, 3, "lea@example.org", "pending"),
            "laurel.events.tokens.EventConfirmTokenGenerator",
            "7:3:lea@example.org:",
            "pending",
            "confirmed",
        ),
        (
            endorsement_tokens,
            Endorsement("end456", "prof@example.org", "requested"),
            "laurel.wallets.tokens.EndorsementTokenGenerator",
            "end456prof@example.org",
            "requested",
            "answered",
        ),
    ],
)
def test_links_already_sent_still_verify(settings, generator, obj, salt, identity, open_state, closed_state):
    timestamp = generator._now_seconds() - 60
    sent = _legacy(salt, identity, open_state, timestamp, settings.SECRET_KEY)
    assert reason(generator, obj, sent) is None
    obj.state = "something else"
    assert reason(generator, obj, sent) == "used"
    answered = _legacy(salt, identity, closed_state, timestamp, settings.SECRET_KEY)
    assert reason(generator, obj, answered) is None  # a token made after the answer matches the closed state
