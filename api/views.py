"""API v1 reads (programmes, the framework, achievements, events), bulk jobs and public verification.
Thin: parse, call a selector or a service, answer. Awards are in views_awards.py."""

import json

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import generics, parsers, permissions, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

import access
from credentials.bulk.selectors import bulk_job_progress
from credentials.bulk.services import bulk_job_create, bulk_job_start
from credentials.selectors import achievement_by_slug
from credentials.verification import verify_untrusted
from frameworks.export import framework_as_json
from frameworks.selectors import framework_detail, framework_published, glossary_terms

from . import docs, selectors
from .base import ApiView, Cursor, PublicThrottle
from .idempotency import idempotent
from .problems import problem
from .serializers import (
    AchievementFilterSerializer,
    AchievementSerializer,
    BulkJobSerializer,
    BulkProgressSerializer,
    BulkUploadSerializer,
    EventSerializer,
    ProgrammeSerializer,
    VerifyReportSerializer,
    VerifyRequestSerializer,
)
from .views_awards import valid

MAX_VERIFY_BYTES = 2 * 1024 * 1024


class ProgrammeList(ApiView, generics.ListAPIView):
    serializer_class = ProgrammeSerializer
    pagination_class = Cursor

    def get_queryset(self):
        return selectors.programmes_visible(self.request.user)

    @extend_schema(
        tags=["programmes"],
        summary="Programmes the caller can see",
        examples=[docs.PROGRAMME_EXAMPLE],
        responses={200: ProgrammeSerializer(many=True), **docs.problems(400)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProgrammeDetail(ApiView):
    @extend_schema(
        tags=["programmes"],
        summary="A programme",
        responses={200: ProgrammeSerializer, **docs.problems(404)},
        examples=[docs.PROGRAMME_EXAMPLE],
    )
    def get(self, request, slug: str):
        programme = selectors.programmes_visible(request.user).filter(slug=slug).first()
        if programme is None:
            raise Http404(_("No such programme."))
        return Response(ProgrammeSerializer(programme).data)


class Framework(ApiView):
    @extend_schema(
        tags=["framework"],
        examples=[docs.FRAMEWORK_EXAMPLE],
        summary="The current framework (tiers, categories, stacking rules, glossary)",
        description="The same document as /framework.json.",
        responses={200: OpenApiTypes.OBJECT, **docs.problems(404)},
    )
    def get(self, request):
        framework = framework_published()
        return Response(
            framework_as_json(framework_detail(framework=framework), glossary=glossary_terms(framework=framework))
        )


class AchievementList(ApiView, generics.GenericAPIView):
    serializer_class = AchievementSerializer
    pagination_class = Cursor

    @extend_schema(
        tags=["achievements"],
        summary="Achievements of the caller's programmes",
        examples=[docs.ACHIEVEMENT_EXAMPLE],
        operation_id="achievements_list",
        description="Published ones; drafts, submitted and archived ones too for managers.",
        parameters=[AchievementFilterSerializer],
        responses={200: AchievementSerializer(many=True), **docs.problems(400)},
    )
    def get(self, request):
        filters = AchievementFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.achievements_visible(request.user, **filters.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class AchievementDetail(ApiView):
    @extend_schema(
        tags=["achievements"],
        summary="An achievement",
        responses={200: AchievementSerializer, **docs.problems(404)},
        examples=[docs.ACHIEVEMENT_EXAMPLE],
    )
    def get(self, request, slug: str):
        achievement = selectors.achievements_visible(request.user).filter(slug=slug).first()
        if achievement is None:
            raise Http404(_("No such achievement."))
        return Response(AchievementSerializer(achievement).data)


class EventList(ApiView, generics.ListAPIView):
    serializer_class = EventSerializer
    pagination_class = Cursor

    def get_queryset(self):
        return selectors.events_visible(self.request.user)

    @extend_schema(
        tags=["events"],
        summary="Events of the caller's programmes",
        examples=[docs.EVENT_EXAMPLE],
        responses={200: EventSerializer(many=True), **docs.problems(400)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class EventDetail(ApiView):
    @extend_schema(
        tags=["events"],
        summary="An event",
        responses={200: EventSerializer, **docs.problems(404)},
        examples=[docs.EVENT_EXAMPLE],
    )
    def get(self, request, pk: int):
        event = selectors.event_for_api(pk)
        if event is None:
            raise Http404(_("No such event."))
        access.require(request.user, "events.view_event", obj=event)
        return Response(EventSerializer(event).data)


def _job_or_404(request, pk: int, perm: str = "credentials.view_bulkjob"):
    job = selectors.bulk_job_for_api(pk)
    if job is None:
        raise Http404(_("No such bulk job."))
    access.require(request.user, perm, obj=job)
    return job


class BulkJobList(ApiView, generics.GenericAPIView):
    serializer_class = BulkJobSerializer
    pagination_class = Cursor
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        tags=["bulk"],
        summary="Bulk jobs of the caller's programmes",
        examples=[docs.BULK_JOB_EXAMPLE],
        operation_id="bulk_jobs_list",
        responses={200: BulkJobSerializer(many=True), **docs.problems(400)},
    )
    def get(self, request):
        page = self.paginate_queryset(selectors.bulk_jobs_visible(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=["bulk"],
        summary="Upload a CSV: dry run",
        examples=[docs.BULK_JOB_EXAMPLE],
        description="Validates every row (nothing is issued) and answers the job: `ready`, or `invalid` with "
        "each problem and its line. Uploading the same file again for the same achievement answers the same job "
        "(so this POST is idempotent by content). Start it with POST …/start.",
        request={"multipart/form-data": BulkUploadSerializer},
        responses={201: BulkJobSerializer, **docs.problems(400, 404, 415)},
    )
    def post(self, request):
        data = valid(BulkUploadSerializer, request.data)
        achievement = achievement_by_slug(data["achievement"])
        job = bulk_job_create(
            achievement=achievement, filename=data["file"].name, uploaded_file=data["file"], actor=request.user
        )
        return Response(BulkJobSerializer(job).data, status=status.HTTP_201_CREATED)


class BulkJobDetail(ApiView):
    @extend_schema(
        tags=["bulk"],
        summary="A bulk job and its dry-run report",
        examples=[docs.BULK_JOB_EXAMPLE],
        responses={200: BulkJobSerializer, **docs.problems(404)},
    )
    def get(self, request, pk: int):
        return Response(BulkJobSerializer(_job_or_404(request, pk)).data)


class BulkJobProgress(ApiView):
    @extend_schema(
        tags=["bulk"],
        summary="Progress of a bulk job",
        responses={200: BulkProgressSerializer, **docs.problems(404)},
        examples=[docs.BULK_PROGRESS_EXAMPLE],
    )
    def get(self, request, pk: int):
        return Response(bulk_job_progress(_job_or_404(request, pk)))


class BulkJobStart(ApiView):
    @extend_schema(
        tags=["bulk"],
        summary="Start issuing a ready job",
        examples=[docs.BULK_STARTED_EXAMPLE],
        description="Workers issue its rows; poll …/progress. Starting a running or finished job again does nothing.",
        parameters=[docs.IDEMPOTENCY],
        request=None,
        responses={202: BulkJobSerializer, **docs.problems(400, 404, 409, 415, 422)},
    )
    @idempotent
    def post(self, request, pk: int):
        job = bulk_job_start(job=_job_or_404(request, pk), actor=request.user)
        return Response(BulkJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class Verify(ApiView):
    """Public: anyone may verify (the same verifier as /verify/ and /api/verify); nothing is written."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [PublicThrottle]
    parser_classes = [parsers.JSONParser]

    @extend_schema(
        tags=["verification"],
        summary="Verify a credential",
        examples=[docs.VERIFY_REQUEST_EXAMPLE, docs.VERIFY_EXAMPLE],
        description="Send the credential (an Open Badges 2.0 or 3.0 JSON object, or its text) or a link to it. "
        "Answers 200 with `valid` and each check; `problem` says why a credential could not be read.",
        request=VerifyRequestSerializer,
        responses={200: VerifyReportSerializer, **docs.public_problems(400, 413, 415)},
        auth=[],
    )
    def post(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > MAX_VERIFY_BYTES:
            return problem(413, _("At most 2 MB: send the credential or its link."))
        data = valid(VerifyRequestSerializer, request.data)
        credential, url = data.get("credential"), data.get("url")
        if (credential is None) == (url is None):
            raise ValidationError({"credential": [_("Send either `credential` or `url`.")]})
        if url is not None:
            target = url
        elif isinstance(credential, str):
            target = credential
        else:
            target = json.dumps(credential, ensure_ascii=False)
        report = verify_untrusted(target, email=(data.get("email") or "").strip())
        return Response(
            {
                "valid": report.valid,
                "kind": report.kind,
                "problem": report.problem,
                "name": report.name,
                "issuer": report.issuer_name,
                "checks": [{"name": c.name, "ok": c.ok, "message": c.message} for c in report.checks],
            }
        )


class Docs(SpectacularSwaggerSplitView):
    """Swagger UI from the drf-spectacular-sidecar static files (offline), its start script a separate
    request: the page needs no inline script or style, so the site's policy applies unchanged."""

    template_name = "api/swagger_ui.html"
    url_name = "api_schema"
