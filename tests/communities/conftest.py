"""A programme with a community (membership credential of the framework's Membership category, one year),
a contribution badge, a learner with a verified address, the programme's manager and viewer, a named community
manager and an outsider."""

from types import SimpleNamespace

import pytest


def verified_user(django_user_model, username, email=None, **fields):
    from allauth.account.models import EmailAddress

    email = email or f"{username}@example.org"
    user = django_user_model.objects.create_user(username, email, "pw", **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def world(db, issuer, default_framework, django_user_model):
    from communities.services import community_create, contribution_achievements_set
    from programmes.models import Programme, StaffRole
    from tests.credentials.conftest import make_achievement

    categories = {c.code: c for c in default_framework.badgecategory_set.all()}
    programme = Programme.objects.create(slug="health", name="Community Health")
    other_programme = Programme.objects.create(slug="logistics", name="Logistics")
    membership_badge = make_achievement(
        issuer, categories["membership"], slug="chw-network", name="CHW Network Member", programme=programme,
        validity_days=365,
    )  # fmt: skip
    mentor_badge = make_achievement(
        issuer, categories["mentoring_coaching"], slug="chw-mentor", name="CHW Mentor", programme=programme
    )
    competency_badge = make_achievement(
        issuer, categories["competency"], slug="wound-care", name="Wound Care", programme=programme
    )
    users = {
        "learner": verified_user(django_user_model, "learner", first_name="Amina", last_name="Okonkwo"),
        "other_learner": verified_user(django_user_model, "other_learner"),
        "unverified": django_user_model.objects.create_user("unverified", "unverified@example.org", "pw"),
        "manager": verified_user(django_user_model, "manager"),
        "viewer": verified_user(django_user_model, "viewer"),
        "named": verified_user(django_user_model, "named"),
        "outsider": verified_user(django_user_model, "outsider"),
        "other_manager": verified_user(django_user_model, "other_manager"),
    }
    StaffRole.objects.create(user=users["manager"], programme=programme, role="manager")
    StaffRole.objects.create(user=users["viewer"], programme=programme, role="viewer")
    StaffRole.objects.create(user=users["other_manager"], programme=other_programme, role="manager")

    def make(slug="chw", *, join_mode="application", renewal_mode="confirm", **fields):
        community = community_create(
            programme=programme,
            slug=slug,
            name=fields.pop("name", "Community Health Workers"),
            description="Peers who support each other.",
            membership_achievement=membership_badge,
            join_mode=join_mode,
            renewal_mode=renewal_mode,
            actor=users["manager"],
            **fields,
        )
        contribution_achievements_set(community=community, achievements=[mentor_badge], actor=users["manager"])
        community.managers.add(users["named"])
        return community

    return SimpleNamespace(
        programme=programme,
        other_programme=other_programme,
        membership_badge=membership_badge,
        mentor_badge=mentor_badge,
        competency_badge=competency_badge,
        users=users,
        make=make,
    )
