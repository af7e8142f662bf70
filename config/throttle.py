"""Abuse limits: per client IP and per account or target, counted in the cache (Redis in production, a folder
shared by the web server and the worker in the embedded default: config/filecache.py), answered with a 429 page
(or JSON) that says when to try again.

One table, LIMITS, names every limited page by its URL name; each limit's rate comes from settings.RATE_LIMITS
(environment variables RATE_LIMIT_<NAME>, documented in .env.example). Two kinds:

* "requests": every matching request counts, before the view runs; the one over the limit is refused.
* "failures": only failed requests count (a wrong password, an unknown event code), after the view answered;
  once the limit is reached every further request is refused before the view runs, so a correct password
  is refused too until the window has passed (a lockout, not a hint that the guess was right).

Counting is django-ratelimit's (`get_usage`: fixed windows per key, atomic increments in the cache). Learner
sign-in, sign-up and password reset keep allauth's own limits (ACCOUNT_RATE_LIMITS, same cache, and the same
client IP through AccountAdapter).

The client IP is REMOTE_ADDR, or with TRUSTED_PROXY_COUNT = n > 0 (gunicorn behind n proxies of ours) the n-th
address from the right of X-Forwarded-For: the one our outermost proxy saw. Only addresses added by our own
proxies are trusted; whatever a client sends itself stays on the left and is ignored.
"""

import ipaddress
import logging
import math
from dataclasses import dataclass, field

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)

UNKNOWN_IP = "unknown"


def client_ip(request) -> str:
    """The client's IP address (see the module docstring), IPv6 reduced to its /64 network."""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    candidate = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            candidate = hops[-count] if len(hops) >= count else hops[0]
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return UNKNOWN_IP
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


class AccountAdapter(DefaultAccountAdapter):
    """allauth's limits count per the same client IP as ours (one setting, TRUSTED_PROXY_COUNT; and no error
    when X-Forwarded-For has fewer hops than configured)."""

    def get_client_ip(self, request) -> str:
        return client_ip(request)


def _by_ip(group, request) -> str:
    return client_ip(request)


def _posted(name: str):
    def key(group, request) -> str:
        return " ".join((request.POST.get(name) or "").split()).lower()[:254]

    return key


@dataclass(frozen=True)
class Limit:
    name: str  # key of settings.RATE_LIMITS
    key: object  # function (group, request) -> str
    methods: tuple = ("POST",)
    kind: str = "requests"  # or "failures"
    failed: object = None  # for "failures": function (response) -> bool
    json: bool = False


def _login_failed(response) -> bool:
    return response.status_code == 200  # the login form again, with its error (a success redirects)


def _not_found(response) -> bool:
    return response.status_code == 404


_CODE_MISSES = Limit("event_code_misses_ip", _by_ip, methods=("GET", "POST"), kind="failures", failed=_not_found)

#: URL name → the limits of that page.
LIMITS: dict[str, tuple[Limit, ...]] = {
    "admin:login": (
        Limit("staff_login_failures_ip", _by_ip, kind="failures", failed=_login_failed),
        Limit("staff_login_failures_account", _posted("username"), kind="failures", failed=_login_failed),
    ),
    "events:enter": (_CODE_MISSES,),
    "events:event": (
        _CODE_MISSES,
        Limit("event_claim_ip", _by_ip),
        Limit("event_claim_email", _posted("email")),
    ),
    "events:poster": (_CODE_MISSES,),
    "credentials:verify": (Limit("verify_ip", _by_ip),),
    "credentials:api_verify": (Limit("api_verify_ip", _by_ip, json=True),),
    "wallets:endorsement_request": (Limit("endorsement_request_ip", _by_ip),),
    "obapi:register": (Limit("ob_api_register_ip", _by_ip, json=True),),
}


@dataclass
class Refusal:
    retry_after: int
    json: bool = False
    names: list = field(default_factory=list)


