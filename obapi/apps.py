from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObapiConfig(AppConfig):
    name = "obapi"
    verbose_name = _("Open Badges 3.0 API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """django-oauth-toolkit's models stay out of the staff console: clients register through the API and
        tokens are the learners' to give (their admin pages would bypass the console's permission table)."""
        from django.contrib import admin
        from oauth2_provider import models as oauth_models

        for model in (
            oauth_models.get_application_model(),
            oauth_models.get_access_token_model(),
            oauth_models.get_refresh_token_model(),
            oauth_models.get_grant_model(),
            oauth_models.get_id_token_model(),
        ):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
