"""Recipients, events and the search across programmes."""

from django.http import Http404
from django.utils.translation import gettext as _

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


@console_view()
def search(request):
    q = request.GET.get("q", "")[:200]
    results = selectors.search(programmes_for(request.user), q)
    return page(request, "staff/search.html", {"q": q, "results": results, "empty": not any(results.values())})
