"""Mounted at /staff/: a programme's Organisations pages (views_staff.py)."""

from django.urls import path

from . import views_staff as views

app_name = "organisation_staff"

_o = "p/<slug:programme>/organisations/"

urlpatterns = [
    path(_o, views.organisations, name="organisations"),
    path(_o + "new/", views.organisation_new, name="organisation_new"),
    path(_o + "rules/new/", views.organisation_rule_new, name="organisation_rule_new"),
    path(_o + "rules/<int:pk>/active/", views.organisation_rule_active, name="organisation_rule_active"),
]
