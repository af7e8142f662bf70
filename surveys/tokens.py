"""Signed links of the survey emails: the answer link expires (SURVEY_LINK_DAYS), the opt-out link does not."""

from django.conf import settings
from django.core import signing

ANSWER_SALT = "surveys.answer"
OPT_OUT_SALT = "surveys.opt-out"


class LinkError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired" | "forged"


def answer_token(invitation_id: int) -> str:
    return signing.dumps(invitation_id, salt=ANSWER_SALT, compress=True)


def answer_invitation_id(token: str) -> int:
    days = getattr(settings, "SURVEY_LINK_DAYS", 60)
    try:
        return int(signing.loads(token, salt=ANSWER_SALT, max_age=days * 24 * 3600))
    except signing.SignatureExpired:
        raise LinkError("expired") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkError("forged") from None


def opt_out_token(email_hash: str) -> str:
    return signing.Signer(salt=OPT_OUT_SALT).sign(email_hash)


def opt_out_hash(token: str) -> str:
    try:
        return signing.Signer(salt=OPT_OUT_SALT).unsign(token)
    except signing.BadSignature:
        raise LinkError("forged") from None
