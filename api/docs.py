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
