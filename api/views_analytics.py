"""GET /api/v1/analytics: the console's figures for scripts and BI tools, the same document as
`manage.py analytics_report --json`, limited to the programmes the caller may read analytics of."""

from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from analytics.selectors import report

from . import docs, selectors
from .base import ApiView

EXAMPLE = OpenApiExample(
    "Figures",
    value={
        "issued": 120,
        "accepted": 84,
        "declined": 3,
        "revoked": 2,
        "expired": 0,
        "shared": 41,
        "verification_views": 530,
        "by_programme": [
            {
                "slug": "social-protection",
                "issued": 120,
                "accepted": 84,
                "declined": 3,
                "revoked": 2,
                "expired": 0,
                "shared": 41,
                "verification_views": 530,
            }
        ],
    },  # fmt: skip
)


class Analytics(ApiView):
    @extend_schema(
        tags=["analytics"],
        summary="Issued, accepted, declined, revoked, expired, shared and verification-page views",
        description="The figures of `manage.py analytics_report --json`, from the daily rollups, for the programmes "
        "the caller may read analytics of (or one of them).",
        parameters=[
            OpenApiParameter("programme", str, description="A programme's slug"),
            OpenApiParameter("since", OpenApiTypes.DATE, description="Awards issued on or after this day"),
        ],
        responses={200: OpenApiTypes.OBJECT, **docs.problems(400, 404)},
        examples=[EXAMPLE],
    )
    def get(self, request):
        ids = selectors.programme_ids(request.user, "programmes.view_analytics")
        programmes = selectors.programmes_visible(request.user).order_by("slug")
        if ids is not None:
            programmes = programmes.filter(pk__in=ids)
        slug = request.query_params.get("programme", "")
        if slug:
            programmes = programmes.filter(slug=slug)
            if not programmes:
                raise Http404(_("No such programme."))
        since = None
        if request.query_params.get("since"):
            try:
                since = date.fromisoformat(request.query_params["since"])
            except ValueError:
                raise ValidationError({"since": [_("Give a date as YYYY-MM-DD.")]}) from None
        return Response(report(programmes=list(programmes), since=since))
