"""What every API v1 view shares: authentication (API key, or the session with CSRF for the console's own
scripts), authenticated callers only, a throttle per caller, cursor pagination and problem-details errors."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, pagination, parsers, permissions, renderers, throttling
from rest_framework.views import APIView

from .authentication import ApiKeyAuthentication
from .problems import exception_handler

DEFAULT_RATE = "600/min"


class CallerThrottle(throttling.SimpleRateThrottle):
    """Requests per API key (or per signed-in account), counted in the cache. Rate: settings.API_RATE."""

    scope = "api"

    def get_rate(self):
        return getattr(settings, "API_RATE", DEFAULT_RATE)

    def get_cache_key(self, request, view):
        api_key = getattr(request.user, "api_key", None)
        if api_key is not None:
            ident = f"key:{api_key.pk}"
        elif request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return f"throttle_api_{ident}"


class PublicThrottle(CallerThrottle):
    """Public endpoints (verification): per client address. Rate: settings.API_PUBLIC_RATE."""

    scope = "api_public"

    def get_rate(self):
        return getattr(settings, "API_PUBLIC_RATE", "60/min")

    def get_cache_key(self, request, view):
        return f"throttle_api_public_{self.get_ident(request)}"


class Cursor(pagination.CursorPagination):
    """Newest first by id (ids only grow: a page never shifts when rows are added)."""

    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request):
        """A cursor that is not one of ours is invalid input (400), not a missing page."""
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError({"cursor": [_("This cursor is not valid: use a `next` link.")]}) from None


class ApiView(APIView):
    authentication_classes = [ApiKeyAuthentication, authentication.SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [CallerThrottle]
    parser_classes = [parsers.JSONParser]  # bulk uploads: multipart
    renderer_classes = [renderers.JSONRenderer]

    def get_exception_handler(self):
        return exception_handler
