"""Verification pages and the status list credential from a cache (the `pages` cache: Redis in production, a
directory shared by the processes of the embedded default).

A page is rendered once per award and language and kept as a cache entry holding the HTML, its ETag, the award's
id and the version tokens it was rendered under. A hit is one cache round trip (`get_many` of the entry and two
version tokens) and no query: the entry is served when both tokens are still the current ones, the deployment
(templates, translations, static manifest) is the same and no instant the page depends on has passed.

Invalidation is by version token, never by deleting entries, so a page rendered while a change commits cannot
outlive it: the tokens are read *before* the page is rendered and replaced when the change is made and again
*after* it commits.
- `award` token (one per award): the award's own row (revocation, reissue, acceptance, expiry sweep, holder), and
  what other apps show beside it (the wallets app's recipient evidence, endorsements and visibility: `watch`).
- `all` token: everything many pages show: issuers (profile), achievements, signing keys and every framework
  part (tiers, categories and their templates).
- Time: an entry is valid until the award expires or becomes valid, whichever comes first (computed at render,
  compared at serve time), and at most PAGE_CACHE_SECONDS.

Only anonymous visitors without per-visitor state get a cached page (no session cookie, no messages cookie, no
query string, GET/HEAD, HTML asked for): a signed-in holder sees their own buttons, rendered for them. The
language switcher is a list of links (no CSRF token), so the page is the same bytes for every such visitor and is
served `public` (caches on the way may keep it PAGE_CACHE_BROWSER_SECONDS, then revalidate with its ETag: 304).
Should a page ever carry a form with a CSRF token, the token is stored as a placeholder, each visitor gets their
own and the page is `private`. Views are still counted on hits (`verification_page_viewed`).
"""

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

CSRF_PLACEHOLDER = "__laurel-csrf-token__"
_CSRF_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
ALL = "pages:v:all"
VARY = ("Accept", "Accept-Language", "Cookie")


def _cache():
    return caches["pages" if "pages" in settings.CACHES else "default"]


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


def page_seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 3600)


def browser_seconds() -> int:
    return getattr(settings, "PAGE_CACHE_BROWSER_SECONDS", 30)


def _award_key(public_id: str) -> str:
    return f"pages:v:a:{public_id}"


def _page_key(public_id: str, language: str) -> str:
    return f"pages:p:{public_id}:{language}"


def _status_key(pk: int) -> str:
    return f"pages:v:s:{pk}"


# --- the deployment ---------------------------------------------------------------------------------------------

_fingerprint: str | None = None


