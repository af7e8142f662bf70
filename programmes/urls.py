"""Mounted at /staff/ by config/urls.py: a programme's Team pages and the invitation links."""

from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("p/<slug:programme>/team/", views.team, name="team"),
    path("p/<slug:programme>/team/invite/", views.invite, name="invite"),
    path("p/<slug:programme>/team/<int:pk>/role/", views.role_change, name="role_change"),
    path("p/<slug:programme>/team/<int:pk>/remove/", views.remove, name="remove"),
    path("p/<slug:programme>/team/invites/<int:pk>/withdraw/", views.invite_withdraw, name="invite_withdraw"),
    path("invite/<str:token>/", views.invite_accept, name="invite_accept"),
]
