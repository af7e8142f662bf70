"""Laurel's own error pages: 404, 403, CSRF failure and 500, branded and translated (429 is config.throttle's).

404, 403 and the CSRF page render with the full request context (the header, the language switcher). The 500
page renders with a plain context and no context processor: what failed may be the database or a context
processor itself. If even that template fails, a fixed HTML answer is sent.
"""

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

#: path prefixes whose 404 page says what was looked for (a mistyped credential or issuer address).
_WHAT = (
    ("/c/", "credential"),
    ("/wallet/c/", "credential"),
    ("/issuers/", "issuer"),
    ("/achievements/", "achievement"),
)


def _looked_for(path: str) -> str:
    for prefix, what in _WHAT:
        if path.startswith(prefix):
            return what
    return ""


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", {"looked_for": _looked_for(request.path), "path": request.path}, status=404)


@requires_csrf_token
def permission_denied(request, exception=None):
    message = str(exception) if exception is not None and str(exception) else ""
    return render(request, "403.html", {"exception": message}, status=403)


@requires_csrf_token
def csrf_failure(request, reason="", template_name=None):
    """CSRF_FAILURE_VIEW: an expired form or blocked cookies, said in plain words (the reason goes to the log)."""
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    return render(request, "403_csrf.html", {"no_cookie": "cookie" in (reason or "").lower()}, status=403)


def server_error(request):
    try:
        body = loader.get_template("500.html").render({})
    except Exception:  # the template itself failed: a fixed answer
        logger.exception("the 500 page could not be rendered")
        body = "<!doctype html><title>Laurel</title><h1>Server error</h1><p>Please try again later.</p>"
    return HttpResponseServerError(body)


__all__ = ["csrf_failure", "page_not_found", "permission_denied", "server_error"]
