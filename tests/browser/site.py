"""One data set with one of everything a page can show, and the catalogue of Laurel's HTML pages built on it,
for the accessibility tests (test_accessibility.py). Every named URL of the site is either in the catalogue
(`pages`) or in EXCLUDED with the reason: `unlisted_urls()` names any new URL that is in neither, and the test
fails on it, so a new page cannot ship without being checked.

Pages are addressed by URL only (never by their DOM), so a redesign of a page changes nothing here.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

# Whole namespaces that are not HTML pages of ours: JSON APIs and Django's own admin.
EXCLUDED_NAMESPACES = {
    "admin": "Django's own admin (platform administrators); its templates are Django's",
    "api": "JSON API (REST API v1)",
    "obapi": "JSON API (Open Badges 3.0); its consent page is checked with axe in test_ob3_api.py's OAuth flow",
    "tracking": "1-pixel GIF",
}
# Named URLs that answer no HTML page of their own (files, JSON, redirects, POST-only actions).
EXCLUDED = {
    "healthz": "JSON",
    "metrics": "Prometheus text, not public",
    "bench_noop": "plain text, benchmarks only",
    "credentials:achievement_image_at": "PNG",
    "framework_json": "JSON",
    "frameworks:version_json": "JSON",
    "frameworks:palette_css": "CSS",
    "frameworks:sample_badge": "PNG",
    "frameworks:sample_badge_svg": "SVG",
    "credentials:ob3_credential": "JSON",
    "credentials:baked_png_all": "PNG",
    "credentials:baked_png": "PNG",
    "credentials:baked_svg": "SVG",
    "credentials:certificate_pdf": "PDF",
    "credentials:ob2_assertion": "JSON",
    "credentials:ob2_badge_class": "JSON",
    "credentials:ob2_issuer": "JSON",
    "credentials:status_list": "JSON",
    "credentials:issuer_did": "JSON",
    "credentials:issuer_image": "image",
    "credentials:achievement_image": "PNG",
    "credentials:api_verify": "JSON",
    "exchange:exchange": "VC-API JSON",
    "wallets:answer": "POST only",
    "wallets:visibility": "POST only",
    "wallets:evidence_add": "POST only",
    "wallets:endorsement_request": "POST only",
    "wallets:collection_add": "POST only",
    "wallets:evidence_change": "POST only",
    "wallets:evidence_file": "the learner's file",
    "wallets:endorsement_visibility": "POST only",
    "wallets:external_image": "PNG",
    "wallets:data_export": "ZIP",
    "wallets:share": "redirect to the sharing site",
    "wallets:endorsement_ob3": "JSON",
    "wallets:endorsement_ob2": "JSON",
    "staff:issue_confirm": "POST only",
    "staff:issue_certificate_pdf": "PDF",
    "staff:job_start": "POST only",
    "staff:job_progress": "JSON",
    "staff:job_report": "CSV",
    "staff:achievement_preview": "PNG",
    "staff:achievement_step": "POST only",
    "staff:awards_export": "CSV",
    "staff:awards_revoke": "POST only",
    "staff:award_resend": "POST only",
    "staff:award_revoke": "POST only",
    "staff:award_reissue": "POST only",
    "staff:api_key_revoke": "POST only",
    "staff:event_counts": "JSON",
    "webhooks:delete": "POST only",
    "webhooks:redeliver": "POST only",
    "programmes:invite": "POST only",
    "programmes:role_change": "POST only",
    "programmes:remove": "POST only",
    "programmes:invite_withdraw": "POST only",
    "communities:renew": "POST only",
    "communities:directory": "POST only",
    "community_staff:community_invite": "POST only (a refusal re-renders the community's page)",
    "community_staff:community_decide": "POST only",
    "community_staff:community_contribute": "POST only",
    "applications:resubmit": "POST only (a refusal re-renders the application's page)",
    "applications:withdraw": "POST only",
    "applications:session_add": "POST only (a refusal re-renders the application's page)",
    "applications:goal_remove": "POST only",
    "applications:review_session": "POST only",
    "applications:file": "the learner's evidence file",
    "applications:review_file": "the evidence file, for the nominee",
    "applications:public_file": "an approved application's evidence file",
    "application_staff:file": "the evidence file, for staff",
    "application_staff:decide": "POST only (a refusal re-renders the application's page)",
    "application_staff:session_confirm": "POST only",
    "staff:stacking_approve": "POST only",
    "organisations:share": "POST only",
    "organisations:leave": "POST only",
    "organisations:manage_invite": "POST only (a refusal re-renders the organisation's manage page)",
    "organisations:manage_remove": "POST only",
    "organisation_staff:organisation_rule_active": "POST only",
    "staff:stacking_dismiss": "POST only",
    "set_language": "POST only (Django's form view; the header uses the language links)",
    "language": "a redirect back to `next` (the header's language links)",
    "api_schema": "OpenAPI YAML",
    "api_docs": "Swagger UI: a third-party page (drf-spectacular-sidecar), not Laurel's templates",
    "account_request_reauthentication_code": "login by code is off (ACCOUNT_LOGIN_BY_CODE_ENABLED)",
    "account_confirm_reauthentication_code": "login by code is off",
    "account_confirm_login_code": "login by code is off",
    "account_set_password": "redirects to the password change (every account has a password)",
}


@dataclass(frozen=True)
class Page:
    key: str  # file names of the screenshot and the axe result: <key>-<lang>-<width>
    who: str  # "anonymous", "learner" or "staff"
    path: str  # "{language}" in it stands for the visitor's language
    names: tuple[str, ...]  # the URL names this page covers
    status: int = 200
    sandboxed: bool = False  # served with a `sandbox` policy of its own (no script runs there, axe included)


def _names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            yield from _names(entry.url_patterns, f"{namespace}:{inner}".strip(":") if inner else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def url_names() -> set[str]:
    return set(_names(get_resolver().url_patterns))


def unlisted_urls(pages: list[Page]) -> list[str]:
    covered = {name for page in pages for name in page.names}
    missing = []
    for name in sorted(url_names()):
        if name.split(":")[0] in EXCLUDED_NAMESPACES and ":" in name:
            continue
        if name not in covered and name not in EXCLUDED:
            missing.append(name)
    return missing


def _link(pattern: str, body: str) -> str:
    match = re.search(pattern, body)
    assert match, body
    return match.group(0)


def build(*, default_framework, issuer, competency, django_user_model, capture_on_commit):
    """The data set: a programme with achievements, a learner with a claimed, public credential (evidence,
    endorsement, collection, imported badge), a pending claim, revoked and expired credentials, an event,
    a bulk job, a survey invitation, a webhook, an API key, a staff invitation; a console manager; a community
    (the learner a member, an application waiting, an invitation) and a stacking suggestion waiting."""
    from allauth.account.models import EmailAddress

    from api.services import api_key_create
    from credentials.bulk.services import bulk_job_create
    from credentials.links import claim_url
    from credentials.models import Award
    from credentials.services import Recipient, award_issue, award_revoke
    from events.services import event_claim_request, event_create
    from programmes.models import StaffRole
    from programmes.services import invite_url, programme_create, staff_invite_create
    from surveys import tokens as survey_tokens
    from surveys.models import Invitation
    from surveys.services import email_hash, survey_configure
    from tests.credentials.conftest import make_achievement
    from wallets import services as wallet_services
    from wallets.models import ExternalCredential
    from webhooks.services import webhook_subscription_create

    w = SimpleNamespace(framework=default_framework, issuer=issuer)
    w.admin = django_user_model.objects.create_user(
        "admin", "admin@example.org", "a-long-staff-passphrase-7", is_staff=True, is_superuser=True
    )
    w.programme = programme_create(slug="social-protection", name="Social Protection", description="Social security.")
    w.manager = django_user_model.objects.create_user(
        "manager", "manager@example.org", "a-long-staff-passphrase-7", is_staff=True
    )
    StaffRole.objects.create(user=w.manager, programme=w.programme, role="manager")
    w.achievement = make_achievement(issuer, competency, programme=w.programme, level=2)
    # a certificate tier's achievement (the competency badge above has no certificate): the issue preview's page
    w.certificate = make_achievement(
        issuer, None, tier=default_framework.certificatetier_set.order_by("order").first(), slug="labour-law",
        name="Labour Law Certificate", programme=w.programme, level=2,
    )  # fmt: skip
    w.learner = django_user_model.objects.create_user("amina", "amina@example.org", "a-long-learner-passphrase-7")
    EmailAddress.objects.create(user=w.learner, email=w.learner.email, verified=True, primary=True)

    def issue(email, name, **kwargs):
        return award_issue(achievement=w.achievement, recipient=Recipient(email=email, name=name, **kwargs))

    w.award = issue("amina@example.org", "Amina Okonkwo", narrative="Led the final simulation.")
    wallet_services.claim_accept(award=w.award, user=w.learner)
    wallet_services.wallet_entry_set_visibility(user=w.learner, award=w.award, is_public=True)
    wallet_services.profile_ensure(user=w.learner, display_name="Amina Okonkwo")
    wallet_services.profile_update(
        user=w.learner, handle="amina", display_name="Amina Okonkwo", headline="Labour policy officer", is_public=True
    )
    wallet_services.evidence_add(
        user=w.learner, award=w.award, kind="link", url="https://example.org/report", title="Project report"
    )
    w.collection = wallet_services.collection_create(user=w.learner, name="Negotiation", is_public=True)
    wallet_services.collection_add(user=w.learner, collection=w.collection, award=w.award)
    with capture_on_commit(execute=True):
        w.endorsement = wallet_services.endorsement_request(
            user=w.learner, award=w.award, endorser_name="Maria Rossi", endorser_email="maria@example.org"
        )
    w.endorse_path = _link(r"/endorse/[^/\s]+/[^/\s]+/", mail.outbox[-1].body)
    w.external = ExternalCredential.objects.create(
        user=w.learner,
        kind="ob2",
        source="url",
        source_url="https://badges.example.org/a",
        name="Community Mediation",
        document={},
    )
    w.pending = issue("ravi@example.org", "Ravi Kumar")
    w.claim_path = "/" + claim_url(w.pending).split("://", 1)[1].split("/", 1)[1]  # the wallet's claim page
    w.claim_token = w.claim_path.rstrip("/").rsplit("/", 1)[1]
    w.revoked = issue("lea@example.org", "Lea Martin")
    award_revoke(award=w.revoked, reason="Issued to the wrong person", actor=w.admin)
    w.expired = issue("omar@example.org", "Omar Haddad")
    Award.objects.filter(pk=w.expired.pk).update(expires_at=timezone.now() - timedelta(days=3))

    now = timezone.now()
    w.event = event_create(
        achievement=w.achievement,
        name="Future of Work Forum",
        description="Two days of panels and workshops.",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=30),
        actor=w.admin,
    )
    mail.outbox.clear()
    with capture_on_commit(execute=True):
        w.event_claim = event_claim_request(event=w.event, email="zoe@example.org", name="Zoe Ndlovu", language="en")
    w.event_confirm_path = _link(r"/events/[^/\s]+/confirm/\d+/[^/\s]+/", mail.outbox[-1].body)
    w.job = bulk_job_create(
        achievement=w.achievement, filename="people.csv", data=b"email,name\nkim@example.org,Kim Lee\n", actor=w.admin
    )
    survey = survey_configure(achievement=w.achievement, actor=w.admin, is_active=True, delay_days=90)
    invitation = Invitation.objects.create(survey=survey, award=w.award, language="en", sent_at=now)
    w.survey_path = reverse("surveys:answer", kwargs={"token": survey_tokens.answer_token(invitation.pk)})
    w.survey_opt_out_path = reverse(
        "surveys:opt_out", kwargs={"token": survey_tokens.opt_out_token(email_hash(w.award.recipient_email))}
    )
    w.webhook = webhook_subscription_create(
        programme=w.programme, url="https://hooks.example.org/laurel", events=["award.issued"], actor=w.admin
    )
    api_key_create(programme=w.programme, role="issuer", name="Learning platform", actor=w.admin)
    invite = staff_invite_create(programme=w.programme, email="new.issuer@example.org", role="issuer", actor=w.admin)
    w.invite_path = "/" + invite_url(invite).split("://", 1)[1].split("/", 1)[1]
    _community(w, django_user_model)
    _applications(w)
    _stacking(w)
    _organisation(w)
    return w


def _organisation(w):
    """An organisation of the programme holding a credential of its own, a rule, the learner its admin and a
    member sharing their credential, and an invitation sent."""
    from credentials.models import Award
    from credentials.services import Recipient, award_issue
    from organisations.links import invite_url
    from organisations.models import OrganisationAdmin, OrganisationMember
    from organisations.rules import rule_create
    from organisations.services import credential_share, invitation_send, organisation_create
    from tests.credentials.conftest import make_achievement

    category = w.framework.badgecategory_set.get(code="organisational_development")
    fields = {"alignments": [], "hours": None, "ects_credits": None, "validity_days": None, "programme": w.programme}
    own = make_achievement(w.issuer, category, slug="institutional-programme", name="Institutional Programme", **fields)
    result = make_achievement(w.issuer, category, slug="learning-organisation", name="Learning Organisation", **fields)
    organisation = organisation_create(
        programme=w.programme, slug="labour-ministry", name="Ministry of Labour", country="GH",
        email="credentials@ministry.example.org", sector="Public administration", actor=w.admin,
    )  # fmt: skip
    award_issue(
        achievement=own,
        recipient=Recipient(email=organisation.email, name=organisation.name, kind=Award.RecipientKind.ORGANISATION),
    )
    rule_create(
        programme=w.programme, name="Staff in negotiation", result=result, required_achievements=[own],
        requirements=[(w.achievement, 3)], actor=w.admin,
    )  # fmt: skip
    OrganisationAdmin.objects.create(organisation=organisation, user=w.learner)
    member = OrganisationMember.objects.create(organisation=organisation, user=w.learner, name="Amina Okonkwo")
    credential_share(member=member, award=w.award, user=w.learner)
    invite = invitation_send(organisation=organisation, email="zoe@example.org", role="member", actor=w.admin)
    w.organisation_invite_path = "/" + invite_url(invite).split("://", 1)[1].split("/", 1)[1]
def _applications(w):
    """Two badges open for applications (a workplace application with an assessor, peer mentoring with sessions);
    the learner's application waiting for their assessor, with a file and a session-free route; a goal."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.links import review_url
    from applications.services import application_submit, goal_set, route_save
    from tests.applications.conftest import png_bytes
    from tests.credentials.conftest import make_achievement

    categories = {c.code: c for c in w.framework.badgecategory_set.all()}
    practice = make_achievement(
        w.issuer, categories["learning_application"], slug="policy-in-practice", name="Policy in Practice",
        programme=w.programme,
    )  # fmt: skip
    mentoring = make_achievement(
        w.issuer, categories["mentoring_coaching"], slug="policy-mentee", name="Policy Mentee", programme=w.programme
    )
    route_save(achievement=practice, actor=w.admin, is_open=True, nominee="assessor", instructions="Show your work.")
    route_save(achievement=mentoring, actor=w.admin, is_open=True, nominee="mentor", sessions_required=2)
    w.application = application_submit(
        achievement=practice, user=w.learner, narrative="I drafted the ministry's new social security circular.",
        links=["https://example.org/circular"], uploads=[SimpleUploadedFile("circular.png", png_bytes())],
        nominee_email="grace@example.org", nominee_name="Grace Mensah", nominee_language="en",
    )  # fmt: skip
    w.review_path = "/" + review_url(w.application).split("://", 1)[1].split("/", 1)[1]
    goal_set(user=w.learner, achievement=mentoring, note="Mentoring next year.")


