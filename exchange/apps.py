from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Adding a credential to a wallet app through a VC-API exchange. No models: the exchange state (a
    challenge) lives in the cache, and the award's holder DID on the award (credentials)."""

    name = "exchange"
    verbose_name = _("Wallet exchange")
