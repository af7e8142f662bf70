"""Content-Security-Policy on every HTML page, and no inline script, handler or style to need an exception
(issue 9.7). This test keeps the rule in force: a page that gains an inline <script>, an onclick= or a
style= fails it, and so does one served without the policy."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from credentials.links import claim_url
from events.services import event_claim_request, event_create
from tests.credentials.conftest import make_achievement
from tests.wallets.conftest import client_for, issue, make_learner, png_bytes

pytestmark = pytest.mark.django_db

EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}


class _Inline(HTMLParser):
    """Collects what a strict policy would block: inline scripts, event-handler attributes, javascript: URLs,
    style attributes and <style> elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = {name.lower(): (value or "") for name, value in attrs}
        if tag == "script":
            kind = attrs.get("type", "").strip().lower()
            if "src" not in attrs and kind in EXECUTABLE_TYPES:
                self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name in ("href", "src", "action", "formaction") and re.match(r"\s*javascript:", value, re.I):
                self.problems.append(f"javascript: URL on <{tag}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def problems_of(response) -> list[str]:
    found = []
    directives = policy(response)
    if not directives:
        return ["no Content-Security-Policy header"]
    scripts = directives.get("script-src", directives.get("default-src"))
    if scripts is None or "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts or "*" in scripts:
        found.append(f"script-src allows inline or any script: {scripts}")
    styles = directives.get("style-src", directives.get("default-src", []))
    if "'unsafe-inline'" in styles:
        found.append("style-src allows inline styles")
    if directives.get("object-src", directives.get("default-src")) != ["'none'"]:
        found.append("plugins allowed (object-src)")
    for name in ("base-uri", "frame-ancestors"):  # these two do not fall back to default-src
        if name not in directives:
            found.append(f"no {name}")
    parser = _Inline()
    parser.feed(response.content.decode())
    return found + parser.problems


def check_pages(pages: dict[str, tuple[Client, str]]) -> list[str]:
    failures = []
    for name, (client, url) in pages.items():
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            failures.append(f"{name} {url}: not HTML ({response.status_code} {response['Content-Type']})")
            continue
        if response.status_code >= 500:
            failures.append(f"{name} {url}: {response.status_code}")
        failures += [f"{name} {url}: {problem}" for problem in problems_of(response)]
    return failures


@pytest.fixture
def world(issuer, competency, default_framework, django_capture_on_commit_callbacks, settings):
    """One of everything a page can show: a claimed, public credential with evidence, an endorsement request,
    a collection, an imported badge, an event with a pending claim, a bulk job."""
    achievement = make_achievement(issuer, competency, level=2)
    learner = make_learner("amina.okonkwo@example.org")
    learner_client = client_for(learner)
    award = issue(achievement, narrative="Led the final simulation.")
    pending = issue(achievement, email="ravi@example.org", name="Ravi Kumar")
    from wallets import services as wallet_services

    wallet_services.claim_accept(award=award, user=learner)
    wallet_services.wallet_entry_set_visibility(user=learner, award=award, is_public=True)
    profile = wallet_services.profile_ensure(user=learner, display_name="Amina")
    wallet_services.profile_update(user=learner, handle="amina", display_name="Amina", is_public=True)
    wallet_services.evidence_add(user=learner, award=award, kind="link", url="https://example.org/p", title="Site")
    collection = wallet_services.collection_create(user=learner, name="Mine", is_public=True)
    wallet_services.collection_add(user=learner, collection=collection, award=award)
    with django_capture_on_commit_callbacks(execute=True):
        endorsement = wallet_services.endorsement_request(
            user=learner, award=award, endorser_name="Grace", endorser_email="grace@example.org"
        )
    endorse_path = re.search(r"(/endorse/[^/\s]+/[^/\s]+/)", mail.outbox[-1].body).group(1)
    from wallets.models import ExternalCredential

    external = ExternalCredential.objects.create(
        user=learner, kind="ob2", source="url", source_url="https://badges.example.org/a", name="Imported", document={}
    )
    now = timezone.now()
    event = event_create(
        achievement=achievement, name="Forum", description="A forum.", opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
    )  # fmt: skip
    claim = event_claim_request(event=event, email="zoe@example.org", name="Zoe", language="en")
    from credentials.bulk.services import bulk_job_create

    job = bulk_job_create(
        achievement=achievement, filename="people.csv", data=b"email,name\nx@example.org,X\n", actor=None
    )
    return {
        "achievement": achievement, "award": award, "pending": pending, "learner_client": learner_client,
        "profile": profile, "collection": collection, "endorsement": endorsement, "endorse_path": endorse_path,
        "external": external, "event": event, "claim": claim, "job": job, "framework": default_framework,
        "base": settings.BASE_URL,
    }  # fmt: skip


def test_public_pages_have_the_policy_and_nothing_inline(client, world):
    award, event, achievement = world["award"], world["event"], world["achievement"]
    pages = {
        "home": "/",
        "framework": "/framework/",
        "framework version": f"/framework/v/{world['framework'].version}/",
        "glossary": "/framework/glossary/",
        "verification page": f"/c/{award.public_id}/",
        "verify anything": "/verify/",
        "issuer": f"/issuers/{achievement.issuer.slug}/",
        "achievement": f"/achievements/{achievement.slug}/",
        "events": "/events/",
        "event": f"/events/{event.code}/",
        "event poster": f"/events/{event.code}/poster/",
        "event confirm refused": f"/events/{event.code}/confirm/{world['claim'].pk}/abc-0123/",
        "claim": claim_url(world["pending"]).removeprefix(world["base"]),
        "claim refused": f"/wallet/claim/{world['pending'].public_id}/abc-0123/",
        "public profile": "/u/amina/",
        "public collection": f"/collections/{world['collection'].public_id}/",
        "endorse": world["endorse_path"],
        "endorse refused": f"/endorse/{world['endorsement'].public_id}/abc-0123/",
        "sign in": reverse("account_login"),
        "sign up": reverse("account_signup"),
        "password reset": reverse("account_reset_password"),
        "not found": "/no-such-page/",
        "admin login": "/admin/login/",
    }
    failures = check_pages({name: (client, url) for name, url in pages.items()})
    assert not failures, "\n".join(failures)
    posted = client.post("/verify/", {"credential": "https://example.org/x.json"})  # a report page too
    assert problems_of(posted) == []


def test_learner_pages_have_the_policy_and_nothing_inline(world):
    learner_client, award = world["learner_client"], world["award"]
    pages = {
        "wallet": "/wallet/",
        "wallet detail": f"/wallet/c/{award.public_id}/",
        "collections": "/wallet/collections/",
        "collection": f"/wallet/collections/{world['collection'].public_id}/",
        "profile": "/wallet/profile/",
        "import": "/wallet/import/",
        "imported": world["external"].get_absolute_url(),
        "my data": "/wallet/data/",
        "email addresses": reverse("account_email"),
        "password change": reverse("account_change_password"),
        "sign out": reverse("account_logout"),
    }
    failures = check_pages({name: (learner_client, url) for name, url in pages.items()})
    assert not failures, "\n".join(failures)


def test_staff_pages_have_the_policy_and_nothing_inline(staff_client, world):
    pages = {"admin index": "/admin/", "issue": reverse("admin:credentials_award_issue")}
    pages["revoke"] = reverse("admin:credentials_award_revoke") + f"?ids={world['award'].pk}&mode=revoke"
    pages["bulk job"] = reverse("admin:credentials_bulkjob_change", args=[world["job"].pk])
    from credentials.models import BulkJob

    running = BulkJob.objects.create(
        achievement=world["achievement"],
        filename="b.csv",
        fingerprint="0" * 64,
        state=BulkJob.State.RUNNING,
        total_rows=1,
    )
    pages["bulk job running"] = reverse("admin:credentials_bulkjob_change", args=[running.pk])
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"{opts.app_label}.{opts.model_name}"
        pages[f"{name} list"] = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        if model_admin.has_add_permission(_request(staff_client)):
            pages[f"{name} add"] = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        first = model.objects.order_by("pk").first()
        if first is not None:
            pages[f"{name} change"] = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
    checked = {name: (staff_client, url) for name, url in pages.items()}
    failures = check_pages(checked)
    assert not failures, "\n".join(failures)
    assert len(checked) > 30  # every registered model: list, add and change pages


def _request(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = client.user
    return request


# --- pages and files that keep a stricter policy of their own --------------------------------------------


def test_the_embed_may_be_framed_but_runs_nothing(client, world):
    response = client.get(f"/embed/{world['award'].public_id}/")
    directives = policy(response)
    assert response.status_code == 200 and "X-Frame-Options" not in response
    assert directives["frame-ancestors"] == ["*"]
    assert directives["default-src"] == ["'none'"] and "script-src" not in directives
    assert directives["style-src"] == ["'self'"] and directives["img-src"] == ["'self'"]
    assert problems_of(response) == []


def test_svg_images_are_sandboxed(client, staff_client, world):
    category = world["achievement"].category
    for response in (
        client.get(f"/c/{world['award'].public_id}/badge.svg"),
        staff_client.get(f"/framework/badges/{category.pk}.svg"),
    ):
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
        directives = policy(response)
        assert directives["default-src"] == ["'none'"] and "sandbox" in directives
        assert "script-src" not in directives


def test_uploaded_files_keep_their_sandbox(world):
    learner_client, award = world["learner_client"], world["award"]
    learner_client.post(
        f"/wallet/c/{award.public_id}/evidence/",
        {"kind": "file", "title": "Photo", "file": _upload("photo.png", png_bytes())},
    )
    from wallets.models import RecipientEvidence

    item = RecipientEvidence.objects.get(kind="file")
    response = learner_client.get(item.file_url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_certificate_preview_is_framed_by_the_admin_only(staff_client, world):
    tier = world["framework"].certificatetier_set.first()
    response = staff_client.get(f"/framework/certificates/{tier.pk}/")
    directives = policy(response)
    assert response.status_code == 200
    assert directives["frame-ancestors"] == ["'self'"] and directives["default-src"] == ["'none'"]
    assert "script-src" not in directives and "sandbox" in directives


def test_json_pdf_and_images_carry_no_page_policy(client, world):
    award = world["award"]
    for url in (f"/c/{award.public_id}/credential.json", f"/achievements/{world['achievement'].slug}/image.png"):
        response = client.get(url)
        assert response.status_code == 200 and "Content-Security-Policy" not in response, url


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_framework_colours_come_from_a_stylesheet(client, default_framework):
    """The tier and category colours once were style attributes; the page now links a per-version stylesheet
    that writes only well-formed colours."""
    from frameworks.models import BadgeCategory

    BadgeCategory.objects.filter(framework=default_framework, code="competency").update(
        primary="red;}body{background:url(https://evil.example/x)"
    )
    page = client.get("/framework/").content.decode()
    css_url = f"/framework/v/{default_framework.version}/palette.css"
    assert f'<link rel="stylesheet" href="{css_url}">' in page
    response = client.get(css_url)
    css = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    tier = default_framework.certificatetier_set.get(code="participation")
    assert f".tier-participation {{ --primary: {tier.primary}; --accent: {tier.accent}; }}" in css
    assert 'class="card tier tier-participation"' in page
    assert ".swatch-competency-secondary {" in css and ".swatch-competency-primary" not in css
    assert "evil.example" not in css


def test_the_policy_built_once_is_the_one_django_csp_builds(rf, settings):
    """PageCSPMiddleware reuses the policy string of plain HTML responses; a response with its own policy, a
    nonce, or a changed setting gets it built again."""
    from csp.constants import HEADER
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    from config.csp import PageCSPMiddleware

    def policy(middleware, prepare=lambda request, response: None):
        request, response = rf.get("/c/x/"), HttpResponse("<p>", content_type="text/html")
        middleware.process_request(request)
        prepare(request, response)
        return middleware.process_response(request, response).get(HEADER)

    ours, theirs = PageCSPMiddleware(lambda r: None), CSPMiddleware(lambda r: None)
    assert policy(ours) == policy(ours) == policy(theirs) and "default-src" in policy(ours)

    def own(request, response):
        response._csp_update = {"form-action": ["https://wallet.example.org"]}

    assert "https://wallet.example.org" in policy(ours, own) == policy(theirs, own)

    def nonce(request, response):
        str(request.csp_nonce)

    assert policy(ours, nonce) == policy(theirs, nonce)  # through django-csp itself
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert policy(ours) == policy(theirs) == "default-src 'none'"
