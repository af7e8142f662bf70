"""What the API reads and writes. Output fields of an award are those of `issue_credential --json`
(credentials.links.award_links, the one place they are built) plus the award's own."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

import access
from credentials.links import ISSUE_JSON_FIELDS, award_issue_json
from credentials.models import Achievement, Award, BulkJob
from programmes.models import Role

MAX_BATCH = 100


def translations_field():
    """Read-only: the translated texts, {"fr": {"name": …}, "es": {…}} (ADR 19, docs/decisions)."""
    return serializers.DictField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text='Translated texts by language, e.g. {"fr": {"name": "…"}}; a missing text is the original.',
    )


class ProgrammeSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    contact_name = serializers.CharField()
    contact_email = serializers.CharField()
    translations = translations_field()


class AchievementSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    programme = serializers.CharField(source="programme.slug", allow_null=True)
    issuer = serializers.CharField(source="issuer.slug")
    status = serializers.ChoiceField(choices=Achievement.Status.choices)
    kind = serializers.SerializerMethodField()
    tier = serializers.CharField(source="tier.code", allow_null=True)
    category = serializers.CharField(source="category.code", allow_null=True)
    level = serializers.IntegerField(allow_null=True)
    hours = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    ects_credits = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    language = serializers.CharField()
    translations = translations_field()
    validity_days = serializers.IntegerField(allow_null=True)
    can_be_issued = serializers.BooleanField(source="is_active")
    url = serializers.SerializerMethodField()

    def get_kind(self, achievement) -> str:
        return "certificate" if achievement.tier_id else "badge"

    def get_url(self, achievement) -> str:
        from django.urls import reverse

        return settings.BASE_URL + reverse("credentials:achievement_page", kwargs={"slug": achievement.slug})


class RecipientOutSerializer(serializers.Serializer):
    email = serializers.EmailField(source="recipient_email")
    name = serializers.CharField(source="recipient_name")
    kind = serializers.ChoiceField(source="recipient_kind", choices=Award.RecipientKind.choices)
    language = serializers.CharField(source="recipient_language")


class AwardSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    achievement = serializers.CharField(source="achievement.slug")
    programme = serializers.CharField(source="achievement.programme.slug", allow_null=True)
    recipient = RecipientOutSerializer(source="*")
    state = serializers.ChoiceField(source="effective_state", choices=Award.State.choices)
    issued_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    revocation_reason = serializers.CharField()
    replaces = serializers.CharField(source="replaces.public_id", allow_null=True)
    external_id = serializers.CharField()
    verify_url = serializers.URLField(read_only=True)
    ob2_assertion_url = serializers.URLField(read_only=True)
    ob3_credential_url = serializers.URLField(read_only=True)
    baked_png_url = serializers.URLField(read_only=True)
    pdf_url = serializers.URLField(read_only=True, allow_null=True)  # null: a badge (publishing mode) has no PDF
    claim_url = serializers.URLField(
        read_only=True,
        allow_null=True,
        help_text=_("The recipient's claim link; only for callers who may issue (null otherwise)."),
    )

    def to_representation(self, award):
        data = super().to_representation(award)
        links = award_issue_json(award)  # the one place these are built: issue_credential --json prints them too
        data.update({name: links[name] for name in ISSUE_JSON_FIELDS if name != "id"})
        actor = self.context.get("actor")
        if actor is not None and not access.allows(actor, "credentials.add_award", obj=award):
            data["claim_url"] = None
        return data


class EvidenceSerializer(serializers.Serializer):
    url = serializers.URLField(required=False, max_length=2000)
    name = serializers.CharField(required=False, max_length=200)
    narrative = serializers.CharField(required=False, max_length=5000)

    def validate(self, attrs):
        if not attrs.get("url") and not attrs.get("narrative"):
            raise serializers.ValidationError(_("Each piece of evidence needs a url or a narrative."))
        return attrs


class RecipientInSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Award.RecipientKind.choices, default=Award.RecipientKind.PERSON)
    language = serializers.ChoiceField(choices=[code for code, _name in settings.LANGUAGES], required=False)


class AwardDetailsSerializer(serializers.Serializer):
    """What may accompany a recipient: expiry, narrative, evidence, the caller's own id for it."""

    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    narrative = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    evidence = EvidenceSerializer(many=True, required=False, max_length=20)
    external_id = serializers.CharField(required=False, allow_blank=True, max_length=200)


