"""VC-API exchange URLs; included at the root: ``path("", include("credentials.exchange_urls"))``."""

from django.urls import path

from . import exchange_views

app_name = "exchange"

urlpatterns = [
    path("exchange/<str:token>/", exchange_views.exchange, name="exchange"),
]
