"""Fetching third-party documents (Open Badges, status lists) without becoming an SSRF vector.

Only http(s); the host must resolve to public addresses only (no loopback, private, link-local,
reserved or multicast), unless it is listed in settings.FETCH_ALLOWED_HOSTS (tests, intranets);
redirects are followed by hand and checked again; size and time are limited.
"""

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
TIMEOUT = 5
MAX_REDIRECTS = 3


class FetchError(Exception):
    pass


def _check_host(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(_("Only http and https addresses can be fetched: %(url)s") % {"url": url[:200]})
    host = parts.hostname
    if host in settings.FETCH_ALLOWED_HOSTS:
        return
    try:
        infos = socket.getaddrinfo(
            host, parts.port or (443 if parts.scheme == "https" else 80), proto=socket.IPPROTO_TCP
        )
    except socket.gaierror as exc:
        raise FetchError(_("The host %(host)s cannot be found.") % {"host": host}) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            raise FetchError(_("%(host)s is a private or local address; it is not fetched.") % {"host": host})


def fetch(
    url: str,
    *,
    accept: str = "application/ld+json, application/json",
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT,
) -> tuple[bytes, str]:
    """GET a public URL: (body, content type). Raises FetchError with a reason a person can read."""
    for _hop in range(MAX_REDIRECTS + 1):
        _check_host(url)
        try:
            response = requests.get(
                url, headers={"Accept": accept}, timeout=timeout, stream=True, allow_redirects=False
            )
        except requests.RequestException as exc:
            raise FetchError(_("%(url)s could not be fetched: %(error)s") % {"url": url[:200], "error": exc}) from exc
        with response:
            if response.is_redirect:
                url = urljoin(url, response.headers.get("Location", ""))
                continue
            if response.status_code != 200:
                raise FetchError(
                    _("%(url)s answered HTTP %(status)s.") % {"url": url[:200], "status": response.status_code}
                )
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > max_bytes:
                raise FetchError(_("%(url)s is larger than %(kb)s KB.") % {"url": url[:200], "kb": max_bytes // 1024})
            body = b""
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > max_bytes:
                    raise FetchError(
                        _("%(url)s is larger than %(kb)s KB.") % {"url": url[:200], "kb": max_bytes // 1024}
                    )
            return body, response.headers.get("Content-Type", "")
    raise FetchError(_("Too many redirects from %(url)s.") % {"url": url[:200]})