def _community(w, django_user_model):
    """A community of the programme: the learner an approved member (listed in its directory, with a contribution
    badge), Ravi's application waiting, Zoe invited; and an open community the learner has not joined."""
    from allauth.account.models import EmailAddress

    from communities.invitations import invitation_send
    from communities.links import invite_url
    from communities.models import Membership
    from communities.services import (
        application_approve,
        community_create,
        contribution_achievements_set,
        contribution_award,
        membership_apply,
        membership_directory_set,
    )
    from tests.credentials.conftest import make_achievement

    category = w.framework.badgecategory_set.get(code="membership")
    badge = make_achievement(
        w.issuer, category, slug="labour-network", name="Labour Network Member", programme=w.programme
    )
    w.community = community_create(
        programme=w.programme, slug="labour-network", name="Labour Policy Network",
        description="Labour policy officers who learn from each other.", how_to_join="Tell us about your work.",
        membership_achievement=badge, join_mode="application", renewal_mode="review", actor=w.admin,
    )  # fmt: skip
    contribution_achievements_set(community=w.community, achievements=[w.achievement], actor=w.admin)
    member = membership_apply(community=w.community, user=w.learner, statement="I work on labour policy.")
    member = application_approve(membership=member, actor=w.manager)
    membership_directory_set(membership=member, user=w.learner, listed=True)
    contribution_award(membership=member, achievement=w.achievement, role="mentor", actor=w.manager)
    # its end is near: "My communities" offers the renewal form
    Membership.objects.filter(pk=member.pk).update(expires_at=timezone.now() + timedelta(days=10))
    community_create(
        programme=w.programme, slug="mediators", name="Mediators' Circle", description="Mediators meet monthly.",
        membership_achievement=badge, join_mode="open", actor=w.admin,
    )  # fmt: skip
    ravi = django_user_model.objects.create_user("ravi", "ravi@example.org", "a-long-learner-passphrase-7")
    EmailAddress.objects.create(user=ravi, email=ravi.email, verified=True, primary=True)
    membership_apply(community=w.community, user=ravi, statement="I train labour inspectors.")
    invite = invitation_send(
        community=w.community, email="zoe@example.org", name="Zoe Ndlovu", language="en", actor=w.manager
    )
    w.community_invite_path = "/" + invite_url(invite).split("://", 1)[1].split("/", 1)[1]


