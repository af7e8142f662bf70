"""The project's one outbound HTTP client: third-party documents (Open Badges, status lists) now, webhook
deliveries later, without becoming an SSRF vector.

Two layers, both on every hop (redirects are followed here, by hand, and checked again):

1. Before any network, `check_url` refuses what could be read two ways: anything but http(s), user
   info (``user@``), backslashes, whitespace and control characters, percent signs in the host, ports out
   of range, numeric hosts that are not a plain dotted quad (``2130706433``, ``0x7f.1``, ``127.1``), and
   any URL whose host or port as seen by urllib.parse differs from the one requests will connect to.
   An IP literal is checked right there.
2. At connect time, requests-hardened's adapter resolves the host once, refuses a private, loopback,
   link-local, reserved, shared or multicast address, and connects to that very address (the pool is keyed
   on the IP; the Host header, TLS SNI and certificate check keep the name), so a second DNS answer
   (rebinding) is never asked for. The chosen address is checked again here with `address_allowed`.

Hosts in settings.FETCH_ALLOWED_HOSTS (tests, intranets) skip the address check, by the name that the
connection is really made to, so a parsing trick cannot borrow their allowance. Proxies and .netrc from the
environment are ignored (a proxy would resolve the name itself). Size, time and redirects are limited.
"""

import ipaddress
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import idna
import requests
from django.conf import settings
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from requests_hardened.ip_filter import EXTRA_BLOCKED_NET_RANGES, InvalidIPAddress
from requests_hardened.ip_filter_adapter import IPFilterAdapter

MAX_BYTES = 2 * 1024 * 1024
TIMEOUT = 5  # seconds per connect or read
MAX_REDIRECTS = 3
MAX_URL_LENGTH = 2000
USER_AGENT = "Laurel (credential verification)"
HOST_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-_")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d forms
CREDENTIAL_HEADERS = ("authorization", "cookie", "proxy-authorization")


class FetchError(Exception):
    """The URL was refused or could not be fetched; the message is for a person."""


@dataclass
class Response:
    status: int
    headers: dict  # case-insensitive (requests' CaseInsensitiveDict)
    body: bytes
    url: str  # the last hop's URL

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


def _short(url: str) -> str:
    return url[:200]


def address_allowed(address: str) -> bool:
    """Whether a connection may go to this IP address: globally routable, not multicast, none of the ranges
    requests-hardened blocks (shared, NAT64, 6to4, ...); IPv4-mapped IPv6 is judged as its IPv4 address."""
    ip = ipaddress.ip_address(address.strip("[]"))
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip in IPV4_COMPATIBLE:
            return False
    if not ip.is_global or ip.is_multicast:
        return False
    return not any(ip in network for network in EXTRA_BLOCKED_NET_RANGES)


def host_allow_listed(host: str) -> bool:
    host = (host or "").strip("[]").lower()
    return bool(host) and host in {name.strip("[]").lower() for name in settings.FETCH_ALLOWED_HOSTS}


