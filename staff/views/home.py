from django.shortcuts import redirect

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


@console_view()
def home(request, programme):
    return page(
        request,
        "staff/home.html",
        {
            "figures": selectors.programme_figures(programme),
            "awards": selectors.recent_awards(programme),
            "jobs": selectors.recent_jobs(programme),
            "can_issue": request.console.can("credentials.add_award"),
            "can_add_achievement": request.console.can("credentials.add_achievement"),
            "can_events": request.console.can("events.view_event"),
        },
    )