def _usage(request, limit: Limit, *, increment: bool):
    rate = settings.RATE_LIMITS.get(limit.name)
    if not rate:
        return None
    try:
        return get_usage(request, group=f"laurel.{limit.name}", key=limit.key, rate=rate, increment=increment)
    except Exception:  # the cache is down: serve rather than refuse everyone (and say so in the log)
        logger.exception("rate limit %s could not be counted", limit.name)
        return None


def check(request, limits) -> Refusal | None:
    """Count this request against its "requests" limits and refuse it if any limit is reached (before the view)."""
    refusal = None
    for limit in limits:
        if request.method not in limit.methods:
            continue
        if limit.kind == "failures":
            usage = _usage(request, limit, increment=False)
            blocked = usage is not None and usage["count"] >= usage["limit"]
        else:
            usage = _usage(request, limit, increment=True)
            blocked = usage is not None and usage["should_limit"]
        if blocked:
            refusal = refusal or Refusal(retry_after=0, json=limit.json)
            refusal.retry_after = max(refusal.retry_after, usage["time_left"], 1)
            refusal.names.append(limit.name)
    return refusal


def count_failure(request, limits, response) -> None:
    for limit in limits:
        if limit.kind == "failures" and request.method in limit.methods and limit.failed(response):
            _usage(request, limit, increment=True)


def too_many_requests(request, *, retry_after: int | None, json: bool = False):
    """The 429 answer: a page (templates/429.html) or JSON, with Retry-After when the wait is known."""
    minutes = math.ceil(retry_after / 60) if retry_after else None
    if json:
        message = _("Too many requests from your address. Try again in %(seconds)d seconds.") % {
            "seconds": retry_after or 60
        }
        response = JsonResponse(
            {"error": "too_many_requests", "message": message, "retry_after": retry_after}, status=429
        )
    else:
        context = {"retry_after": retry_after, "minutes": minutes}
        response = render(request, "429.html", context, status=429)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


class ThrottleMiddleware:
    """Applies LIMITS to the pages they name: checked after URL resolution, before the view; failures counted
    once the view has answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        limits = getattr(request, "_throttle_limits", None)
        if limits:
            count_failure(request, limits, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        limits = LIMITS.get(request.resolver_match.view_name) if request.resolver_match else None
        if not limits or not getattr(settings, "RATELIMIT_ENABLE", True):
            return None
        refusal = check(request, limits)
        if refusal is None:
            request._throttle_limits = limits
            return None
        logger.warning("rate limited: %s from %s on %s", ",".join(refusal.names), client_ip(request), request.path)
        return too_many_requests(request, retry_after=refusal.retry_after, json=refusal.json)


#: allauth's pages (URL name) → the allauth rate-limit action they use.
ALLAUTH_ACTIONS = {
    "account_signup": "signup",
    "account_login": "login",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_email": "manage_email",
    "account_change_password": "change_password",
}
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _longest_window(rates: str) -> int | None:
    """The longest window of an allauth rate list such as "20/5m/ip,5/15m/key", in seconds."""
    longest = None
    for rate in (rates or "").split(","):
        parts = rate.strip().split("/")
        if len(parts) < 2 or not parts[1] or parts[1][-1] not in _SECONDS:
            continue
        try:
            seconds = float(parts[1][:-1] or 1) * _SECONDS[parts[1][-1]]
        except ValueError:
            continue
        longest = max(longest or 0, int(seconds))
    return longest


def handler429(request, exception=None):
    """allauth's 429 (sign-up, sign-in, password reset limits): the same page. allauth does not say how long the
    wait is; the longest window of the page's limits is an upper bound, given as Retry-After."""
    name = request.resolver_match.url_name if getattr(request, "resolver_match", None) else None
    action = ALLAUTH_ACTIONS.get(name)
    rates = getattr(settings, "ACCOUNT_RATE_LIMITS", None) or {}
    retry_after = _longest_window(rates.get(action, "")) if action and isinstance(rates, dict) else None
    return too_many_requests(request, retry_after=retry_after)
