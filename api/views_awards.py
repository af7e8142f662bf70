"""Awards: issue one or many, list with filters, get, revoke, reissue, resend the claim email.
Thin: parse, find, call the credentials services (which check permissions), answer."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

import access
from credentials.selectors import achievement_by_slug
from credentials.services import Recipient, award_issue, award_issue_many, award_reissue, award_revoke
from credentials.workflow import award_resend_claim

from . import docs, selectors
from .base import ApiView, Cursor
from .idempotency import award_idempotency_key, idempotent
from .problems import validation_errors
from .serializers import (
    AwardBatchResultSerializer,
    AwardBatchSerializer,
    AwardFilterSerializer,
    AwardIssueSerializer,
    AwardSerializer,
    ReissueSerializer,
    ResendSerializer,
    RevokeSerializer,
)

TAG = ["awards"]


def valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _recipient(data: dict, *, idempotency_key: str | None) -> Recipient:
    """The services' Recipient from a validated item."""
    recipient = data["recipient"]
    return Recipient(
        email=recipient["email"],
        name=recipient["name"],
        kind=recipient["kind"],
        language=recipient.get("language", ""),
        expires_at=data.get("expires_at"),
        narrative=data.get("narrative", ""),
        evidence=[dict(item) for item in data.get("evidence", [])],
        external_id=data.get("external_id", ""),
        idempotency_key=idempotency_key,
    )


def award_response(request, award, status_code=status.HTTP_200_OK) -> Response:
    body = AwardSerializer(award, context={"actor": request.user}).data
    location = reverse("api:award", kwargs={"public_id": award.public_id})
    return Response(body, status=status_code, headers={"Location": location} if status_code == 201 else None)


def award_or_404(request, public_id: str, perm: str = "credentials.view_award"):
    award = selectors.award_for_api(public_id)
    if award is None:
        raise Http404(_("No award with this id."))
    access.require(request.user, perm, obj=award)
    return award


class AwardList(ApiView, generics.GenericAPIView):
    serializer_class = AwardSerializer
    pagination_class = Cursor

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "actor": self.request.user}

    @extend_schema(
        tags=TAG,
        summary="List awards",
        operation_id="awards_list",
        parameters=[AwardFilterSerializer],
        responses={200: AwardSerializer(many=True), **docs.problems(400)},
        examples=[docs.AWARD_EXAMPLE],
    )
    def get(self, request):
        filters = AwardFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        awards = selectors.awards_visible(request.user, **filters.validated_data)
        page = self.paginate_queryset(awards)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=TAG,
        summary="Issue a credential",
        description="Issues one credential of a published achievement of the key's programme (issuer or manager "
        "role). Answers the fields of `manage.py issue_credential --json` and the award's own.",
        parameters=[docs.IDEMPOTENCY],
        request=AwardIssueSerializer,
        responses={201: AwardSerializer, **docs.problems(400, 404, 409, 415, 422)},
        examples=[docs.ISSUE_EXAMPLE, docs.AWARD_EXAMPLE, docs.PROBLEM_EXAMPLE],
    )
    @idempotent
    def post(self, request):
        data = valid(AwardIssueSerializer, request.data)
        achievement = achievement_by_slug(data["achievement"])
        recipient = _recipient(data, idempotency_key=award_idempotency_key(request))
        award = award_issue(achievement=achievement, recipient=recipient, actor=request.user)
        return award_response(request, award, status.HTTP_201_CREATED)


