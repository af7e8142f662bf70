"""Recipients, events and the search across programmes."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import selectors
from ..context import console_view, programmes_for
from .common import page, paginate, query_without_page


@console_view("credentials.view_award")
def recipients(request, programme):
    q, kind = request.GET.get("q", "")[:200], request.GET.get("kind", "")
    return page(
        request,
        "staff/recipients.html",
        {
            "page_obj": paginate(request, selectors.recipients(programme, q=q, kind=kind)),
            "q": q,
            "kind": kind,
            "query": query_without_page(request),
        },
    )


@console_view("credentials.view_award")
def recipient(request, programme, email):
    awards = selectors.recipient_awards(programme, email)
    if not awards:
        raise Http404(_("Nobody with this address holds a credential of this programme."))
    return page(request, "staff/recipient.html", {"awards": awards, "email": email, "holder": awards[0]})


@console_view("events.view_event")
def events(request, programme):
    return page(request, "staff/events.html", {"events": list(selectors.events_of(programme))})


@never_cache
@console_view("events.view_event")
def event_counts(request, programme):
    """The claim counts of the programme's events, polled by the events page (static/js/staff.js)."""
    rows = selectors.events_of(programme).values("pk", "confirmed_count", "pending_count")
    return JsonResponse(
        {"events": [{"id": r["pk"], "confirmed": r["confirmed_count"], "pending": r["pending_count"]} for r in rows]}
    )


@console_view()
def search(request):
    q = request.GET.get("q", "")[:200]
    results = selectors.search(programmes_for(request.user), q)
    return page(request, "staff/search.html", {"q": q, "results": results, "empty": not any(results.values())})
