"""Shared pieces of the OpenAPI description: error responses (problem details), examples, the security
scheme of API keys (registered with drf-spectacular when this module is imported, by ApiConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from .idempotency import KEY_PATTERN
from .problems import CONTENT_TYPE
from .serializers import ProblemSerializer

DESCRIPTIONS = {
    400: "Invalid input: `errors` names each field and its problems.",
    401: "No API key, or an unknown or revoked one.",
    403: "The key's role or programme does not allow this.",
    404: "No such object.",
    415: "Send JSON (`Content-Type: application/json`; bulk uploads: multipart/form-data).",
    409: "A request with the same Idempotency-Key is still being answered.",
    422: "The Idempotency-Key was already used for a different request.",
    429: "Too many requests for this key: see Retry-After.",
}


def problems(*codes: int) -> dict:
    """Problem-details responses for these status codes (401 and 429 are added: every endpoint has them)."""
    wanted = sorted(set(codes) | {401, 403, 429})
    return {
        (code, CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=DESCRIPTIONS.get(code, ""))
        for code in wanted
    }


def public_problems(*codes: int) -> dict:
    wanted = sorted(set(codes) | {429})
    return {
        (code, CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=DESCRIPTIONS.get(code, ""))
        for code in wanted
    }


IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": KEY_PATTERN},
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string of visible ASCII characters (a UUID, or your own id of the event: "
        "'course-42-user-7'). Sending the same POST again with the same key returns the first response "
        "(header Idempotent-Replayed: true) and never acts twice; "
        "the same key with another body answers 422. Keys are kept per API key."
    ),
)

AWARD_EXAMPLE = OpenApiExample(
    "An award",
    response_only=True,
    value={
        "id": "Qm9vb2sgb2YgYmFkZ2Vz",
        "achievement": "negotiation",
        "programme": "mediation",
        "recipient": {"email": "amina@example.org", "name": "Amina Okonkwo", "kind": "person", "language": "en"},
        "state": "issued",
        "issued_at": "2026-11-30T09:00:00Z",
        "expires_at": "2027-11-30T09:00:00Z",
        "revocation_reason": "",
        "replaces": None,
        "external_id": "moodle-course-42-user-7",
        "verify_url": "https://laurel.example/c/Qm9vb2sgb2YgYmFkZ2Vz/",
        "ob2_assertion_url": "https://laurel.example/ob2/assertions/Qm9vb2sgb2YgYmFkZ2Vz.json",
        "ob3_credential_url": "https://laurel.example/c/Qm9vb2sgb2YgYmFkZ2Vz/credential.json",
        "baked_png_url": "https://laurel.example/c/Qm9vb2sgb2YgYmFkZ2Vz/badge.png",
        "pdf_url": "https://laurel.example/c/Qm9vb2sgb2YgYmFkZ2Vz/certificate.pdf",
        "claim_url": "https://laurel.example/wallet/claim/Qm9vb2sgb2YgYmFkZ2Vz/c4b2-9f1e/",
    },
)

ISSUE_EXAMPLE = OpenApiExample(
    "Issue on course completion",
    request_only=True,
    value={
        "achievement": "negotiation",
        "recipient": {"email": "amina@example.org", "name": "Amina Okonkwo", "kind": "person"},
        "narrative": "Completed the negotiation course with distinction.",
        "evidence": [{"url": "https://lms.example.org/course/42/grade/7", "name": "Final grade"}],
        "external_id": "moodle-course-42-user-7",
    },
)

BATCH_EXAMPLE = OpenApiExample(
    "Two recipients",
    request_only=True,
    value={
        "achievement": "negotiation",
        "awards": [
            {"recipient": {"email": "amina@example.org", "name": "Amina Okonkwo"}},
            {"recipient": {"email": "lea@example.org", "name": "Léa Martin"}, "external_id": "lms-7"},
        ],
    },
)

PROBLEM_EXAMPLE = OpenApiExample(
    "Refused",
    response_only=True,
    status_codes=["403"],
    value={
        "type": "urn:laurel:problem:forbidden",
        "title": "Not allowed",
        "status": 403,
        "detail": (
            "Your account may not do this: it needs the permission “credentials.add_award”. Ask an administrator."
        ),
    },
)


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key of one programme and role: `Authorization: Bearer laurel_…` "
            "(manage.py api_key_create, or the staff console).",
        }


REVOKE_EXAMPLE = OpenApiExample(
    "Revoke", request_only=True, value={"reason": "Issued to the wrong person: see the corrected credential."}
)
REISSUE_EXAMPLE = OpenApiExample(
    "Correct the name", request_only=True, value={"reason": "Name misspelt", "recipient_name": "Amina Okonkwo"}
)
RESEND_EXAMPLE = OpenApiExample(
    "Queued", response_only=True, status_codes=["202"], value={"queued": True, "queued_at": "2026-11-30T09:30:00Z"}
)
PROGRAMME_EXAMPLE = OpenApiExample(
    "A programme",
    response_only=True,
    value={
        "slug": "mediation",
        "name": "Mediation and conflict resolution",
        "description": "Courses for labour mediators.",
        "contact_name": "Ines Duarte",
        "contact_email": "mediation@centre.example.org",
    },
)
ACHIEVEMENT_EXAMPLE = OpenApiExample(
    "A badge",
    response_only=True,
    value={
        "slug": "negotiation",
        "name": "Negotiation Skills",
        "description": "Negotiates agreements between parties with different interests.",
        "programme": "mediation",
        "issuer": "test-centre",
        "status": "published",
        "kind": "badge",
        "tier": None,
        "category": "competency",
        "level": 1,
        "hours": "55.0",
        "ects_credits": "2.0",
        "language": "en",
        "validity_days": 365,
        "can_be_issued": True,
        "url": "https://laurel.example/achievements/negotiation/",
    },
)
EVENT_EXAMPLE = OpenApiExample(
    "An event",
    response_only=True,
    value={
        "id": 3,
        "name": "Social dialogue forum 2026",
        "description": "",
        "achievement": "negotiation",
        "code": "7SPMZ8ZZ",
        "opens_at": "2026-11-30T08:00:00Z",
        "closes_at": "2026-12-02T18:00:00Z",
        "is_active": True,
        "max_claims": 200,
        "confirmed_claims": 41,
        "pending_claims": 3,
    },
)
BULK_JOB_EXAMPLE = OpenApiExample(
    "A dry run with a problem",
    response_only=True,
    value={
        "id": 12,
        "achievement": "negotiation",
        "filename": "cohort-2026.csv",
        "state": "invalid",
        "total_rows": 120,
        "valid_rows": 119,
        "issued": 0,
        "skipped": 0,
        "errors": [{"line": 17, "field": "email", "message": "“amina@” is not a valid email address."}],
        "created_at": "2026-11-30T09:00:00Z",
        "started_at": None,
        "finished_at": None,
    },
)
BULK_PROGRESS_EXAMPLE = OpenApiExample(
    "Halfway",
    response_only=True,
    value={
        "id": 12,
        "state": "running",
        "processed": 60,
        "total": 119,
        "created": 58,
        "skipped": 2,
        "failed": 0,
        "percent": 50,
        "finished": False,
        "message": "Issuing: 60 of 119 rows done (58 issued, 2 already issued).",
    },
)
VERIFY_REQUEST_EXAMPLE = OpenApiExample(
    "A link", request_only=True, value={"url": "https://laurel.example/c/Qm9vb2sgb2YgYmFkZ2Vz/", "email": ""}
)
VERIFY_EXAMPLE = OpenApiExample(
    "Valid",
    response_only=True,
    value={
        "valid": True,
        "kind": "Open Badges 3.0",
        "problem": "",
        "name": "Negotiation Skills",
        "issuer": "Test Centre",
        "checks": [{"name": "Signature", "ok": True, "message": "Signed by did:key:z6Mk…"}],
    },
)
FRAMEWORK_EXAMPLE = OpenApiExample(
    "The framework (abridged)",
    response_only=True,
    value={
        "type": "CredentialFramework",
        "title": "Dual credential framework",
        "version": 1,
        "status": "published",
        "certificateTiers": [{"code": "foundation", "name": "Foundation certificate"}],
        "badgeCategories": [{"code": "competency", "name": "Competency"}],
    },
)
BULK_STARTED_EXAMPLE = OpenApiExample(
    "Started",
    response_only=True,
    status_codes=["202"],
    value={
        **BULK_JOB_EXAMPLE.value,
        "filename": "cohort-2026-fixed.csv",
        "state": "running",
        "valid_rows": 120,
        "errors": [],
        "started_at": "2026-11-30T09:05:00Z",
    },
)
BATCH_RESULT_EXAMPLE = OpenApiExample(
    "One issued, one refused",
    response_only=True,
    value={
        "issued": 1,
        "refused": 1,
        "results": [
            {"index": 0, "award": AWARD_EXAMPLE.value},
            {"index": 1, "award": None, "errors": {"expires_at": ["The expiry date must be after the issue date."]}},
        ],
    },
)
