"""The permission matrix of the staff console at /staff/: every URL → the permission it needs in the
programme of its URL, and how to try it. test_staff_urls.py walks the URL configuration and fails on any
URL under /staff/ missing here (analytics and team pages included, when their apps add them), so a console
page cannot ship without saying who may open it.

Roles are programmes.roles presets: an actor is allowed when the role it holds in programme A includes every
permission of the case; platform administrators hold them all; a member of staff of programme B only gets 404
for A's pages (the console does not tell which programmes exist); an account with no role gets 403 everywhere.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLResolver, get_resolver

CONSOLE = "any console user"  # anyone holding a role somewhere, or an administrator

ISSUE = "credentials.add_award"
REVOKE = "credentials.revoke_award"
VIEW_AWARD = "credentials.view_award"
VIEW_ACHIEVEMENT = "credentials.view_achievement"
MANAGE_STAFF = "programmes.manage_staff"


@dataclass(frozen=True)
class Case:
    method: str
    perm: str | tuple[str, ...]
    allowed: tuple[int, ...] = (200,)
    kwargs: Callable = lambda w: {}  # world → URL kwargs besides the programme
    query: Callable | None = None
    data: Callable | None = None
    programme: bool = True  # the URL is a programme's (programme A)
    label: str = field(default="")


def _award(w):
    return {"public_id": w.award.public_id}


def _job(w):
    return {"pk": w.job.pk}


def _achievement(w):
    return {"pk": w.achievement.pk}


def _step(step):
    return lambda w: {"pk": w.achievement.pk, "step": step}


def _issue_one(w):
    return {
        "achievement": w.achievement.pk,
        "mode": "one",
        "name": "Lea Martin",
        "email": "lea@example.org",
        "language": "en",
    }


def _confirm(w):
    return {
        "achievement": w.achievement.pk,
        "name": "Lea Martin",
        "email": "lea@example.org",
        "language": "en",
        "token": "0" * 32,
    }


def _preview_query(w):
    return {"achievement": w.certificate.pk, "name": "Lea Martin", "language": "en"}


def _design(w):
    return {
        "name": "Wound Care",
        "kind": f"category:{w.competency.pk}",
        "issuer": w.issuer.pk,
        "description": "Cleans and dresses wounds.",
        "criteria_narrative": "Three observed dressings.",
        "assessment_method": "Observed",
        "evidence_required": "Checklist",
        "hours": "30",
        "ects_credits": "1",
        "level": "1",
        "validity_days": "365",
        "language": "en",
        "esco_uri_1": "http://data.europa.eu/esco/skill/0e6a4f6e-3c1b-4b9f-9f3d-2a4c5d6e7f80",
        "esco_label_1": "wounds",
    }


def _webhook(w):
    """Programme A's webhook subscription (made once)."""
    from webhooks.models import WebhookSubscription

    subscription = WebhookSubscription.objects.filter(programme=w.a).first()
    if subscription is None:
        subscription = WebhookSubscription.objects.create(
            programme=w.a, url="https://hooks.example.org/laurel", events=["award.issued"]
        )
    return {"pk": subscription.pk}


def _api_key(w):
    """Programme A's API key (made once)."""
    from api.models import ApiKey
    from api.services import api_key_create

    key = ApiKey.objects.filter(programme=w.a, revoked_at__isnull=True).first()
    if key is None:
        key, _token = api_key_create(programme=w.a, role="issuer", name="LMS")
    return {"pk": key.pk}


def _delivery(w):
    """A failed delivery of programme A's webhook (what a redeliver button is for)."""
    from webhooks.models import WebhookDelivery

    pk = _webhook(w)["pk"]
    delivery = WebhookDelivery.objects.filter(subscription_id=pk).first()
    if delivery is None:
        delivery = WebhookDelivery.objects.create(
            subscription_id=pk, event_type="award.issued", payload={}, state="failed", attempts=5
        )
    return {"pk": pk, "delivery": delivery.pk}


def _suggestion(w):
    """A stacking suggestion waiting in programme A (a new one once the last was decided)."""
    from stacking.models import StackingOutcome

    outcome = StackingOutcome.objects.filter(result=w.achievement, state="suggested").first()
    if outcome is None:
        number = StackingOutcome.objects.count()
        outcome = StackingOutcome.objects.create(
            identity=f"email:learner{number}@example.org", rule_slug="pathway", result=w.achievement,
            recipient_email=f"learner{number}@example.org", recipient_name="Lea Martin", state="suggested",
        )  # fmt: skip
    return {"pk": outcome.pk}


