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

from csp.middleware import CSPMiddleware


class PageCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, for HTML responses only (a view's own header always wins)."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
