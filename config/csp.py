"""The Content-Security-Policy of Laurel's pages (issue 9.7), set by django-csp's middleware.

Every HTML page gets PAGE_POLICY: scripts and styles only from our own static files (no inline script, no
event handler attribute, no style attribute: the test in tests/security/test_csp.py keeps it so), images
from us or data: URIs, no plugins, no <base>, forms posting only to us, never framed
(CONTENT_SECURITY_POLICY in settings). Views that need another policy set the header themselves and the
middleware leaves it alone: the embeddable widget (wallets.views.EMBED_POLICY, framed by any site),
learners' files (wallets.views.FILE_POLICY), SVG images (frameworks.svg.SVG_POLICY) and the certificate
preview of the staff console (frameworks.views.PREVIEW_POLICY).

Only HTML gets the page policy: JSON, PDFs and images are not documents that run anything, and a browser's
PDF viewer can refuse a PDF served with `object-src 'none'`.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings
from django.http import HttpResponse

# What makes a response's policy its own (csp.decorators and views that set them, e.g. obapi's form-action).
_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro",
               "_csp_exempt", "_csp_exempt_ro")  # fmt: skip


class PageCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, for HTML responses only (a view's own header always wins).

    django-csp builds the policy string for every response (a dataclass copy and a join: about 0.1 ms, an eighth
    of a page served from the page cache). Without a nonce, a policy of the response's own or excluded URL
    prefixes, that string depends on the settings alone: it is built once per settings and reused."""

    _plain: dict = {}

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {}
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _OWN_POLICY)
            or HEADER in response
            or HEADER_REPORT_ONLY in response
            or policy.get("EXCLUDE_URL_PREFIXES")
            or report_only.get("EXCLUDE_URL_PREFIXES")
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        key = (repr(policy), repr(report_only))
        headers = self._plain.get(key)
        if headers is None:
            probe = super().process_response(request, HttpResponse(content_type="text/html"))
            headers = self._plain[key] = [(h, probe[h]) for h in (HEADER, HEADER_REPORT_ONLY) if h in probe]
        for header, value in headers:
            response[header] = value
        # as django-csp does: a nonce asked for after the header is written is an error
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
