"""A programme with an organisation (its credentials go to an address of its own), an organisation badge it holds
("Institutional Programme"), the result of a rule ("Learning Organisation": the organisation holds the programme
and three members share "Social Dialogue"), members with verified addresses holding Social Dialogue, the
organisation's admin, the programme's manager and viewer, a manager of another programme and an outsider."""

from types import SimpleNamespace

import pytest

from credentials.models import Award
from credentials.services import Recipient, award_issue
from tests.communities.conftest import verified_user

ORG_EMAIL = "badges@ministry.example.org"


@pytest.fixture
def inline_tasks(monkeypatch):
    """The organisations' tasks run in the caller's thread whatever the broker (eager or Redis)."""
    from organisations import evaluation, tasks

    monkeypatch.setattr(
        tasks.organisation_evaluate, "delay", lambda pk: evaluation.organisation_evaluate(organisation_id=pk)
    )
    by_awards = evaluation.organisations_evaluate_awards
    monkeypatch.setattr(tasks.organisations_evaluate_awards, "delay", lambda ids: by_awards(award_ids=ids))


def issue_to_organisation(achievement, organisation, **kwargs):
    return award_issue(
        achievement=achievement,
        recipient=Recipient(
            email=organisation.email, name=organisation.name, kind=Award.RecipientKind.ORGANISATION, **kwargs
        ),
    )


@pytest.fixture
def world(db, issuer, default_framework, django_user_model):
    from organisations.models import OrganisationAdmin, OrganisationMember
    from organisations.services import organisation_create
    from programmes.models import Programme, StaffRole
    from tests.credentials.conftest import make_achievement

    categories = {c.code: c for c in default_framework.badgecategory_set.all()}
    programme = Programme.objects.create(slug="social-dialogue", name="Social Dialogue")
    other_programme = Programme.objects.create(slug="logistics", name="Logistics")
    organisational = {"alignments": [], "hours": None, "ects_credits": None, "validity_days": None}
    institutional = make_achievement(
        issuer, categories["organisational_development"], slug="institutional-programme",
        name="Institutional Programme", programme=programme, **organisational,
    )  # fmt: skip
    result = make_achievement(
        issuer, categories["organisational_development"], slug="learning-organisation", name="Learning Organisation",
        programme=programme, **organisational,
    )  # fmt: skip
    dialogue = make_achievement(
        issuer, categories["competency"], slug="social-dialogue", name="Social Dialogue", programme=programme
    )
    users = {
        "admin": verified_user(django_user_model, "admin", first_name="Grace", last_name="Mensah"),
        **{f"m{i}": verified_user(django_user_model, f"m{i}", first_name=f"Member{i}") for i in range(1, 6)},
        "outsider": verified_user(django_user_model, "outsider"),
        "manager": verified_user(django_user_model, "manager"),
        "viewer": verified_user(django_user_model, "viewer"),
        "other_manager": verified_user(django_user_model, "other_manager"),
    }
    StaffRole.objects.create(user=users["manager"], programme=programme, role="manager")
    StaffRole.objects.create(user=users["viewer"], programme=programme, role="viewer")
    StaffRole.objects.create(user=users["other_manager"], programme=other_programme, role="manager")
    organisation = organisation_create(
        programme=programme, slug="ministry", name="Ministry of Labour", country="GH", email=ORG_EMAIL,
        sector="Public administration", website="https://ministry.example.org", actor=users["manager"],
    )  # fmt: skip
    OrganisationAdmin.objects.create(organisation=organisation, user=users["admin"])
    members = {
        key: OrganisationMember.objects.create(organisation=organisation, user=users[key], name=f"Member {key}")
        for key in ("m1", "m2", "m3", "m4")
    }
    held = {
        key: award_issue(achievement=dialogue, recipient=Recipient(email=f"{key}@example.org", name=f"Member {key}"))
        for key in ("m1", "m2", "m3", "m4", "m5")
    }

    def rule(minimum=3, *, actor=None):
        from organisations.rules import rule_create

        return rule_create(
            programme=programme, name="Learning organisation pathway", result=result,
            required_achievements=[institutional], requirements=[(dialogue, minimum)], actor=actor or users["manager"],
        )  # fmt: skip

    return SimpleNamespace(
        programme=programme, other_programme=other_programme, institutional=institutional, result=result,
        dialogue=dialogue, users=users, organisation=organisation, members=members, held=held, rule=rule,
    )  # fmt: skip
