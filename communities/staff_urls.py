"""Mounted at /staff/: a programme's Communities pages (views_staff.py)."""

from django.urls import path

from . import views_staff as views

app_name = "community_staff"

_c = "p/<slug:programme>/communities/<slug:community>/"

urlpatterns = [
    path("p/<slug:programme>/communities/", views.communities, name="communities"),
    path("p/<slug:programme>/communities/new/", views.community_new, name="community_new"),
    path(_c, views.community, name="community"),
    path(_c + "edit/", views.community_edit, name="community_edit"),
    path(_c + "invite/", views.invite, name="community_invite"),
    path(_c + "m/<int:pk>/<str:decision>/", views.decide, name="community_decide"),
    path(_c + "m/<int:pk>/contribute/badge/", views.contribute, name="community_contribute"),
]
