"""May this actor do this? The one answer for every service and every staff view.

Services call `require(actor, "app.codename")` first thing; staff views and admin actions ask `allows(...)`
to show a 403 page before calling them. Both layers ask this module, so a view that forgets to check is
still refused by its service.

- `actor=None` is the system: management commands, tasks, stacking, an event's verified claim, a bulk job
  that a permitted member of staff started. The system may do anything.
- A user (learner or staff) must hold the Django permission; superusers hold them all; an inactive or
  anonymous user holds none.
- `obj` is the object acted on. Django's model permissions are global; below them, *scope resolvers* may
  grant a permission for one object: the `programmes` app registers one that answers from the actor's role
  in the object's programme (a manager, issuer or viewer of that programme only). Without `obj` only global
  permissions count, so a role never grants anything outside its programme.

The lowest layer of the project, beside `audit`: it imports Django only.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

__all__ = ["allows", "register_scope_resolver", "require"]

# Functions (user, perms: tuple[str, ...], obj) -> bool, asked in turn when the user lacks a global permission.
_scope_resolvers: list = []


def register_scope_resolver(resolver) -> None:
    """Let an app above grant permissions for the objects it scopes (programmes: roles per programme)."""
    if resolver not in _scope_resolvers:
        _scope_resolvers.append(resolver)


def _names(perm: str | Iterable[str]) -> tuple[str, ...]:
    return (perm,) if isinstance(perm, str) else tuple(perm)


def allows(actor, perm: str | Iterable[str], obj=None) -> bool:
    """Whether `actor` may do what `perm` ("app_label.codename", or several that are all needed) allows."""
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", False):
        return False
    names = _names(perm)
    # Not `obj` to Django: its ModelBackend answers "no" to every object-level question.
    if actor.has_perms(names):
        return True
    return obj is not None and any(resolver(actor, names, obj) for resolver in _scope_resolvers)


def require(actor, perm: str | Iterable[str], obj=None) -> None:
    """Raise PermissionDenied (a 403 page in a view) unless `allows(actor, perm, obj)`."""
    if not allows(actor, perm, obj):
        raise PermissionDenied(
            _("Your account may not do this: it needs the permission %(permission)s. Ask an administrator.")
            % {"permission": ", ".join(f"“{name}”" for name in _names(perm))}
        )