def _literal(host: str):
    """The IP address a host denotes, None for a name; FetchError for numeric forms other than a plain dotted
    quad or an IPv6 literal (a browser, curl and urllib3 do not agree on them)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    last = host.rstrip(".").rsplit(".", 1)[-1]
    if last.isdigit() or last.startswith("0x") or ":" in host:
        raise FetchError(_("%(host)s is not a usual host name or IP address; it is not fetched.") % {"host": host})
    return None


def check_url(url: str) -> str:
    """Refuse, before any network, a URL that is not plainly one http(s) host; return it as requests will send
    it. Raises FetchError saying why."""
    if not isinstance(url, str) or not url:
        raise FetchError(_("No address to fetch."))
    shown = _short(url)
    if len(url) > MAX_URL_LENGTH:
        raise FetchError(_("The address is longer than %(max)s characters.") % {"max": MAX_URL_LENGTH})
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F or ch == "\\" for ch in url):
        raise FetchError(
            _("%(url)s contains spaces, control characters or backslashes; it is not fetched.") % {"url": shown}
        )
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # a malformed [IPv6] literal
        raise FetchError(_("%(url)s is not a valid address; it is not fetched.") % {"url": shown}) from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(_("Only http and https addresses can be fetched: %(url)s") % {"url": shown})
    if "@" in parts.netloc:
        raise FetchError(_("%(url)s contains a user name or password; it is not fetched.") % {"url": shown})
    try:
        port = parts.port
    except ValueError as exc:
        raise FetchError(_("%(url)s has an invalid port; it is not fetched.") % {"url": shown}) from exc
    host = parts.hostname or ""
    if not host or "%" in host:
        raise FetchError(_("%(url)s has no valid host name; it is not fetched.") % {"url": shown})
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError) as exc:
            raise FetchError(_("%(url)s has no valid host name; it is not fetched.") % {"url": shown}) from exc
    address = _literal(host)
    if address is None and not set(host) <= HOST_CHARACTERS:
        raise FetchError(_("%(url)s has no valid host name; it is not fetched.") % {"url": shown})
    prepared = requests.models.PreparedRequest()
    try:
        prepared.prepare_url(url, None)
    except requests.RequestException as exc:
        raise FetchError(_("%(url)s is not a valid address; it is not fetched.") % {"url": shown}) from exc
    sent = urlsplit(prepared.url)
    if (sent.scheme, (sent.hostname or "").strip("[]"), sent.port) != (parts.scheme.lower(), host, port):
        raise FetchError(_("%(url)s can be read in two ways; it is not fetched.") % {"url": shown})
    if address is not None and not host_allow_listed(host) and not address_allowed(str(address)):
        raise FetchError(_("%(host)s is a private or local address; it is not fetched.") % {"host": host})
    return prepared.url


class _Adapter(IPFilterAdapter):
    """requests-hardened's adapter (resolve once, refuse private addresses, connect to the address checked,
    keep the name for Host, SNI and the certificate) with the allow-list and a second look at the address."""

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = HTTPAdapter.build_connection_pool_key_attributes(self, request, verify, cert)
        if host_allow_listed(host_params["host"]):
            return host_params, pool_kwargs
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        if not address_allowed(host_params["host"]):
            raise InvalidIPAddress(host_params["host"])
        return host_params, pool_kwargs


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy (it would resolve the name itself) and no .netrc credentials
    session.mount("http://", _Adapter(is_https_proto=False, allow_loopback=False))
    session.mount("https://", _Adapter(is_https_proto=True, allow_loopback=False))
    return session


def _send(session, method, url, *, headers, body, timeout, max_bytes, deadline) -> Response:
    host = urlsplit(url).hostname or url
    try:
        response = session.request(
            method, url, headers=headers, data=body, timeout=timeout, stream=True, allow_redirects=False
        )
    except InvalidIPAddress as exc:
        raise FetchError(_("%(host)s is a private or local address; it is not fetched.") % {"host": host}) from exc
    except requests.ConnectionError as exc:
        if "Failed to resolve" in str(exc):
            raise FetchError(_("The host %(host)s cannot be found.") % {"host": host}) from exc
        raise FetchError(_("%(url)s could not be fetched: %(error)s") % {"url": _short(url), "error": exc}) from exc
    except requests.RequestException as exc:
        raise FetchError(_("%(url)s could not be fetched: %(error)s") % {"url": _short(url), "error": exc}) from exc
    too_large = _("%(url)s is larger than %(kb)s KB.") % {"url": _short(url), "kb": max_bytes // 1024}
    with response:
        if response.is_redirect:
            return Response(response.status_code, response.headers, b"", url)
        try:
            if int(response.headers.get("Content-Length") or 0) > max_bytes:
                raise FetchError(too_large)
        except ValueError:
            pass
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(too_large)
                if time.monotonic() > deadline:
                    raise FetchError(_("%(url)s took too long to answer.") % {"url": _short(url)})
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise FetchError(_("%(url)s could not be fetched: %(error)s") % {"url": _short(url), "error": exc}) from exc
        return Response(response.status_code, response.headers, b"".join(chunks), url)


def request(
    method: str,
    url: str,
    *,
    headers: dict | None = None,
    body: bytes | None = None,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = 0,
) -> Response:
    """Send one request to a public URL (webhook deliveries use this) and return the final answer, whatever
    its status. Redirects are followed only when `max_redirects` > 0, each hop checked like the first; a
    303 (or a 301/302 after POST) continues as GET without the body; credentials headers are dropped when
    the host changes. Raises FetchError with a reason a person can read."""
    headers = {"User-Agent": USER_AGENT, **(headers or {})}
    deadline = time.monotonic() + 4 * timeout
    with _session() as session:
        for _hop in range(max_redirects + 1):
            url = check_url(url)
            response = _send(
                session, method, url, headers=headers, body=body, timeout=timeout, max_bytes=max_bytes,
                deadline=deadline,
            )  # fmt: skip
            if not (300 <= response.status < 400 and "Location" in response.headers):
                return response
            if max_redirects == 0:
                return response
            target = urljoin(url, response.headers["Location"])
            if response.status == 303 or (response.status in (301, 302) and method.upper() == "POST"):
                method, body = "GET", None
            if urlsplit(target).netloc.lower() != urlsplit(url).netloc.lower():
                headers = {k: v for k, v in headers.items() if k.lower() not in CREDENTIAL_HEADERS}
            url = target
    raise FetchError(_("Too many redirects from %(url)s.") % {"url": _short(url)})


def fetch(
    url: str,
    *,
    accept: str = "application/ld+json, application/json",
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT,
) -> tuple[bytes, str]:
    """GET a public document: (body, content type). Raises FetchError with a reason a person can read."""
    response = request(
        "GET", url, headers={"Accept": accept}, timeout=timeout, max_bytes=max_bytes, max_redirects=MAX_REDIRECTS
    )
    if response.status != 200:
        raise FetchError(
            _("%(url)s answered HTTP %(status)s.") % {"url": _short(response.url), "status": response.status}
        )
    return response.body, response.content_type