def _webhook_form(w):
    return {"url": "https://hooks.example.org/other", "events": ["award.issued", "award.revoked"], "is_active": "on"}


def _community(w):
    """Programme A's community (made once), with an application waiting and a member."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from communities.models import Community
    from communities.services import membership_apply
    from tests.credentials.conftest import make_achievement

    community = Community.objects.filter(programme=w.a).first()
    if community is None:
        category = w.competency.framework.badgecategory_set.get(code="membership")
        badge = make_achievement(w.issuer, category, slug="nurses-network", name="Nurses Network", programme=w.a)
        community = Community.objects.create(
            programme=w.a, slug="nurses", name="Nurses", description="Peers.", membership_achievement=badge
        )
        person = get_user_model().objects.create_user("applicant", "applicant@example.org", "pw")
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
        membership_apply(community=community, user=person, statement="I nurse.")
    return {"community": community.slug}


def _community_form(w):
    from communities.models import Community

    community = Community.objects.get(slug=_community(w)["community"])
    return {
        "name": "Nurses' network",
        "description": "Peers.",
        "membership_achievement": community.membership_achievement_id,
        "join_mode": "open",
        "renewal_mode": "review",
        "reminder_days": "20",
        "is_active": "on",
    }


def _application(decision):
    def kwargs(w):
        from communities.models import Membership

        slug = _community(w)["community"]
        return {"community": slug, "pk": Membership.objects.get(community__slug=slug).pk, "decision": decision}

    return kwargs


def _member(w):
    from communities.models import Membership

    slug = _community(w)["community"]
    return {"community": slug, "pk": Membership.objects.get(community__slug=slug).pk}


def _organisation_rule(w):
    """A rule of programme A (made once; the matrix checks the permission, not the rule's content)."""
    from organisations.models import OrganisationRule

    rule = OrganisationRule.objects.filter(programme=w.a).first()
    if rule is None:
        rule = OrganisationRule.objects.create(programme=w.a, name="Pathway", result=w.achievement)
    return {"pk": rule.pk}
def _submission(w):
    """Programme A's learning-application badge, open for applications, with one application waiting (a file, a
    mentoring session) (made once)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    from applications.models import Application, ApplicationFile, ApplicationRoute, MentoringSession
    from tests.credentials.conftest import make_achievement

    application = Application.objects.filter(achievement__programme=w.a).first()
    if application is None:
        category = w.competency.framework.badgecategory_set.get(code="learning_application")
        badge = make_achievement(w.issuer, category, slug="ward-practice", name="Ward Practice", programme=w.a)
        ApplicationRoute.objects.create(achievement=badge, is_open=True, nominee="assessor")
        person = get_user_model().objects.create_user("candidate", "candidate@example.org", "pw")
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
        application = Application.objects.create(
            achievement=badge, user=person, email=person.email, name="Cand Idate", language="en", narrative="Did it."
        )
        item = ApplicationFile(application=application, filename="r.pdf", content_type="application/pdf", size=10)
        item.file.save("r.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        item.save()
        MentoringSession.objects.create(application=application, date="2026-01-02", minutes=30, topic="Rounds")
    return {"pk": application.pk}


def _submission_file(w):
    from applications.models import ApplicationFile

    pk = _submission(w)["pk"]
    return {"pk": pk, "file_pk": ApplicationFile.objects.get(application_id=pk).pk}


def _submission_session(w):
    from applications.models import MentoringSession

    pk = _submission(w)["pk"]
    return {"pk": pk, "session_pk": MentoringSession.objects.get(application_id=pk).pk}


def _route(w):
    _submission(w)
    return {"slug": "ward-practice"}


def get_post(perm, *, get=(200,), post=(200, 302), **options):
    return [Case("GET", perm, allowed=get, **options), Case("POST", perm, allowed=post, **options)]


def post_only(perm, data=None, **options):
    """A POST action: GET answers 405 to whoever passes the permission check."""
    return [
        Case("GET", perm, allowed=(405,), **options),
        Case("POST", perm, allowed=(302,), data=data, **options),
    ]


STAFF_URLS: dict[str, list[Case]] = {
    "staff:index": [Case("GET", CONSOLE, allowed=(200, 302), programme=False)],
    "staff:search": [Case("GET", CONSOLE, query=lambda w: {"q": "Amina"}, programme=False)],
    "staff:home": [Case("GET", "programmes.view_programme")],
    "staff:issue": [Case("GET", ISSUE), Case("POST", ISSUE, data=_issue_one)],
    "staff:issue_confirm": [Case("GET", ISSUE, allowed=(302,)), Case("POST", ISSUE, allowed=(302,), data=_confirm)],
    "staff:issue_certificate": [Case("GET", ISSUE, query=_preview_query)],
    "staff:issue_certificate_pdf": [Case("GET", ISSUE, query=_preview_query)],
    "staff:job": [Case("GET", "credentials.view_bulkjob", kwargs=_job)],
    "staff:job_progress": [Case("GET", "credentials.view_bulkjob", kwargs=_job)],
    "staff:job_report": [Case("GET", "credentials.view_bulkjob", kwargs=_job)],
    "staff:job_start": post_only(ISSUE, kwargs=_job),
    "staff:achievements": [Case("GET", VIEW_ACHIEVEMENT)],
    "staff:achievement": [Case("GET", VIEW_ACHIEVEMENT, kwargs=_achievement)],
    "staff:achievement_preview": [
        Case("GET", VIEW_ACHIEVEMENT, query=lambda w: {"kind": f"category:{w.competency.pk}", "name": "Care"})
    ],
    "staff:achievement_new": [
        Case("GET", "credentials.add_achievement"),
        Case("POST", "credentials.add_achievement", allowed=(302,), data=_design),
    ],
    "staff:achievement_edit": [
        Case("GET", "credentials.change_achievement", kwargs=_achievement, allowed=(200, 302)),
        Case("POST", "credentials.change_achievement", kwargs=_achievement, allowed=(302,), data=_design),
    ],
    "staff:achievement_step": [
        Case("GET", VIEW_ACHIEVEMENT, kwargs=_step("publish"), allowed=(405,)),
        Case("POST", "credentials.change_achievement", kwargs=_step("submit"), allowed=(302,)),
        Case("POST", "credentials.change_achievement", kwargs=_step("return"), allowed=(302,)),
        Case("POST", "credentials.publish_achievement", kwargs=_step("publish"), allowed=(302,)),
        Case("POST", "credentials.publish_achievement", kwargs=_step("archive"), allowed=(302,)),
    ],
    "staff:awards": [Case("GET", VIEW_AWARD, query=lambda w: {"q": "amina", "sort": "name"})],
    "staff:awards_export": [Case("GET", VIEW_AWARD)],
    "staff:awards_revoke": post_only(REVOKE, data=lambda w: {"ids": [w.award.pk], "reason": "Cancelled"}),
    "staff:award": [Case("GET", VIEW_AWARD, kwargs=_award)],
    "staff:award_resend": post_only("credentials.resend_claim", kwargs=_award),
    "staff:award_revoke": post_only(REVOKE, kwargs=_award, data=lambda w: {"revoke-reason": "Cancelled"}),
    "staff:award_reissue": post_only((REVOKE, ISSUE), kwargs=_award, data=lambda w: {"reissue-reason": "Typo"}),
    "staff:recipients": [Case("GET", VIEW_AWARD)],
    "staff:recipient": [Case("GET", VIEW_AWARD, kwargs=lambda w: {"email": w.award.recipient_email})],
    "staff:events": [Case("GET", "events.view_event")],
    "staff:event_counts": [Case("GET", "events.view_event")],
    "staff:stacking": [Case("GET", VIEW_AWARD)],
    "staff:stacking_approve": post_only(ISSUE, kwargs=_suggestion),
    "staff:stacking_dismiss": post_only(ISSUE, kwargs=_suggestion),
    # webhooks/ (issue 12.3)
    "staff:api_keys": [
        Case("GET", MANAGE_STAFF),
        Case("POST", MANAGE_STAFF, data=lambda w: {"name": "CRM", "role": "viewer"}),
    ],
    "staff:api_key_revoke": post_only(MANAGE_STAFF, kwargs=_api_key),
    "webhooks:list": [Case("GET", MANAGE_STAFF)],
    "webhooks:new": [Case("GET", MANAGE_STAFF), Case("POST", MANAGE_STAFF, data=_webhook_form)],
    "webhooks:detail": [
        Case("GET", MANAGE_STAFF, kwargs=_webhook),
        Case("POST", MANAGE_STAFF, kwargs=_webhook, allowed=(302,), data=_webhook_form),
    ],
    "webhooks:delete": post_only(MANAGE_STAFF, kwargs=_webhook),
    "webhooks:redeliver": post_only(MANAGE_STAFF, kwargs=_delivery),
    # communities/ (issue 14.3): programme managers change, viewers read (named managers: tests/communities)
    "community_staff:communities": [Case("GET", "communities.view_community")],
    "community_staff:community": [Case("GET", "communities.view_community", kwargs=_community)],
    "community_staff:community_new": [
        Case("GET", "communities.add_community"),
        Case("POST", "communities.add_community", allowed=(200, 302, 400), data=lambda w: {"name": ""}),
    ],
    "community_staff:community_edit": [
        Case("GET", "communities.change_community", kwargs=_community),
        Case("POST", "communities.change_community", kwargs=_community, allowed=(302,), data=_community_form),
    ],
    "community_staff:community_invite": [
        Case("GET", "communities.change_community", kwargs=_community, allowed=(405,)),
        Case(
            "POST",
            "communities.change_community",
            kwargs=_community,
            allowed=(302,),
            data=lambda w: {"name": "Lea Martin", "email": "lea@example.org", "language": "en"},
        ),
    ],
    "community_staff:community_decide": [
        Case("GET", "communities.change_community", kwargs=_application("approve"), allowed=(405,)),
        Case("POST", "communities.change_community", kwargs=_application("approve"), allowed=(302,)),
        Case(
            "POST",
            "communities.change_community",
            kwargs=_application("ask"),
            allowed=(302,),
            data=lambda w: {"text": "Which ward?"},
        ),
        Case(
            "POST",
            "communities.change_community",
            kwargs=_application("decline"),
            allowed=(302,),
            data=lambda w: {"text": "Not a nurse."},
        ),
    ],  # fmt: skip
    "community_staff:community_contribute": post_only(
        "communities.change_community", kwargs=_member, data=lambda w: {"achievement": "0", "role": "mentor"}
    ),
    # organisations/ (issue 14.4): programme managers create organisations and rules, viewers read
    "organisation_staff:organisations": [Case("GET", "organisations.view_organisation")],
    "organisation_staff:organisation_new": [
        Case("GET", "organisations.add_organisation"),
        Case("POST", "organisations.add_organisation", allowed=(400,), data=lambda w: {"name": ""}),
    ],
    "organisation_staff:organisation_rule_new": [
        Case("GET", "organisations.change_organisation"),
        Case("POST", "organisations.change_organisation", allowed=(400,), data=lambda w: {"name": ""}),
    ],
    "organisation_staff:organisation_rule_active": post_only(
        "organisations.change_organisation", kwargs=_organisation_rule, data=lambda w: {"active": "0"}
    ),
    # applications/ (issue 14.5): staff read the queue and evidence, issuers and managers decide, managers open routes
    "application_staff:queue": [Case("GET", "applications.view_application")],
    "application_staff:detail": [Case("GET", "applications.view_application", kwargs=_submission)],
    "application_staff:file": [Case("GET", "applications.view_application", kwargs=_submission_file)],
    "application_staff:decide": [
        Case("GET", "applications.change_application", kwargs=_submission, allowed=(405,)),
        Case(
            "POST",
            "applications.change_application",
            kwargs=_submission,
            allowed=(302,),
            data=lambda w: {"decision": "approve"},
        ),
        Case(
            "POST",
            "applications.change_application",
            kwargs=_submission,
            allowed=(302,),
            data=lambda w: {"decision": "changes", "comment": "Add the ward's sign-off."},
        ),
    ],
    "application_staff:session_confirm": post_only("applications.change_application", kwargs=_submission_session),
    "application_staff:route": [
        Case("GET", "applications.change_applicationroute", kwargs=_route),
        Case(
            "POST",
            "applications.change_applicationroute",
            kwargs=_route,
            allowed=(302,),
            data=lambda w: {
                "is_open": "on",
                "nominee": "assessor",
                "sessions_required": "0",
                "min_files": "1",
                "min_links": "0",
                "narrative_required": "on",
            },
        ),
    ],  # fmt: skip
    # analytics/ (issue 11.4, 11.5)
    "analytics:dashboard": [Case("GET", CONSOLE, programme=False)],
    "analytics:programme": [
        Case("GET", "programmes.view_analytics"),
        Case("GET", "programmes.view_analytics", query=lambda w: {"format": "csv", "table": "funnel"}),
    ],
    "analytics:survey_settings": [
        Case("GET", "credentials.change_achievement", kwargs=lambda w: {"achievement": w.achievement.slug}),
        Case(
            "POST",
            "credentials.change_achievement",
            allowed=(302,),
            kwargs=lambda w: {"achievement": w.achievement.slug},
            data=lambda w: {"is_active": "on", "delay_days": "90"},
        ),
    ],  # fmt: skip
}


def staff_routes() -> dict[str, str]:
    """Every URL under /staff/, whichever app declares it: "namespace:name" → route."""
    routes = {}

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                route = prefix + str(pattern.pattern)
                if route.startswith("staff/"):
                    routes[f"{namespace}:{pattern.name}".strip(":") if pattern.name else route] = route

    walk(get_resolver().url_patterns)
    return routes
