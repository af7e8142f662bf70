"""The OpenAPI schema describes every endpoint (with examples where they help), and /api/docs/ serves Swagger
UI from our own static files under the site's Content-Security-Policy (no inline script or style)."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import URLPattern, get_resolver

from tests.security.test_csp import _Inline

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def api_routes() -> set[str]:
    resolver = get_resolver().url_patterns
    [api] = [p for p in resolver if getattr(p, "app_name", None) == "api"]
    paths = set()
    for pattern in api.url_patterns:
        if isinstance(pattern, URLPattern) and pattern.name:
            route = (
                str(pattern.pattern)
                .replace("<slug:", "{")
                .replace("<str:", "{")
                .replace("<int:", "{")
                .replace(">", "}")
            )
            paths.add("/api/v1/" + route)
    return paths


def test_every_endpoint_is_in_the_schema(schema):
    documented = {path.replace("{id}", "{pk}") for path in schema["paths"]}
    assert api_routes() <= documented, api_routes() - documented
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_every_operation_documents_its_errors_as_problems(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "429" in responses, (method, path)
            assert "application/problem+json" in responses["429"]["content"], (method, path)
            if path != "/api/v1/verify":
                assert {"401", "403"} <= set(responses), (method, path)
                assert operation["security"], (method, path)


def test_examples_and_idempotency_are_documented(schema):
    issue = schema["paths"]["/api/v1/awards"]["post"]
    assert issue["requestBody"]["content"]["application/json"]["examples"]
    assert issue["responses"]["201"]["content"]["application/json"]["examples"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in issue["parameters"])
    fields = schema["components"]["schemas"]["Award"]["properties"]
    for name in (
        "id",
        "verify_url",
        "ob2_assertion_url",
        "ob3_credential_url",
        "baked_png_url",
        "pdf_url",
        "claim_url",
    ):
        assert name in fields
    assert schema["components"]["securitySchemes"]["apiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["apiKey"]["description"],
    }


def test_the_docs_page_is_offline_and_needs_no_inline_code(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    parser = _Inline()
    parser.feed(html)
    assert parser.problems == []
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html  # no CDN
    for asset in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert f"/static/drf_spectacular_sidecar/swagger-ui-dist/{asset}" in html
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{asset}"), asset
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_every_operation_has_an_example(schema):
    """Each operation shows an example of its request (POSTs with a body) and of its answer."""
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            ok = [r for code, r in operation["responses"].items() if code.startswith("2")]
            assert any(c.get("examples") for r in ok for c in r.get("content", {}).values()), (method, path)
            body = operation.get("requestBody", {}).get("content", {})
            if method == "post" and "application/json" in body:
                assert body["application/json"].get("examples"), (method, path)
