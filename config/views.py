from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

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


def bench_noop(request):
    """Does nothing, behind every middleware: the baseline of benchmarks/verification.py (BENCHMARK_VIEWS only)."""
    if not settings.BENCHMARK_VIEWS:
        raise Http404
    return HttpResponse(b"ok", content_type="text/plain")


def same_site_path(url: str | None) -> str | None:
    """`url` if it is a path on this site ("/c/abc/?x=1"), else None: no scheme, no host, no "//" or "/\\"
    (which browsers read as another host), nothing but a path with its query."""
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return None
    return url


@require_safe
def language(request, code: str):
    """Switch the interface language by link: set the language cookie and go back to `next` (a path on this site,
    else the home page). The header offers one link per language, so pages carry no CSRF token and the page cache
    can share them (ADR 14). An unknown language is a 404."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    response = HttpResponseRedirect(same_site_path(request.GET.get("next")) or reverse("home"))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    add_never_cache_headers(response)
    return response
