"""Reads of stacking outcomes for the console."""

from django.db.models import Prefetch

from credentials.models import Award

from .models import StackingOutcome


def outcomes_of(programme, *, state: str | None = None):
    """Outcomes whose result achievement belongs to the programme (newest first), with what counted."""
    outcomes = (
        StackingOutcome.objects.filter(result__programme=programme)
        .select_related("result", "award", "decided_by")
        .prefetch_related(
            Prefetch("counted", queryset=Award.objects.select_related("achievement").order_by("issued_at"))
        )
    )
    return outcomes.filter(state=state) if state else outcomes


def outcome_of(programme, pk: int) -> StackingOutcome | None:
    return outcomes_of(programme).filter(pk=pk).first()
