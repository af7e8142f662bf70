"""Organisation invitation links: signed, expiring (ORGANISATION_INVITE_DAYS), single-use (access.tokens).

Bound to the invitation (its id, organisation, address and role) and its state: once accepted or cancelled the
link is "used". The link carries the invitation's id before the token: `<id>.<token>`.
"""

from access.tokens import StateBoundTokenGenerator, TokenError

__all__ = ["TokenError", "invite_tokens", "link_token", "parse_link_token"]


class OrganisationInviteTokenGenerator(StateBoundTokenGenerator):
    key_salt = "laurel.organisations.tokens.OrganisationInviteTokenGenerator"
    days_setting = "ORGANISATION_INVITE_DAYS"
    open_state = "pending"
    closed_state = "accepted"

    def _identity(self, invite) -> str:
        return f"{invite.pk}:{invite.organisation_id}:{invite.email}:{invite.role}:"


invite_tokens = OrganisationInviteTokenGenerator()


def link_token(invite) -> str:
    return f"{invite.pk}.{invite_tokens.make_token(invite)}"


def parse_link_token(value: str) -> tuple[int, str]:
    """(invitation id, token) of a link token; TokenError("malformed") when it is not one."""
    pk, dot, token = (value or "").partition(".")
    if not dot or not pk.isdigit() or len(pk) > 12 or not token:
        raise TokenError("malformed")
    return int(pk), token
