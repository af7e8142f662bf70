"""VC-API exchange URLs; included at the root: ``path("", include("exchange.urls"))``."""

from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("exchange/<str:token>/", views.exchange, name="exchange"),
]
