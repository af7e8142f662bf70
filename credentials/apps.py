from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = _("Credentials")

    def ready(self):
        from outbox.sending import register_send_check

        from . import claim_emails, imagelimits, receivers  # noqa: F401

        imagelimits.install_backstop()
        # The outbox sends no claim email or reminder of an award that no longer waits for an answer.
        for kind in claim_emails.ONLY_WHILE_ISSUED:
            register_send_check(kind, claim_emails.not_sendable_reason)
