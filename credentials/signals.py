"""Signals the credentials app sends; other apps (or its own tasks) connect to them, never the reverse."""

from django.dispatch import Signal

# Sent after the transaction that issued awards commits (one award, or a batch of a bulk job). Arguments:
# award_ids (a list). Receivers must be idempotent: a resumed bulk chunk announces its awards again.
award_issued = Signal()

# Sent while rendering a verification page; receivers return a dict added to the template context
# (the wallets app adds the recipient's evidence and endorsements). Arguments: award, request.
verification_page_context = Signal()

# Sent after a recipient accepted or declined on the plain claim page (a notice: what receivers return is
# ignored; the page decides its own response, see credentials.claims). The wallets app records the holder's
# wallet entry. Arguments: award, user (may be anonymous), answer ("accept" or "decline").
claim_answered = Signal()

# Sent while building an award's hosted Open Badges 2.0 assertion; receivers return a list of URLs of hosted
# 2.0 Endorsements of it (the wallets app: endorsements given and not hidden), linked as `endorsement`.
# Arguments: award.
assertion_endorsements = Signal()
