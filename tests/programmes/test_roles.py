"""Programme roles grant Django permission names for the objects of their programme only."""

import pytest

import access
from programmes.models import Programme, Role, StaffRole
from programmes.roles import ISSUER, MANAGER, VIEWER, forget_roles


@pytest.fixture
def programmes(db):
    return (
        Programme.objects.create(slug="social-protection", name="Social Protection"),
        Programme.objects.create(slug="green-jobs", name="Green Jobs"),
    )


@pytest.fixture
def achievements(programmes, issuer, competency):
    from tests.credentials.conftest import make_achievement

    first = make_achievement(issuer, competency, slug="sp-badge")
    second = make_achievement(issuer, competency, slug="gj-badge")
    first.programme, second.programme = programmes
    first.save(update_fields=["programme"])
    second.save(update_fields=["programme"])
    return first, second


def test_presets_grow_from_viewer_to_manager():
    assert VIEWER < ISSUER < MANAGER
    assert "credentials.add_award" in ISSUER and "credentials.add_award" not in VIEWER
    assert "credentials.publish_achievement" in MANAGER and "credentials.publish_achievement" not in ISSUER


def test_a_role_grants_inside_its_programme_only(django_user_model, programmes, achievements):
    user = django_user_model.objects.create_user("ana", "ana@example.org", "pw")
    StaffRole.objects.create(user=user, programme=programmes[0], role=Role.ISSUER)
    ours, theirs = achievements
    assert access.allows(user, "credentials.add_award", obj=ours)
    assert access.allows(user, "credentials.add_award", obj=programmes[0])
    assert not access.allows(user, "credentials.add_award", obj=theirs)
    assert not access.allows(user, "credentials.add_award")  # never globally
    assert not access.allows(user, "credentials.publish_achievement", obj=ours)  # a manager's
    assert not access.allows(user, ["credentials.add_award", "credentials.publish_achievement"], obj=ours)


def test_roles_are_read_once_per_user_object(django_user_model, programmes, achievements, django_assert_num_queries):
    user = django_user_model.objects.create_user("ana", "ana@example.org", "pw")
    StaffRole.objects.create(user=user, programme=programmes[1], role=Role.MANAGER)
    with django_assert_num_queries(3):  # Django reads user and group permissions once, the roles once
        for _ in range(5):
            assert access.allows(user, "credentials.publish_achievement", obj=achievements[1])
    StaffRole.objects.filter(user=user).update(role=Role.VIEWER)
    forget_roles(user)
    assert not access.allows(user, "credentials.publish_achievement", obj=achievements[1])


def test_an_inactive_programme_grants_nothing(django_user_model, programmes, achievements):
    user = django_user_model.objects.create_user("ana", "ana@example.org", "pw")
    StaffRole.objects.create(user=user, programme=programmes[0], role=Role.MANAGER)
    Programme.objects.filter(pk=programmes[0].pk).update(is_active=False)
    assert not access.allows(user, "credentials.view_award", obj=achievements[0])
