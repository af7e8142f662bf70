"""Every admin action × staff without any permission, staff who may see the list but not act, staff holding all
but one of the action's permissions, staff holding them: refused actions change nothing (matrix.py: ACTIONS)."""

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse

from tests.conftest import make_staff

from .matrix import ACTIONS, attempt


def test_every_admin_action_is_in_the_table(django_user_model):
    request = RequestFactory().get("/admin/")
    request.user = django_user_model(is_staff=True, is_superuser=True, is_active=True)
    offered = {
        model._meta.label_lower: set(model_admin.get_actions(request))
        for model, model_admin in admin.site._registry.items()
    }
    missing = sorted(
        f"{label}.{name}" for label, names in offered.items() for name in names - set(ACTIONS.get(label, {}))
    )
    assert not missing, f"admin actions without an entry in tests/permissions/matrix.py ACTIONS: {missing}"
    stale = sorted(
        f"{label}.{name}" for label, names in ACTIONS.items() for name in set(names) - offered.get(label, set())
    )
    assert not stale, f"entries in ACTIONS for actions that no longer exist: {stale}"


def _not_offered(response) -> bool:
    """What Django answers when the action is not one the user may choose: back to the list ("No action
    selected."), or the list itself when the user may choose no action at all; nothing done either way."""
    if response.status_code == 200:
        return response.context is not None and "cl" in response.context  # the list, not a confirmation page
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    return response.status_code == 302 and "No action selected." in messages


def _ran(action: str, response, changed: bool) -> bool:
    if action in ("revoke", "reissue"):  # they lead to the form that asks for the reason
        return response.status_code == 302 and "/credentials/award/revoke/" in response["Location"]
    if action == "delete_selected":  # done, or the page listing what protects the objects
        return changed or (response.status_code == 200 and not _not_offered(response))
    return changed and not _not_offered(response)


@pytest.mark.django_db
def test_admin_actions(world, django_user_model):
    no_rights = make_staff(django_user_model, "no-rights")
    made = []

    def staff(*perms):
        made.append(None)
        return make_staff(django_user_model, f"staff-{len(made)}", *perms)

    problems = []
    for label, actions in ACTIONS.items():
        app, model = label.split(".")
        url = reverse(f"admin:{app}_{model}_changelist")
        pk = world.action_pks.get(f"{app}/{model}", world.pks[f"{app}/{model}"])
        view = f"{app}.view_{model}"
        for action, perm in actions.items():
            perms = (perm,) if isinstance(perm, str) else tuple(perm)
            data = {"action": action, "_selected_action": [pk], "post": "yes"}
            where = f"{label} {action} {perms}"

            response, changed = attempt(no_rights, "POST", url, data=data)
            if response.status_code != 403 or changed:
                problems.append(f"{where}, no permission: {response.status_code}, changed={changed}")
            for missing in perms:
                user = staff(view, *(p for p in perms if p != missing))
                response, changed = attempt(user, "POST", url, data=data)
                if not _not_offered(response) or changed:
                    problems.append(f"{where}, without {missing}: {response.status_code}, changed={changed}")
            response, changed = attempt(staff(view, *perms), "POST", url, data=data)
            if not _ran(action, response, changed):
                problems.append(f"{where}, with the permission: {response.status_code}, changed={changed}")
    assert not problems, "\n".join(problems)
