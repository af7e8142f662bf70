"""Mounted at /staff/ by config/urls.py, before the console's own include: a programme's Webhooks pages."""

from django.urls import path

from . import views

app_name = "webhooks"

P = "p/<slug:programme>/webhooks/"

urlpatterns = [
    path(P, views.subscriptions, name="list"),
    path(P + "new/", views.subscription_new, name="new"),
    path(P + "<int:pk>/", views.subscription_detail, name="detail"),
    path(P + "<int:pk>/delete/", views.subscription_delete, name="delete"),
    path(P + "<int:pk>/deliveries/<int:delivery>/redeliver/", views.redeliver, name="redeliver"),
]
