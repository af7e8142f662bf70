"""Mounted at /organisations/: public organisation pages, their admins' pages, invitations, the learner's
organisations."""

from django.urls import path

from . import views, views_manage

app_name = "organisations"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/share/", views.share, name="share"),
    path("mine/<int:pk>/leave/", views.leave, name="leave"),
    path("invite/<str:token>/", views.invite, name="invite"),
    path("<slug:slug>/", views.organisation, name="organisation"),
    path("<slug:slug>/manage/", views_manage.manage, name="manage"),
    path("<slug:slug>/manage/invite/", views_manage.invite, name="manage_invite"),
    path("<slug:slug>/manage/<str:kind>/<int:pk>/remove/", views_manage.remove, name="manage_remove"),
]
