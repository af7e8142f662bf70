"""Community invitation links: signed, expiring (COMMUNITY_INVITE_DAYS), single-use (access.tokens).

Bound to the invitation (its id, community and address) and its state: once accepted the link is "used".
"""

from access.tokens import StateBoundTokenGenerator, TokenError

__all__ = ["TokenError", "invite_tokens"]


class CommunityInviteTokenGenerator(StateBoundTokenGenerator):
    key_salt = "laurel.communities.tokens.CommunityInviteTokenGenerator"
    days_setting = "COMMUNITY_INVITE_DAYS"
    open_state = "pending"
    closed_state = "accepted"

    def _identity(self, invite) -> str:
        return f"{invite.pk}:{invite.community_id}:{invite.email}:"


invite_tokens = CommunityInviteTokenGenerator()
