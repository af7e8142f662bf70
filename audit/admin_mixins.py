"""Admin pieces every app may use (audit is the lowest layer: anything can import it)."""


class ReadOnlyAdminMixin:
    """Records that change only through their services, with an audit entry: staff with the view permission
    may look, nobody adds, changes or deletes them in the admin. Put it before admin.ModelAdmin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
