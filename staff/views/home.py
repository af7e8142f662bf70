from datetime import timedelta

from django.conf import settings
from django.shortcuts import redirect
from django.utils import timezone

from analytics import charts
from analytics import selectors as analytics
from analytics.services import analytics_catch_up_if_due

from .. import selectors
from ..context import console_view, programmes_for
from .common import page


@console_view()
def index(request):
    """Every programme the user may see, with its figures; straight to the programme when there is one."""
    programmes = programmes_for(request.user)
    wanted = request.GET.get("p", "")
    if wanted and programmes.filter(slug=wanted).exists():  # the programme switcher without JavaScript
        return redirect("staff:home", programme=wanted)
    cards = selectors.programmes_with_figures(programmes)
    if len(cards) == 1 and request.GET.get("all") != "1":
        return redirect("staff:home", programme=cards[0].slug)
    return page(request, "staff/index.html", {"cards": cards})


def _last_year(programme) -> dict:
    """The programme's analytics headline and the last twelve months as a chart, from the daily rollups (the
    analytics pages have the rest: funnel, achievements, channels, ranges)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:  # no beat in the embedded default: catch up, as the analytics pages do
        analytics_catch_up_if_due()
    today = timezone.localdate()
    start = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    scope = analytics.Scope(programme_ids=(programme.pk,), start=start, end=today)
    monthly = analytics.monthly(scope, today=today)
    return {
        "engagement": analytics.totals(analytics.Scope(programme_ids=(programme.pk,)), today=today),
        "monthly": monthly,
        "monthly_chart": charts.monthly_bars(monthly),
    }


@console_view()
def home(request, programme):
    return page(
        request,
        "staff/home.html",
        {
            **(_last_year(programme) if request.console.can("programmes.view_analytics") else {}),
            "figures": selectors.programme_figures(programme),
            "awards": selectors.recent_awards(programme),
            "jobs": selectors.recent_jobs(programme),
            "can_issue": request.console.can("credentials.add_award"),
            "can_add_achievement": request.console.can("credentials.add_achievement"),
            "can_events": request.console.can("events.view_event"),
        },
    )
