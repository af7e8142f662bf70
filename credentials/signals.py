"""Signals the credentials app sends; other apps (or its own tasks) connect to them, never the reverse."""

from django.dispatch import Signal

# Sent after the transaction that issued awards commits (one award, or a batch of a bulk job). Arguments:
# award_ids (a list). Receivers must be idempotent: a resumed bulk chunk announces its awards again.
award_issued = Signal()

# Sent while rendering a verification page; receivers return a dict added to the template context
# (the wallets app adds the recipient's evidence and endorsements). Arguments: award, request.
verification_page_context = Signal()

# Sent while rendering an achievement's public page; receivers return a dict added to the template context (the
# applications app adds its "Apply for this credential" button: `actions_template` and what it shows).
# Arguments: achievement, request.
achievement_page_context = Signal()

# Sent for every view of a verification page, rendered or served from the page cache (credentials.verification.
# page_cache; then no award is loaded). Receivers must not query (analytics counts the view in its buffer).
# Arguments: award_id, request.
verification_page_viewed = Signal()

# Sent after a recipient accepted or declined on the plain claim page (a notice: what receivers return is
# ignored; the page decides its own response, see credentials.claims). The wallets app records the holder's
# wallet entry. Arguments: award, user (may be anonymous), answer ("accept" or "decline").
claim_answered = Signal()

# Sent while building an award's hosted Open Badges 2.0 assertion; receivers return a list of URLs of hosted
# 2.0 Endorsements of it (the wallets app: endorsements given and not hidden), linked as `endorsement`.
# Arguments: award.
assertion_endorsements = Signal()

# Sent after the transaction that changed an award commits: its state changed (accepted, declined, revoked,
# expired; sent by credentials.services.lifecycle), its holder shared it or someone endorsed it (sent by the
# wallets app). Notices for apps above (webhooks): what receivers return is ignored. Arguments: award_id,
# change (one of AWARD_CHANGES), details (a dict of JSON values, may be empty).
award_changed = Signal()
AWARD_CHANGES = ("accepted", "declined", "revoked", "expired", "shared", "endorsed")

# Sent after the transaction that finished a bulk job (every row done) commits. Arguments: job_id.
bulk_job_finished = Signal()


def announce_award_change(award_id: int, change: str, details: dict | None = None) -> None:
    """award_changed once the current transaction commits (at once outside one)."""
    from django.db import transaction

    if change not in AWARD_CHANGES:
        raise ValueError(f"unknown award change {change!r}")
    transaction.on_commit(
        lambda: award_changed.send(sender=None, award_id=award_id, change=change, details=dict(details or {}))
    )