def deployment() -> str:
    """A digest of what renders pages besides the data: templates, compiled translations, the static manifest and
    PAGE_CACHE_VERSION. Computed once per process; a deploy that changes any of them changes every page key."""
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.sha256(str(getattr(settings, "PAGE_CACHE_VERSION", "")).encode())
        base = Path(settings.BASE_DIR)
        roots = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
        roots += sorted(p for p in base.glob("*/templates") if p.is_dir())
        files = [f for root in roots for f in sorted(root.rglob("*.html"))]
        files += sorted(base.glob("locale/*/LC_MESSAGES/*.mo"))
        if getattr(settings, "STATIC_ROOT", None):
            files.append(Path(settings.STATIC_ROOT) / "staticfiles.json")
        for path in files:
            if path.is_file():
                digest.update(str(path.relative_to(base) if path.is_relative_to(base) else path).encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        _fingerprint = digest.hexdigest()[:16]
    return _fingerprint


# --- invalidation -----------------------------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_hex(8)


def _bump(keys, timeout: int | None) -> None:
    """New tokens for `keys` now and again once the current transaction commits: a page rendered meanwhile from
    the rows as they were before the commit is stored under the first token and is never served."""
    if not keys:
        return

    def bump():
        _cache().set_many(dict.fromkeys(keys, _new_token()), timeout=timeout)

    bump()
    transaction.on_commit(bump)


def invalidate_all() -> None:
    """Every page and status list is rendered again (now and after the current transaction commits)."""
    _bump([ALL], None)


def invalidate_public_ids(public_ids) -> None:
    """These awards' pages are rendered again (now and after the current transaction commits)."""
    _bump(sorted({_award_key(public_id) for public_id in public_ids if public_id}), page_seconds())


def invalidate_awards(award_ids) -> None:
    """As invalidate_public_ids, by award id (one query)."""
    from ..models import Award

    ids = {pk for pk in award_ids if pk}
    if ids:
        invalidate_public_ids(Award.objects.filter(pk__in=ids).values_list("public_id", flat=True))


def invalidate_status_lists(pks) -> None:
    """These status list credentials are served anew (now and after the current transaction commits)."""
    _bump(sorted({_status_key(pk) for pk in pks if pk}), None)


def watch(model, *, awards=None, public_ids=None, status_lists=None) -> None:
    """Invalidate on every save and delete of `model`: the pages of `awards(instance)` (award ids) or
    `public_ids(instance)`, the status lists `status_lists(instance)` (ids); with none, every page. Apps above
    credentials call it for what they add to the page (AppConfig.ready). Queryset `update()`s send no signal: a
    service that uses one calls invalidate_* itself."""

    def receiver(sender, instance, **kwargs):
        if public_ids is not None:
            invalidate_public_ids(public_ids(instance))
        elif awards is not None:
            invalidate_awards(awards(instance))
        elif status_lists is not None:
            invalidate_status_lists(status_lists(instance))
        else:
            invalidate_all()

    uid = f"page_cache:{model._meta.label}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid)


# --- serving ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    versions: tuple
    deployment: str
    valid_until: float  # epoch seconds
    award_id: int
    etag: str
    modified: float
    body: bytes
    content_type: str


def _tokens(cache, got: dict, own_key: str, own_timeout: int | None) -> tuple:
    """The current (all, own) tokens, created when missing (a new award, an emptied cache)."""
    missing = [key for key in (ALL, own_key) if got.get(key) is None]
    for key in missing:
        cache.add(key, _new_token(), timeout=None if key == ALL else own_timeout)
    if missing:
        got = {**got, **cache.get_many(missing)}
    return got.get(ALL), got.get(own_key)


def cacheable(request) -> bool:
    """An anonymous visitor with nothing of their own on the page."""
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGES_COOKIE_NAME", "messages") not in request.COOKIES
    )


def remember(response, award, *, moments=()):
    """Called by the view: this response is the page of `award`, valid until the first of `moments` (datetimes)
    still to come. Returns the response."""
    response.page_cache_award = award
    response.page_cache_moments = moments
    return response


def _store(cache, key: str, response, versions: tuple) -> Entry | None:
    award = getattr(response, "page_cache_award", None)
    if (
        award is None
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or not response.get("Content-Type", "").startswith("text/html")
        or None in versions
    ):
        return None
    now = time.time()
    until = now + page_seconds()
    for moment in response.page_cache_moments:
        if moment is not None and now < moment.timestamp() < until:
            until = moment.timestamp()
    body = _CSRF_INPUT.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", response.content.decode(response.charset)).encode()
    entry = Entry(
        versions=versions,
        deployment=deployment(),
        valid_until=until,
        award_id=award.pk,
        etag=f'W/"{hashlib.sha256(body).hexdigest()[:32]}"',
        modified=now,
        body=body,
        content_type=response["Content-Type"],
    )
    cache.set(key, entry, timeout=max(1, int(until - now)))
    return entry


def _headers(response, entry: Entry, now: float) -> None:
    response["ETag"] = entry.etag
    response["Last-Modified"] = http_date(entry.modified)
    max_age = max(0, min(browser_seconds(), int(entry.valid_until - now)))
    if _CSRF_PLACEHOLDER_BYTES in entry.body:  # a form with each visitor's own token: browsers only
        patch_cache_control(response, private=True, max_age=max_age)
    else:  # the same bytes for every anonymous visitor (in this language): shared caches too
        patch_cache_control(response, public=True, max_age=max_age)
    patch_vary_headers(response, VARY)


