from django.shortcuts import render

from credentials.catalogue import public_catalogue
from events.selectors import current_events
from frameworks.selectors import framework_current


def home(request):
    """What Laurel is, the public catalogue of published achievements (search and filters), current events."""
    params = {name: request.GET.get(name, "")[:100] for name in ("q", "programme", "group", "kind", "page")}
    catalogue = public_catalogue(**params)
    context = {
        "framework": framework_current(),
        "catalogue": catalogue,
        "filtered": any(catalogue.filters.values()),
        "events": current_events(),
    }
    return render(request, "home.html", context)
