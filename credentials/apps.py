from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = _("Credentials")

    def ready(self):
        from outbox.sending import register_send_check

        from . import claim_emails, imagelimits, receivers  # noqa: F401

        imagelimits.install_backstop()
        self._watch_pages()
        # The outbox sends no claim email or reminder of an award that no longer waits for an answer.
        for kind in claim_emails.ONLY_WHILE_ISSUED:
            register_send_check(kind, claim_emails.not_sendable_reason)

    @staticmethod
    def _watch_pages():
        """What the cached verification pages and status lists show (credentials.verification.page_cache)."""
        from frameworks import models as framework_models

        from . import models
        from .verification import page_cache

        page_cache.watch(models.Award, public_ids=lambda award: [award.public_id])
        page_cache.watch(models.StatusList, status_lists=lambda status_list: [status_list.pk])
        for model in (models.Issuer, models.SigningKey, models.Achievement):
            page_cache.watch(model)
        for model in (framework_models.Framework, framework_models.CertificateTier, framework_models.BadgeCategory,
                      framework_models.GlossaryTerm, framework_models.StackingRule):  # fmt: skip
            page_cache.watch(model)