class AwardBatch(ApiView):
    @extend_schema(
        tags=TAG,
        summary="Issue credentials of one achievement to many recipients",
        description="Up to 100 recipients in one transaction. Each item is issued or refused on its own: "
        "`results` holds, in order, the award or the item's `errors`. With an Idempotency-Key each item also "
        "carries its own award key, so no recipient is issued twice by a retry.",
        parameters=[docs.IDEMPOTENCY],
        request=AwardBatchSerializer,
        responses={200: AwardBatchResultSerializer, **docs.problems(400, 404, 409, 415, 422)},
        examples=[docs.BATCH_EXAMPLE, docs.BATCH_RESULT_EXAMPLE],
    )
    @idempotent
    def post(self, request):
        data = valid(AwardBatchSerializer, request.data)
        achievement = achievement_by_slug(data["achievement"])
        recipients = [
            _recipient(item, idempotency_key=award_idempotency_key(request, suffix=str(index)))
            for index, item in enumerate(data["awards"])
        ]
        results = award_issue_many(achievement=achievement, recipients=recipients, actor=request.user)
        context = {"actor": request.user}
        items = []
        for index, result in enumerate(results):
            if isinstance(result, Exception):
                items.append({"index": index, "award": None, "errors": validation_errors(result)})
            else:
                items.append({"index": index, "award": AwardSerializer(result, context=context).data})
        issued = sum(1 for item in items if item["award"] is not None)
        return Response({"issued": issued, "refused": len(items) - issued, "results": items})


class AwardDetail(ApiView):
    @extend_schema(
        tags=TAG, summary="Get an award", responses={200: AwardSerializer, **docs.problems(404)},
        examples=[docs.AWARD_EXAMPLE],
    )  # fmt: skip
    def get(self, request, public_id: str):
        return award_response(request, award_or_404(request, public_id))


class AwardRevoke(ApiView):
    @extend_schema(
        tags=TAG,
        summary="Revoke an award",
        examples=[docs.REVOKE_EXAMPLE, docs.AWARD_EXAMPLE],
        description="Sets its bit in its status list; verifiers read the reason.",
        parameters=[docs.IDEMPOTENCY],
        request=RevokeSerializer,
        responses={200: AwardSerializer, **docs.problems(400, 404, 409, 415, 422)},
    )
    @idempotent
    def post(self, request, public_id: str):
        award = award_or_404(request, public_id)
        data = valid(RevokeSerializer, request.data)
        award = award_revoke(award=award, reason=data["reason"], actor=request.user)
        return award_response(request, selectors.award_for_api(award.public_id))


class AwardReissue(ApiView):
    @extend_schema(
        tags=TAG,
        summary="Correct an award",
        examples=[docs.REISSUE_EXAMPLE, docs.AWARD_EXAMPLE],
        description="Revokes it with the reason and issues a new one with the changes, linked by `replaces`.",
        parameters=[docs.IDEMPOTENCY],
        request=ReissueSerializer,
        responses={201: AwardSerializer, **docs.problems(400, 404, 409, 415, 422)},
    )
    @idempotent
    def post(self, request, public_id: str):
        award = award_or_404(request, public_id)
        data = dict(valid(ReissueSerializer, request.data))
        reason = data.pop("reason")
        names = {"recipient_name": "name", "recipient_email": "email"}  # API field → Recipient field
        changes = {names.get(field, field): value for field, value in data.items()}
        if "evidence" in changes:
            changes["evidence"] = [dict(item) for item in changes["evidence"]]
        new = award_reissue(award=award, reason=reason, actor=request.user, **changes)
        return award_response(request, new, status.HTTP_201_CREATED)


class AwardResendClaim(ApiView):
    @extend_schema(
        tags=TAG,
        summary="Send the claim email again",
        examples=[docs.RESEND_EXAMPLE],
        description="Only while the award waits for an answer (issued, not expired), and not twice in a short while: "
        "a new claim link goes to the recipient.",
        parameters=[docs.IDEMPOTENCY],
        request=None,
        responses={
            202: OpenApiResponse(ResendSerializer, description="Queued."),
            **docs.problems(400, 404, 409, 415, 422),
        },
    )
    @idempotent
    def post(self, request, public_id: str):
        award = award_or_404(request, public_id)
        email = award_resend_claim(award=award, actor=request.user)
        return Response({"queued": True, "queued_at": email.created_at}, status=status.HTTP_202_ACCEPTED)