class AwardIssueSerializer(AwardDetailsSerializer):
    achievement = serializers.SlugField(max_length=80)
    recipient = RecipientInSerializer()


class BatchItemSerializer(AwardDetailsSerializer):
    recipient = RecipientInSerializer()


class AwardBatchSerializer(serializers.Serializer):
    achievement = serializers.SlugField(max_length=80)
    awards = BatchItemSerializer(many=True, min_length=1, max_length=MAX_BATCH)


class BatchResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    award = AwardSerializer(required=False, allow_null=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class AwardBatchResultSerializer(serializers.Serializer):
    issued = serializers.IntegerField(help_text=_("How many items have an award (issued now or earlier)."))
    refused = serializers.IntegerField()
    results = BatchResultSerializer(many=True)


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ReissueSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    recipient_name = serializers.CharField(required=False, max_length=200)
    recipient_email = serializers.EmailField(required=False, max_length=254)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    narrative = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    evidence = EvidenceSerializer(many=True, required=False, max_length=20)


class ResendSerializer(serializers.Serializer):
    queued = serializers.BooleanField()
    queued_at = serializers.DateTimeField(help_text=_("When the claim email was queued."))


class AwardFilterSerializer(serializers.Serializer):
    achievement = serializers.SlugField(required=False, max_length=80)
    state = serializers.ChoiceField(choices=Award.State.choices, required=False)
    recipient = serializers.EmailField(required=False, max_length=254, help_text=_("The recipient's email."))
    issued_after = serializers.DateTimeField(required=False, help_text=_("Issued at or after (ISO 8601)."))
    issued_before = serializers.DateTimeField(required=False, help_text=_("Issued before (ISO 8601)."))


class AchievementFilterSerializer(serializers.Serializer):
    programme = serializers.SlugField(required=False, max_length=60)
    status = serializers.ChoiceField(choices=Achievement.Status.choices, required=False)


class BulkUploadSerializer(serializers.Serializer):
    achievement = serializers.SlugField(max_length=80)
    file = serializers.FileField(help_text=_("CSV with columns email, name (and optional ones: see the console)."))


class BulkProblemSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True, required=False)
    field = serializers.CharField(required=False, allow_blank=True)
    message = serializers.CharField()


class BulkJobSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    achievement = serializers.CharField(source="achievement.slug")
    filename = serializers.CharField()
    state = serializers.ChoiceField(choices=BulkJob.State.choices)
    total_rows = serializers.IntegerField()
    valid_rows = serializers.IntegerField()
    issued = serializers.IntegerField(source="created_count")
    skipped = serializers.IntegerField(source="skipped_count")
    errors = BulkProblemSerializer(many=True, help_text=_("The dry run's problems, each with its line."))
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class BulkProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=BulkJob.State.choices)
    processed = serializers.IntegerField()
    total = serializers.IntegerField()
    created = serializers.IntegerField()
    skipped = serializers.IntegerField()
    failed = serializers.IntegerField()
    percent = serializers.IntegerField()
    finished = serializers.BooleanField()
    message = serializers.CharField()


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    description = serializers.CharField()
    achievement = serializers.CharField(source="achievement.slug")
    code = serializers.CharField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    is_active = serializers.BooleanField()
    max_claims = serializers.IntegerField(allow_null=True)
    translations = translations_field()
    confirmed_claims = serializers.IntegerField(source="confirmed_count")
    pending_claims = serializers.IntegerField(source="pending_count")


class VerifyRequestSerializer(serializers.Serializer):
    credential = serializers.JSONField(
        required=False, help_text=_("The credential: an Open Badges 2.0/3.0 JSON object, or its text.")
    )
    url = serializers.CharField(required=False, max_length=2000, help_text=_("Or a link to the credential."))
    email = serializers.CharField(required=False, allow_blank=True, max_length=254,
                                  help_text=_("Check that the credential was issued to this address."))  # fmt: skip


class VerifyCheckSerializer(serializers.Serializer):
    name = serializers.CharField()
    ok = serializers.BooleanField()
    message = serializers.CharField()


class VerifyReportSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    kind = serializers.CharField(allow_null=True, allow_blank=True)
    problem = serializers.CharField(allow_null=True, allow_blank=True)
    name = serializers.CharField(allow_null=True, allow_blank=True)
    issuer = serializers.CharField(allow_null=True, allow_blank=True)
    checks = VerifyCheckSerializer(many=True)


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField(help_text="urn:laurel:problem:<kind>, e.g. urn:laurel:problem:invalid-request")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


ROLES = Role.values
