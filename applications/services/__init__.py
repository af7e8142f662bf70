"""Every write of the applications app (keyword-only, atomic, permission-checked, audited), by concern:
routes (console), applying (the learner), reviewing (staff or the nominee), goals (the learner)."""

from .applying import (
    application_resubmit,
    application_submit,
    application_withdraw,
    open_route,
    session_record,
)
from .common import DECIDE, ROUTE, VIEW, may_review, may_view
from .goals import goal_remove, goal_set
from .reviewing import application_decide, credential_evidence, session_confirm
from .routes import is_evidence_achievement, route_save

__all__ = [
    "DECIDE", "ROUTE", "VIEW", "application_decide", "application_resubmit", "application_submit",
    "application_withdraw", "credential_evidence", "goal_remove", "goal_set", "is_evidence_achievement",
    "may_review", "may_view", "open_route", "route_save", "session_confirm", "session_record",
]  # fmt: skip