def _stacking(w):
    """A stacking suggestion waiting for approval (the learner's credential earned a higher achievement) and an
    outcome issued earlier (to Lea)."""
    from credentials.services import Recipient, award_issue
    from stacking.models import StackingOutcome
    from tests.credentials.conftest import make_achievement

    result = make_achievement(
        w.issuer, w.achievement.category, slug="labour-relations", name="Labour Relations Practitioner",
        programme=w.programme, level=3,
    )  # fmt: skip
    outcome = StackingOutcome.objects.create(
        identity=f"user:{w.learner.pk}", rule_slug="labour-relations", result=result,
        recipient_email=w.award.recipient_email, recipient_name="Amina Okonkwo", state=StackingOutcome.State.SUGGESTED,
    )  # fmt: skip
    outcome.counted.add(w.award)
    issued = award_issue(achievement=result, recipient=Recipient(email="lea@example.org", name="Lea Martin"))
    StackingOutcome.objects.create(
        identity="email:lea@example.org", rule_slug="labour-relations", result=result, award=issued,
        recipient_email="lea@example.org", recipient_name="Lea Martin", state=StackingOutcome.State.ISSUED,
        decided_at=timezone.now(), decided_by=w.manager,
    )  # fmt: skip


def pages(w) -> list[Page]:
    """Every HTML page, on the data set `w`."""
    award, achievement, p = w.award, w.achievement, f"/staff/p/{w.programme.slug}"
    version = w.framework.version
    public = [
        Page("home", "anonymous", "/", ("home",)),
        Page("framework", "anonymous", "/framework/", ("frameworks:current",)),
        Page("framework-version", "anonymous", f"/framework/v/{version}/", ("frameworks:version",)),
        Page("glossary", "anonymous", "/framework/glossary/", ("frameworks:glossary",)),
        Page("glossary-version", "anonymous", f"/framework/v/{version}/glossary/", ("frameworks:version_glossary",)),
        Page(
            "sample-certificate",
            "anonymous",
            f"/framework/certificates/{w.framework.certificatetier_set.first().pk}/",
            ("frameworks:sample_certificate",),
            sandboxed=True,
        ),
        Page("verification-page", "anonymous", f"/c/{award.public_id}/", ("credentials:verify_page",)),
        Page("verification-page-revoked", "anonymous", f"/c/{w.revoked.public_id}/", ()),
        Page("verification-page-expired", "anonymous", f"/c/{w.expired.public_id}/", ()),
        Page("verify-tool", "anonymous", "/verify/", ("credentials:verify",)),
        Page("issuer", "anonymous", f"/issuers/{w.issuer.slug}/", ("credentials:issuer",)),
        Page("achievement", "anonymous", f"/achievements/{achievement.slug}/", ("credentials:achievement_page",)),
        Page("claim-page", "anonymous", w.claim_path, ("wallets:claim",)),
        Page(
            "claim-page-plain",
            "anonymous",
            f"/c/{w.pending.public_id}/claim/{w.claim_token}/",
            ("credentials:claim",),
        ),
        Page("claim-refused", "anonymous", f"/wallet/claim/{w.pending.public_id}/abc-0123/", (), 400),
        Page("events", "anonymous", "/events/", ("events:enter",)),
        Page("event", "anonymous", f"/events/{w.event.code}/", ("events:event",)),
        Page("event-poster", "anonymous", f"/events/{w.event.code}/poster/", ("events:poster",)),
        # the confirmation link works once (the keyboard test follows a good one): its refusal page here
        Page("event-confirm-refused", "anonymous", w.event_confirm_path[:-5] + "0000/", ("events:confirm",), 400),
        Page("public-profile", "anonymous", "/u/amina/", ("wallets:profile",)),
        Page(
            "public-collection", "anonymous", f"/collections/{w.collection.public_id}/", ("wallets:collection_public",)
        ),
        Page("embed", "anonymous", f"/embed/{award.public_id}/", ("wallets:embed",)),
        Page("endorse", "anonymous", w.endorse_path, ("wallets:endorse",)),
        Page("survey", "anonymous", w.survey_path, ("surveys:answer",)),
        Page("survey-opt-out", "anonymous", w.survey_opt_out_path, ("surveys:opt_out",)),
        Page("staff-invite", "anonymous", w.invite_path, ("programmes:invite_accept",)),
        Page("sign-in", "anonymous", reverse("account_login"), ("account_login",)),
        Page("sign-up", "anonymous", reverse("account_signup"), ("account_signup",)),
        Page("password-reset", "anonymous", reverse("account_reset_password"), ("account_reset_password",)),
        Page(
            "password-reset-done", "anonymous", reverse("account_reset_password_done"), ("account_reset_password_done",)
        ),
        Page(
            "password-reset-bad-key",
            "anonymous",
            "/accounts/password/reset/key/1-bad-key/",
            ("account_reset_password_from_key",),
        ),
        Page(
            "password-reset-key-done",
            "anonymous",
            reverse("account_reset_password_from_key_done"),
            ("account_reset_password_from_key_done",),
        ),
        Page(
            "email-verification-sent",
            "anonymous",
            reverse("account_email_verification_sent"),
            ("account_email_verification_sent",),
        ),
        Page("email-confirm-bad-key", "anonymous", "/accounts/confirm-email/bad-key/", ("account_confirm_email",)),
        Page("account-inactive", "anonymous", reverse("account_inactive"), ("account_inactive",)),
        Page("community", "anonymous", "/communities/labour-network/", ("communities:community",)),
        Page("community-invite", "anonymous", w.community_invite_path, ("communities:invite",)),
        Page("community-invite-refused", "anonymous", w.community_invite_path[:-5] + "0000/", (), 400),
        Page("organisation", "anonymous", "/organisations/labour-ministry/", ("organisations:organisation",)),
        Page("organisation-invite", "anonymous", w.organisation_invite_path, ("organisations:invite",)),
        Page("organisation-invite-refused", "anonymous", w.organisation_invite_path[:-5] + "0000/", (), 400),
        Page("application-review", "anonymous", w.review_path, ("applications:review",)),
        Page("application-review-refused", "anonymous", w.review_path[:-5] + "0000/", (), 400),
        Page("apply-closed", "anonymous", "/achievements/labour-law/apply/", (), 404),
        Page("not-found", "anonymous", "/no-such-page/", (), 404),
    ]
    learner = [
        Page("wallet", "learner", "/wallet/", ("wallets:home",)),
        Page("credential-detail", "learner", f"/wallet/c/{award.public_id}/", ("wallets:detail",)),
        Page("collections", "learner", "/wallet/collections/", ("wallets:collections",)),
        Page("collection", "learner", f"/wallet/collections/{w.collection.public_id}/", ("wallets:collection",)),
        Page("profile-settings", "learner", "/wallet/profile/", ("wallets:profile_edit",)),
        Page("import", "learner", "/wallet/import/", ("wallets:import",)),
        Page("imported", "learner", w.external.get_absolute_url(), ("wallets:external",)),
        Page("my-data", "learner", "/wallet/data/", ("wallets:data",)),
        Page("email-addresses", "learner", reverse("account_email"), ("account_email",)),
        Page("password-change", "learner", reverse("account_change_password"), ("account_change_password",)),
        Page("reauthenticate", "learner", reverse("account_reauthenticate"), ("account_reauthenticate",)),
        Page("sign-out", "learner", reverse("account_logout"), ("account_logout",)),
        Page("community-member", "learner", "/communities/labour-network/", ()),
        Page("community-join", "learner", "/communities/mediators/", ()),
        Page("community-invite-signed-in", "learner", w.community_invite_path, ()),
        Page("my-communities", "learner", "/communities/mine/", ("communities:mine",)),
        Page("my-organisations", "learner", "/organisations/mine/", ("organisations:mine",)),
        Page("organisation-manage", "learner", "/organisations/labour-ministry/manage/", ("organisations:manage",)),
        Page("apply", "learner", "/achievements/policy-mentee/apply/", ("applications:apply",)),
        Page("my-applications", "learner", "/wallet/applications/", ("applications:list",)),
        Page("my-application", "learner", f"/wallet/applications/{w.application.pk}/", ("applications:detail",)),
        Page("goals", "learner", "/wallet/goals/", ("applications:goals",)),
        Page("staff-forbidden", "learner", "/staff/", (), 403),
    ]
    staff = [
        Page("staff-index", "staff", "/staff/", ("staff:index",)),
        Page("staff-search", "staff", "/staff/search/?q=amina", ("staff:search",)),
        Page("staff-home", "staff", f"{p}/", ("staff:home",)),
        Page("issue", "staff", f"{p}/issue/", ("staff:issue",)),
        Page(
            "issue-certificate",
            "staff",
            f"{p}/issue/certificate/?achievement={w.certificate.pk}&name=Lea+Martin&language={{language}}",
            ("staff:issue_certificate",),
            sandboxed=True,
        ),
        Page("job", "staff", f"{p}/jobs/{w.job.pk}/", ("staff:job",)),
        Page("achievements", "staff", f"{p}/achievements/", ("staff:achievements",)),
        Page("achievement-new", "staff", f"{p}/achievements/new/", ("staff:achievement_new",)),
        Page("achievement-detail", "staff", f"{p}/achievements/{achievement.pk}/", ("staff:achievement",)),
        Page("achievement-edit", "staff", f"{p}/achievements/{achievement.pk}/edit/", ("staff:achievement_edit",)),
        Page("awards", "staff", f"{p}/awards/", ("staff:awards",)),
        Page("award", "staff", f"{p}/awards/{award.public_id}/", ("staff:award",)),
        Page("recipients", "staff", f"{p}/recipients/", ("staff:recipients",)),
        Page("recipient", "staff", f"{p}/recipients/{award.recipient_email}/", ("staff:recipient",)),
        Page("staff-events", "staff", f"{p}/events/", ("staff:events",)),
        Page("api-keys", "staff", f"{p}/api-keys/", ("staff:api_keys",)),
        Page("analytics", "staff", "/staff/analytics/", ("analytics:dashboard",)),
        Page("analytics-programme", "staff", f"/staff/analytics/{w.programme.slug}/", ("analytics:programme",)),
        Page(
            "survey-settings",
            "staff",
            f"/staff/analytics/{w.programme.slug}/surveys/{achievement.slug}/",
            ("analytics:survey_settings",),
        ),
        Page("webhooks", "staff", f"{p}/webhooks/", ("webhooks:list",)),
        Page("webhook-new", "staff", f"{p}/webhooks/new/", ("webhooks:new",)),
        Page("webhook", "staff", f"{p}/webhooks/{w.webhook.pk}/", ("webhooks:detail",)),
        Page("team", "staff", f"{p}/team/", ("programmes:team",)),
        Page("staff-communities", "staff", f"{p}/communities/", ("community_staff:communities",)),
        Page("staff-community-new", "staff", f"{p}/communities/new/", ("community_staff:community_new",)),
        Page("staff-community", "staff", f"{p}/communities/labour-network/", ("community_staff:community",)),
        Page(
            "staff-community-edit",
            "staff",
            f"{p}/communities/labour-network/edit/",
            ("community_staff:community_edit",),
        ),
        Page("stacking", "staff", f"{p}/stacking/", ("staff:stacking",)),
        Page("staff-organisations", "staff", f"{p}/organisations/", ("organisation_staff:organisations",)),
        Page("staff-organisation-new", "staff", f"{p}/organisations/new/", ("organisation_staff:organisation_new",)),
        Page(
            "staff-organisation-rule-new",
            "staff",
            f"{p}/organisations/rules/new/",
            ("organisation_staff:organisation_rule_new",),
        ),
        Page("staff-applications", "staff", f"{p}/applications/", ("application_staff:queue",)),
        Page("staff-application", "staff", f"{p}/applications/{w.application.pk}/", ("application_staff:detail",)),
        Page(
            "staff-application-route", "staff", f"{p}/applications/routes/policy-mentee/", ("application_staff:route",)
        ),  # fmt: skip
    ]
    return public + learner + staff
