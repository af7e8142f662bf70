"""access: the one answer to "may this actor do this?"."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

import access
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


def test_the_system_may_do_anything():
    assert access.allows(None, "credentials.add_award")
    access.require(None, ("credentials.add_award", "credentials.revoke_award"))


def test_users_need_the_permission(django_user_model):
    nobody = make_staff(django_user_model, "nobody")
    issuer = make_staff(django_user_model, "issuer", "credentials.add_award")
    learner = django_user_model.objects.create_user("learner", "l@example.org", "pw")
    assert not access.allows(nobody, "credentials.add_award")
    assert not access.allows(learner, "credentials.add_award")
    assert not access.allows(AnonymousUser(), "credentials.add_award")
    assert access.allows(issuer, "credentials.add_award")
    assert access.allows(issuer, "credentials.add_award", obj=object())  # Django's object permissions say no
    assert not access.allows(issuer, ("credentials.add_award", "credentials.revoke_award"))  # all are needed


def test_superusers_hold_every_permission_while_active(django_user_model):
    root = make_staff(django_user_model, "root", is_superuser=True)
    assert access.allows(root, ("credentials.revoke_award", "frameworks.change_framework"))
    root.is_active = False
    assert not access.allows(root, "credentials.add_award")


def test_a_refusal_says_which_permission_is_missing(django_user_model):
    nobody = make_staff(django_user_model, "nobody")
    with pytest.raises(PermissionDenied) as refused:
        access.require(nobody, ("credentials.revoke_award", "credentials.add_award"))
    assert "“credentials.revoke_award”, “credentials.add_award”" in str(refused.value)
    assert "Ask an administrator" in str(refused.value)
