"""Signals the credentials app sends; other apps (or its own tasks) connect to them, never the reverse."""

from django.dispatch import Signal

# Sent after the transaction that issued an award commits. Arguments: award_id.
award_issued = Signal()

# Sent while rendering a verification page; receivers return a dict added to the template context
# (the wallets app adds the recipient's evidence and endorsements). Arguments: award, request.
verification_page_context = Signal()

# Sent after a recipient accepted or declined from a claim link; a receiver may return an HttpResponse
# to continue the flow (the wallets app offers to create an account). Arguments: award, request, answer.
claim_answered = Signal()
