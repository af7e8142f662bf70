from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalletsConfig(AppConfig):
    name = "wallets"
    verbose_name = _("Learner wallets")

    def ready(self):
        from credentials.claims import register_claim_url, register_holder_url

        from . import claim_urls, receivers  # noqa: F401 (receivers connect to credentials' signals)

        register_claim_url(claim_urls.claim_path)
        register_holder_url(claim_urls.holder_path)
        self._watch_pages()

    @staticmethod
    def _watch_pages():
        """What the wallet adds to cached verification pages (credentials.verification.page_cache): the holder's
        visibility, their evidence, endorsements, and the verified addresses that make them the holder."""
        from allauth.account.models import EmailAddress

        from credentials.models import Award
        from credentials.verification import page_cache

        from . import models

        for model in (models.WalletEntry, models.RecipientEvidence, models.Endorsement):
            page_cache.watch(model, awards=lambda item: [item.award_id])

        def awards_sent_to(address):
            return Award.objects.filter(recipient_email__iexact=address.email).values_list("pk", flat=True)

        page_cache.watch(EmailAddress, awards=awards_sent_to)