class _CountedResponse(HttpResponse):
    """A page from the cache whose view is counted once it has been sent (the WSGI server closes the response):
    the visitor does not wait for the analytics buffer's round trips."""

    count = None

    def close(self):
        try:
            super().close()
        finally:
            if self.count is not None:
                count, self.count = self.count, None
                count()


def _serve(request, entry: Entry, now: float, state: str, count=None):
    conditional = get_conditional_response(request, etag=entry.etag, last_modified=int(entry.modified))
    if conditional is not None and conditional.status_code == 304:
        _headers(conditional, entry, now)
        if count is not None:
            count()
        return conditional
    body = entry.body
    if _CSRF_PLACEHOLDER_BYTES in body:
        body = body.replace(_CSRF_PLACEHOLDER_BYTES, get_token(request).encode())
    response = _CountedResponse(body, content_type=entry.content_type)
    response.count = count
    _headers(response, entry, now)
    response["X-Page-Cache"] = state
    return response


def cached(when):
    """Decorate the verification page view `view(request, public_id)`: serve it from the cache to visitors for
    whom `when(request)` holds and `cacheable(request)`; everyone else gets it rendered for them."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, public_id: str, *args, **kwargs):
            if not (cacheable(request) and when(request)):
                response = view(request, public_id, *args, **kwargs)
                if getattr(response, "page_cache_award", None) is not None:
                    patch_cache_control(response, private=True, no_cache=True)
                    patch_vary_headers(response, VARY)
                return response
            from ..signals import verification_page_viewed

            cache, now = _cache(), time.time()
            key, award_key = _page_key(public_id, get_language() or ""), _award_key(public_id)
            got = cache.get_many([key, ALL, award_key])
            entry = got.get(key)
            if (
                isinstance(entry, Entry)
                and entry.versions == (got.get(ALL), got.get(award_key))
                and entry.deployment == deployment()
                and now < entry.valid_until
            ):
                award_id = entry.award_id

                def count():
                    verification_page_viewed.send(sender=None, award_id=award_id, request=request)

                return _serve(request, entry, now, "hit", count)
            versions = _tokens(cache, got, award_key, page_seconds())
            response = view(request, public_id, *args, **kwargs)
            entry = _store(cache, key, response, versions)
            if entry is None:
                return response
            return _serve(request, entry, now, "miss")

        return wrapper

    return decorate


# --- the status list credential ---------------------------------------------------------------------------------


def status_list_response(request, pk: int, build):
    """The signed status list credential `build()` (bytes of JSON), kept until the list changes (a revocation
    saves it: `watch`). Public: verifiers and caches on the way may keep it STATUS_LIST_BROWSER_SECONDS, then
    revalidate with the ETag."""
    cache, now = _cache(), time.time()
    key, own_key = f"pages:s:{pk}", _status_key(pk)
    got = cache.get_many([key, ALL, own_key])
    entry = got.get(key)
    if not (isinstance(entry, Entry) and entry.versions == (got.get(ALL), got.get(own_key))):
        versions = _tokens(cache, got, own_key, None)
        body = build()
        entry = Entry(versions, "", now, pk, f'"{hashlib.sha256(body).hexdigest()[:32]}"', now, body, "")
        if None not in versions:
            cache.set(key, entry, timeout=None)
    response = get_conditional_response(request, etag=entry.etag, last_modified=int(entry.modified))
    if response is None or response.status_code != 304:
        response = HttpResponse(entry.body, content_type="application/vc+ld+json")
        response["Access-Control-Allow-Origin"] = "*"
    response["ETag"] = entry.etag
    response["Last-Modified"] = http_date(entry.modified)
    patch_cache_control(response, public=True, max_age=getattr(settings, "STATUS_LIST_BROWSER_SECONDS", 60))
    return response
